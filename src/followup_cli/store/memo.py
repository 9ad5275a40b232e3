"""A persistent memo for slow things that rarely change: parsed cadence files and public
holidays. It lives in the database's ``meta`` table, so a typical command needs neither
PyYAML nor the ``holidays`` package (together ~110 ms of imports and parsing).

The command line attaches its connection for the length of one command; without one,
nothing is remembered and everything is computed as usual.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

_conn: sqlite3.Connection | None = None


def attach(conn: sqlite3.Connection | None) -> None:
    global _conn
    _conn = conn


def get(key: str) -> Any:
    if _conn is None:
        return None
    row = _conn.execute("SELECT value FROM meta WHERE key = ?", [f"memo:{key}"]).fetchone()
    return json.loads(row[0]) if row else None


def put(key: str, value: Any) -> None:
    if _conn is None:
        return
    try:
        text = json.dumps(value)
        _conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [f"memo:{key}", text],
        )
    except (TypeError, ValueError, sqlite3.OperationalError):
        pass  # only a cache: a value JSON cannot hold, or a read-only database
