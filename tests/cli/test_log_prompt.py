"""`followup log PROSPECT` at a terminal without --channel or --outcome: who first, the due
step's channel as the default, asked again on a wrong answer, and an optional note."""

from __future__ import annotations

import pytest


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("followup_cli.cli.app._interactive", lambda: True)


def test_an_unknown_prospect_fails_before_any_menu(run, dana, terminal):
    result = run("log", "nobodyxyz", input="1\n1\n\n")
    assert result.exit_code == 1
    assert "No prospect matches 'nobodyxyz'" in result.stderr
    assert "1) call" not in result.output and "Channel" not in result.output
    assert run.json("show", "dana")["touches"] == []


def test_enter_takes_the_due_steps_channel_and_the_note_is_kept(run, dana, terminal):
    due = run.json("show", "dana")["next_due"]["channel"]
    result = run("log", "dana", input="\nsent\nsent the pricing page\n")
    assert result.exit_code == 0, result.output
    assert f"Logging a touch with Dana Reyes, due {due}." in result.output
    assert f"[{due}]" in result.output  # the default, shown in the question
    touch = run.json("show", "dana")["touches"][0]
    assert (touch["channel"], touch["outcome"], touch["note"]) == (
        due,
        "sent",
        "sent the pricing page",
    )


def test_a_wrong_answer_is_asked_again(run, dana, terminal):
    result = run("log", "dana", input="fax\n99\n3\nvoice mail\n\n")
    assert result.exit_code == 0, result.output
    assert "'fax' is not one of them: a number from 1 to 7, or a name." in result.output
    assert "'99' is not one of them" in result.output
    assert result.output.count("Channel (number or name)") == 3
    touch = run.json("show", "dana")["touches"][0]
    assert (touch["channel"], touch["outcome"], touch["note"]) == ("linkedin", "voicemail", None)


def test_a_given_channel_is_not_asked(run, dana, terminal):
    result = run("log", "dana", "--channel", "call", input="no answer\n\n")
    assert result.exit_code == 0, result.output
    assert "Channel (number or name)" not in result.output
    touch = run.json("show", "dana")["touches"][0]
    assert (touch["channel"], touch["outcome"]) == ("call", "no_answer")


def test_in_a_script_a_missing_outcome_is_a_usage_error(run, dana):
    result = run("log", "dana", "--channel", "call")
    assert result.exit_code == 2
    assert "Missing --outcome: give one of sent, no_answer" in result.stderr
    assert run.json("show", "dana")["touches"] == []
