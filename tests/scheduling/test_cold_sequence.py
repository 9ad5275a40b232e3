"""The cold sequence (issue 18): `stage-cold`, which every cold prospect added or imported
starts. Each test quotes the seed line it carries out."""

from __future__ import annotations

from datetime import datetime

from followup_cli.scheduling import cadence as cadences

COLD = "stage-cold"


def cold():
    return cadences.load_cadence(COLD)


def test_at_least_five_touches_and_at_most_six():
    # 001_f926f856a736bd02.txt: "5 touches minimum before giving up"
    # 003_071e07e79e33f7d5.txt: "If you reach out completely cold and never had any
    # interaction with the other person, follow up a maximum of six times."
    sequence = cold()
    assert 5 <= len(sequence.steps) <= 6
    assert sequence.repeat is None
    assert sequence.cold_max_touches == 6


def test_every_three_to_five_days_over_about_three_weeks():
    # 001_f926f856a736bd02.txt: "| Cold outreach | Every 3-5 days for 2 weeks | Value and
    # relevance |" (the issue: "up to six touches over about three weeks")
    days = [step.offset.days for step in cold().steps]
    assert days[0] == 0
    assert all(3 <= later - earlier <= 5 for earlier, later in zip(days, days[1:], strict=False))
    assert 14 <= days[-1] <= 24
    assert cold().min_gap.days == 3  # 000_cd2bc44c633a209f.txt: "3-5 day gaps minimum"


def test_the_touches_are_of_different_kinds_and_channels():
    # 000_cd2bc44c633a209f.txt, "Make each touch valuable": "1. Initial outreach 2.
    # Value-added follow-up 3. Personalized insight 4. Social proof ..." and "Don't just
    # email - diversify"
    steps = cold().steps
    templates = [step.template for step in steps]
    assert templates[0] == "cold-introduction"
    assert len(set(templates)) == len(templates)  # no template twice
    assert {"value-add", "case-study", "linkedin-comment-dm"} <= set(templates)
    assert {step.channel for step in steps} >= {"email", "linkedin", "call"}
    assert templates[-1] == "breakup"  # the last touch asks plainly, then we stop


def test_then_quarterly_nurture():
    # 002_ebf38cfac8e1ad58.txt: "move them to a long-term nurture list. Touch base
    # quarterly with something of value, but stop the active sales cadence."
    assert cold().then.cadence == "quarterly-nurture"
    assert cold().on_outcome["meeting"] == "post-discovery"


def log_at(run, day, channel):
    return run.ok(
        "log", "olivia", "-c", channel, "-o", "sent" if channel != "call" else "voicemail",
        env={"FOLLOWUP_NOW": f"{day}T10:00:00-07:00"},
    )  # fmt: skip


def test_six_unanswered_touches_then_a_quarterly_touch(run):
    run.ok("add", "Olivia Grant", "--email", "olivia@brightsmile.example")
    shown = run.json("show", "olivia")
    assert shown["cadence"] == COLD and shown["next_due"]["template"] == "cold-introduction"
    last_day = None
    for _ in range(6):
        due = run.json("show", "olivia")["next_due"]
        assert due["cadence"] == COLD
        last_day = due["due_at"][:10]
        log_at(run, last_day, due["channel"])
    after = run.json("show", "olivia", env={"FOLLOWUP_NOW": f"{last_day}T11:00:00-07:00"})
    nxt = after["next_due"]
    assert (nxt["cadence"], nxt["template"]) == ("quarterly-nurture", "quarterly-check-in")
    gap = datetime.fromisoformat(nxt["due_at"][:10]) - datetime.fromisoformat(last_day)
    assert 91 <= gap.days <= 95  # a quarter, moved to a working day


def test_the_introduction_asks_permission_and_claims_no_conversation(run):
    # 000_cd2bc44c633a209f.txt, "Building Permission": "I'm going to reach out a few times
    # over the next couple weeks with some valuable resources. If at any point you'd prefer
    # I stop, just let me know." The issue: the old first touch "recalls a conversation
    # that never happened".
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind")
    run.ok("add", "Olivia Grant", "--email", "olivia@brightsmile.example",
           "--company", "Brightsmile", "--set", "pain_point=patient no-shows")  # fmt: skip
    draft = run.json("draft", "olivia")
    assert draft["template"] == "cold-introduction"
    assert draft["warnings"] == []
    body = draft["body"]
    assert "I'm Sam Ortiz from Northwind" in body
    assert "if you would rather I didn't, tell me and I will stop" in body
    assert "patient no-shows" in body and "patient no-shows" in draft["subject"].lower()
    assert body.count("?") == 1  # one small ask
    for claim in ("we spoke", "we talked", "our conversation", "as discussed", "you told me"):
        assert claim not in body.lower()


def test_a_referred_cold_prospect_hears_who_suggested_it(run):
    run.ok("me", "--name", "Sam Ortiz")
    run.ok("add", "Olivia Grant", "--email", "olivia@brightsmile.example",
           "--referred-by", "Ada Ito", "--set", "pain_point=patient no-shows")  # fmt: skip
    body = run.json("draft", "olivia")["body"]
    assert "I'm writing to you on Ada Ito's suggestion because" in body
