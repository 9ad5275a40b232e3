"""What each outcome does to a prospect in a cadence that keeps the default rules
(``post-proposal`` has no ``stop_on`` or ``on`` of its own): the README's outcome table, row by
row, checked on the stage, the cadence, its status, the flag and the next due touch."""

from __future__ import annotations

import pytest

STEP_2 = (2, "2026-11-25T16:00:00Z", "post-proposal")  # day 2 at 09:00 Denver
STEP_1_AGAIN = (1, "2026-11-24T16:00:00Z", "post-proposal")  # not delivered: min gap 1d

OUTCOMES = [
    # outcome, stage after, cadence after, status, do not contact, next (step, due, cadence)
    ("sent", "cold", "post-proposal", "active", False, STEP_2),
    ("no_answer", "cold", "post-proposal", "active", False, STEP_2),
    ("voicemail", "cold", "post-proposal", "active", False, STEP_2),
    ("replied", "interest", "post-proposal", "stopped", False, None),
    ("meeting", "active", "post-proposal", "stopped", False, None),
    # 90 days on is Sunday 21 February: business days move it to the Monday
    ("not_now", "nurture", "long-term-nurture", "active", False,
     (1, "2027-02-22T16:00:00Z", "long-term-nurture")),
    ("won", "customer", "customer-onboarding", "active", False,
     (1, "2026-11-24T16:00:00Z", "customer-onboarding")),
    # a loss is an answer: it holds no minimum gap, so lost-deal's hour 2 is 10:00 today
    ("lost", "lost", "lost-deal", "active", False, (1, "2026-11-23T17:00:00Z", "lost-deal")),
    ("opted_out", "cold", "post-proposal", "stopped", True, None),
    ("bounced", "cold", "post-proposal", "active", False, STEP_1_AGAIN),
]  # fmt: skip


@pytest.mark.parametrize(("outcome", "stage", "cadence", "status", "dnc", "due"), OUTCOMES)
def test_each_outcome_under_the_default_rules(run, outcome, stage, cadence, status, dnc, due):
    run.ok("add", "Dana Reyes", "--stage", "cold", "--cadence", "post-proposal")
    run.ok("log", "dana", "-c", "email", "-o", outcome)
    shown = run.json("show", "dana")
    assert (shown["stage"], shown["cadence"], shown["cadence_status"]) == (stage, cadence, status)
    assert shown["do_not_contact"] is dnc
    nxt = shown["next_due"]
    assert (nxt and (nxt["step"], nxt["due_at"], nxt["cadence"])) == due
    assert [t["direction"] for t in shown["touches"]] == ["in" if outcome == "replied" else "out"]


def test_out_of_office_keeps_the_step_until_the_return_date(run):
    run.ok("add", "Dana Reyes", "--stage", "cold", "--cadence", "post-proposal")
    run.ok("log", "dana", "-c", "email", "-o", "out_of_office", "--until", "2026-12-07")
    shown = run.json("show", "dana")
    assert (shown["cadence_status"], shown["stage"]) == ("active", "cold")
    assert shown["next_due"]["step"] == 1
    assert shown["next_due"]["due_at"] == "2026-12-07T16:00:00Z"


@pytest.mark.parametrize("outcome", ["replied", "meeting", "opted_out"])
def test_a_user_cadence_without_stop_on_stops_on_the_default_outcomes(run, tmp_path, outcome):
    """A cadence file that says nothing about stopping gets ``vocab.DEFAULT_STOP_ON``: a
    prospect who booked a meeting is not chased by the next step (won and lost move on to
    their own cadences: the table above)."""
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "plain.yaml").write_text(
        "description: no rules of its own\nsteps:\n"
        "  - {day: 0, channel: email, purpose: Say hello}\n"
        "  - {day: 3, channel: call, purpose: Call}\n"
    )
    run.ok("add", "Dana Reyes", "--stage", "interest", "--cadence", "plain")
    run.ok("log", "dana", "-c", "call", "-o", outcome)
    shown = run.json("show", "dana")
    assert shown["next_due"] is None
    assert (shown["cadence"], shown["cadence_status"]) == ("plain", "stopped")


@pytest.mark.parametrize("outcome", ["sent", "no_answer", "voicemail", "not_now", "bounced"])
def test_a_user_cadence_without_stop_on_goes_on_after_the_other_outcomes(run, tmp_path, outcome):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "plain.yaml").write_text(
        "description: no rules of its own\nsteps:\n"
        "  - {day: 0, channel: email, purpose: Say hello}\n"
        "  - {day: 3, channel: call, purpose: Call}\n"
    )
    run.ok("add", "Dana Reyes", "--stage", "interest", "--cadence", "plain")
    extra = ["--until", "2026-12-07"] if outcome == "not_now" else []
    run.ok("log", "dana", "-c", "email", "-o", outcome, *extra)
    shown = run.json("show", "dana")
    assert shown["cadence_status"] == "active"
    assert shown["next_due"] is not None
