"""The one module that talks to SQLite.

``open_db`` creates the file on first use (owner-only permissions, WAL, foreign keys,
a busy timeout) and applies pending migrations through sqlite-utils' ``Migrations``.
When the schema is already current it does not even import sqlite-utils: start-up
stays light for ``followup today``. Every write goes through ``transaction``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup_cli.errors import DatabaseError

MIGRATION_SET = "followup"
BUSY_TIMEOUT_MS = 10_000


# --- migrations: a released migration is never edited; add a new one instead ----------------


def _m001_prospects_and_touches(db: Any) -> None:
    for sql in (
        """CREATE TABLE prospects (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT,
            phone TEXT,
            company TEXT,
            title TEXT,
            timezone TEXT,
            country TEXT,
            channel TEXT,
            stage TEXT NOT NULL DEFAULT 'cold',
            value REAL,
            priority INTEGER NOT NULL DEFAULT 2,
            tags TEXT NOT NULL DEFAULT '[]',
            referred_by TEXT,
            relationship TEXT,
            birthday TEXT,
            anniversary TEXT,
            linkedin TEXT,
            key_points TEXT,
            competitors TEXT,
            decision_makers TEXT,
            personal TEXT,
            notes TEXT,
            fields TEXT NOT NULL DEFAULT '{}',
            do_not_contact INTEGER NOT NULL DEFAULT 0,
            pace REAL NOT NULL DEFAULT 1.0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            cadence TEXT,
            cadence_status TEXT,
            cadence_anchor TEXT,
            steps_done INTEGER NOT NULL DEFAULT 0,
            prev_step_at TEXT,
            prev_step_due TEXT,
            paused_until TEXT,
            answered INTEGER NOT NULL DEFAULT 0,
            last_touch_at TEXT,
            last_touch_channel TEXT,
            last_touch_outcome TEXT,
            next_due_at TEXT,
            next_step INTEGER,
            next_steps_total INTEGER,
            next_channel TEXT,
            next_purpose TEXT,
            next_template TEXT,
            next_why TEXT
        )""",
        "CREATE INDEX idx_prospects_next_due ON prospects(next_due_at)",
        "CREATE INDEX idx_prospects_stage ON prospects(stage)",
        "CREATE INDEX idx_prospects_cadence ON prospects(cadence)",
        "CREATE UNIQUE INDEX idx_prospects_email ON prospects(email) WHERE email IS NOT NULL",
        "CREATE INDEX idx_prospects_birthday ON prospects(substr(birthday, -5))",
        "CREATE INDEX idx_prospects_anniversary ON prospects(substr(anniversary, -5))",
        """CREATE TABLE touches (
            id INTEGER PRIMARY KEY,
            prospect_id INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            channel TEXT NOT NULL,
            direction TEXT NOT NULL DEFAULT 'out',
            outcome TEXT NOT NULL,
            note TEXT,
            template TEXT,
            variant TEXT,
            value_id INTEGER,
            cadence TEXT,
            step INTEGER,
            logged_at TEXT NOT NULL,
            state_before TEXT
        )""",
        "CREATE INDEX idx_touches_prospect ON touches(prospect_id, at)",
        "CREATE INDEX idx_touches_at ON touches(at)",
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)""",
    ):
        db.execute(sql)


def _m002_value_bank(db: Any) -> None:
    db.execute(
        """CREATE TABLE value_items (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            url TEXT,
            kind TEXT NOT NULL DEFAULT 'article',
            tags TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_touches_value ON touches(value_id)")


SEARCHED_COLUMNS = ("name", "company", "email", "notes", "key_points", "personal")


def _m003_search(db: Any) -> None:
    # Full-text search over people and what happened, kept in sync by triggers.
    db["prospects"].enable_fts(list(SEARCHED_COLUMNS), create_triggers=True)
    db["touches"].enable_fts(["note"], create_triggers=True)
    # Re-index a prospect only when a searched column changes, not on every schedule update
    # (each `log` rewrites the next-due columns).
    columns = ", ".join(f'"{name}"' for name in SEARCHED_COLUMNS)
    old = ", ".join(f'old."{name}"' for name in SEARCHED_COLUMNS)
    new = ", ".join(f'new."{name}"' for name in SEARCHED_COLUMNS)
    db.execute('DROP TRIGGER "prospects_au"')
    db.execute(
        f'CREATE TRIGGER "prospects_au" AFTER UPDATE OF {columns} ON "prospects" BEGIN\n'
        f'  INSERT INTO "prospects_fts" ("prospects_fts", rowid, {columns}) '
        f"VALUES('delete', old.rowid, {old});\n"
        f'  INSERT INTO "prospects_fts" (rowid, {columns}) VALUES (new.rowid, {new});\n'
        "END"
    )


def _m004_agenda_indexes(db: Any) -> None:
    # `today` reads who is due from this index alone (no table rows for the scoring pass).
    db.execute(
        "CREATE INDEX idx_prospects_due_contactable ON prospects("
        "next_due_at, next_channel, priority, stage, value) "
        "WHERE do_not_contact = 0 AND next_due_at IS NOT NULL"
    )
    # Open deals with no next step, biggest first; the stages match vocab.ACTIVE_STAGES.
    db.execute(
        "CREATE INDEX idx_prospects_open_no_next ON prospects(value DESC, name) "
        "WHERE next_due_at IS NULL AND do_not_contact = 0 "
        "AND stage IN ('interest', 'active', 'proposal')"
    )


def _m005_touch_numbers(db: Any) -> None:
    # What `followup stats` used to recompute from each touch's whole history on every run
    # (window functions over every touch in the window: seconds at a million touches), kept
    # on the outbound touches instead, by touch.renumber on every write; bounced touches
    # and replies that came in keep NULLs. See touch.py for the definitions.
    for sql in (
        "ALTER TABLE touches ADD COLUMN touch_number INTEGER",
        "ALTER TABLE touches ADD COLUMN next_at TEXT",
        "ALTER TABLE touches ADD COLUMN replied_at TEXT",
        # Renumbering updates touch rows: re-index the note only when the note changes.
        'DROP TRIGGER "touches_au"',
        """CREATE TRIGGER "touches_au" AFTER UPDATE OF "note" ON "touches" BEGIN
  INSERT INTO "touches_fts" ("touches_fts", rowid, "note") VALUES('delete', old.rowid, old."note");
  INSERT INTO "touches_fts" (rowid, "note") VALUES (new.rowid, new."note");
END""",
        # A prospect's history in order from the index alone, for renumbering and for the
        # deals of `stats` (the same name as before, with more columns).
        "DROP INDEX idx_touches_prospect",
        "CREATE INDEX idx_touches_prospect ON touches(prospect_id, at, id, direction, outcome)",
        # The wins in a window (few) without reading every touch in it.
        "CREATE INDEX idx_touches_won ON touches(at) WHERE outcome = 'won'",
        # Who is active in each cadence, from the index alone.
        "DROP INDEX idx_prospects_cadence",
        "CREATE INDEX idx_prospects_cadence ON prospects(cadence, cadence_status)",
        # The existing history, in one pass (the rules of touch.renumber, frozen here), into
        # a temporary table in id order; then written in that order (the table's).
        "CREATE TEMP TABLE m005_numbers "
        "(id INTEGER PRIMARY KEY, touch_number, next_at, replied_at)",
        """INSERT INTO temp.m005_numbers
        SELECT id,
               CASE WHEN direction = 'out'
                    THEN 1 + length(before) - length(rtrim(before, '0')) END,
               CASE WHEN direction = 'out' THEN next_at END,
               CASE WHEN direction = 'out' AND reply THEN at
                    WHEN direction = 'out' AND next_direction = 'in' THEN next_at END
        FROM (
            SELECT id, at, direction, reply,
                   coalesce(group_concat(reply, '') OVER before, '') AS before,
                   lead(at) OVER later AS next_at,
                   lead(direction) OVER later AS next_direction
            FROM (
                SELECT id, prospect_id, at, direction,
                       direction = 'in'
                       OR outcome IN ('lost', 'meeting', 'not_now', 'opted_out', 'replied', 'won')
                       AS reply
                FROM touches
                WHERE NOT (direction = 'out' AND outcome = 'bounced')
            )
            WINDOW later AS (PARTITION BY prospect_id ORDER BY at, id),
                   before AS (later ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        )
        ORDER BY id""",
        """UPDATE touches SET (touch_number, next_at, replied_at) = (
            SELECT touch_number, next_at, replied_at FROM temp.m005_numbers n
            WHERE n.id = touches.id)
        WHERE id IN (SELECT id FROM temp.m005_numbers)""",
        "DROP TABLE temp.m005_numbers",
    ):
        db.execute(sql)


MIGRATIONS: tuple[Callable[[Any], None], ...] = (
    _m001_prospects_and_touches,
    _m002_value_bank,
    _m003_search,
    _m004_agenda_indexes,
    _m005_touch_numbers,
)
MIGRATION_NAMES = tuple(fn.__name__ for fn in MIGRATIONS)


def _migrations() -> Any:
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations


# --- opening --------------------------------------------------------------------------------


def open_db(path: Path) -> sqlite3.Connection:
    """Open (creating on first use) the followup database at ``path``, migrated."""
    path = Path(path)
    fresh = not path.exists()
    if fresh:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as error:
            raise DatabaseError(
                f"Cannot create the database {path}: {error.strerror}. "
                "Pick another place with --db PATH or FOLLOWUP_DB."
            ) from None
    elif path.is_dir():
        raise DatabaseError(f"{path} is a directory: give --db the path of a database file.")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        del mode  # WAL is refused on some file systems; the default journal still works
        applied = _applied(conn)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(
            f"{path} is not a followup database ({error}). "
            "Point --db or FOLLOWUP_DB at another file; this one was left untouched."
        ) from None
    if applied is None:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if tables:
            conn.close()
            raise DatabaseError(
                f"{path} is an SQLite database of another program, not a followup database. "
                "Point --db or FOLLOWUP_DB at another file; this one was left untouched."
            )
    if tuple(applied or ()) != MIGRATION_NAMES:
        unknown = set(applied or ()) - set(MIGRATION_NAMES)
        if unknown:
            conn.close()
            raise DatabaseError(
                f"{path} was written by a newer followup (schema {sorted(unknown)[0]}). "
                "Upgrade followup: pip install --upgrade followup-cli"
            )
        if applied:
            backup(conn, path.with_name(f"{path.name}.before-{MIGRATION_NAMES[-1]}.bak"))
        _migrate(conn)
    return conn


def _applied(conn: sqlite3.Connection) -> list[str] | None:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return None
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [row[0] for row in rows]


def _migrate(conn: sqlite3.Connection) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    conn.execute("BEGIN IMMEDIATE")  # one process migrates; a second waits, then sees it done
    try:
        if tuple(_applied(conn) or ()) != MIGRATION_NAMES:
            _migrations().apply(db)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of the database, even while another process writes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    os.chmod(target, 0o600)
    return target


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing. ``BEGIN IMMEDIATE`` so two writers queue instead of deadlocking."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
            raise
        conn.execute("RELEASE nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --- values in and out ---------------------------------------------------------------------


def to_text(moment: datetime | None) -> str | None:
    """Times are stored as UTC ISO-8601 text (sortable, and what --json shows)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_text(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def get_meta(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def update(conn: sqlite3.Connection, table: str, row_id: int, values: dict[str, Any]) -> None:
    if not values:
        return
    columns = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE {table} SET {columns} WHERE id = ?", [*values.values(), row_id])


def insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid
