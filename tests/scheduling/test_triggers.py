"""Triggers (issue 18). Seed 000 (000_cd2bc44c633a209f.txt), "Personalized Insight":
"Noticed you just hired a new VP Sales...", "Congrats on the [recent achievement]". Seed
001 (001_f926f856a736bd02.txt): "Watch for trigger events"; "After They Say 'Not Right
Now' - Immediate: 'I understand. Can I ask what changed?'"; "Special Occasions: Birthday
(if appropriate), Work anniversaries, Company milestones"."""

from __future__ import annotations

import pytest

MONDAY_8 = "2026-11-23T08:00:00-07:00"  # Monday 08:00 in Denver, before the send window
FRIDAY_EVENING = "2026-11-27T18:30:00-07:00"


@pytest.fixture
def dana(run):
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind")
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--company", "Acme",
           "--stage", "proposal", "--tz", "America/Denver",
           "--set", "pain_point=manual renewals", "--cadence", "post-proposal")  # fmt: skip


def test_a_trigger_schedules_its_own_touch_within_a_business_day(run, dana):
    said = run.ok("trigger", "dana", "hired a new VP Sales", "--url", "https://acme.example/n")
    assert "Trigger for Dana Reyes: hired a new VP Sales. An email is due Mon 23 Nov 09:00" in (
        said.output
    )
    found = run.json("trigger", "dana", "opened a second office", "--kind", "milestone")
    assert found["template"] == "company-milestone" and found["kind"] == "milestone"
    assert found["due_at"] == "2026-11-23T16:00:00Z"  # the window opens at 09:00 their time


def test_on_a_friday_evening_it_falls_on_monday_morning(run, dana):
    found = run.json("trigger", "dana", "won an award", env={"FOLLOWUP_NOW": FRIDAY_EVENING})
    assert found["due_at"] == "2026-11-30T16:00:00Z"


def test_today_shows_a_triggers_group_first_and_the_draft_names_the_event(run, dana):
    run.ok("trigger", "dana", "hired a new VP Sales", "--url", "https://acme.example/n")
    today = run.ok("today").output
    assert today.index("Triggers (1)") < today.index("Emails (1)")
    assert "Personal insight on their news: hired a new VP Sales" in today
    rows = run.json("today")
    assert rows[0]["trigger"] == "hired a new VP Sales" and rows[0]["template"] == "trigger-insight"
    assert "trigger" not in rows[1]  # a cadence step keeps its shape
    draft = run.json("draft", "dana")
    assert draft["template"] == "trigger-insight"
    assert "hired a new VP Sales (https://acme.example/n)" in draft["body"]


def test_the_trigger_touch_does_not_take_a_step_and_the_cadence_carries_on(run, dana):
    run.ok("trigger", "dana", "hired a new VP Sales")
    logged = run.ok("draft", "dana", "--log").output
    assert "A touch of its own (trigger-insight): post-proposal carries on." in logged
    shown = run.json("show", "dana")
    assert shown["cadence_progress"]["steps_done"] == 0  # step 1 is still to do
    assert shown["next_due"]["template"] == "proposal-sent"
    assert "Triggers" not in run.ok("today").output  # done once a touch went out after it
    assert run.json("draft", "dana")["template"] == "proposal-sent"


def test_a_trigger_is_undone_with_undo(run, dana):
    run.ok("trigger", "dana", "hired a new VP Sales")
    assert "Undid" in run.ok("undo").output
    assert "Triggers" not in run.ok("today").output


def test_not_now_gets_the_not_right_now_note_at_once(run, dana):
    logged = run.ok("log", "dana", "-c", "call", "-o", "not_now", "--until", "2027-02-01")
    assert "Answer it within the hour: followup draft 1 (template not-right-now" in logged.output
    today = run.ok("today").output
    assert "Triggers (1)" in today and "template not-right-now" in today
    draft = run.json("draft", "dana")
    assert draft["template"] == "not-right-now"
    assert "Monday 1 February" in draft["body"]  # the agreed date, on both calendars
    # the nurture still starts on the agreed date
    assert run.json("show", "dana")["next_due"]["cadence"] == "long-term-nurture"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dana", ""], 'Say what happened, e.g. followup trigger dana "hired a new VP Sales".'),
        (["dana", "x", "--url", "acme"], "--url 'acme' is not a web address: use https://..."),
        (["dana", "x", "--kind", "party"], "--kind must be insight or milestone."),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(run, dana, args, message):
    result = run("trigger", *args)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}"
    assert "Triggers" not in run.ok("today").output


def test_occasions_point_to_their_own_card(run):
    run.ok("add", "Ken Ito", "--email", "ken@ito.example", "--birthday", "11-24",
           "--anniversary", "2019-11-25", "--no-cadence")  # fmt: skip
    today = run.ok("today").output
    assert "Ken Ito: birthday tomorrow · template birthday-card" in today
    assert "work anniversary in 2 days (Wed 25 Nov) · template work-anniversary" in today
