"""A persistent memo for slow things that rarely change: parsed cadence files and public
holidays. It lives in the database's ``meta`` table, so a typical command needs neither
PyYAML nor the ``holidays`` package (together ~110 ms of imports and parsing).

Reading never writes: a value worked out while no write transaction is open is kept in
memory for the rest of the command, and written to the database only at the end of the
command's next write transaction (``flush``, called by ``store.transaction``). So a
read-only command, or one that fails, leaves the file exactly as it was.

The command line attaches its connection for the length of one command; without one,
nothing is remembered and everything is computed as usual.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from typing import Any

_conn: sqlite3.Connection | None = None
_pending: dict[str, str] = {}


def attach(conn: sqlite3.Connection | None) -> None:
    global _conn
    _conn = conn
    _pending.clear()


def get(key: str) -> Any:
    if _conn is None:
        return None
    if f"memo:{key}" in _pending:
        return json.loads(_pending[f"memo:{key}"])
    row = _conn.execute("SELECT value FROM meta WHERE key = ?", [f"memo:{key}"]).fetchone()
    return json.loads(row[0]) if row else None


def put(key: str, value: Any) -> None:
    if _conn is None:
        return
    with contextlib.suppress(TypeError, ValueError):  # only a cache: JSON cannot hold it
        _pending[f"memo:{key}"] = json.dumps(value)


def flush(conn: sqlite3.Connection) -> None:
    """Write the remembered values, inside the caller's write transaction."""
    if conn is not _conn or not _pending:
        return
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        list(_pending.items()),
    )
    _pending.clear()
