"""Questions shell completion asks while you press Tab: names, ids and tags that start with
what was typed. Read-only, and never creates or migrates a database."""

from __future__ import annotations

import sqlite3
from pathlib import Path


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
    """(id, name, company) of prospects with a word of the name starting with ``typed``
    (accents and case aside), from the full-text index: unordered, so it stops at ``limit``."""
    words = [word for word in typed.replace('"', " ").split() if word]
    if not words:
        return conn.execute(
            "SELECT id, name, company FROM prospects ORDER BY name LIMIT ?", [limit]
        ).fetchall()
    query = " ".join(f'name : "{word}" *' for word in words)
    try:
        return conn.execute(
            "SELECT p.id, p.name, p.company FROM prospects_fts JOIN prospects p "
            "ON p.id = prospects_fts.rowid WHERE prospects_fts MATCH ? LIMIT ?",
            [query, limit],
        ).fetchall()
    except sqlite3.OperationalError:  # a word FTS cannot read (punctuation only)
        return []


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
    """The tags in use that start with ``typed``: the distinct tag lists come off their
    index (migration 9), so few rows are parsed."""
    import json

    found: set[str] = set()
    for (text,) in conn.execute("SELECT DISTINCT tags FROM prospects WHERE tags != '[]'"):
        try:
            found.update(tag for tag in json.loads(text) if str(tag).startswith(typed))
        except (TypeError, ValueError):
            continue
    return sorted(found)[:limit]
