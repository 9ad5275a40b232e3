"""The rest of `followup work`'s keys, each against what the database (or the platform's
clipboard and mail opener, stood in for by scripts on PATH) holds afterwards."""

from __future__ import annotations

import asyncio
import os
import stat

import pytest
from work_driver import Driver, demo_book, morning_of

from followup_cli.pipeline.morning import Morning, Summary

demo = pytest.fixture(demo_book)


def outcomes_of(run, name: str) -> list[tuple[str, str]]:
    return [(t["channel"], t["outcome"]) for t in run.json("show", name)["touches"]]


def tool(tmp_path, monkeypatch, name: str) -> os.PathLike:
    """A stand-in for a platform command: it writes its arguments and input to a file."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    script = folder / name
    said = tmp_path / f"{name}.out"
    script.write_text(f'#!/bin/sh\necho "$@" > {said}\ncat >> {said} 2>/dev/null || true\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return said


def test_replied_won_lost_and_no_answer_log_their_outcomes(run, demo):
    morning = morning_of(channel="email")
    names = [item.name for item in morning.queue][:4]
    asyncio.run(Driver(morning).run(["r", "w", "l", "n", "q"]))
    first, second, third, fourth = (run.json("show", name) for name in names)
    assert first["touches"][0]["outcome"] == "replied"
    assert first["touches"][0]["channel"] == "email"
    assert second["touches"][0]["outcome"] == "won" and second["stage"] == "customer"
    assert second["cadence"] == "customer-onboarding"
    assert third["touches"][0]["outcome"] == "lost" and third["stage"] == "lost"
    assert third["cadence"] == "lost-deal"
    assert fourth["touches"][0]["outcome"] == "no_answer"
    assert morning.summary().done == 4


def test_meeting_logs_on_the_steps_channel(run, demo):
    morning = morning_of(channel="linkedin")
    asyncio.run(Driver(morning).run(["m", "q"]))
    assert outcomes_of(run, "diego")[0] == ("linkedin", "meeting")


def test_another_template_is_drafted_and_logged(run, demo):
    morning = morning_of(channel="linkedin")
    shown = asyncio.run(Driver(morning).run(["t", "new-angle\r", "s", "q"]))
    touch = run.json("show", "diego")["touches"][0]
    # The chosen template is what was sent, on its own channel, with its variant.
    assert (touch["channel"], touch["outcome"], touch["template"]) == (
        "email",
        "sent",
        "new-angle",
    )
    assert touch["variant"] is not None
    assert any("Logged email to Diego Alvarez: sent." in line for line in shown), shown


def test_a_template_that_does_not_exist_is_asked_again(run, demo):
    morning = morning_of(channel="linkedin")
    shown = asyncio.run(Driver(morning).run(["t", "nope\r", "q"]))
    assert any("No template 'nope'" in line for line in shown), shown
    assert run.json("show", "diego")["touches"][0]["at"] < "2026-11-23"


def test_copy_hands_the_draft_to_the_platforms_clipboard(run, demo, tmp_path, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    said = tool(tmp_path, monkeypatch, "xclip")
    morning = morning_of(channel="linkedin")
    shown = asyncio.run(Driver(morning).run(["c", "q"]))
    copied = said.read_text()
    assert copied.startswith("-selection clipboard\n")
    assert "Diego" in copied
    assert "Copied the draft (xclip)." in "\n".join(shown)
    assert outcomes_of(run, "diego")[0] != ("linkedin", "sent")  # copying logs nothing


def test_mail_opens_a_mailto_link(run, demo, tmp_path, monkeypatch):
    said = tool(tmp_path, monkeypatch, "xdg-open")
    morning = morning_of(channel="email")
    shown = asyncio.run(Driver(morning).run(["M", "q"]))
    for _ in range(100):  # the opener runs on its own
        if said.exists() and said.read_text():
            break
        asyncio.run(asyncio.sleep(0.05))
    url = said.read_text().strip()
    first = morning.queue[0]
    assert url.startswith("mailto:") and "subject=" in url and "body=" in url
    assert first.email.split("@")[0] in url
    assert "Opened in your mail client" in "\n".join(shown)


def test_a_bad_snooze_date_is_one_line_and_changes_nothing(run, demo):
    before = run.json("undo", "--list")
    morning = morning_of(channel="linkedin")
    shown = asyncio.run(Driver(morning).run(["z", "yesterday\r", "q"]))
    assert run.json("undo", "--list") == before
    assert any("in the past" in line or "later date" in line for line in shown), shown
    assert "› Diego Alvarez" in "\n".join(shown)  # still in focus


def test_undo_leaves_another_sessions_change_alone(run, demo, monkeypatch):
    morning = morning_of(channel="email")
    first = morning.queue[0]
    morning.log(first, "sent")
    monkeypatch.setenv("FOLLOWUP_SESSION", "another terminal")
    run.ok("log", "dana", "-c", "call", "-o", "no_answer")
    monkeypatch.setenv("FOLLOWUP_SESSION", "")
    shown = asyncio.run(Driver(morning).run(["u", "q"]))
    assert "The newest change is not this session's" in "\n".join(shown)
    assert outcomes_of(run, "dana")[0] == ("call", "no_answer")
    assert run.json("show", str(first.prospect_id))["touches"][0]["outcome"] == "sent"


def test_a_note_keeps_the_prospect_in_focus_and_is_undone_alone(run, demo):
    morning = morning_of(channel="linkedin")
    before = run.json("show", "diego")["notes"]
    asyncio.run(Driver(morning).run(["a", "  likes   short   messages \r", "q"]))
    notes = run.json("show", "diego")["notes"]
    assert notes == "\n".join(filter(None, [before, "2026-11-23: likes short messages"]))
    assert morning.current is not None and morning.current.name == "Diego Alvarez"
    asyncio.run(Driver(morning).run(["u", "q"]))
    assert run.json("show", "diego")["notes"] == before


def test_the_summary_names_the_next_day_with_something_due():
    from datetime import date

    today = date(2026, 11, 23)
    assert Summary(9, 2, 3, date(2026, 11, 24), 6, today).text() == (
        "9 done, 2 snoozed, 3 left; next due tomorrow: 6"
    )
    assert Summary(1, 0, 0, date(2026, 11, 26), 4, today).text() == (
        "1 done, 0 snoozed, 0 left; next due Thu 26 Nov: 4"
    )
    assert Summary(0, 0, 0, None, 0, today).text() == "0 done, 0 snoozed, 0 left; nothing else due."


def test_skipped_ones_come_back_at_the_end(run, demo):
    morning: Morning = morning_of(channel="email")
    names = [item.name for item in morning.queue]
    seen = []
    for _ in range(len(names) + 1):
        seen.append(morning.current.name)
        morning.skip(morning.current)
        morning.advance()
    assert seen == [*names, names[0]]  # after the last, the first skipped again


def test_work_between_keys_waits_for_the_redraw_of_a_key(run, demo):
    """prompt_toolkit puts a redraw off while other work is ready to run: the drafts and
    templates made between keys wait on a timer for it instead, so a key's answer is drawn
    before the next of them runs."""
    import io

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from followup_cli.cli import work_app
    from followup_cli.core import config

    async def go() -> tuple[int, int]:
        with create_pipe_input() as pipe:
            size = Size(24, 80)
            output = Vt100_Output(io.StringIO(), lambda: size, term="xterm", enable_cpr=False)
            screen = work_app.WorkScreen(
                morning_of(), tz=config.user_timezone(), input=pipe, output=output
            )
            drawn: list[int] = []
            screen.app.after_render += lambda app: drawn.append(1)
            running = asyncio.ensure_future(screen.app.run_async())
            while not drawn or not screen.idle():
                await asyncio.sleep(0.01)

            async def busy() -> None:  # other work, ready to run all along
                while True:
                    await asyncio.sleep(0)

            spinning = asyncio.ensure_future(busy())
            before = len(drawn)
            screen.app.invalidate()  # as a key does
            await screen._turn()
            after = len(drawn)
            spinning.cancel()
            pipe.send_text("q")
            await asyncio.wait_for(running, 30)
            return before, after

    before, after = asyncio.run(go())
    assert after == before + 1


def test_a_draft_wanted_while_templates_load_is_made(run, demo):
    """An undo (or any key that moves on) while the templates `t` lists are loaded between
    keys: the draft it wants is made before the next template, not left "drafting…"."""
    import io

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from followup_cli.cli import work_app
    from followup_cli.core import config
    from followup_cli.core.library import template_files

    async def go() -> list:
        with create_pipe_input() as pipe:
            size = Size(24, 80)
            output = Vt100_Output(io.StringIO(), lambda: size, term="xterm", enable_cpr=False)
            screen = work_app.WorkScreen(
                morning_of(), tz=config.user_timezone(), input=pipe, output=output
            )
            desk = screen.desk
            while desk.wanted_drafts():
                desk.draft_one()
            desk.unread = list(template_files().values()) * 100  # many to load, one by one
            drafting = asyncio.ensure_future(screen._draft())
            for _ in range(5):
                await asyncio.sleep(0)
            assert desk.unread  # still loading them
            desk.forget()  # what u does: every draft to make again
            await asyncio.wait_for(drafting, 30)
            return desk.wanted_drafts()

    assert asyncio.run(go()) == []
