"""Questions shell completion asks while you press Tab: names, ids and tags that start with
what was typed. Read-only, and never creates or migrates a database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from followup_cli.store.prospects import _escape_like


def open_read_only(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.05)
        conn.execute("SELECT 1 FROM prospects LIMIT 1")
    except sqlite3.Error:
        return None
    return conn


def prospects_named(conn: sqlite3.Connection, typed: str, limit: int) -> list[tuple]:
    """(id, name, company) of prospects whose name, or a word of it, starts with ``typed``."""
    like = _escape_like(typed)
    return conn.execute(
        "SELECT id, name, company FROM prospects WHERE name LIKE ? ESCAPE '\\' "
        "OR name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?",
        [f"{like}%", f"% {like}%", limit],
    ).fetchall()


def prospects_by_id(conn: sqlite3.Connection, typed: str, limit: int) -> list[tuple]:
    """(id, name, company) of prospects whose id starts with the digits ``typed``."""
    return conn.execute(
        "SELECT id, name, company FROM prospects WHERE CAST(id AS TEXT) LIKE ? ORDER BY id LIMIT ?",
        [f"{typed}%", limit],
    ).fetchall()


def prospects_by_email(conn: sqlite3.Connection, typed: str, limit: int) -> list[tuple]:
    return conn.execute(
        "SELECT email, name, company FROM prospects WHERE email >= ? AND email < ? "
        "ORDER BY email LIMIT ?",
        [typed.lower(), typed.lower() + "\uffff", limit],
    ).fetchall()


def tags(conn: sqlite3.Connection, typed: str, limit: int) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT tag.value FROM prospects, json_each(prospects.tags) AS tag "
            "WHERE prospects.tags != '[]' AND tag.value LIKE ? ESCAPE '\\' "
            "ORDER BY tag.value LIMIT ?",
            [f"{_escape_like(typed)}%", limit],
        )
    ]
