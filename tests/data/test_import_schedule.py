"""Import plans schedules in bulk (one plan per shape of prospect, a last touch counted only
when it can move the next one: ``importer.scheduler``, ``schedule.last_touch_bound``). Every
stored next due date must still be exactly what the scheduler computes for that prospect on
its own: checked here on a book varied in everything the scheduler reads."""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import NOW

STAGES = ["Lead", "Marketing Qualified Lead", "Opportunity", "Proposal Sent", "Customer",
          "Closed Lost", "Nurturing", "Subscriber"]  # fmt: skip
ZONES = ["America/Denver", "Europe/Berlin", "Asia/Tokyo", "America/New_York", ""]
COUNTRIES = ["US", "DE", "JP", "GB", ""]
CHANNELS = ["", "", "call", "email", "linkedin"]
# Touches at these distances before now: inside and outside every cadence's minimum gap.
AGO = [timedelta(days=400), timedelta(days=30), timedelta(days=4), timedelta(days=2),
       timedelta(hours=20), timedelta(hours=1), timedelta(minutes=10)]  # fmt: skip
OUTCOMES = ["sent", "no_answer", "voicemail", "replied", "meeting", "sent", "opted_out"]


def _book(folder, rng: random.Random, count: int, first: int) -> tuple:
    people = folder / f"people{first}.csv"
    with people.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Email", "Lifecycle Stage", "Time Zone", "Country",
                         "Preferred Channel", "Pace"])  # fmt: skip
        for n in range(first, first + count):
            writer.writerow([f"Person {n}", f"p{n}@example.com", rng.choice(STAGES),
                             rng.choice(ZONES), rng.choice(COUNTRIES), rng.choice(CHANNELS),
                             rng.choice(["", "", "1.5", "0.5"])])  # fmt: skip
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    touches = folder / f"touches{first}.csv"
    with touches.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["email", "at", "channel", "outcome"])
        for n in range(first, first + count):
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                at = now - rng.choice(AGO) - timedelta(seconds=rng.randrange(60))
                writer.writerow([f"p{n}@example.com", at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                 rng.choice(["email", "call"]), rng.choice(OUTCOMES)])  # fmt: skip
    return people, touches


def _schedulers_own(row: sqlite3.Row) -> dict:
    from followup_cli.pipeline.prospect import Prospect
    from followup_cli.scheduling.cadence import load_cadence
    from followup_cli.scheduling.enrollment import enrollment_of, plan_columns, state_columns
    from followup_cli.scheduling.schedule import plan, settle

    state = settle(enrollment_of(Prospect.from_row(row), ZoneInfo("America/Denver")), load_cadence)
    return {**state_columns(state), **plan_columns(plan(state, load_cadence))}


def test_every_imported_schedule_is_the_one_the_scheduler_computes(run, isolated, tmp_path):
    rng = random.Random(13)
    people, touches = _book(tmp_path, rng, 160, 1)
    run.ok("import", str(people))  # each into their stage's cadence
    later, later_touches = _book(tmp_path, rng, 60, 500)
    run.ok("import", str(later), "--cadence", "six-month-check-in")  # counts from the last touch
    run.ok("import", str(touches), "--touches")
    run.ok("import", str(later_touches), "--touches")
    conn = sqlite3.connect(isolated / "followup.db")
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT * FROM prospects ORDER BY id").fetchall()
    assert len(rows) == 220
    wrong = []
    for row in rows:
        expected = _schedulers_own(row)
        stored = {k: row[k] for k in expected}
        if stored != expected:
            wrong.append((row["email"], stored, expected))
    assert not wrong, wrong[:3]
    # The sample covers both ways: next touches held back by a recent last touch, others not,
    # and the cadence that counts from the last touch.
    whys = [row["next_why"] for row in rows]
    assert sum("minimum gap" in why for why in whys) >= 5
    assert sum("minimum gap" not in why and "step" in why for why in whys) >= 50
    assert sum("the last touch" in why for why in whys) >= 5


def test_a_last_touch_up_to_the_bound_never_changes_the_plan():
    """``last_touch_bound`` against ``settle`` + ``plan`` themselves, over the shipped
    cadences, paces, steps and last touches on both sides of the bound."""
    from dataclasses import replace

    from hypothesis import given
    from hypothesis import strategies as st

    from followup_cli.core.library import cadence_files
    from followup_cli.scheduling.cadence import load_cadence
    from followup_cli.scheduling.enrollment import plan_columns, state_columns
    from followup_cli.scheduling.schedule import Enrollment, last_touch_bound, plan, settle

    start = datetime(2026, 11, 2, 9, tzinfo=UTC)

    def planned(state):  # what is stored of it
        settled = settle(state, load_cadence)
        return {**state_columns(settled), **plan_columns(plan(settled, load_cadence))}

    @given(
        cadence=st.sampled_from(sorted(cadence_files())),
        steps=st.integers(0, 8),
        pace=st.sampled_from([0.5, 1.0, 1.5, 3.0]),
        holds=st.booleans(),
        hours=st.integers(-24 * 30, 24 * 120),
        anchored=st.booleans(),
    )
    def check(cadence, steps, pace, holds, hours, anchored):
        state = Enrollment(cadence=cadence, anchor=start if anchored else None,
                           steps_done=steps, status="active", pace=pace,
                           last_touch_holds=holds, timezone=ZoneInfo("Europe/Berlin"),
                           country="DE")  # fmt: skip
        bound = last_touch_bound(state, load_cadence)
        touch = start + timedelta(hours=hours)
        if bound is not None and touch <= bound:
            assert planned(replace(state, last_touch_at=touch)) == planned(state)
        if bound is not None and bound < start + timedelta(days=365):
            # just past the bound the minimum gap moves the next touch
            later = planned(replace(state, last_touch_at=bound + timedelta(minutes=1)))
            assert later != planned(state)

    check()
