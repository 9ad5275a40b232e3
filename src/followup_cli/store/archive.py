"""What `followup export --all` reads and `followup import --all` writes: every row of the
tables a user's work lives in, every column, ids kept (a touch's ``value_id`` still points
at its value item, a prospect's touches at the prospect).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

# In the order they are written back: a touch refers to its prospect and its value item, a
# trigger (`followup trigger`) to its prospect and to the newest touch when it was recorded.
TABLES = ("value_items", "prospects", "touches", "triggers")


def rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    """Every row of ``table`` (one of ``TABLES``), by id."""
    assert table in TABLES
    return (dict(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def put(conn: sqlite3.Connection, table: str, records: list[dict[str, Any]]) -> int:
    """Insert ``records`` as they are; keys this database has no column for are errors the
    caller reports (``unknown_columns``), so nothing is dropped silently."""
    assert table in TABLES
    for record in records:
        names = list(record)
        conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [record[n] for n in names],
        )
    return len(records)


def unknown_columns(conn: sqlite3.Connection, table: str, keys: set[str]) -> set[str]:
    assert table in TABLES
    return keys - {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
