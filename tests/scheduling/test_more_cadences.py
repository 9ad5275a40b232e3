"""Cadences the seeds describe that were not shipped (issue 18), and a prospect's preferred
channel honoured. Each test quotes its seed line, by seed file name."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup_cli.scheduling import cadence as cadences
from followup_cli.scheduling.schedule import on_channel, preview

DENVER = ZoneInfo("America/Denver")
START = datetime(2026, 11, 23, 9, 0, tzinfo=DENVER)  # a Monday


def days_of(name):
    rows = preview(cadences.load_cadence(name), start=START, tz=DENVER, repetitions=4)
    return [(row.touch.due_at.astimezone(DENVER).date() - START.date()).days for row in rows]


def test_busy_executive_waits_four_to_seven_days_then_weekly():
    # 003_071e07e79e33f7d5.txt: "if you follow up with an incredibly busy and important CEO
    # ... Give them more time; maybe four to seven days until your first follow-up. Maybe
    # follow up once a week."
    busy = cadences.load_cadence("busy-executive")
    assert 4 <= busy.steps[0].offset.days <= 7
    assert busy.repeat.every == timedelta(days=7) and busy.repeat.grow == 1
    assert busy.min_gap >= timedelta(days=4)
    days = days_of("busy-executive")
    assert 4 <= days[0] <= 7
    assert all(later - earlier >= 7 for earlier, later in zip(days, days[1:], strict=False))


def test_polite_persistence_waits_longer_each_time():
    # 004_0937bf96a7f81e5e.txt: "Each successive outreach on my part had more time between it
    # and the last one as time moved on. ... The further past the last meeting or phone call
    # you go, the longer the time between attempted follow-up."
    polite = cadences.load_cadence("polite-persistence")
    assert polite.repeat.grow > 1 and polite.repeat.times is None  # until they answer
    gaps = [polite.repeat.gap(n) for n in range(6)]
    assert gaps[:3] == [timedelta(days=7), timedelta(days=14), timedelta(days=28)]
    assert all(later >= earlier for earlier, later in zip(gaps, gaps[1:], strict=False))
    assert gaps[-1] == polite.repeat.max_every
    # "I followed up via phone and email with the contact several times over the next two
    # weeks": the steps stay inside the first two weeks, on both channels
    assert polite.steps[-1].offset.days <= 14
    assert {step.channel for step in polite.steps} == {"email", "call"}
    days = days_of("polite-persistence")
    spacing = [later - earlier for earlier, later in zip(days, days[1:], strict=False)]
    assert spacing[-3:] == sorted(spacing[-3:]) and spacing[-1] > spacing[-3]


def test_a_step_moves_to_the_preferred_channel_when_its_template_exists_there():
    # 002_ebf38cfac8e1ad58.txt: "Different people prefer different communication channels"
    assert on_channel("value-add", "email", "call") == "voicemail-value-add"
    assert on_channel("voicemail-value-add", "call", "email") == "value-add"
    assert on_channel("value-add", "email", "email") is None
    assert on_channel("breakup", "email", "call") is None  # no voicemail-breakup: as planned
    assert on_channel("value-add", "email", None) is None


def test_the_preferred_channel_reaches_today_and_the_why(run):
    run.ok("add", "Kim Lee", "--email", "kim@x.example", "--channel", "call",
           "--cadence", "polite-persistence")  # fmt: skip
    shown = run.json("show", "kim")
    due = shown["next_due"]
    assert (due["channel"], due["template"]) == ("call", "voicemail-value-add")
    assert shown["why"].endswith("by call, their preferred channel")
    # a step with no template for their channel stays as the cadence has it
    run.ok("add", "Ann Bell", "--email", "ann@x.example", "--channel", "linkedin",
           "--cadence", "polite-persistence")  # fmt: skip
    assert run.json("show", "ann")["next_due"]["channel"] == "email"
