"""The seeds' rules the checks lacked (issue 18), each tested on the seed line it comes from
(by seed file name), with a message that breaks it and one that keeps it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from followup_cli.drafting.craft_checks import CRAFT_RULES, all_rules
from followup_cli.drafting.guards import timing_warnings


def codes(body, **kwargs):
    return [finding.code for finding in all_rules(body, **kwargs)]


def test_every_rule_has_a_description():
    assert set(CRAFT_RULES) == {
        "no-call-to-action", "long-paragraph", "about-us", "deflection", "no-callback",
        "unspecific-subject",
    }  # fmt: skip


def test_no_call_to_action():
    # 000_cd2bc44c633a209f.txt: "❌ **No clear CTA** → Make next step obvious"
    flat = "Hi Dana,\n\nThe renewal benchmark is attached.\nIt covers manual renewals.\n"
    assert codes(flat) == ["no-call-to-action"]
    assert codes(flat + "Does Tuesday at 10:00 work to go through it?\n") == []
    assert codes(flat + "What would make it useful for your team?\n") == []  # a question
    assert codes(flat, wants_ask=False) == []  # a template with `ask: none`
    assert "no-call-to-action" not in codes(flat, channel="linkedin")


def test_long_paragraph():
    # 000_cd2bc44c633a209f.txt, "Email Follow-Up": "Short paragraphs: Scannable"
    wall = (
        "The report covers renewals. It has three parts. The second is on churn. "
        "The third is on pricing. Would Tuesday work?"
    )
    assert "long-paragraph" in codes(f"Hi Dana,\n\n{wall}\n")
    lines = wall.replace(". ", ".\n")
    assert "long-paragraph" not in codes(f"Hi Dana,\n\n{lines}\n")
    words = "Would " + " ".join(["renewals"] * 60) + " work for you?"
    assert "long-paragraph" in codes(f"Hi Dana,\n\n{words}\n")


def test_about_us():
    # 000_cd2bc44c633a209f.txt: "❌ **Talking about yourself** → Focus on their needs"
    pitch = (
        "We are a leading platform. Our team built it in 2019, and we ship every week.\n"
        "I think our roadmap is the best in the market, and we're proud of it.\n"
        "Would you like a demo?\n"
    )
    found = all_rules(pitch)
    assert [f.code for f in found] == ["about-us"]
    assert found[0].message.startswith("6 I/we/our to 1 you/your")
    theirs = (
        "Your renewals take a week of your team's time each quarter.\n"
        "We cut that to a day for a clinic group like yours; our notes show how.\n"
        "Would you like the notes?\n"
    )
    assert "about-us" not in codes(theirs)


def test_deflection():
    # 003_071e07e79e33f7d5.txt: "Relationship builders start with deflection: “I know that
    # you are really busy…”"
    for opener in (
        "I know that you are really busy, but",
        "I know you're busy, so",
        "Sorry to bother you again, but",
        "I hate to bother you, but",
        "I don't want to take up your time, but",
    ):
        found = all_rules(f"Hi Dana,\n\n{opener} would Tuesday work to talk renewals?\n")
        assert [f.code for f in found] == ["deflection"], opener
    assert codes("Hi Dana,\n\nWould Tuesday work to talk about the busy season?\n") == []


def test_no_callback():
    # 000_cd2bc44c633a209f.txt, "Phone Follow-Up": "Specific callback time"
    vague = "Hi Dana, it's Sam from Northwind about manual renewals. Give me a call back."
    assert codes(vague, channel="voicemail") == ["no-callback"]
    assert codes(vague + " I'm on 303 555 0100.", channel="voicemail") == []
    assert codes(vague + " I'll try you again Thursday at 3pm.", channel="voicemail") == []
    assert codes(vague, channel="voicemail", wants_ask=False) == []
    # a call script of talking points is not a voicemail
    assert (
        codes("Review call: Dana.\n- Open: renewals\n- Close: a date\n", channel="voicemail") == []
    )


def test_a_subject_names_something_of_theirs():
    # 000_cd2bc44c633a209f.txt, "Email Follow-Up": "Subject lines: Reference previous
    # conversation" (the issue: "Hello again" and "Proposal" passed)
    body = "Hi Dana,\n\nThe Acme renewal numbers are in; would Tuesday work to go through them?\n"
    for subject in ("Hello again", "Proposal"):
        assert codes(body, subject=subject) == ["unspecific-subject"], subject
        assert codes(body, subject=subject, specifics=["Acme"]) == ["unspecific-subject"]
    assert codes(body, subject="The Acme proposal", specifics=["Acme"]) == []
    assert codes(body, subject="Renewal numbers for next quarter") == []  # three words or more
    # a generic subject is reported once, as generic
    assert codes(body, subject="Following up") == ["generic-subject"]


def touches(*outcomes):
    """History newest first, as touches_of gives it."""
    return [
        SimpleNamespace(outcome=o, direction="in" if o == "replied" else "out") for o in outcomes
    ]


NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)


def test_a_breakup_before_the_fourth_touch_warns():
    # 001_f926f856a736bd02.txt, "The 5-5-5 Rule": "5 touches minimum before giving up"
    early = timing_warnings("breakup", touches("sent", "sent"), stage="cold", stage_since=None,
                            now=NOW)  # fmt: skip
    assert [f.code for f in early] == ["breakup-too-early"]
    assert early[0].message.startswith("This would be touch 3 since they last answered")
    ready = touches("sent", "voicemail", "sent", "replied", "sent")
    assert timing_warnings("breakup", ready, stage="cold", stage_since=None, now=NOW) == []
    # the count starts again after they answered
    again = touches("sent", "replied", "sent", "sent", "sent")
    assert timing_warnings("closing-file", again, stage="cold", stage_since=None, now=NOW)
    assert timing_warnings("value-add", touches(), stage="cold", stage_since=None, now=NOW) == []


def test_a_referral_ask_right_after_the_purchase_warns():
    # 001_f926f856a736bd02.txt, "When to Ask for Referrals": "Worst Time: Immediately after
    # purchase before value delivery"
    won = NOW - timedelta(days=6)
    found = timing_warnings("referral-ask-direct", [], stage="customer", stage_since=won, now=NOW)
    assert [f.code for f in found] == ["referral-too-early"]
    assert "6 days ago" in found[0].message
    later = NOW - timedelta(days=45)
    assert (
        timing_warnings("referral-ask-direct", [], stage="customer", stage_since=later, now=NOW)
        == []
    )


def test_the_guard_reaches_the_draft(run):
    run.ok("me", "--name", "Sam Ortiz")
    run.ok("add", "Olivia Grant", "--email", "olivia@brightsmile.example",
           "--set", "pain_point=patient no-shows", "--no-cadence")  # fmt: skip
    result = run("draft", "olivia", "--template", "breakup")
    assert result.exit_code == 0, result.output
    assert "Warning [breakup-too-early]: This would be touch 1" in result.stderr
    data = run.json("draft", "olivia", "--template", "breakup")
    assert [w["code"] for w in data["warnings"]] == ["breakup-too-early"]


def test_followup_check_runs_the_new_rules(run, tmp_path):
    path = tmp_path / "message.txt"
    path.write_text("Hi Dana,\n\nI know you're really busy. The report on renewals is attached.\n")
    result = run("check", str(path), "--subject", "The renewal report for Acme")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "no-call-to-action", "deflection",
    ]  # fmt: skip
