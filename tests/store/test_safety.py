"""Never losing data, and erasing it on request: backup, restore, the automatic backup
before a migration, damaged files, concurrent writers, and `forget`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from followup_cli import store


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def names(run, **kwargs) -> list[str]:
    return sorted(p["name"] for p in run.json("list", **kwargs))


# --- backup ---------------------------------------------------------------------------------


def test_backup_is_a_whole_private_copy(run, dana, tmp_path):
    run.ok("log", "dana", "-c", "call", "-o", "voicemail")
    target = tmp_path / "followup-2026-11-22.db"
    result = run.ok("backup", str(target))
    assert f"Backed up to {target}. Bring it back with: followup restore {target}" in result.stdout
    assert (count(target, "prospects"), count(target, "touches")) == (1, 1)
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("followup-")) == [
        target.name
    ]


def test_backup_never_overwrites_by_accident(run, dana, isolated, tmp_path):
    target = tmp_path / "b.db"
    run.ok("backup", str(target))
    result = run("backup", str(target))
    assert result.exit_code == 1
    assert f"Error: {target} already exists: pick a new name, or add --force" in result.stderr
    run.ok("add", "Sam Lee")
    run.ok("backup", str(target), "--force")
    assert count(target, "prospects") == 2
    result = run("backup", str(isolated / "followup.db"))
    assert result.exit_code == 1 and "is the database itself" in result.stderr


def test_backup_into_a_folder_gets_a_dated_name(run, dana, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    run.ok("backup", str(folder))
    (made,) = folder.iterdir()
    assert made.name.startswith("followup-") and made.suffix == ".db"


WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('written', '0')")
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO touches (prospect_id, at, channel, outcome, note, logged_at) "
        "VALUES (1, '2026-11-20T10:00:00Z', 'call', 'no_answer', ?, '2026-11-20T10:00:00Z')",
        [f"attempt {n} " + "x" * 2000],
    )
    n += 1
    conn.execute("UPDATE meta SET value = ? WHERE key = 'written'", [str(n)])
    conn.execute("COMMIT")
print(n)
"""


def test_backup_is_consistent_while_another_process_writes(run, dana, isolated, tmp_path):
    db = isolated / "followup.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "1.5"], stdout=subprocess.PIPE, text=True
    )
    copies = []
    time.sleep(0.3)
    while writer.poll() is None and len(copies) < 8:
        copies.append(tmp_path / f"copy{len(copies)}.db")
        run.ok("backup", str(copies[-1]))
    written = int(writer.communicate()[0])
    assert written > 0 and len(copies) >= 2
    seen = []
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        claimed = int(conn.execute("SELECT value FROM meta WHERE key = 'written'").fetchone()[0])
        assert conn.execute("SELECT count(*) FROM touches").fetchone()[0] == claimed
        seen.append(claimed)
        conn.close()
    assert any(0 < n < written for n in seen), "no copy was taken mid-way"


# --- restore --------------------------------------------------------------------------------


def test_restore_brings_a_backup_back_and_keeps_the_current_one_aside(
    run, dana, isolated, tmp_path
):
    backup = tmp_path / "monday.db"
    run.ok("backup", str(backup))
    run.ok("add", "Sam Lee")
    result = run.ok("restore", str(backup), "--yes")
    aside = isolated / "followup.db.before-restore-20261123T150000Z.bak"
    assert (
        f"Restored 1 prospect and 0 touches from {backup}. The previous database is at {aside}."
        in result.stdout.replace("\n", "")
    )
    assert names(run) == ["Dana Reyes"]
    assert count(aside, "prospects") == 2  # the database that was replaced, whole
    assert count(backup, "prospects") == 1  # the backup itself is not changed


def test_restore_asks_first(run, dana, tmp_path):
    run.ok("backup", str(tmp_path / "b.db"))
    result = run("restore", str(tmp_path / "b.db"))
    assert result.exit_code == 2
    assert f"Restoring {tmp_path / 'b.db'} replaces your database: add --yes." in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all" * 50, "is not a followup database (file is not a database)"),
        (None, "is not a followup database"),  # an SQLite database of another program
        (b"", "is not a followup database"),
    ],
)
def test_restore_refuses_what_is_not_a_followup_backup(
    run, dana, isolated, tmp_path, content, message
):
    source = tmp_path / "other.db"
    if content is None:
        other = sqlite3.connect(source)
        other.execute("CREATE TABLE notes (x)")
        other.close()
    else:
        source.write_bytes(content)
    result = run("restore", str(source), "--yes")
    assert result.exit_code == 1
    assert message in result.stderr.replace("\n", "")
    assert "nothing was changed" in result.stderr.replace("\n", "")
    assert names(run) == ["Dana Reyes"]
    assert not list(isolated.glob("*.before-restore-*"))


def test_restore_over_a_damaged_database_moves_it_aside(run, dana, isolated, tmp_path):
    run.ok("backup", str(tmp_path / "good.db"))
    db = isolated / "followup.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"garbage" * 1000)
    assert run("list").exit_code == 1
    run.ok("restore", str(tmp_path / "good.db"), "--yes")
    assert names(run) == ["Dana Reyes"]
    aside = isolated / "followup.db.before-restore-20261123T150000Z.bak"
    assert aside.read_bytes() == b"garbage" * 1000


def old_database(path: Path) -> None:
    """A database with only the first migration applied, and one prospect in it."""
    import sqlite_utils

    conn = sqlite3.connect(path, isolation_level=None)
    store._migrations().apply(sqlite_utils.Database(conn), stop_before=store.MIGRATION_NAMES[1])
    conn.execute(
        "INSERT INTO prospects (name, email, created_at, updated_at) "
        "VALUES ('Old Timer', 'old@x.io', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')"
    )
    conn.close()


def test_a_schema_migration_backs_up_first(run, isolated):
    db = isolated / "followup.db"
    old_database(db)
    assert names(run) == ["Old Timer"]  # migrated on first use, data kept
    backup = isolated / f"followup.db.before-{store.MIGRATION_NAMES[-1]}.bak"
    conn = sqlite3.connect(backup)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert applied == [store.MIGRATION_NAMES[0]]
    assert conn.execute("SELECT name FROM prospects").fetchall() == [("Old Timer",)]
    conn.close()


def test_restoring_a_backup_from_an_older_followup_migrates_it(run, dana, tmp_path):
    old_database(tmp_path / "old.db")
    run.ok("restore", str(tmp_path / "old.db"), "--yes")
    assert names(run) == ["Old Timer"]
    assert run.json("search", "old")[0]["prospect"]["name"] == "Old Timer"


# --- damaged or foreign database files ------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["import", "x.csv"], ["backup", "copy.db"]])
def test_a_corrupt_database_is_a_clear_error_and_never_overwritten(run, tmp_path, command):
    bad = tmp_path / "corrupt.db"
    content = b"SQLite format 3\x00" + os.urandom(4000)
    bad.write_bytes(content)
    result = run("--db", str(bad), *command)
    assert result.exit_code == 1
    assert f"Error: {bad} is not a followup database" in result.stderr.replace("\n", "")
    assert "this one was left untouched" in result.stderr.replace("\n", "")
    assert bad.read_bytes() == content
    assert not (tmp_path / "copy.db").exists()


# --- two writers at once --------------------------------------------------------------------

LOGGER = """
import sys
from followup_cli.cli.app import app
for n in range(50):
    code = app(["log", "dana", "-c", "call", "-o", "no_answer", "-n", f"{sys.argv[1]} {n}"],
               standalone_mode=False)
    if code:
        sys.exit(code)
"""


def test_two_processes_logging_at_once_both_succeed(run, dana, isolated):
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", LOGGER, name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for name in ("first", "second")
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    notes = [t["note"] for t in run.json("show", "dana")["touches"]]
    assert len(notes) == 100
    assert {n.split()[0] for n in notes} == {"first", "second"}


# --- forget ---------------------------------------------------------------------------------

SECRETS = ["Quixotic", "quixotic", "zzyzx-acme", "pineapple", "Flamingo"]


def raw_bytes(db: Path) -> bytes:
    return b"".join(
        Path(f"{db}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-journal")
        if Path(f"{db}{suffix}").exists()
    )


def test_forget_leaves_no_byte_of_them_in_the_file_or_its_log(run, isolated):
    db = isolated / "followup.db"
    run.ok("add", "Sam Lee", "--company", "Globex", "--notes", "kept safe")
    watcher = sqlite3.connect(db)  # another connection keeps the write-ahead log in place
    watcher.execute("SELECT count(*) FROM prospects").fetchone()
    run.ok("add", "Dana Quixotic", "--email", "dana@zzyzx-acme.io", "--company", "Flamingo",
           "--notes", "pineapple budget", "--personal", "Flamingo fan")  # fmt: skip
    for n in range(3):
        run.ok("log", "quixotic", "-c", "call", "-o", "no_answer", "-n", f"pineapple call {n}")
        run.ok("edit", "quixotic", "--notes", f"pineapple budget v{n}")  # old versions pile up
    assert Path(f"{db}-wal").stat().st_size > 0
    assert all(s.encode() in raw_bytes(db) for s in SECRETS)  # the check can see them
    result = run.ok("forget", "quixotic", "--yes")
    assert "Erased #2 Dana Quixotic and 3 touches; no trace is left in the database." in (
        result.stdout
    )
    data = raw_bytes(db)
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    assert b"kept safe" in data and b"Globex" in data
    watcher.close()
    assert names(run) == ["Sam Lee"]
    assert run.json("search", "pineapple") == []
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for table in ("prospects_fts", "touches_fts"):
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    conn.close()


def test_forget_names_what_still_mentions_them(run, tmp_path):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io")
    run.ok("add", "Sam Lee", "--referred-by", "Dana Reyes")
    run.ok("backup", str(tmp_path / "b.db"))
    run.ok("backup", str(tmp_path.parent / f"{tmp_path.name}-unrelated.db"))
    result = run.ok("forget", "dana@acme.io", "--yes")
    out = result.stdout.replace("\n", " ")
    assert "Other records still mention them: #2 Sam Lee." in out
    assert names(run) == ["Sam Lee"]


def test_forget_lists_older_automatic_backups(run, isolated):
    old_database(isolated / "followup.db")
    run.ok("list")  # migrates, backing up first
    result = run.ok("forget", "old timer", "--yes")
    backup = isolated / f"followup.db.before-{store.MIGRATION_NAMES[-1]}.bak"
    assert f"Older backups still hold them: {backup}." in result.stdout.replace("\n", "")


def test_forget_asks_first(run, dana):
    result = run("forget", "dana")
    assert result.exit_code == 2
    assert "Erasing Dana Reyes cannot be undone: add --yes." in result.stderr
    assert names(run) == ["Dana Reyes"]
