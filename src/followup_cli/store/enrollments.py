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


def cadences_in_use(conn: sqlite3.Connection) -> dict[str, int]:
    """{cadence: how many prospects are in it}, for active and paused enrollments."""
    rows = conn.execute(
        "SELECT cadence, count(*) FROM prospects WHERE cadence IS NOT NULL "
        "AND cadence_status IN ('active', 'paused') GROUP BY cadence"
    )
    return {name: number for name, number in rows}


def without_plan_in(conn: sqlite3.Connection, cadences: list[str]) -> list[dict]:
    """Contactable prospects active in one of these cadences with no next touch stored."""
    marks = ", ".join("?" for _ in cadences)
    rows = conn.execute(
        "SELECT id, name, company, stage, value, cadence, next_why FROM prospects "
        f"WHERE cadence IN ({marks}) AND cadence_status = 'active' AND next_due_at IS NULL "
        "AND do_not_contact = 0 ORDER BY name",
        cadences,
    )
    return [dict(row) for row in rows]
