"""The operation journal: every command that changes data records how to reverse itself,
so `followup undo` takes back exactly the last command, and nothing older.

How a command records its entry (one entry per command, or per batch):

    from followup_cli.store import journal

    with journal.record(conn, "log", f"logged a call with {name}") as entry:
        ...  # every write of the command, through any module
        entry.summary = "logged a call (voicemail) with Dana Reyes"  # may be set late

``record`` is the write transaction (``BEGIN IMMEDIATE``, retried while busy, all or
nothing): use it instead of ``store.transaction`` in a command that changes data. While it
is open, SQLite triggers (temporary, on this connection only) keep the row as it was before
the entry first changed it, for every row of the tracked tables (``TRACKED``) that is
inserted, updated or deleted, whoever writes it. ``undo`` writes those rows back (deletes
the ones the entry inserted). So a command needs no undo code of its own: wrap its writes.

- A batch (mail sync, bulk actions, import) is one ``record``: one entry, undone at once.
  A ``record`` inside another ``record`` joins the outer entry.
- An entry that changed nothing is dropped: `undo` never offers an empty step.
- A table of your own that a command changes: add it with ``track("my_table")`` (at import
  time of your store module), naming its column of prospect ids if it has one, so `forget`
  can erase what the journal keeps about a person.
- Each entry records who wrote it (``origin``: process, session, user, host): `undo` names
  it when it is another session's.
- ``forget`` is never journaled, and drops the entries that hold the person it erases.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from followup_cli.store.db import to_text, transaction

# Tracked table → the column holding the prospect a row belongs to (None: not a person's).
TRACKED: dict[str, str | None] = {
    "prospects": "id",
    "touches": "prospect_id",
    "value_items": None,
    "meta": None,
    # Listed here rather than by store.triggers' ``track``: `today` reads the open triggers,
    # and a read need not import the journal.
    "triggers": "prospect_id",
}
KEEP = 500  # entries kept (undone or not); older ones are pruned when a new one is recorded
_NOT_JOURNALED_META = "memo:%"  # caches, not data


def track(table: str, prospect_column: str | None = None) -> None:
    """Journal the rows of ``table`` too (a table a later migration adds)."""
    TRACKED[table] = prospect_column


@dataclass
class Entry:
    """The entry being recorded: set ``summary`` to say what the command did."""

    id: int
    command: str
    summary: str


@dataclass(frozen=True)
class Recorded:
    """An entry of the journal, as `undo --list` shows it."""

    id: int
    at: str
    command: str
    summary: str
    origin: dict[str, Any]
    undone_at: str | None
    rows: int

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "command": self.command,
            "summary": self.summary,
            "by": self.origin,
            "undone_at": self.undone_at,
            "rows": self.rows,
        }


def session_id() -> str:
    """What tells this user's commands from another process's: ``FOLLOWUP_SESSION`` when
    set, else the terminal, else the parent process (a script, a shell, cron)."""
    given = os.environ.get("FOLLOWUP_SESSION")
    if given:
        return given
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            if os.isatty(fd):
                return os.ttyname(fd)
    return f"ppid {os.getppid()}"


def origin() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "session": session_id(),
        "user": _user(),
        "host": os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME"),
    }


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USERNAME") or os.environ.get("USER") or "?"


# --- recording ------------------------------------------------------------------------------


@contextlib.contextmanager
def record(
    conn: sqlite3.Connection, command: str, summary: str = "", *, now: datetime | None = None
) -> Iterator[Entry]:
    """One write transaction, journaled as one entry (see the module docstring)."""
    current = _capturing(conn)
    if current is not None:  # inside another record: one entry for the whole batch
        row = conn.execute("SELECT command, summary FROM journal WHERE id = ?", [current])
        found = row.fetchone()
        yield Entry(current, found[0], found[1]) if found else Entry(current, command, summary)
        return
    moment = to_text(now or datetime.now().astimezone())
    _install(conn)  # before the write lock: it is held for the writes only
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO journal (at, command, summary, origin) VALUES (?, ?, ?, ?)",
            [moment, command, summary, json.dumps(origin(), sort_keys=True)],
        )
        entry = Entry(int(cursor.lastrowid or 0), command, summary)
        conn.execute("INSERT INTO temp.journal_capture (entry_id) VALUES (?)", [entry.id])
        try:
            yield entry
        finally:
            conn.execute("DELETE FROM temp.journal_capture")
        changed = conn.execute(
            "SELECT 1 FROM journal_rows WHERE entry_id = ? LIMIT 1", [entry.id]
        ).fetchone()
        if not changed:
            conn.execute("DELETE FROM journal WHERE id = ?", [entry.id])
            return
        conn.execute(
            "UPDATE journal SET summary = ?, command = ? WHERE id = ?",
            [entry.summary, entry.command, entry.id],
        )
        conn.execute("DELETE FROM journal WHERE id <= ?", [entry.id - KEEP])


def _capturing(conn: sqlite3.Connection) -> int | None:
    with contextlib.suppress(sqlite3.OperationalError):  # no capture table yet
        row = conn.execute("SELECT entry_id FROM temp.journal_capture LIMIT 1").fetchone()
        return int(row[0]) if row else None
    return None


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, bool]]:
    """(name, is the INTEGER PRIMARY KEY) of each column of ``table``."""
    rows = conn.execute(f'PRAGMA main.table_info("{table}")').fetchall()
    keys = [row[1] for row in rows if row[5]]
    return [
        (row[1], len(keys) == 1 and row[5] == 1 and str(row[2]).upper() == "INTEGER")
        for row in rows
    ]


def _install(conn: sqlite3.Connection) -> None:
    """The temporary capture table and triggers of this connection (made once)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS journal_capture (entry_id INTEGER)")
    for table, person in TRACKED.items():
        columns = _columns(conn, table)
        if not columns:
            continue  # not in this schema (yet)
        image = ", ".join(f"'{name}', old.\"{name}\"" for name, _ in columns)
        for event, ref, before in (
            ("INSERT", "new", "NULL"),
            ("UPDATE", "old", f"json_object({image})"),
            ("DELETE", "old", f"json_object({image})"),
        ):
            who = f'{ref}."{person}"' if person else "NULL"
            when = "EXISTS (SELECT 1 FROM temp.journal_capture)"
            if event != "INSERT":  # the first image is kept: skip building a later one
                when += (
                    " AND NOT EXISTS (SELECT 1 FROM journal_rows WHERE entry_id = "
                    f"(SELECT entry_id FROM temp.journal_capture) AND tbl = '{table}' "
                    f"AND row_id = {ref}.rowid)"
                )
            if table == "meta":
                when += f" AND {ref}.key NOT LIKE '{_NOT_JOURNALED_META}'"
            conn.execute(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "journal_{table}_{event.lower()}" '
                f'AFTER {event} ON main."{table}" WHEN {when} BEGIN '
                "INSERT OR IGNORE INTO journal_rows "
                "(entry_id, tbl, row_id, prospect_id, before) "
                f"SELECT entry_id, '{table}', {ref}.rowid, {who}, {before} "
                "FROM temp.journal_capture; END"
            )


@contextlib.contextmanager
def bulk_insert(conn: sqlite3.Connection, table: str) -> Iterator[list[int]]:
    """Rows added to ``table`` inside this block, with rowids above its highest one (a bulk
    load) or listed in the list it yields, are journaled at the end in one statement instead
    of one trigger run each: what the insert trigger would have recorded, for a million
    touches at once. A row of them also updated inside the block is still one the entry
    added (its update image is replaced), so undo deletes it."""
    current = _capturing(conn)
    added: list[int] = []
    if current is None or table not in TRACKED:
        yield added
        return
    after = conn.execute(f'SELECT coalesce(max(rowid), 0) FROM main."{table}"').fetchone()[0]
    conn.execute(f'DROP TRIGGER IF EXISTS temp."journal_{table}_insert"')
    try:
        yield added
        person = TRACKED[table]
        who = f'"{person}"' if person else "NULL"
        record = (
            "INSERT OR REPLACE INTO journal_rows (entry_id, tbl, row_id, prospect_id, before) "
            f'SELECT ?, ?, rowid, {who}, NULL FROM main."{table}" WHERE '
        )
        conn.execute(record + "rowid > ?", [current, table, after])
        for offset in range(0, len(added), 500):
            chunk = added[offset : offset + 500]
            marks = ", ".join("?" for _ in chunk)
            conn.execute(record + f"rowid IN ({marks})", [current, table, *chunk])
    finally:
        _install(conn)  # the trigger again, for the rest of the transaction


@contextlib.contextmanager
def bulk_update(conn: sqlite3.Connection, table: str, where: str) -> Iterator[None]:
    """Journal the rows of ``table`` that the SQL condition ``where`` selects, as they are
    now, in one statement; inside the block, which may update only those rows, the update
    trigger is set aside (each row it would keep is kept already). A hundred thousand
    prospects recomputed after an import: 4 s instead of 18."""
    current = _capturing(conn)
    if current is None or table not in TRACKED:
        yield
        return
    image = ", ".join(f"'{name}', \"{name}\"" for name, _ in _columns(conn, table))
    person = TRACKED[table]
    who = f'"{person}"' if person else "NULL"
    conn.execute(
        "INSERT OR IGNORE INTO journal_rows (entry_id, tbl, row_id, prospect_id, before) "
        f'SELECT ?, ?, rowid, {who}, json_object({image}) FROM main."{table}" WHERE {where}',
        [current, table],
    )
    conn.execute(f'DROP TRIGGER IF EXISTS temp."journal_{table}_update"')
    try:
        yield
    finally:
        _install(conn)


# --- reading and reversing ------------------------------------------------------------------

_SELECT = (
    "SELECT j.id, j.at, j.command, j.summary, j.origin, j.undone_at, "
    "(SELECT count(*) FROM journal_rows r WHERE r.entry_id = j.id) FROM journal j"
)


def _entry(row: Any) -> Recorded:
    return Recorded(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])


def entries(conn: sqlite3.Connection, limit: int = 20) -> list[Recorded]:
    """The newest entries first, the undone ones included (marked)."""
    rows = conn.execute(f"{_SELECT} ORDER BY j.id DESC LIMIT ?", [limit]).fetchall()
    return [_entry(row) for row in rows]


def entry(conn: sqlite3.Connection, entry_id: int) -> Recorded | None:
    row = conn.execute(f"{_SELECT} WHERE j.id = ?", [entry_id]).fetchone()
    return _entry(row) if row else None


def pending_from(conn: sqlite3.Connection, entry_id: int | None) -> list[Recorded]:
    """The entries not undone yet, newest first: all of those from ``entry_id`` on, or
    the latest one (``entry_id`` None)."""
    if entry_id is None:
        sql = f"{_SELECT} WHERE j.undone_at IS NULL ORDER BY j.id DESC LIMIT 1"
        rows = conn.execute(sql).fetchall()
    else:
        sql = f"{_SELECT} WHERE j.undone_at IS NULL AND j.id >= ? ORDER BY j.id DESC"
        rows = conn.execute(sql, [entry_id]).fetchall()
    return [_entry(row) for row in rows]


def reverse(conn: sqlite3.Connection, entry_id: int, *, now: datetime) -> list[int]:
    """Put back every row the entry changed, in the caller's transaction; the entry is
    marked undone and its copies of the rows are dropped. Returns the prospect ids touched."""
    rows = conn.execute(
        "SELECT tbl, row_id, before FROM journal_rows WHERE entry_id = ?", [entry_id]
    ).fetchall()
    order = list(TRACKED)
    inserted = [row for row in rows if row[2] is None]
    restored = [row for row in rows if row[2] is not None]
    # Children before parents when deleting, parents before children when restoring.
    for table, row_id, _ in sorted(inserted, key=lambda r: -_rank(order, r[0])):
        conn.execute(f'DELETE FROM main."{table}" WHERE rowid = ?', [row_id])
    for table, row_id, before in sorted(restored, key=lambda r: _rank(order, r[0])):
        _put_back(conn, table, row_id, json.loads(before))
    people = conn.execute(
        "SELECT DISTINCT prospect_id FROM journal_rows "
        "WHERE entry_id = ? AND prospect_id IS NOT NULL",
        [entry_id],
    ).fetchall()
    conn.execute("DELETE FROM journal_rows WHERE entry_id = ?", [entry_id])
    conn.execute("UPDATE journal SET undone_at = ? WHERE id = ?", [to_text(now), entry_id])
    return [row[0] for row in people]


def _rank(order: list[str], table: str) -> int:
    return order.index(table) if table in order else len(order)


def _put_back(conn: sqlite3.Connection, table: str, row_id: int, image: dict[str, Any]) -> None:
    """The row as ``image`` has it. Only the columns that differ now are written back, so
    the triggers of the others (a note's search index, a touch's stats) do not run again
    for a value that is already there; a row that is gone is inserted again."""
    cursor = conn.execute(f'SELECT * FROM main."{table}" WHERE rowid = ?', [row_id])
    now = cursor.fetchone()
    if now is not None:
        there = dict(zip([column[0] for column in cursor.description], now, strict=True))
        changed = {
            name: value
            for name, value in image.items()
            if name not in there or type(there[name]) is not type(value) or there[name] != value
        }
        if changed:
            sets = ", ".join(f'"{name}" = ?' for name in changed)
            conn.execute(
                f'UPDATE main."{table}" SET {sets} WHERE rowid = ?', [*changed.values(), row_id]
            )
        return
    names = list(image)
    has_key = any(alias for _, alias in _columns(conn, table))
    columns = [f'"{name}"' for name in names] + ([] if has_key else ["rowid"])
    values = [*image.values()] + ([] if has_key else [row_id])
    marks = ", ".join("?" for _ in values)
    conn.execute(f'INSERT INTO main."{table}" ({", ".join(columns)}) VALUES ({marks})', values)


def forget_prospect(conn: sqlite3.Connection, prospect_id: int, names: list[str]) -> int:
    """Drop every entry that holds a row of this prospect or names them (for `forget`):
    those entries can no longer be undone. Returns how many were dropped."""
    likes = " OR ".join("summary LIKE ?" for _ in names) or "0"
    return conn.execute(
        "DELETE FROM journal WHERE id IN "
        f"(SELECT entry_id FROM journal_rows WHERE prospect_id = ?) OR {likes}",
        [prospect_id, *(f"%{name}%" for name in names)],
    ).rowcount
