"""The numbers `stats` reads from each touch (touch_number, next_at, replied_at) stay equal
to a recomputation from scratch after every kind of write: logs (backdated ones landing in
the middle of a history, replies, bounces), undo, rm, forget, a touch import, and the
migration that fills them in on an older database."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_cli import store
from followup_cli.core.errors import InvalidValue
from followup_cli.core.vocab import ANSWERED, CHANNELS, NOT_DELIVERED, OUTCOMES
from followup_cli.pipeline import prospect as prospects
from followup_cli.pipeline.touch import log_touch, renumber_many
from followup_cli.pipeline.undo import undo_latest
from followup_cli.store import journal

DENVER = ZoneInfo("America/Denver")
NONE = (None, None, None)


def recomputed(conn: sqlite3.Connection) -> dict[int, tuple]:
    """The definitions, touch by touch, in plain Python."""
    history: dict[int, list] = {}
    result = {}
    for tid, pid, at, direction, outcome in conn.execute(
        "SELECT id, prospect_id, at, direction, outcome FROM touches ORDER BY at, id"
    ):
        result[tid] = NONE
        # An outbound bounce reached nobody; an inbound out-of-office or bounce is an
        # automatic message, not a reply: both are left out.
        if not (direction == "out" and outcome == "bounced") and not (
            direction == "in" and outcome in NOT_DELIVERED
        ):
            history.setdefault(pid, []).append((tid, at, direction, outcome))
    for touches in history.values():
        run = 0  # outbound touches in a row without a reply
        for index, (tid, at, direction, outcome) in enumerate(touches):
            reply = direction == "in" or outcome in ANSWERED
            following = touches[index + 1] if index + 1 < len(touches) else None
            if direction == "out":
                next_at = following[1] if following else None
                replied_at = at if reply else None
                if not reply and following and following[2] == "in":
                    replied_at = following[1]
                result[tid] = (run + 1, next_at, replied_at)
            run = 0 if reply else run + 1
    return result


def stored(conn: sqlite3.Connection) -> dict[int, tuple]:
    return {
        row[0]: tuple(row[1:])
        for row in conn.execute("SELECT id, touch_number, next_at, replied_at FROM touches")
    }


def check(conn: sqlite3.Connection | None = None) -> dict[int, tuple]:
    own = conn is None
    conn = conn or sqlite3.connect(os.environ["FOLLOWUP_DB"])
    try:
        numbers = stored(conn)
        assert numbers == recomputed(conn)
        return numbers
    finally:
        if own:
            conn.close()


def by_time(numbers: dict[int, tuple]) -> list[tuple]:
    """The numbers of one prospect's touches, oldest first (ids follow the log order)."""
    conn = sqlite3.connect(os.environ["FOLLOWUP_DB"])
    order = [r[0] for r in conn.execute("SELECT id FROM touches ORDER BY at, id")]
    conn.close()
    return [numbers[tid] for tid in order]


def test_logs_backdated_into_the_middle_replies_bounces_and_undo(run, dana):
    def log(channel: str, outcome: str, day: int) -> str:
        run.ok("log", "dana", "-c", channel, "-o", outcome, "--at", f"2026-11-{day}T09:00")
        check()
        return f"2026-11-{day}T16:00:00Z"  # 09:00 in Denver

    log("email", "sent", 10)  # A
    b = log("call", "voicemail", 12)
    r = log("email", "replied", 14)  # came in
    c = log("email", "sent", 16)
    assert by_time(check()) == [(1, b, None), (2, r, r), NONE, (1, None, None)]

    log("email", "bounced", 13)  # left out: B is still the touch that got the reply
    m = log("call", "meeting", 15)  # a reply itself, the 1st touch after R
    d = log("linkedin", "sent", 11)  # between A and B: B becomes the 3rd
    assert by_time(check()) == [
        (1, d, None),  # A
        (2, b, None),  # D
        (3, r, r),  # B
        NONE,  # the bounce
        NONE,  # R
        (1, c, m),  # M
        (1, None, None),  # C, the 1st after M
    ]

    run.ok("undo")  # takes D back out of the middle
    assert by_time(check()) == [(1, b, None), (2, r, r), NONE, NONE, (1, c, m), (1, None, None)]

    run.ok("add", "Sam Stone", "--email", "sam@example.com")
    run.ok("log", "sam", "-c", "email", "-o", "sent", "--at", "2026-11-12T10:00")
    run.ok("log", "sam", "-c", "email", "-o", "sent", "--at", "2026-11-11T10:00")
    check()
    run.ok("rm", "sam", "--yes")
    check()
    run.ok("forget", "dana", "--yes")
    assert check() == {}


def test_an_imported_history_is_numbered_with_what_was_logged(run, dana, tmp_path, monkeypatch):
    from followup_cli.data import import_touches

    run.ok("add", "Sam Stone", "--email", "sam@example.com")
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--at", "2026-11-10T09:00")
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "--at", "2026-11-20T09:00")
    source = tmp_path / "touches.csv"
    source.write_text(
        "email,at,channel,outcome,direction\n"
        "dana@acme.io,2026-11-01T09:00,email,sent,\n"  # before everything logged
        "dana@acme.io,2026-11-12T09:00,email,replied,in\n"  # between the two logged
        "dana@acme.io,2026-11-15T09:00,email,bounced,\n"
        "sam@example.com,2026-11-02T09:00,call,no_answer,\n"
        "sam@example.com,2026-11-03T09:00,call,meeting,\n"
        "sam@example.com,2026-11-04T09:00,email,sent,\n"
    )
    run.ok("import", str(source), "--touches")
    numbers = check()
    conn = sqlite3.connect(os.environ["FOLLOWUP_DB"])
    dana_numbers = [
        numbers[r[0]]
        for r in conn.execute(
            "SELECT t.id FROM touches t JOIN prospects p ON p.id = t.prospect_id "
            "WHERE p.name = 'Dana Reyes' ORDER BY t.at"
        )
    ]
    conn.close()
    assert dana_numbers == [
        (1, "2026-11-10T16:00:00Z", None),
        (2, "2026-11-12T16:00:00Z", "2026-11-12T16:00:00Z"),  # the logged email got the reply
        NONE,
        NONE,
        (1, None, None),  # the logged call, the 1st since the reply
    ]

    # A big load (indexes dropped and rebuilt) numbers the same way.
    monkeypatch.setattr(import_touches, "BIG_LOAD", 2)
    more = tmp_path / "more.csv"
    more.write_text(
        "email,at,channel,outcome\n"
        "sam@example.com,2026-11-05T09:00,email,sent\n"
        "sam@example.com,2026-11-02T12:00,email,sent\n"
        "dana@acme.io,2026-11-11T09:00,linkedin,sent\n"
    )
    run.ok("import", str(more), "--touches")
    check()


def test_the_migration_fills_in_an_older_database(tmp_path):
    import sqlite_utils

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    store._migrations().apply(sqlite_utils.Database(conn), stop_before="_m005_touch_numbers")
    for pid in (1, 2):
        conn.execute(
            "INSERT INTO prospects (id, name, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
            [pid, f"Person {pid}"],
        )
    rows = [
        (1, "2026-10-01T10:00:00Z", "email", "out", "sent", "first"),
        (1, "2026-10-03T10:00:00Z", "call", "out", "no_answer", None),
        (1, "2026-10-03T10:00:00Z", "email", "in", "replied", "same time, logged after"),
        (1, "2026-10-05T10:00:00Z", "email", "out", "bounced", None),
        (1, "2026-10-02T10:00:00Z", "linkedin", "out", "sent", "logged late, in the middle"),
        (1, "2026-10-06T10:00:00Z", "call", "out", "meeting", None),
        (1, "2026-10-07T10:00:00Z", "email", "out", "sent", "case study"),
        (2, "2026-10-01T10:00:00Z", "email", "in", "replied", None),
        (2, "2026-10-02T10:00:00Z", "email", "out", "sent", None),
    ]
    conn.executemany(
        "INSERT INTO touches (prospect_id, at, channel, direction, outcome, note, logged_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'x')",
        rows,
    )
    conn.close()

    conn = store.open_db(path)
    assert "_m005_touch_numbers" in [
        r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")
    ]
    numbers = check(conn)
    assert [numbers[tid] for tid in range(1, 10)] == [
        (1, "2026-10-02T10:00:00Z", None),
        (3, "2026-10-03T10:00:00Z", "2026-10-03T10:00:00Z"),
        NONE,
        NONE,
        (2, "2026-10-03T10:00:00Z", None),
        (1, "2026-10-07T10:00:00Z", "2026-10-06T10:00:00Z"),
        (1, None, None),
        NONE,
        (1, None, None),
    ]
    outbound = "SELECT count(*) FROM touches WHERE touch_number IS NOT NULL"
    assert conn.execute(outbound).fetchone()[0] == 6
    # The live renumbering agrees with the migration's: nothing left to change.
    renumber_many(conn, "SELECT id FROM prospects")
    assert conn.execute("SELECT changes()").fetchone()[0] == 0
    # Renumbering no longer rewrites the search index; editing a note still does.
    conn.execute("UPDATE touches SET note = 'a case study, resent' WHERE id = 7")
    conn.execute("INSERT INTO touches_fts(touches_fts) VALUES ('integrity-check')")
    found = conn.execute("SELECT rowid FROM touches_fts WHERE touches_fts MATCH 'resent'")
    assert [r[0] for r in found] == [7]
    conn.close()


# --- property: whatever is logged and undone, in whatever order of time ---------------------

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("log"),
            st.integers(0, 1),  # which prospect
            st.sampled_from(CHANNELS),
            st.sampled_from(OUTCOMES),
            st.sampled_from(["out", "out", "in"]),
            st.integers(0, 240),  # hours back from now: backdated into the history
        ),
        st.tuples(st.just("undo")),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_logs_and_undos_keep_the_numbers_right(plan):
    with tempfile.TemporaryDirectory() as folder:
        conn = store.open_db(Path(folder) / "p.db")
        with store.transaction(conn):
            people = [
                prospects.insert(conn, name, {}, tags=[], fields={}, now=START).id
                for name in ("Pat Poe", "Quinn Quay")
            ]
        now = START
        for step in plan:
            now += timedelta(hours=3)
            if step[0] == "undo":
                if conn.execute("SELECT count(*) FROM touches").fetchone()[0]:
                    undo_latest(conn, now=now)
            else:
                _, which, channel, outcome, direction, back = step
                at = now - timedelta(hours=back)
                try:
                    with journal.record(conn, "log"):
                        log_touch(
                            conn,
                            prospects.get(conn, people[which]),
                            channel=channel,
                            outcome=outcome,
                            direction=direction,
                            at=at,
                            now=now,
                            user_tz=DENVER,
                        )
                except InvalidValue:
                    continue  # e.g. an outbound touch to someone who opted out: refused
            check(conn)
        conn.close()
