"""Questions about who is in which cadence: the active ones due before a date (a
vacation pauses them), and everyone in cadences whose file changed.
"""

from __future__ import annotations

import sqlite3


def active_due_before(conn: sqlite3.Connection, moment: str) -> list[sqlite3.Row]:
    """Prospects in an active cadence whose next touch is due before ``moment`` (UTC ISO text)."""
    return conn.execute(
        "SELECT * FROM prospects WHERE cadence_status = 'active' AND next_due_at IS NOT NULL "
        "AND next_due_at < ?",
        [moment],
    ).fetchall()


def in_cadences(conn: sqlite3.Connection, cadences: list[str]) -> list[sqlite3.Row]:
    """Prospects enrolled (in any status) in one of these cadences."""
    marks = ", ".join("?" for _ in cadences)
    return conn.execute(f"SELECT * FROM prospects WHERE cadence IN ({marks})", cadences).fetchall()
