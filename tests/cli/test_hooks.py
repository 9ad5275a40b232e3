"""Hooks: real executables in <config dir>/hooks/ get each event as JSON on stdin; a
non-zero exit before a write vetoes it; a slow hook is stopped."""

from __future__ import annotations

import json
import time

from followup_cli.core.places import config_dir


def hook(event: str, body: str, executable: bool = True):
    folder = config_dir() / "hooks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / event
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755 if executable else 0o644)
    return folder


def payload(folder, event):
    return json.loads((folder / f"{event}.json").read_text())


def test_on_add_sees_the_prospect_and_can_veto(run):
    folder = hook("on-add", "cat > on-add.json")
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--stage", "proposal", "--tag", "saas")
    seen = payload(folder, "on-add")
    assert seen["event"] == "on-add"
    assert seen["prospect"]["name"] == "Dana Reyes" and seen["prospect"]["stage"] == "proposal"
    assert seen["prospect"]["tags"] == ["saas"] and seen["prospect"]["cadence"] == "stage-proposal"
    hook("on-add", 'echo "no robots here" >&2; exit 3')
    result = run("add", "Robo Caller", "--no-cadence")
    assert result.exit_code == 1
    assert "Error: The on-add hook refused: no robots here; nothing was changed." in result.output
    assert [p["name"] for p in run.json("list")] == ["Dana Reyes"]


def test_on_log_and_on_stage_change(run, dana):
    folder = hook("on-log", "cat > on-log.json")
    hook("on-stage-change", "cat > on-stage-change.json")
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "-n", "left VM")
    seen = payload(folder, "on-log")
    assert seen["prospect"]["name"] == "Dana Reyes"
    assert (seen["touch"]["channel"], seen["touch"]["outcome"]) == ("call", "voicemail")
    assert seen["touch"]["note"] == "left VM"
    assert not (folder / "on-stage-change.json").exists()  # voicemail moves no stage
    run.ok("log", "dana", "-c", "call", "-o", "won")
    change = payload(folder, "on-stage-change")
    assert (change["from"], change["to"]) == ("proposal", "customer")
    assert change["touch"]["outcome"] == "won"


def test_a_vetoed_touch_is_not_written(run, dana):
    hook("on-stage-change", 'echo "ask finance first" >&2; exit 1')
    result = run("log", "dana", "-c", "call", "-o", "won")
    assert result.exit_code == 1
    assert "The on-stage-change hook refused: ask finance first; nothing was changed." in (
        result.output
    )
    shown = run.json("show", "dana")
    assert shown["touches"] == [] and shown["stage"] == "proposal"


def test_a_slow_hook_is_stopped(run, dana, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_HOOK_TIMEOUT", "0.5")
    hook("on-log", "sleep 30")
    started = time.monotonic()
    result = run("log", "dana", "-c", "email", "-o", "sent")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert "took longer than 0.5 s and was stopped; nothing was changed." in result.output
    assert run.json("show", "dana")["touches"] == []


def test_on_due_gets_todays_list_and_a_failure_is_a_warning(run, dana):
    folder = hook("on-due", "cat > on-due.json")
    run.ok("today")
    due = payload(folder, "on-due")["due"]
    assert [item["prospect"]["name"] for item in due] == ["Dana Reyes"]
    assert due[0]["template"] == "proposal-sent"
    hook("on-due", "exit 4")
    result = run("today")
    assert result.exit_code == 0 and "Dana Reyes" in result.stdout
    assert "Warning: The on-due hook refused: exit status 4; it was skipped." in result.output


def test_a_file_without_the_executable_bit_is_no_hook(run):
    hook("on-add", "exit 1", executable=False)
    run.ok("add", "Ana Lima", "--no-cadence")
