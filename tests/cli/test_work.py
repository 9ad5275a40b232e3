"""`followup work` driven for real: the prompt_toolkit application on a pipe for its keys
and an 80x24 VT100 screen, through a whole morning on the demo book (log, snooze, edit
with a scripted $EDITOR, undo, a note, not now, quit), and what the database holds after."""

from __future__ import annotations

import asyncio
import os
import stat

import pytest
from prompt_toolkit.data_structures import Size
from work_driver import Driver, demo_book, morning_of

demo = pytest.fixture(demo_book)


def editor(tmp_path, monkeypatch, subject: str) -> None:
    """A scripted $EDITOR: it rewrites the subject line of the file it is given."""
    script = tmp_path / "edit.sh"
    script.write_text(f"#!/bin/sh\nsed -i '1s/.*/Subject: {subject}/' \"$1\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))


def test_a_whole_morning_on_the_demo_book(run, demo, tmp_path, monkeypatch):
    editor(tmp_path, monkeypatch, "Still worth a look after six months?")
    morning = morning_of()
    names = [item.name for item in morning.queue]
    assert names[:5] == [
        "Peter Walsh",
        "Aisha Bello",
        "Carlos Mendes",
        "Liam O'Brien",
        "Dana Reyes",
    ]
    first: list[str] = []
    keys = [
        "v",  # Peter Walsh: a call, voicemail left
        "z",
        "3d\r",  # Aisha Bello: snoozed three days
        "e",  # Carlos Mendes: the draft edited ...
        "s",  # ... and logged as sent, with its template and variant
        "k",  # Liam O'Brien: skipped
        "s",  # Dana Reyes: sent ...
        "u",  # ... and taken back: Dana is in focus again
        "a",
        "asked who signs off\r",  # a note for Dana
        "x",
        "2027-02-01\r",  # Dana: not now, until February
        "q",
    ]
    last = asyncio.run(Driver(morning).run(keys, at_start=first.extend))

    # The first screen: the queue, the prospect in focus, why, and the checked draft.
    shown = "\n".join(first)
    assert all(len(line) <= 80 for line in first) and len(first) == 24
    assert "› Peter Walsh" in shown and "Walsh Dental Group" in shown
    assert "Due call" in shown and "Draft: next-steps-call" in shown  # stage-active (issue 18)
    assert "Last touches" in shown

    tomorrow = run.json("today", env={"FOLLOWUP_NOW": "2026-11-24T08:00:00-07:00"})
    due_tomorrow = sum(item["overdue_days"] == 0 for item in tomorrow)
    assert due_tomorrow > 0
    assert morning.summary().text() == (
        f"3 done, 1 snoozed, 5 left; next due tomorrow: {due_tomorrow}"
    )
    people = {p["name"]: p for p in run.json("list", "--all")}
    peter = run.json("show", str(people["Peter Walsh"]["id"]))["touches"][0]
    assert (peter["channel"], peter["outcome"], peter["template"]) == (
        "call",
        "voicemail",
        "next-steps-call",
    )
    assert peter["variant"] is not None and peter["at"] == "2026-11-23T15:00:00Z"

    aisha = run.json("show", str(people["Aisha Bello"]["id"]))
    assert aisha["paused_until"].startswith("2026-11-26")
    assert aisha["touches"][0]["at"] < "2026-11-23"  # no touch logged for a snooze

    carlos = run.json("show", str(people["Carlos Mendes"]["id"]))["touches"][0]
    assert (carlos["channel"], carlos["outcome"], carlos["template"]) == (
        "email",
        "sent",
        "six-month-check-in",
    )
    assert carlos["note"] == "Still worth a look after six months?"  # the edited subject

    liam = run.json("show", str(people["Liam O'Brien"]["id"]))["touches"][0]
    assert liam["at"] < "2026-11-23"  # skipped: nothing written

    dana = run.json("show", str(people["Dana Reyes"]["id"]))
    today = [t for t in dana["touches"] if t["at"] >= "2026-11-23"]
    assert [(t["outcome"], t["until"]) for t in today] == [("not_now", "2027-02-01T16:00:00Z")]
    assert dana["stage"] == "nurture"
    assert dana["notes"].endswith("2026-11-23: asked who signs off")

    # Every action is its own command's entry in the journal, the undone one marked.
    entries = run.json("undo", "--list")
    assert [(e["command"], e["undone_at"] is not None) for e in entries] == [
        ("log", False),  # Dana: not now
        ("edit", False),  # Dana: the note
        ("log", True),  # Dana: sent, undone
        ("log", False),  # Carlos
        ("snooze", False),  # Aisha
        ("log", False),  # Peter
    ]
    assert len(entries) == 6  # the demo book itself is not in the journal
    assert "› Priya Natarajan" in "\n".join(last)  # the next one nothing was done with


def test_quitting_at_once_writes_nothing(run, demo):
    before = run.json("undo", "--list")
    morning = morning_of()
    asyncio.run(Driver(morning).run(["q"]))
    assert run.json("undo", "--list") == before
    total = len(morning.queue)
    assert morning.summary().text().startswith(f"0 done, 0 snoozed, {total} left; next due ")


def test_opting_out_asks_first_and_a_no_changes_nothing(run, demo):
    morning = morning_of(channel="linkedin")
    assert [item.name for item in morning.queue] == ["Diego Alvarez"]
    asyncio.run(Driver(morning).run(["o", "n\r", "o", "y\r", "q"]))
    diego = run.json("show", "diego")
    assert diego["do_not_contact"] is True
    assert [t["outcome"] for t in diego["touches"]].count("opted_out") == 1


def test_wide_names_fit_the_screen(run, isolated, monkeypatch):
    run.ok(
        "add", "山田 太郎 🚀 Yamada Tarō Ichirō", "--company", "株式会社テスト", "--stage", "cold"
    )
    run.ok("add", "Zoë 🎉 Ünal", "--stage", "cold")
    morning = morning_of()
    assert len(morning.queue) == 2
    lines = asyncio.run(Driver(morning).run(["k", "q"]))
    from followup_cli.core.text import width

    assert all(width(line) <= 80 for line in lines), lines
    assert any("山田 太郎" in line for line in lines)


@pytest.mark.parametrize("size", [Size(24, 80), Size(50, 160)])
def test_the_screen_at_80x24_and_larger(run, demo, size):
    shown: list[str] = []
    asyncio.run(Driver(morning_of(), size).run(["?", "x", "q"], at_start=shown.extend))
    assert len(shown) == size.rows and all(len(line) <= size.columns for line in shown)
    assert "s sent" in shown[-2] and "q quit" in shown[-1]


def test_the_installed_command_in_a_pseudo_terminal(demo):
    """The real `followup` script, in a real 80x24 pseudo-terminal: it starts, draws the
    queue and the draft, takes a key, and quits with the summary."""
    import sys
    from pathlib import Path

    import pexpect

    command = Path(sys.executable).with_name("followup")
    child = pexpect.spawn(
        str(command),
        ["work"],
        env={**os.environ, "TERM": "xterm"},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=90,
    )
    child.expect("Peter Walsh")
    child.expect("next-steps-call")  # the draft, made after the first screen
    child.send("k")
    child.expect("Skipped")
    child.send("q")
    child.expect(r"0 done, 0 snoozed, 9 left; next due \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_without_a_terminal_it_says_so(run, demo):
    result = run("work")
    assert result.exit_code == 2
    assert "followup work needs a terminal (it is full screen)" in result.stderr


def test_no_other_command_loads_the_screen_library(demo):
    import subprocess
    import sys

    for args in (["today"], ["show", "dana"], ["log", "dana", "-c", "call", "-o", "no_answer"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "followup_cli", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "prompt_toolkit" not in done.stderr, args
