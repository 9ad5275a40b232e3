"""Never losing the data, and erasing it when a person asks.

``backup`` copies the database with SQLite's online backup API: a consistent snapshot even
while another followup writes. ``restore`` brings a backup back, after putting the current
file aside. ``forget`` erases a prospect, their touches and every trace of them: the rows
are deleted with ``secure_delete`` on (freed space is zeroed), the full-text indexes are
rebuilt, the file is vacuumed (no stale copy left in a page) and the write-ahead log is
truncated, so no byte of their name, email or notes stays in the database file or its WAL.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from followup_cli import store
from followup_cli.core import safe_files
from followup_cli.core.errors import FollowupError
from followup_cli.store import journal


class SafetyError(FollowupError):
    pass


@dataclass(frozen=True)
class Restored:
    source: Path
    aside: Path | None  # where the database that was replaced now is
    prospects: int
    touches: int


@dataclass(frozen=True)
class Forgotten:
    prospect_id: int
    name: str
    touches: int
    backups: list[Path] = field(default_factory=list)  # older copies that still hold them
    mentions: list[str] = field(default_factory=list)  # other records naming them
    wal_busy: bool = False  # another process kept the write-ahead log from being emptied


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def backup(conn: sqlite3.Connection, db_path: Path, target: Path, *, force: bool = False) -> Path:
    """A consistent copy of the open database at ``target`` (a folder gets a dated name;
    ``-`` is standard output; a symlink is written through; a device is written into)."""
    if safe_files.is_stdout(target):
        _through_scratch(conn, Path(safe_files.STDOUT))
        return Path(safe_files.STDOUT)
    target = Path(target).expanduser()
    if target.is_dir():
        target = target / f"followup-{datetime.now().strftime('%Y-%m-%dT%H%M%S')}.db"
    real = safe_files.target_of(target)
    if _same(real, db_path):
        raise SafetyError(f"{target} is the database itself: back it up to another file.")
    if os.path.lexists(target) and not force:
        raise SafetyError(
            f"{target} already exists: pick a new name, or add --force to replace it."
        )
    if not target.parent.is_dir():
        raise SafetyError(f"The folder {target.parent} does not exist: create it, or pick another.")
    safe_files.check(target, example="followup-backup.db")
    if real.exists() and not real.is_file():  # /dev/null, a FIFO: written into, never replaced
        _through_scratch(conn, real)
        return target
    temp = real.with_name(f".{real.name}.partial")
    for leftover in (temp, Path(f"{temp}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        store.backup(conn, temp)
        _check(temp, "The copy")
        for suffix in ("-wal", "-shm"):  # a stale log beside the target would be replayed on it
            Path(f"{real}{suffix}").unlink(missing_ok=True)
        os.replace(temp, real)
    except (OSError, sqlite3.OperationalError) as error:
        temp.unlink(missing_ok=True)
        raise SafetyError(_why(error, target)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def _through_scratch(conn: sqlite3.Connection, out: Path) -> None:
    """Back up into a private scratch file, then copy its bytes into ``out``."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="followup-backup-"))
    try:
        scratch = folder / "copy.db"
        store.backup(conn, scratch)
        _check(scratch, "The copy")
        safe_files.copy_into(scratch, out)
    except (OSError, sqlite3.OperationalError) as error:
        raise SafetyError(_why(error, out)) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _why(error: Exception, target: Path) -> str:
    if isinstance(error, OSError):
        return safe_files.say(error, target)
    if "full" in str(error):
        return f"The disk is full: {target} was not written. Free some space, or write elsewhere."
    return f"Cannot write {target}: {error}."


def _readonly(path: Path) -> sqlite3.Connection:
    """Open a database file without changing it (no -wal or -shm left behind), unless it
    has a write-ahead log of its own, whose changes must be read too."""
    wal = Path(f"{path}-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?{flags}", uri=True)


def _check(path: Path, what: str) -> tuple[int, int]:
    """``path`` is a whole followup database this version can open: (prospects, touches)."""
    try:
        conn = _readonly(path)
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                    [store.MIGRATION_SET],
                )
            ]
            counts = (
                conn.execute("SELECT count(*) FROM prospects").fetchone()[0],
                conn.execute("SELECT count(*) FROM touches").fetchone()[0],
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise SafetyError(
            f"{what} {path} is not a followup database ({error}); nothing was changed."
        ) from None
    if verdict != "ok":
        raise SafetyError(f"{what} {path} is damaged ({verdict}); nothing was changed.")
    newer = set(names) - set(store.MIGRATION_NAMES)
    if newer or not names:
        why = "comes from a newer followup" if newer else "is not a followup database"
        raise SafetyError(f"{what} {path} {why}; nothing was changed.")
    return counts


def check_backup(source: Path, db_path: Path) -> tuple[int, int]:
    """Validate a file before it replaces the database: (prospects, touches) in it."""
    source = Path(source).expanduser()
    if not source.is_file():
        raise SafetyError(f"{source} does not exist: give the path of a backup file.")
    if _same(source, db_path):
        raise SafetyError(f"{source} is the database itself: give the path of a backup.")
    return _check(source, "The backup")


def restore(db_path: Path, source: Path, *, now: datetime) -> Restored:
    """Replace the database with ``source``; the current one is kept aside, whole."""
    source = Path(source).expanduser()
    prospects, touches = check_backup(source, db_path)
    aside = None
    current = None
    if db_path.exists():
        aside = db_path.with_name(f"{db_path.name}.before-restore-{_stamp(now)}.bak")
        try:
            current = store.open_db(db_path)
        except FollowupError:
            current = None  # damaged or foreign: moved aside as it is, never overwritten
        if current is not None:
            store.backup(current, aside)
        else:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{db_path}{suffix}", f"{aside}{suffix}")
    if current is None:
        current = sqlite3.connect(db_path)
        os.chmod(db_path, 0o600)
    reader = _readonly(source)
    try:
        reader.backup(current)  # page by page, in one transaction: other readers see old or new
    finally:
        reader.close()
        current.close()
    store.open_db(db_path).close()  # migrate a backup from an older followup (backed up first)
    return Restored(source, aside, prospects, touches)


def forget(
    conn: sqlite3.Connection,
    db_path: Path,
    prospect_id: int,
    *,
    name: str,
    traces: Iterable[str | None],
) -> Forgotten:
    """Erase the prospect ``prospect_id`` (called ``name``) and every trace of them from the
    database file and its log. ``traces``, what identifies them (their name, email; empty
    ones are skipped), is looked for in other records afterwards."""
    traces = [t for t in traces if t]
    copies = known_backups(db_path)
    conn.execute("PRAGMA secure_delete = ON")
    with store.transaction(conn):
        touches = conn.execute("DELETE FROM touches WHERE prospect_id = ?", [prospect_id]).rowcount
        conn.execute("DELETE FROM prospects WHERE id = ?", [prospect_id])
        journal.forget_prospect(conn, prospect_id, [name, *traces])
        for table in ("prospects_fts", "touches_fts"):
            # merge every segment into one: the deleted rows' terms are dropped, not just masked
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    conn.execute("VACUUM")  # rewrites every page: no stale copy left in free space
    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return Forgotten(
        prospect_id,
        name,
        touches,
        backups=_backups_of(db_path, name, traces, copies),
        mentions=_mentions(conn, traces),
        wal_busy=bool(busy),
    )


def _backup_list(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.backups")


def known_backups(db_path: Path) -> list[str]:
    """Where `followup backup` wrote copies of this database (newest last)."""
    import json

    try:
        found = json.loads(_backup_list(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(p) for p in found] if isinstance(found, list) else []


def remember_backup(db_path: Path, target: Path) -> None:
    """Note where a copy was written, for `forget`: in ``followup.db.backups`` beside the
    database (not in it, so a backup stays a pure reader). Skipped where it cannot be written."""
    import json

    where = str(Path(target).resolve())
    known = [p for p in known_backups(db_path) if p != where]
    with contextlib.suppress(safe_files.FileNotWritten):
        safe_files.write_text(_backup_list(db_path), json.dumps([*known, where][-100:]))


def _backups_of(db_path: Path, name: str, traces: list[str], known: list[str]) -> list[Path]:
    """The older copies that really hold the person: the automatic ones beside the
    database and those `followup backup` wrote, each opened read-only and searched."""
    found = {p.resolve() for p in db_path.parent.glob(f"{db_path.name}.*.bak") if p.is_file()}
    found |= {Path(p) for p in known if Path(p).is_file()}
    return sorted(p for p in found if _holds(p, [name, *traces]))


def _holds(path: Path, traces: list[str]) -> bool:
    try:
        copy = _readonly(path)
        try:
            marks = ", ".join("?" for _ in traces)
            return bool(
                copy.execute(
                    f"SELECT 1 FROM prospects WHERE name IN ({marks}) OR email IN ({marks}) "
                    "LIMIT 1",
                    [*traces, *traces],
                ).fetchone()
            )
        finally:
            copy.close()
    except (sqlite3.DatabaseError, OSError):
        return False


def _mentions(conn: sqlite3.Connection, texts: list[str]) -> list[str]:
    """Other people's records that still name them (a referral, a note): for the user to
    decide, never erased behind their back."""
    found = []
    for text in texts:
        like = f"%{text}%"
        for row in conn.execute(
            "SELECT id, name FROM prospects WHERE referred_by LIKE ? OR notes LIKE ? "
            "OR key_points LIKE ? OR decision_makers LIKE ? OR personal LIKE ? "
            "OR fields LIKE ? LIMIT 5",
            [like] * 6,
        ):
            found.append(f"#{row[0]} {row[1]}")
        for row in conn.execute(
            "SELECT t.id, p.name FROM touches t JOIN prospects p ON p.id = t.prospect_id "
            "WHERE t.note LIKE ? LIMIT 5",
            [like],
        ):
            found.append(f"touch #{row[0]} with {row[1]}")
    return sorted(set(found))
