"""What `followup export` and `followup calendar` read: every prospect and every touch, in id
order, streamed (a large export never sits in memory), and the contact details of the
prospects on a calendar.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any


def prospect_columns(conn: sqlite3.Connection) -> list[str]:
    """Every column of the prospects table, in order."""
    return [row[1] for row in conn.execute("PRAGMA table_info(prospects)")]


def prospect_rows(conn: sqlite3.Connection, columns: list[str]) -> Iterator[sqlite3.Row]:
    """Every prospect, by id: ``columns`` and the custom fields (JSON text)."""
    return conn.execute(f"SELECT {', '.join(columns)}, fields FROM prospects ORDER BY id")


def custom_fields(conn: sqlite3.Connection) -> Iterator[str]:
    """Each prospect's custom fields, as stored (a JSON object as text)."""
    return (text for (text,) in conn.execute("SELECT fields FROM prospects"))


def touch_rows(conn: sqlite3.Connection) -> Iterator[sqlite3.Row]:
    """Every touch, by id, with its prospect's name (``prospect``) and ``email``."""
    return conn.execute(
        "SELECT t.*, p.name AS prospect, p.email AS email FROM touches t "
        "JOIN prospects p ON p.id = t.prospect_id ORDER BY t.id"
    )


def calendar_details(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Email, phone, title and cadence start of these prospects, by id: what a calendar
    event says beyond the agenda."""
    found: dict[int, dict[str, Any]] = {}
    for offset in range(0, len(ids), 500):
        chunk = ids[offset : offset + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in conn.execute(
            f"SELECT id, email, phone, title, cadence_anchor FROM prospects WHERE id IN ({marks})",
            chunk,
        ):
            found[row["id"]] = dict(row)
    return found


def calendar_batches(
    conn: sqlite3.Connection, *, until: str, day_starts: list[str], weights: Any, size: int = 500
) -> Iterator[list[int]]:
    """Ids of every contactable prospect due by ``until``, soonest first, then by name (then
    the most urgent, then by id: the order `followup calendar` always had), ``size`` at a
    time, read from a cursor as they are written out (the agenda's urgency, in SQL)."""
    from followup_cli.store.agenda import _urgency_sql, _with_log10

    _with_log10(conn)
    bounds: dict[str, Any] = {"until": until}
    for name in ("overdue", "priority", "stage", "value"):
        bounds[f"w_{name}"] = float(getattr(weights, name))
    bounds.update({f"d{k}": start for k, start in enumerate(day_starts)})
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(
        f"SELECT id FROM prospects WHERE do_not_contact = 0 AND next_due_at IS NOT NULL "
        f"AND next_due_at <= :until "
        f"ORDER BY next_due_at, name, {_urgency_sql(day_starts)} DESC, id",
        bounds,
    )
    while rows := cursor.fetchmany(size):
        yield [row[0] for row in rows]
