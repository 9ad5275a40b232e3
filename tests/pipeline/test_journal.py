"""The operation journal: every command that changes data is undone exactly, by itself,
and only it; `undo --list`, `undo N`; another session's entry is named before it is undone."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

DATA_TABLES = ("prospects", "touches", "value_items", "meta")


def content(db) -> dict:
    """Every row of the data tables (not the journal itself, not caches)."""
    conn = sqlite3.connect(db)
    try:
        found = {}
        for table in DATA_TABLES:
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            if table == "meta":
                rows = [r for r in rows if not r[0].startswith("memo:")]
            found[table] = rows
        found["fts"] = conn.execute(
            "SELECT rowid, name, notes FROM prospects_fts ORDER BY rowid"
        ).fetchall()
        return found
    finally:
        conn.close()


@pytest.fixture
def book(run, dana, tmp_path):
    """Dana with a history, a second prospect, a value item and a sender profile."""
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--at", "2026-11-20T10:00")
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "--at", "2026-11-21T10:00")
    run.ok("add", "Liam Park", "--email", "liam@example.com", "--notes", "met at SaaStr")
    run.ok("value", "add", "Renewal benchmark", "--url", "https://example.com/r", "--tag", "saas")
    run.ok("me", "--name", "Sam Ortiz")
    return tmp_path / "followup.db"


CHANGES = [
    ("log", "dana", "-c", "email", "-o", "won"),
    ("add", "Nora Vale", "--email", "nora@example.com", "--cadence", "post-demo"),
    ("edit", "dana", "--stage", "lost", "--notes", "went with a rival"),
    ("rm", "dana", "--yes"),
    ("enroll", "liam", "post-demo"),
    ("stop", "dana"),
    ("snooze", "dana", "--until", "2026-12-10"),
    ("pause", "dana"),
    ("pause", "--all", "--until", "2026-12-20"),
    ("value", "add", "Case study", "--tag", "fintech"),
    ("value", "edit", "1", "--title", "Renewal report 2026"),
    ("value", "rm", "1", "--yes"),
    ("me", "--company", "Northwind"),
    ("draft", "dana", "--log"),
]


@pytest.mark.parametrize("command", CHANGES, ids=lambda c: " ".join(c[:2]))
def test_each_change_is_undone_exactly_and_alone(run, book, command):
    before = content(book)
    run.ok(*command)
    assert content(book) != before
    result = run.ok("undo")
    assert result.output.startswith(f"Undid #7 {command[0]}"), result.output
    assert content(book) == before
    # only that command: the one before it is still the next to undo
    listed = run.json("undo", "--list")
    assert [e["command"] for e in listed if not e["undone_at"]][0] == "me"


def test_resume_and_import_are_undone_too(run, book, tmp_path):
    run.ok("pause", "dana")
    paused = content(book)
    run.ok("resume", "dana")
    assert run.ok("undo").output.startswith("Undid #8 resume: resume #1 Dana Reyes")
    assert content(book) == paused
    source = tmp_path / "people.csv"
    source.write_text("name,email\nAda One,ada@example.com\nBo Two,bo@example.com\n")
    run.ok("import", str(source))
    assert len(run.json("list")) == 4
    result = run.ok("undo")
    assert "Undid #9 import: imported" in result.output
    assert "(2 added, 0 updated)" in result.output
    assert content(book) == paused


def test_rm_is_recoverable_with_every_touch(run, book):
    before = content(book)
    history = run.json("show", "dana")
    result = run.ok("rm", "dana", "--yes")
    assert "followup undo brings them back" in result.output.replace("`", "")
    assert run("show", "dana").exit_code == 1
    result = run.ok("undo")
    assert "Undid #7 rm: removed #1 Dana Reyes." in result.output
    assert run.json("show", "dana") == history
    assert content(book) == before
    assert len(content(book)["touches"]) == 2


def test_undo_never_reaches_into_old_history(run, book):
    """The bug: after `edit`, undo deleted someone's email from yesterday."""
    touches = content(book)["touches"]
    run.ok("edit", "dana", "--stage", "lost")
    run.ok("rm", "liam", "--yes")
    run.ok("undo")
    run.ok("undo")
    assert content(book)["touches"] == touches


def test_undo_list_and_undo_back_to_an_entry(run, book):
    listed = run.json("undo", "--list")
    assert [e["command"] for e in listed] == ["me", "value add", "add", "log", "log", "add"]
    assert listed[0]["summary"] == "changed your sender profile"
    assert listed[-1]["summary"] == "added #1 Dana Reyes"
    assert set(listed[0]["by"]) == {"pid", "session", "user", "host"}
    text = run.ok("undo", "--list").output
    assert "#6     2026-11-23T15:00:00Z  me         changed your sender profile" in text
    result = run.ok("undo", "3")
    assert [line.split(":")[0] for line in result.output.splitlines() if "Undid" in line] == [
        "Undid #6 me",
        "Undid #5 value add",
        "Undid #4 add",
        "Undid #3 log",
    ]
    assert len(content(book)["touches"]) == 1
    listed = run.json("undo", "--list")
    assert [e["undone_at"] is not None for e in listed] == [True] * 4 + [False] * 2
    again = run("undo", "4")
    assert again.exit_code == 1
    assert "Entry #4 (added #2 Liam Park) was already undone." in again.stderr
    assert "There is no entry #99" in run("undo", "99").stderr


def test_nothing_to_undo_says_so_and_changes_nothing(run, tmp_path):
    run.ok("today")
    db = tmp_path / "followup.db"
    data = db.read_bytes()
    result = run("undo")
    assert result.exit_code == 1
    assert "Nothing to undo: no change has been recorded yet." in result.stderr
    assert db.read_bytes() == data
    assert run.ok("undo", "--list").output.startswith("Nothing recorded yet")


def test_a_failed_command_records_nothing(run, book):
    assert run("log", "dana", "-c", "email", "-o", "sent", "--at", "2030-01-01").exit_code == 1
    assert run("edit", "nobody", "--stage", "lost").exit_code == 1
    assert len(run.json("undo", "--list")) == 6


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "followup_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_another_sessions_entry_is_named_before_it_is_undone(run, book):
    env = {**os.environ, "FOLLOWUP_SESSION": "cron mail sync"}
    other = _cli("log", "liam", "-c", "email", "-o", "sent", env=env)
    assert other.returncode == 0, other.stderr
    before = content(book)
    refused = run("undo")
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert "#7 `log` (email (sent) logged for Liam Park at 2026-11-23T15:00:00Z)" in said
    assert "by another session: process" in said
    assert "cron mail sync" in said
    assert "Undo it anyway with --yes" in said
    assert content(book) == before
    result = run.ok("undo", "--yes")
    assert "Undid #7 log: email (sent) logged for Liam Park" in result.output
    assert "(written by process" in result.output
    # the entries before it are this test's session's: another session is asked again
    mine = _cli("undo", env={**os.environ, "FOLLOWUP_SESSION": "cron mail sync"})
    assert mine.returncode == 2
    assert "another session" in mine.stderr


def test_a_journal_entry_for_a_batch(tmp_path):
    """The API other commands use: one record, one entry, undone at once; nested joins."""
    from datetime import UTC, datetime

    from followup_cli import store
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.pipeline.undo import undo_latest
    from followup_cli.store import journal

    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    conn = store.open_db(tmp_path / "batch.db")
    with journal.record(conn, "sync", "mail sync", now=now) as entry:
        prospects.insert(conn, "Ada One", {}, tags=[], fields={}, now=now)
        with journal.record(conn, "inner") as inner:
            assert inner.id == entry.id
            prospects.insert(conn, "Bo Two", {}, tags=[], fields={}, now=now)
        entry.summary = "mail sync: 2 prospects"
    with journal.record(conn, "noop", now=now):
        pass  # changed nothing: no entry
    [only] = journal.entries(conn)
    assert (only.command, only.summary, only.rows) == ("sync", "mail sync: 2 prospects", 2)
    done = undo_latest(conn, now=now)
    assert [e.id for e in done.entries] == [only.id]
    assert conn.execute("SELECT count(*) FROM prospects").fetchone()[0] == 0
    with pytest.raises(RuntimeError), journal.record(conn, "boom", now=now):
        prospects.insert(conn, "Cy Three", {}, tags=[], fields={}, now=now)
        raise RuntimeError
    assert conn.execute("SELECT count(*) FROM prospects").fetchone()[0] == 0
    assert [e.command for e in journal.entries(conn)] == ["sync"]
    conn.close()


def test_forget_says_it_cannot_be_undone_before_asking(book):
    import pty

    env = {**os.environ, "FOLLOWUP_DB": str(book)}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "followup_cli", "forget", "dana"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while b"for good?" not in seen:
        chunk = os.read(leader, 4096)
        assert chunk, seen
        seen += chunk
    os.write(leader, b"n\n")
    process.wait(timeout=60)
    os.close(leader)
    text = " ".join(seen.decode().split())
    warning = text.index("Erasing cannot be undone: followup undo will not bring Dana Reyes back")
    assert warning < text.index("for good?")
    assert process.returncode == 1
    assert json.loads(_cli("show", "dana", "--json", env=env).stdout)["name"] == "Dana Reyes"


def test_undo_writes_back_only_the_columns_that_changed(run, book):
    """A touch logged renumbers the prospect's touches and changes a few of the prospect's
    columns: undo writes back those columns alone, so the search index (a note, a name)
    and the stats of the rest are not worked again for values already there."""
    from datetime import UTC, datetime

    from followup_cli.pipeline import undo as undoing
    from followup_cli.store.db import open_db

    before = content(book)
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--note", "sent the recap")
    conn = open_db(book)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    undoing.undo_latest(conn, now=datetime(2026, 11, 23, 16, tzinfo=UTC))
    conn.close()
    assert content(book) == before
    updates = [s for s in statements if s.startswith(("UPDATE main.", "INSERT INTO main."))]
    assert updates and all('"note"' not in s and '"name"' not in s for s in updates)
    assert any('UPDATE main."prospects" SET' in s and "last_touch_at" in s for s in updates)
    indexed = [s for s in statements if "prospects_fts" in s]
    assert not indexed  # the prospect's searchable columns did not change
