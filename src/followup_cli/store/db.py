"""Opening the database, transactions, and the few generic reads and writes everything uses.

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
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup_cli.core.errors import DatabaseError
from followup_cli.store import memo, write_queue
from followup_cli.store.migrations import MIGRATION_NAMES, MIGRATION_SET, _migrations

BUSY_TIMEOUT_MS = 10_000  # SQLite's own wait on a lock, for each try
WRITE_PATIENCE_S = 300.0  # how long a writer waits in all before it gives up (see begin_write)


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
    readonly = not fresh and not _writable(path)
    try:
        conn = _connect(path, readonly)
        applied = _applied(conn)
        if applied is None:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
            if tables.fetchone()[0]:
                conn.close()
                raise DatabaseError(
                    f"{path} is an SQLite database of another program, not a followup database. "
                    "Point --db or FOLLOWUP_DB at another file; this one was left untouched."
                )
        # Only now that it is ours (or new): WAL, so readers never wait for writers. WAL is
        # refused on some file systems; the default journal still works there.
        if not readonly and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as error:
        if _disk_full(path):
            raise DatabaseError(
                f"The disk holding {path} is full: nothing was changed. Free some space and "
                "try again."
            ) from None
        raise DatabaseError(
            f"{path} is not a followup database ({error}). "
            "Point --db or FOLLOWUP_DB at another file; this one was left untouched."
        ) from None
    if readonly and tuple(applied or ()) != MIGRATION_NAMES:
        conn.close()
        raise DatabaseError(
            f"{path} is read-only and needs an upgrade to this followup's schema: open it once "
            "where it can be written (copy it), or use the followup that wrote it."
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


def _disk_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """Whether the file and its folder (where SQLite puts its -wal and -shm files) can be
    written: not on a read-only disk, not a read-only file."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection with our settings; a read-only one is a ``ReadOnly``."""
    if readonly:
        from urllib.parse import quote

        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, factory=ReadOnly)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL database on a read-only disk: no -shm can be made, and nobody can be
            # writing it, so read it as an immutable file.
            conn.close()
            conn = sqlite3.connect(
                f"{uri}&immutable=1", uri=True, isolation_level=None, factory=ReadOnly
            )
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class ReadOnly(sqlite3.Connection):
    """A connection to a database that cannot be written (SQLite refuses every write)."""


def is_readonly(conn: sqlite3.Connection) -> bool:
    return isinstance(conn, ReadOnly)


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
    begin_write(conn)  # one process migrates; a second waits, then sees it done
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
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))  # owner-only from the start
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
            if conn.in_transaction:
                conn.execute("ROLLBACK TO nested")
                conn.execute("RELEASE nested")
            raise
        conn.execute("RELEASE nested")
        return
    with write_queue.turn(conn, WRITE_PATIENCE_S):  # writers take turns (see write_queue)
        begin_write(conn)
        try:
            yield conn
            memo.flush(conn)
        except BaseException:
            if conn.in_transaction:  # SQLite already rolled back on a full disk
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def begin_write(conn: sqlite3.Connection, patience: float | None = None) -> None:
    """``BEGIN IMMEDIATE``, waiting while another process writes: SQLite's own busy wait,
    then again with a jittered, growing pause, up to ``WRITE_PATIENCE_S`` in all. Writers
    hold the lock for milliseconds, so only a stuck process makes this give up."""
    import time

    deadline = time.monotonic() + (WRITE_PATIENCE_S if patience is None else patience)
    pause = 0.005
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseError(
                    f"The database stayed locked by another process for "
                    f"{WRITE_PATIENCE_S if patience is None else patience:.0f} s: nothing was "
                    "changed. Find the followup (or other program) holding it, then try again."
                ) from None
        import random  # only when busy

        time.sleep(random.uniform(pause / 2, pause))
        pause = min(pause * 2, 0.25)


def is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error)
    return "locked" in text or "busy" in text


# --- values in and out ---------------------------------------------------------------------


def to_text(moment: datetime | None) -> str | None:
    """Times are stored as UTC ISO-8601 text (sortable, and what --json shows)."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y does not pad the year to four digits
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return utc.isoformat()[:19] + "Z"  # the same text (seconds cut, not rounded), faster


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
