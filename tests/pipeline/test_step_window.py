"""A touch does a cadence step only when the step is due or nearly due; a pause shifts the
steps after it; an opted-out prospect who writes in keeps their stage."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from followup_cli.pipeline.touch import STEP_WINDOW_DAYS, _span_words


def test_nine_emails_in_ten_minutes_do_one_step(run):
    # Added Monday 08:00: step 1 (day 1, email) is due Tuesday; step 2 (day 3) Thursday.
    run.ok("add", "Sam Lee", "--email", "sam@x.io", "--cadence", "steli-persistence")
    first = run.ok("log", "sam", "-c", "email", "-o", "sent")
    assert "(step 1 of steli-persistence)" in first.output
    for minute in range(1, 9):
        at = f"2026-11-23T07:{50 + minute:02d}:00-07:00" if minute < 9 else None
        result = run.ok("log", "sam", "-c", "email", "-o", "sent", "--at", at)
        assert "(step" not in result.output.splitlines()[0], result.output
        assert "Step 2 (email) is not due until Thu 26 Nov" in result.output
        assert "Warning: this touch came" in result.output
        assert "keeps at least 24 hours between touches" in result.output
    shown = run.json("show", "sam")
    assert shown["next_due"]["step"] == 2
    assert [t["step"] for t in shown["touches"]].count(None) == 8


def test_a_touch_on_the_steps_channel_works_ahead_only_inside_the_window(run):
    run.ok("add", "Sam Lee", "--email", "sam@x.io", "--cadence", "steli-persistence")
    run.ok("log", "sam", "-c", "email", "-o", "sent")  # step 1
    # step 2 is due Thu 26 Nov (day 3): an email on Tuesday is within the window
    assert STEP_WINDOW_DAYS == 2
    later = run.ok(
        "log", "sam", "-c", "email", "-o", "sent", env={"FOLLOWUP_NOW": "2026-11-24T10:00:00-07:00"}
    )
    assert "(step 2 of steli-persistence)" in later.output
    # step 3 (day 7, Sun 29 Nov, so Mon 30 Nov) is five days off on Wednesday: not done
    early = run.ok(
        "log", "sam", "-c", "email", "-o", "sent", env={"FOLLOWUP_NOW": "2026-11-25T10:00:00-07:00"}
    )
    assert "(step" not in early.output.splitlines()[0]
    assert "Step 3 (email) is not due until Mon 30 Nov" in early.output


def test_a_pause_shifts_the_later_steps_by_its_length(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "sent")  # step 1, Mon 23 Nov
    # step 2 (day 2) was due Wed 25 Nov; a snooze to Mon 7 Dec pushes it twelve days
    run.ok("snooze", "dana", "--until", "2026-12-07")
    assert run.json("show", "dana")["next_due"]["due_at"].startswith("2026-12-07")
    run.ok(
        "log",
        "dana",
        "-c",
        "call",
        "-o",
        "voicemail",
        env={"FOLLOWUP_NOW": "2026-12-07T10:00:00-07:00"},
    )
    due = run.json("show", "dana", env={"FOLLOWUP_NOW": "2026-12-07T10:00:00-07:00"})["next_due"]
    # step 3 (day 5) keeps its three days after step 2, not the one-day minimum gap
    assert due["step"] == 3
    assert datetime.fromisoformat(due["due_at"]) >= datetime.fromisoformat(
        "2026-12-07T17:00:00+00:00"
    ) + timedelta(days=3)


def test_an_opted_out_prospect_writing_in_keeps_their_stage(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "opted_out", "--direction", "in")
    before = run.json("show", "dana")["stage"]
    run.ok("log", "dana", "-c", "email", "-o", "replied", "--direction", "in")
    run.ok("log", "dana", "-c", "call", "-o", "meeting", "--direction", "in")
    after = run.json("show", "dana")
    assert after["stage"] == before and after["do_not_contact"] is True


def test_a_pause_says_the_same_day_in_log_and_show(run):
    run.ok("add", "Mia Chen", "--tz", "Australia/Sydney", "--cadence", "post-demo")
    result = run.ok("log", "mia", "-c", "email", "-o", "out_of_office", "--until", "2026-12-14")
    said = result.output.split("resumes on ")[1][:10]
    shown = run.ok("show", "mia").output
    assert f"paused until {said}" in shown


@pytest.mark.parametrize(
    ("gap", "words"),
    [
        (timedelta(0), "less than a minute"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(minutes=59, seconds=59), "59 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=30), "2 hours"),
        (timedelta(days=1), "24 hours"),
        (timedelta(hours=47, minutes=59), "48 hours"),
        (timedelta(hours=48), "2 days"),
        (timedelta(hours=48, minutes=30), "2 days"),
        (timedelta(days=3, hours=23), "3 days"),
    ],
)
def test_the_gap_a_warning_names_reads_as_a_person_says_it(gap, words):
    assert _span_words(gap) == words
