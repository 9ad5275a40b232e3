"""Questions about the value bank: its items, with how often and when each was last sent,
and which ones a prospect already received.
"""

from __future__ import annotations

import sqlite3

_SELECT = """
SELECT v.id, v.title, v.kind, v.url, v.tags, v.note, v.created_at,
       (SELECT count(*) FROM touches t WHERE t.value_id = v.id) AS times_sent,
       (SELECT max(t.at) FROM touches t WHERE t.value_id = v.id) AS last_sent_at
FROM value_items v
"""


def highest_id_ever(conn: sqlite3.Connection) -> int:
    """The highest item id in the bank or on any touch (0: none yet): ids of removed items
    that touches still point at are never given out again."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT max(id) FROM value_items), 0), "
        "coalesce((SELECT max(value_id) FROM touches), 0))"
    ).fetchone()
    return row[0]


def by_id(conn: sqlite3.Connection, item_id: int) -> sqlite3.Row | None:
    return conn.execute(_SELECT + " WHERE v.id = ?", [item_id]).fetchone()


def matching(
    conn: sqlite3.Connection, *, tag: str | None = None, kind: str | None = None
) -> list[sqlite3.Row]:
    """Items with this tag and/or of this kind (both as stored; None: any), oldest first."""
    where, params = [], []
    if tag is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(v.tags) WHERE value = ?)")
        params.append(tag)
    if kind is not None:
        where.append("v.kind = ?")
        params.append(kind)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.id"
    return conn.execute(sql, params).fetchall()


def delete(conn: sqlite3.Connection, item_id: int) -> None:
    conn.execute("DELETE FROM value_items WHERE id = ?", [item_id])


def sent_to(conn: sqlite3.Connection, prospect_id: int) -> dict[int, str]:
    """Value items this prospect already received: id -> when last (UTC ISO text)."""
    rows = conn.execute(
        "SELECT value_id, max(at) FROM touches WHERE prospect_id = ? AND value_id IS NOT NULL "
        "GROUP BY value_id",
        [prospect_id],
    )
    return {row[0]: row[1] for row in rows}
