"""What `followup import` asks of the database: the prospects to match rows against, bulk
inserts, and the touch history staged in a temporary table before it is added.

A bulk load may set the indexes and full-text triggers of a table aside and build them again
once at the end (``suspend``, ``index_text``); it all happens inside the import's transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from followup_cli.store import journal

STAGED_TOUCHES = "temp.import_touches"  # the touches of a file, before they are added
# Whose touches they are, each once (``stage_prospect_ids``): a rowid table, which an
# ``IN (...)`` reads as it is, where a SELECT from the staged touches is built into an
# index of a million entries again by each statement that asks.
STAGED_PROSPECTS = "temp.import_prospect_ids"
STAGED_PROSPECT_IDS = f"SELECT id FROM {STAGED_PROSPECTS}"


# --- bulk loading ------------------------------------------------------------------------------


def insert_rows(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[list]) -> None:
    """A batch of rows in one prepared statement (measured: a third faster than multi-row
    ``VALUES`` lists for 100,000 rows of 30 columns, and no per-value conversion as in
    sqlite-utils' ``insert_all``). Empties ``rows``."""
    if rows:
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    rows.clear()


def suspend(
    conn: sqlite3.Connection, table: str, *, indexes: bool, triggers: tuple[str, ...]
) -> Callable[[], None]:
    """Drop ``table``'s indexes (if ``indexes``) and the named triggers for a bulk load, and
    return the function that creates them again, once. Inside the import's transaction, so a
    failure or a kill puts the schema back with everything else."""
    saved = [
        (kind, name, sql)
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
            [table],
        )
        if (kind == "index" and indexes) or (kind == "trigger" and name in triggers)
    ]
    for kind, name, _sql in saved:
        conn.execute(f'DROP {kind.upper()} "{name}"')

    def restore() -> None:
        for _kind, _name, sql in sorted(saved, key=lambda item: item[0] != "index"):
            conn.execute(sql)

    return restore


BULK_CACHE_KIB = 32 * 1024  # page cache of a bulk load (SQLite's default is 2 MiB)


@contextlib.contextmanager
def bulk_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A bigger page cache for a bulk load, for the database and (half as big) its
    temporary tables: a million touches and their journal rows otherwise spill the
    default 2 MiB cache to disk again and again, most of an import's system time."""
    sizes = {db: conn.execute(f"PRAGMA {db}.cache_size").fetchone()[0] for db in ("main", "temp")}
    for db in sizes:
        conn.execute(f"PRAGMA {db}.cache_size = -{BULK_CACHE_KIB // (2 if db == 'temp' else 1)}")
    try:
        yield
    finally:
        for db, size in sizes.items():
            conn.execute(f"PRAGMA {db}.cache_size = {size}")


def indexed_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` in its full-text index (none if it has no index)."""
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}_fts")')]


def index_text(conn: sqlite3.Connection, table: str, after_id: int) -> None:
    """Add the rows after ``after_id`` to ``table``'s full-text index in one statement:
    what the insert trigger would have done row by row."""
    columns = indexed_columns(conn, table)
    if columns:
        names = ", ".join(f'"{c}"' for c in columns)
        conn.execute(
            f'INSERT INTO "{table}_fts" (rowid, {names}) '
            f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ?',
            [after_id],
        )


def rebuild_text(conn: sqlite3.Connection, table: str) -> None:
    """Build ``table``'s full-text index again from the table, in one statement (after a load
    that set its triggers aside)."""
    columns = indexed_columns(conn, table)
    if not columns:
        return
    view = f"{table}_search"  # the index reads a view (prospects since m011): no 'rebuild'
    if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?", [view]
    ).fetchone():
        names = ", ".join(f'"{c}"' for c in columns)
        conn.execute(f'INSERT INTO "{table}_fts" ("{table}_fts") VALUES (\'delete-all\')')
        conn.execute(f'INSERT INTO "{table}_fts" (rowid, {names}) SELECT id, {names} FROM "{view}"')
        return
    conn.execute(f'INSERT INTO "{table}_fts" ("{table}_fts") VALUES (\'rebuild\')')


def update_rows(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[list]) -> None:
    """Set ``columns`` of many rows by id, one prepared statement for all: each row is the
    values in ``columns``' order, then the id. Empties ``rows``."""
    sets = ", ".join(f'"{c}" = ?' for c in columns)
    conn.executemany(f'UPDATE "{table}" SET {sets} WHERE id = ?', rows)
    rows.clear()


# --- prospects ---------------------------------------------------------------------------------


def prospect_columns(conn: sqlite3.Connection) -> list[str]:
    """Every column of the prospects table, in order."""
    return [r[1] for r in conn.execute("PRAGMA table_info(prospects)")]


def defaulted_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The columns of ``table`` whose schema default is not NULL: a bulk insert that leaves
    a column out must not leave out one of these (its row would get that default)."""
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")') if row[4] is not None}


def prospect_identities(conn: sqlite3.Connection) -> Iterator[tuple[int, str | None, str, Any]]:
    """(id, email, name, company) of every prospect: what a prospect row is matched by."""
    return conn.execute("SELECT id, email, name, company FROM prospects")


def prospect_names(conn: sqlite3.Connection) -> Iterator[tuple[int, str | None, str]]:
    """(id, email, name) of every prospect: what a touch row names its prospect by."""
    return conn.execute("SELECT id, email, name FROM prospects")


def prospects_by_id(
    conn: sqlite3.Connection, ids: list[int], columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """The rows of these prospects (at most a few hundred ids at a time) as dicts: every
    column, or only ``columns``. Read as tuples and zipped with the names: ``dict()`` of an
    ``sqlite3.Row`` looks each name up along the columns (24 µs a row of 47, against 6)."""
    marks = ", ".join("?" for _ in ids)
    listed = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(f"SELECT {listed} FROM prospects WHERE id IN ({marks})", ids).fetchall()
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in rows]


# --- touch history -----------------------------------------------------------------------------


def stage_touches(conn: sqlite3.Connection, columns: list[str]) -> str:
    """Create the temporary table the touches of a file are staged in (``n``: their order
    in the file), and return its name for ``insert_rows``."""
    conn.execute(f"CREATE TEMP TABLE import_touches (n INTEGER PRIMARY KEY, {', '.join(columns)})")
    return STAGED_TOUCHES


def drop_recorded_touches(conn: sqlite3.Connection, key: tuple[str, ...]) -> int:
    """Take out of the staged touches those already recorded, or staged twice: the same
    prospect at the same time with the same ``key`` columns. How many went."""
    staged = STAGED_TOUCHES
    conn.execute("CREATE INDEX temp.import_touches_at ON import_touches(prospect_id, at)")
    same = " AND ".join(f"{a}.{c} IS {b}.{c}" for c in key for a, b in [("t", "s")])
    return conn.execute(
        f"""DELETE FROM {staged} AS s WHERE EXISTS (SELECT 1 FROM main.touches AS t
            WHERE t.prospect_id = s.prospect_id AND t.at = s.at AND {same})
        OR EXISTS (SELECT 1 FROM {staged} AS t WHERE t.prospect_id = s.prospect_id
            AND t.at = s.at AND t.n < s.n AND {same})"""
    ).rowcount


def last_touch_id(conn: sqlite3.Connection) -> int:
    """The highest touch id so far (0 for none): the touches added after it are new."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM touches").fetchone()[0]


def add_staged_touches(conn: sqlite3.Connection, columns: list[str]) -> None:
    """The staged touches into the history, in one statement, in the file's order."""
    names = ", ".join(columns)
    conn.execute(f"INSERT INTO touches ({names}) SELECT {names} FROM {STAGED_TOUCHES} ORDER BY n")


def stage_prospect_ids(conn: sqlite3.Connection) -> None:
    """The prospects the staged touches belong to, each once, into ``STAGED_PROSPECTS``
    (after ``drop_recorded_touches``: a prospect with nothing new is not among them)."""
    conn.execute("CREATE TEMP TABLE import_prospect_ids (id INTEGER PRIMARY KEY)")
    conn.execute(
        f"INSERT INTO {STAGED_PROSPECTS} SELECT DISTINCT prospect_id FROM {STAGED_TOUCHES}"
    )


def staged_prospect_ids(conn: sqlite3.Connection) -> list[int]:
    """The prospects the staged touches belong to, each once (``stage_prospect_ids``)."""
    return [r[0] for r in conn.execute(STAGED_PROSPECT_IDS)]


def prospects_journaled_as_added(conn: sqlite3.Connection) -> Any:
    """A block whose new prospects are journaled for undo in one statement at its end
    (``journal.bulk_insert``); it yields the list to add the ids of prospects inserted
    below the highest id to (an id our own export gave)."""
    return journal.bulk_insert(conn, "prospects")


def staged_prospects_journaled(conn: sqlite3.Connection) -> Any:
    """A block in which only the prospects of the staged touches are updated: they are
    journaled for undo in one statement first (``journal.bulk_update``)."""
    return journal.bulk_update(conn, "prospects", f"id IN ({STAGED_PROSPECT_IDS})")


def derived_kept(conn: sqlite3.Connection, table: str, *, staged: bool = True) -> Any:
    """A block that writes ``table`` (prospects) with the triggers of the tables counted from
    it set aside (``derived.bulk``): the staged touches' prospects (``staged``) are taken
    out of them before and put back after, or they are counted again from the whole table."""
    from followup_cli.store import derived

    return derived.bulk(conn, table, STAGED_PROSPECT_IDS if staged else None)


def drop_staged_touches(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE {STAGED_TOUCHES}")
    conn.execute(f"DROP TABLE IF EXISTS {STAGED_PROSPECTS}")
