"""Triggers: something that just happened to a prospect, with the one touch it calls for.

A trigger is open until an outbound touch (a bounce aside) is logged for the prospect
after it was recorded (``since_touch`` holds the newest touch id then); nothing has to
mark it done.
"""

from __future__ import annotations

import sqlite3
from typing import Any

_OPEN = (
    "NOT EXISTS (SELECT 1 FROM touches x WHERE x.prospect_id = t.prospect_id "
    "AND x.direction = 'out' AND x.outcome != 'bounced' AND x.id > t.since_touch)"
)
_PROSPECT = (
    "p.name, p.email, p.company, p.stage, p.timezone, p.value, p.priority, "
    "p.last_touch_at, p.last_touch_channel, p.last_touch_outcome"
)


def add(conn: sqlite3.Connection, **row: Any) -> int:
    """Record a trigger (``prospect_id, kind, event, url, recorded_at, due_at, channel,
    template``); its id."""
    newest = conn.execute("SELECT coalesce(max(id), 0) FROM touches").fetchone()[0]
    row = {"since_touch": newest, **row}
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = conn.execute(f"INSERT INTO triggers ({names}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def due(conn: sqlite3.Connection, *, until: str, after: str | None = None) -> list[sqlite3.Row]:
    """Open triggers due by ``until`` (and after ``after``) of prospects we may contact,
    with the prospect's columns `today` shows, soonest first."""
    window = "t.due_at <= ?" + (" AND t.due_at > ?" if after else "")
    args = [until, after] if after else [until]
    return conn.execute(
        f"SELECT t.*, {_PROSPECT} FROM triggers t JOIN prospects p ON p.id = t.prospect_id "
        f"WHERE {window} AND p.do_not_contact = 0 AND {_OPEN} ORDER BY t.due_at, t.id",
        args,
    ).fetchall()


def latest_open(conn: sqlite3.Connection, prospect_id: int) -> sqlite3.Row | None:
    """The prospect's newest open trigger, if any."""
    return conn.execute(
        f"SELECT t.* FROM triggers t WHERE t.prospect_id = ? AND {_OPEN} "
        "ORDER BY t.recorded_at DESC, t.id DESC LIMIT 1",
        [prospect_id],
    ).fetchone()


def latest(conn: sqlite3.Connection, prospect_id: int, template: str) -> sqlite3.Row | None:
    """The newest trigger of this prospect with this template, open or done."""
    return conn.execute(
        "SELECT * FROM triggers WHERE prospect_id = ? AND template = ? "
        "ORDER BY recorded_at DESC, id DESC LIMIT 1",
        [prospect_id, template],
    ).fetchone()
