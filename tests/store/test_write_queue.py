"""Writers take turns first come, first served (real processes on a real lock file): none
is overtaken, and one that dies in the queue or holding the lock lets the next one go."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

# A writer: takes its turn on the database argv[1], appends its name (argv[2]) to the file
# argv[3] once it has it, then holds it until a line arrives on stdin (argv[4] == "hold").
WRITER = """
import os, sqlite3, sys
from followup_cli.store import write_queue
conn = sqlite3.connect(sys.argv[1])
with write_queue.turn(conn, 60) as held:
    with open(sys.argv[3], "a") as order:
        order.write(f"{sys.argv[2]} {held}\\n")
    if sys.argv[4] == "hold":
        sys.stdin.readline()
"""


def _writer(db: Path, name: str, order: Path, hold: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, str(order), "hold" if hold else "go"],
        stdin=subprocess.PIPE,
        text=True,
    )


def _tickets(db: Path) -> int:
    lock = Path(f"{db}.lock")
    raw = lock.read_bytes()[:8] if lock.exists() else b""
    return int.from_bytes(raw, "little") if len(raw) == 8 else 0


def _queued(db: Path, count: int) -> None:
    """Wait until ``count`` tickets were taken."""
    deadline = time.monotonic() + 30
    while _tickets(db) < count:
        assert time.monotonic() < deadline, f"only {_tickets(db)} of {count} writers queued"
        time.sleep(0.01)


def _lines(order: Path, count: int) -> list[str]:
    deadline = time.monotonic() + 30
    while True:
        lines = order.read_text().splitlines() if order.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.01)


def test_writers_get_the_lock_in_the_order_they_asked(tmp_path):
    db, order = tmp_path / "f.db", tmp_path / "order.txt"
    sqlite3.connect(db).close()
    first = _writer(db, "w0", order, hold=True)
    _queued(db, 1)
    assert _lines(order, 1) == ["w0 True"]
    waiting = []
    for n in range(1, 7):  # each asks only once the one before it is in the queue
        waiting.append(_writer(db, f"w{n}", order))
        _queued(db, n + 1)
    time.sleep(0.2)
    assert _lines(order, 1) == ["w0 True"]  # nobody got past the holder
    first.communicate("go\n", timeout=30)
    for writer in waiting:
        assert writer.wait(timeout=30) == 0
    assert _lines(order, 7) == [f"w{n} True" for n in range(7)]


def test_a_writer_that_dies_lets_the_next_in_line_go(tmp_path):
    db, order = tmp_path / "f.db", tmp_path / "order.txt"
    sqlite3.connect(db).close()
    first = _writer(db, "holder", order, hold=True)
    _queued(db, 1)
    doomed = _writer(db, "doomed", order, hold=True)  # will hold, once it has the lock
    _queued(db, 2)
    last = _writer(db, "last", order)
    _queued(db, 3)
    doomed.kill()  # dies while queued: its place is freed
    doomed.wait(timeout=30)
    first.kill()  # dies holding the lock: the kernel releases it
    first.wait(timeout=30)
    assert last.wait(timeout=30) == 0
    assert _lines(order, 2) == ["holder True", "last True"]


def test_a_full_write_still_goes_through_the_queue(run, dana, tmp_path):
    """Every `followup log` takes a ticket: the queue is really in the write path."""
    db = tmp_path / "followup.db"
    before = _tickets(db)
    run.ok("log", "dana", "-c", "email", "-o", "sent")
    assert _tickets(db) == before + 1
