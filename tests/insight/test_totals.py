"""The running totals behind `stats` and `review` (store/aggregates.py) stay what the
from-scratch passes count, after every kind of write: logs of every outcome (backdated into
the middle of a history too), edits of a timezone, undo, rm and its undo, a touch import,
forget, and the migration that builds them on an older database (``totals_agree``, in
conftest, checks the stored totals, the dashboard and the review)."""

from __future__ import annotations

import sqlite3

import pytest

LOGS = (
    ("dana", "email", "sent", "2026-09-02T09:00"),
    ("dana", "call", "voicemail", "2026-09-05T09:00"),
    ("dana", "email", "replied", "2026-09-06T15:00"),
    ("dana", "call", "meeting", "2026-09-20T10:00"),
    ("sam", "email", "sent", "2026-10-01T16:00"),
    ("sam", "linkedin", "no_answer", "2026-10-03T09:30"),
    ("sam", "email", "bounced", "2026-10-04T09:30"),
    ("sam", "email", "out_of_office", "2026-10-06T08:00"),
    ("priya", "email", "sent", "2026-11-18T09:00"),
    ("priya", "call", "won", "2026-11-20T11:00"),
    ("kenji", "email", "sent", "2026-08-20T09:00"),
    ("kenji", "email", "sent", "2026-08-27T09:00"),
    ("kenji", "call", "lost", "2026-11-22T17:00"),
    ("dana", "email", "sent", "2026-11-21T09:00"),
)


@pytest.fixture
def book(run):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--cadence", "post-proposal",
           "--value", "24000", "--tz", "Europe/Berlin")  # fmt: skip
    run.ok("add", "Sam Lee", "--email", "sam@globex.io", "--cadence", "thirty-day")
    run.ok("add", "Priya Patel", "--cadence", "proposal-check-ins", "--value", "9000",
           "--tz", "Asia/Kolkata")  # fmt: skip
    run.ok("add", "Kenji Sato", "--cadence", "stage-cold", "--value", "5000")
    return run


def log(run, who, channel, outcome, at, *more):
    extra = ["--until", "2027-02-01"] if outcome == "not_now" else []
    run.ok("log", who, "-c", channel, "-o", outcome, "--at", at, *extra, *more)


def test_every_log_keeps_the_totals_right(book, totals_agree):
    assert totals_agree()["response_rate"]["sent"] == 0
    for who, channel, outcome, at in LOGS:
        log(book, who, channel, outcome, at)
        totals_agree()
    # backdated into the middle of a history: the touch numbers after it move
    log(book, "dana", "linkedin", "sent", "2026-09-04T12:00")
    log(book, "sam", "email", "replied", "2026-10-02T12:00", "--direction", "in")
    log(book, "kenji", "email", "not_now", "2026-09-01T10:00")
    found = totals_agree()
    assert found["response_rate"]["sent"] >= 10 and found["give_up_curve"]
    assert any(row["prospects"] for row in found["give_up_curve"])


def test_edit_undo_rm_and_forget_keep_the_totals_right(book, totals_agree):
    for who, channel, outcome, at in LOGS:
        log(book, who, channel, outcome, at)
    book.ok("edit", "dana", "--tz", "America/Denver")  # send times move to her new zone
    totals_agree()
    book.ok("edit", "sam", "--tz", "Asia/Tokyo")
    book.ok("undo")
    totals_agree()
    book.ok("undo")  # the first edit
    log(book, "dana", "call", "no_answer", "2026-11-22T08:00")
    book.ok("undo")
    totals_agree()
    book.ok("rm", "dana", "--yes")
    assert totals_agree()["response_rate"]["sent"] < 9
    book.ok("undo")  # she comes back with every touch
    totals_agree()
    book.ok("forget", "sam", "--yes")
    totals_agree()
    book.ok("rm", "--stage", "cold", "--yes")
    totals_agree()


def test_a_touch_import_is_counted_once_set_based(book, totals_agree, tmp_path, monkeypatch):
    from followup_cli.data import import_touches
    from followup_cli.store import aggregates

    for who, channel, outcome, at in LOGS[:6]:
        log(book, who, channel, outcome, at)
    calls = []
    bulk = aggregates.bulk

    def counted(conn, prospects):
        calls.append(prospects)
        return bulk(conn, prospects)

    monkeypatch.setattr(aggregates, "bulk", counted)
    source = tmp_path / "touches.csv"
    source.write_text(
        "email,at,channel,outcome,direction,template\n"
        "dana@acme.io,2026-09-01T09:00,email,sent,,proposal-sent\n"  # before everything
        "dana@acme.io,2026-09-05T12:00,email,replied,in,\n"  # in the middle
        "sam@globex.io,2026-10-02T09:00,call,no_answer,,\n"
        "sam@globex.io,2026-11-23T07:00,email,sent,,case-study\n"
    )
    book.ok("import", str(source), "--touches")
    assert len(calls) == 1  # one set-based pass, not a trigger run per row
    totals_agree()
    book.ok("undo")
    totals_agree()
    monkeypatch.setattr(import_touches, "BIG_LOAD", 1)  # indexes set aside and rebuilt
    book.ok("import", str(source), "--touches")
    totals_agree()


def test_the_migration_builds_the_totals_of_an_older_history(run, isolated, totals_agree):
    import sqlite_utils

    from followup_cli import store

    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--cadence", "post-proposal")
    for who, channel, outcome, at in LOGS:
        if who == "dana":
            log(run, who, channel, outcome, at)
    old = isolated / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    store._migrations().apply(sqlite_utils.Database(conn), stop_before="_m017_stats_totals")
    source = sqlite3.connect(isolated / "followup.db")
    columns = "id, name, email, cadence, created_at, updated_at, timezone"
    conn.executemany(
        f"INSERT INTO prospects ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        source.execute(f"SELECT {columns} FROM prospects").fetchall(),
    )
    columns = (
        "id, prospect_id, at, channel, direction, outcome, template, variant, cadence, step, "
        "logged_at, touch_number, next_at, replied_at"
    )
    conn.executemany(
        f"INSERT INTO touches ({columns}) VALUES ({', '.join('?' * 14)})",
        source.execute(f"SELECT {columns} FROM touches").fetchall(),
    )
    conn.close()
    source.close()
    isolated.joinpath("followup.db").unlink()
    old.rename(isolated / "followup.db")
    store.open_db(isolated / "followup.db").close()  # the migration
    assert totals_agree()["response_rate"]["sent"] == 4


def test_a_restored_archive_is_counted_as_logged(book, totals_agree, isolated, tmp_path):
    for who, channel, outcome, at in LOGS:
        log(book, who, channel, outcome, at)
    expected = totals_agree()
    book.ok("export", "--all", str(tmp_path / "backup.json"))
    for name in ("followup.db", "followup.db-wal", "followup.db-shm"):
        (isolated / name).unlink(missing_ok=True)
    book.ok("import", "--all", str(tmp_path / "backup.json"))
    assert totals_agree() == expected
