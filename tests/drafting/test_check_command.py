"""`followup check FILE|-`: any text against the follow-up rules, exit status 1 on a failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD = (
    "Subject: The renewal numbers you asked for\n"
    "\n"
    "Hi Dana,\n"
    "\n"
    "Here are the renewal numbers for Acme that you asked about on Tuesday.\n"
    "The short version: manual renewals cost your team about nine hours a week.\n"
    "Would a 15-minute call on Thursday help to go through them?\n"
    "\n"
    "Best,\n"
    "Sam\n"
)
BAD = (
    "Subject: Checking in\n"
    "\n"
    "Hi Dana,\n"
    "\n"
    "Just checking in. As per my last email, would you like a call? Let me know.\n"
    "\n"
    "Best,\n"
    "Sam\n"
)


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_message_passes(run, tmp_path):
    result = run.ok("check", write(tmp_path, GOOD))
    assert result.stdout == "The message passes every follow-up rule.\n"


def test_a_bad_message_fails_with_every_finding(run, tmp_path):
    result = run("check", write(tmp_path, BAD))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "zero-value-phrase",
        "guilt-trip",
        "multiple-calls-to-action",
        "generic-subject",
    ]
    assert lines[3] == (
        'generic-subject: Subject "Checking in" says nothing: refer to your last conversation '
        "or the value inside (their project, pain point, the resource)."
    )
    assert result.stderr == "Error: 4 rules failed.\n"


def test_standard_input(run):
    assert run("check", "-", input=GOOD).exit_code == 0
    result = run("check", "-", input=BAD)
    assert result.exit_code == 1


def test_subject_option_overrides_the_first_line(run, tmp_path):
    path = write(tmp_path, GOOD)
    result = run("check", path, "--subject", "Follow up")
    assert result.exit_code == 1
    assert result.stdout.startswith("generic-subject: ")
    body_only = write(tmp_path, GOOD.split("\n\n", 1)[1])
    assert run("check", body_only).exit_code == 0  # no subject: nothing to judge
    assert run("check", body_only, "--subject", "").exit_code == 1


def test_specifics_from_a_prospect(run, dana, tmp_path):
    generic = (
        "Hi Dana,\n\nI found a short guide on renewal planning that other teams liked.\n"
        "Would it help if I sent it over?\n\nBest,\nSam\n"
    )
    path = write(tmp_path, generic)
    assert run("check", path).exit_code == 0  # nothing known: the rule is skipped
    result = run("check", path, "--prospect", "dana")
    assert result.exit_code == 1
    assert result.stdout.startswith("no-specifics: ")
    assert run("check", path, "--specific", "renewal planning").exit_code == 0
    specific = generic.replace("renewal planning", "manual renewals")
    assert run("check", write(tmp_path, specific), "--prospect", "dana").exit_code == 0


@pytest.mark.parametrize(
    ("channel", "words", "code"),
    [("voicemail", 76, "voicemail-too-long"), ("video", 301, "video-too-long")],
)
def test_spoken_length_by_channel(run, tmp_path, channel, words, code):
    script = " ".join(["word"] * words) + ".\n"
    path = write(tmp_path, script)
    result = run("check", path, "--channel", channel)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{code}: ")
    # (a voicemail also says when to call back: no-callback)
    short = write(tmp_path, " ".join(["word"] * 40) + ". Call me on 303 555 0100.\n")
    assert run("check", short, "--channel", channel).exit_code == 0


def test_call_means_voicemail(run, tmp_path):
    path = write(tmp_path, " ".join(["word"] * 80) + ".\n")
    assert run("check", path, "--channel", "call").stdout.startswith("voicemail-too-long")


def test_json(run, tmp_path):
    assert run.json("check", write(tmp_path, GOOD)) == {"passed": True, "findings": []}
    result = run("check", write(tmp_path, BAD), "--json")
    assert result.exit_code == 1
    import json

    data = json.loads(result.stdout)
    assert data["passed"] is False
    assert [f["code"] for f in data["findings"]] == [
        "zero-value-phrase",
        "guilt-trip",
        "multiple-calls-to-action",
        "generic-subject",
    ]


def test_a_draft_round_trips_through_check(run, dana, tmp_path):
    run.ok("me", "--name", "Sam Ortiz")
    text = run.ok("draft", "dana", "-t", "breakup", "--var", "goal=renewals on autopilot").stdout
    result = run.ok("check", write(tmp_path, text), "--prospect", "dana", "--json")
    assert json.loads(result.stdout) == {"passed": True, "findings": []}


def test_missing_file_and_bad_channel(run, tmp_path):
    result = run("check", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: No such file: {tmp_path / 'nope.txt'} (give a text file, or - for standard "
        "input).\n"
    )
    result = run("check", write(tmp_path, GOOD), "--channel", "fax")
    assert result.exit_code == 1
    assert "Unknown channel 'fax'" in result.stderr
