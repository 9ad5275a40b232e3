"""Every query the hot commands run uses an index on `touches`: none reads the whole table.

The commands run as a user types them, on the demo book, with every SQL statement they send
recorded; then SQLite's own planner is asked (EXPLAIN QUERY PLAN) how it runs each one. A
"SCAN touches" (the table, or all of one of its indexes) is a cost that grows with the whole
history, so it fails the test, naming the command and the query.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from followup_cli.data.demo import build_demo

CONNECT = sqlite3.connect
FULL_SCAN = re.compile(r"\bSCAN (touches|t)\b(?!_)")
HOT_COMMANDS = [
    ("today",),
    ("today", "--json"),
    ("today", "--all", "--days", "7"),
    ("show", "dana"),
    ("log", "dana", "--channel", "email", "--outcome", "sent"),
    ("log", "dana", "--channel", "call", "--outcome", "voicemail", "&&", "undo"),
    ("draft", "dana"),
    ("draft", "dana", "--template", "persistence-short"),
    ("search", "budget"),
    ("list",),
    ("list", "--stage", "proposal"),
]


@pytest.fixture
def book(isolated, monkeypatch):
    from followup_cli.core import config

    path = isolated / "demo.db"
    build_demo(path, now=config.now(), user_tz=config.user_timezone()).close()
    monkeypatch.setenv("FOLLOWUP_DB", str(path))
    return path


@pytest.fixture
def statements(monkeypatch):
    """Every statement sent on a connection opened while the test runs."""
    sent: list[str] = []
    connect = sqlite3.connect

    def recording(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(sent.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", recording)
    return sent


def full_scans(db, sql: str) -> list[str]:
    if not re.match(r"\s*(SELECT|WITH|UPDATE|DELETE|INSERT)", sql, re.IGNORECASE):
        return []
    conn = CONNECT(db)  # not recorded
    try:
        plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    except sqlite3.Error:  # a statement on a temporary table of that connection
        return []
    finally:
        conn.close()
    return [row[3] for row in plan if FULL_SCAN.search(row[3])]


@pytest.mark.parametrize("argv", HOT_COMMANDS, ids=" ".join)
def test_hot_commands_never_scan_every_touch(run, book, statements, argv):
    command: list[str] = []
    for word in [*argv, "&&"]:  # `a && b`: both run, both are checked
        if word == "&&":
            run.ok(*command)
            command = []
        else:
            command.append(word)
    assert statements, "no SQL was recorded"
    scans = {sql: found for sql in statements if (found := full_scans(book, sql))}
    assert not scans, f"`followup {' '.join(argv)}` scans touches:\n" + "\n".join(
        f"  {sql.strip()[:300]}\n    -> {plan}" for sql, plan in scans.items()
    )


def test_the_check_sees_a_full_scan(book):
    # The guard itself: a query with no usable index is reported.
    assert full_scans(book, "SELECT count(*) FROM touches WHERE note LIKE '%x%'")
    assert not full_scans(book, "SELECT count(*) FROM touches WHERE prospect_id = 1")
