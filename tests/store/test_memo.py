"""Parsed cadences and public holidays are remembered in the database between commands."""

from __future__ import annotations

import subprocess
import sys


def test_a_second_command_needs_neither_yaml_nor_holidays(run, monkeypatch):
    from followup_cli.scheduling import cadence, cadence_check, schedule

    # Each command is a new process: start, like one, with nothing parsed in memory.
    cadence._cache.clear()
    schedule._holidays.clear()
    run.ok("add", "Dana Reyes", "--country", "US", "--cadence", "post-proposal")
    cadence._cache.clear()
    schedule._holidays.clear()

    def no_parsing(*args, **kwargs):
        raise AssertionError("the cadence file was parsed again")

    def no_holidays(*args, **kwargs):
        raise AssertionError("holidays were computed again")

    monkeypatch.setattr(cadence_check, "check_text", no_parsing)
    monkeypatch.setattr(schedule, "_compute_holidays", no_holidays)
    result = run.ok("log", "dana", "-c", "email", "-o", "sent")
    assert "step 1 of post-proposal" in result.output


def test_an_edited_cadence_is_parsed_again(run, tmp_path):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    mine = folder / "mine.yaml"
    mine.write_text("description: v1\nsteps:\n  - {day: 3, channel: email, purpose: First}\n")
    run.ok("add", "Ed Edit", "--cadence", "mine")
    mine.write_text("description: v2\nsteps:\n  - {day: 3, channel: call, purpose: Second}\n")
    import os
    import time

    stamp = time.time() + 5
    os.utime(mine, (stamp, stamp))
    assert run.json("show", "ed")["next_due"]["purpose"] == "Second"


def test_version_answers_without_loading_the_command_line():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "followup_cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    from followup_cli import __version__

    assert result.stdout == f"followup {__version__}\n"
    assert " typer" not in result.stderr  # importtime lists every module imported
