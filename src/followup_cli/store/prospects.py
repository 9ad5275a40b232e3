"""Questions about prospects: by id, by email, by part of the name, and the `list` search.

Rows come back as ``sqlite3.Row``; ``pipeline.prospect`` turns them into prospects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any


def by_id(conn: sqlite3.Connection, prospect_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM prospects WHERE id = ?", [prospect_id]).fetchone()


def by_email(conn: sqlite3.Connection, email: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM prospects WHERE email = ?", [email]).fetchone()


def email_owner(conn: sqlite3.Connection, email: str) -> sqlite3.Row | None:
    """The ``id`` and ``name`` of whoever has this email address, if anyone."""
    return conn.execute("SELECT id, name FROM prospects WHERE email = ?", [email]).fetchone()


def named_like(conn: sqlite3.Connection, text: str) -> list[sqlite3.Row]:
    """Prospects whose name contains ``text``, by name; 21 at most (enough to say "over 20")."""
    return conn.execute(
        "SELECT * FROM prospects WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT 21",
        [f"%{_escape_like(text)}%"],
    ).fetchall()


def names(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every prospect's id and name (to compare names the way SQL cannot: accents folded)."""
    return conn.execute("SELECT id, name FROM prospects ORDER BY name").fetchall()


def by_ids(conn: sqlite3.Connection, ids: list[int]) -> list[sqlite3.Row]:
    marks = ", ".join("?" * len(ids))
    return conn.execute(
        f"SELECT * FROM prospects WHERE id IN ({marks}) ORDER BY name", ids
    ).fetchall()


def delete(conn: sqlite3.Connection, prospect_id: int) -> None:
    """Their touches go with them (ON DELETE CASCADE)."""
    conn.execute("DELETE FROM prospects WHERE id = ?", [prospect_id])


def search(
    conn: sqlite3.Connection,
    *,
    limit: int | None = None,
    columns: tuple[str, ...] = ("*",),
    plain: bool = False,
    joined_tags: bool = False,
    as_text: bool = False,
    **filters: str | None,
) -> Iterator[Any]:
    """Prospects in a stage, with a tag, due by ``due_before`` (UTC ISO text) and/or
    matching ``text`` in name, company or email, referred by someone whose name or email
    contains ``referred_by``, at a relationship level: soonest due first, then by name.
    Only ``columns`` (names of the table's) are read; rows are read as they are used
    (`list --all` streams), as tuples with ``plain``; with ``joined_tags``, the ``tags``
    column is its tags joined by ", " (None for none), as a cell of a script's format. With
    ``as_text``, SQLite writes each cell as a script's format does (views.formats.text):
    nothing for NULL, ids and whole deal values as digits; a value it cannot write exactly
    so (a fraction, a million or more) stays a number, for the format to write."""
    where, params = _filters(**filters)
    joiner = " AND " if where else " WHERE "
    left = limit
    # Those with a next touch, then those without: each half in the order of the index on
    # (next_due_at, name), so the rows stream from it instead of waiting for a sort.
    for due in ("IS NOT NULL", "IS NULL"):
        read = [
            "(SELECT group_concat(value, ', ') FROM json_each(tags))"
            if joined_tags and column == "tags"
            else column
            for column in columns
        ]
        if as_text:
            read = [
                _TEXT_CELLS.get(column, "coalesce({}, '')").format(cell)
                for column, cell in zip(columns, read, strict=True)
            ]
        sql = f"SELECT {', '.join(read)} FROM prospects{where}{joiner}next_due_at {due}"
        sql += " ORDER BY next_due_at, name"
        if left is not None:
            sql += f" LIMIT {int(left)}"
        cursor = conn.cursor()
        if plain:
            cursor.row_factory = None
        for row in cursor.execute(sql, params):
            yield row
            if left is not None:
                left -= 1
        if left == 0:
            return


_TEXT_CELLS = {  # the columns that are not TEXT (whose values SQLite keeps as text)
    "id": "CAST({} AS TEXT)",
    # 24000.0 is "24000", as f"{value:g}" writes it below a million; -0.0, fractions and
    # bigger numbers are left to Python's formatting
    "value": "CASE WHEN {0} IS NULL THEN '' WHEN typeof({0}) = 'integer' THEN CAST({0} AS TEXT) "
    "WHEN {0} <> 0 AND abs({0}) < 1e6 AND {0} = CAST({0} AS INTEGER) "
    "THEN CAST(CAST({0} AS INTEGER) AS TEXT) ELSE {0} END",
}


def count(conn: sqlite3.Connection, **filters: str | None) -> int:
    """How many prospects ``search`` would give without a limit."""
    where, params = _filters(**filters)
    return conn.execute("SELECT count(*) FROM prospects" + where, params).fetchone()[0]


def _filters(
    *,
    stage: str | None = None,
    tag: str | None = None,
    due_before: str | None = None,
    text: str | None = None,
    referred_by: str | None = None,
    relationship: str | None = None,
) -> tuple[str, list[str]]:
    where, params = [], []
    if referred_by:
        where.append("referred_by LIKE ? ESCAPE '\\'")
        params.append(f"%{_escape_like(referred_by.strip())}%")
    if relationship:
        where.append("relationship = ?")
        params.append(relationship)
    if stage:
        where.append("stage = ?")
        params.append(stage)
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(prospects.tags) WHERE value = ?)")
        params.append(tag.lower())
    if due_before:
        where.append("next_due_at IS NOT NULL AND next_due_at <= ? AND do_not_contact = 0")
        params.append(due_before)
    if text:
        where.append(
            "(name LIKE ? ESCAPE '\\' OR company LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')"
        )
        params += [f"%{_escape_like(text)}%"] * 3
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
