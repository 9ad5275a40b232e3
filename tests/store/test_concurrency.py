"""Under load every writer gets through: real processes logging at once on one database,
a reader running beside them, nobody refused; and a plan that went stale is redone."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

WORKERS, EACH = 8, 10

# A writer process: runs each `followup log` of argv[1] through the real command line, in
# turn, and prints the exit status and stderr of each as JSON.
WRITER = """
import contextlib, io, json, sys
from followup_cli.cli.app import app, load_commands
load_commands(["log"])
done = []
for job in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = app(job, standalone_mode=False) or 0
        except SystemExit as stop:
            code = stop.code or 0
    done.append([code, err.getvalue()])
print(json.dumps(done))
"""


def test_many_writers_at_once_are_all_stored_and_readers_never_fail(run, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("name,email\nAda One,ada@example.com\nBo Two,bo@example.com\n")
    run.ok("import", str(people), "--cadence", "steli-persistence")
    env = {**os.environ}
    env.pop("FOLLOWUP_NOW")  # each touch at its own real time
    results: list[list] = []
    reads: list[tuple[int, str]] = []
    writing = threading.Event()
    writing.set()

    def writer(number: int) -> None:
        who = ("ada", "bo")[number % 2]  # four writers per prospect: plans go stale
        jobs = [
            ["log", who, "-c", "call", "-o", "sent", "-n", f"w{number}t{t}"] for t in range(EACH)
        ]
        done = subprocess.run(
            [sys.executable, "-c", WRITER, json.dumps(jobs)],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr
        results.extend(json.loads(done.stdout.splitlines()[-1]))

    def reader() -> None:
        while writing.is_set():
            for command in (["today", "--all"], ["search", "w1t"], ["stats"]):
                done = subprocess.run(
                    [sys.executable, "-m", "followup_cli", *command],
                    env=env,
                    capture_output=True,
                    text=True,
                    stdin=subprocess.DEVNULL,
                )
                reads.append((done.returncode, done.stderr))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WORKERS)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writing.clear()
    watcher.join()

    refused = [err for code, err in results if code]
    assert refused == []
    assert len(results) == WORKERS * EACH
    assert reads and all(code == 0 for code, _ in reads), reads
    conn = sqlite3.connect(tmp_path / "followup.db")
    notes = {row[0] for row in conn.execute("SELECT note FROM touches")}
    assert notes == {f"w{n}t{t}" for n in range(WORKERS) for t in range(EACH)}
    # every touch is numbered in its prospect's history as if they came one at a time
    for pid in (1, 2):
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT touch_number FROM touches WHERE prospect_id = ? ORDER BY at, id", [pid]
            )
        ]
        assert numbers == list(range(1, len(numbers) + 1))
    entries = conn.execute("SELECT count(*) FROM journal WHERE command = 'log'").fetchone()[0]
    assert entries == WORKERS * EACH
    conn.close()


def test_a_stale_plan_is_redone_under_the_lock(tmp_path):
    """Planned from an old row, written after another touch: planned again, right."""
    from followup_cli import store
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.pipeline.touch import (
        StaleProspect,
        log_touch,
        plan_touch,
        record_touch,
        write_touch,
    )
    from followup_cli.scheduling import enrollment

    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    conn = store.open_db(tmp_path / "stale.db")
    with store.transaction(conn):
        p = prospects.insert(conn, "Pat Poe", {}, tags=[], fields={}, now=now)
        enrollment.enroll(conn, p, "steli-persistence", start=now - timedelta(days=3), user_tz=UTC)
    old = prospects.get(conn, p.id)
    details = dict(channel="email", outcome="sent", now=now, user_tz=UTC)
    record_touch(conn, lambda: prospects.get(conn, p.id), at=now - timedelta(hours=2), **details)
    stale = plan_touch(old, at=now - timedelta(hours=1), **details)
    with pytest.raises(StaleProspect), store.transaction(conn):
        write_touch(conn, stale)
    with pytest.raises(StaleProspect), store.transaction(conn):
        log_touch(conn, old, at=now - timedelta(hours=1), **details)  # it checks unless told
    assert conn.execute("SELECT count(*) FROM touches").fetchone()[0] == 1
    logged = record_touch(conn, lambda: old, at=now - timedelta(hours=1), **details)
    # the second touch was planned again from the stored row: it did the next step
    assert logged.prospect.steps_done == 2
    assert [r[0] for r in conn.execute("SELECT step FROM touches ORDER BY id")] == [1, 2]
    conn.close()


def test_a_writer_waits_for_a_long_write_lock_instead_of_failing(run, dana, tmp_path):
    """Another process holds the write lock longer than SQLite's own wait: `log` waits."""
    from followup_cli import store

    db = Path(tmp_path / "followup.db")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(3)\n"
            "c.execute('COMMIT')",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    old, store.db.BUSY_TIMEOUT_MS = store.db.BUSY_TIMEOUT_MS, 500
    try:
        conn = store.open_db(db)
        conn.execute("PRAGMA busy_timeout = 500")
        with store.transaction(conn):
            conn.execute("UPDATE meta SET value = value WHERE 0")
        conn.close()
    finally:
        store.db.BUSY_TIMEOUT_MS = old
    holder.wait(timeout=30)
    assert run.ok("log", "dana", "-c", "email", "-o", "sent")
