"""`followup work` before prompt_toolkit has loaded (cli/work_early.py): the keys read from
the raw terminal, each handed to the same desk the prompt_toolkit screen uses, answered
with the first frame's painter; and prompt_toolkit taking the desk over as it was left."""

from __future__ import annotations

import asyncio
import io
import os
import select
import stat
import sys
from pathlib import Path

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from work_driver import demo_book, morning_of

from followup_cli.cli import work_app, work_desk, work_early, work_frame
from followup_cli.core import config

demo = pytest.fixture(demo_book)
FOLLOWUP = str(Path(sys.executable).with_name("followup"))


class PipeTerminal:
    """What the early loop needs of a terminal: keys from a pipe, a fixed size, and what
    it was sent."""

    def __init__(self, columns: int = 80, rows: int = 24) -> None:
        self.fd_in, self.keyboard = os.pipe()
        self.columns, self.rows = columns, rows
        self.sent: list[str] = []
        self.modes: list[str] = []

    def type(self, keys: str) -> None:
        os.write(self.keyboard, keys.encode())

    def drained(self) -> bool:
        return not select.select([self.fd_in], [], [], 0)[0]

    def size(self) -> tuple[int, int]:
        return self.columns, self.rows

    def write_raw(self, text: str) -> None:
        self.sent.append(text)

    def flush(self) -> None:
        pass

    def raw(self) -> None:
        self.modes.append("raw")

    def cooked(self) -> None:
        self.modes.append("cooked")


def on_screen(terminal: PipeTerminal) -> list[str]:
    import pyte

    screen = pyte.Screen(terminal.columns, terminal.rows)
    pyte.Stream(screen).feed("".join(terminal.sent))
    return [line.rstrip() for line in screen.display]


def early_run(keys: str, terminal: PipeTerminal | None = None, **options):
    """The early loop over ``keys`` typed ahead all at once; it hands over once every one
    is read and answered."""
    terminal = terminal or PipeTerminal()
    desk = work_desk.Desk(morning_of(**options), tz=config.user_timezone())
    early = work_early.Early(desk, terminal, colour=False)
    early.paint()
    terminal.type(keys)
    how = early.run(terminal.drained)
    return how, desk, early, terminal


async def handed_over(desk, size: Size) -> list[str]:
    """What prompt_toolkit draws first when it takes ``desk`` over."""
    drawn: list[list[str]] = []
    with create_pipe_input() as pipe:
        output = Vt100_Output(io.StringIO(), lambda: size, term="xterm", enable_cpr=False)
        shown = work_app.WorkScreen(desk.morning, tz=desk.tz, desk=desk, input=pipe, output=output)
        shown.app.after_render += lambda app: drawn or drawn.append(work_app.screen_lines(app))
        running = asyncio.ensure_future(shown.app.run_async())
        while not drawn:
            await asyncio.sleep(0.01)
        pipe.send_text("q")
        await asyncio.wait_for(running, 30)
    return drawn[0]


def test_keys_are_read_as_the_terminal_sends_them():
    keys, rest = work_early.split(b"s\x1b[Bz3d\r\x7f\x1b[6~\x1bOA \x03")
    assert [name for name, _ in keys] == [
        "s",
        "down",
        "z",
        "3",
        "d",
        "enter",
        "backspace",
        "pagedown",
        "up",
        "space",
        "c-c",
    ]
    assert rest == b""
    # a key cut in two by the read: the first part waits for the rest
    assert work_early.split(b"k\x1b[") == ([("k", b"k")], b"\x1b[")
    assert work_early.split("é".encode()[:1]) == ([], "é".encode()[:1])
    assert work_early.split("Zoë".encode())[0] == [("Z", b"Z"), ("o", b"o"), ("ë", "ë".encode())]
    # an unknown sequence (F5) is one key the screen ignores, not five letters
    assert work_early.split(b"\x1b[15~k")[0] == [("", b"\x1b[15~"), ("k", b"k")]


def test_a_whole_morning_typed_before_prompt_toolkit_is_loaded(run, demo, tmp_path, monkeypatch):
    """The keys of test_work's morning, all typed at once the moment the first frame is up:
    each one is done, to the prospect in focus when it was pressed, by the same desk."""
    script = tmp_path / "edit.sh"
    script.write_text("#!/bin/sh\nsed -i '1s/.*/Subject: Still worth a look?/' \"$1\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    keys = "vz3d\r" + "es" + "k" + "su" + "aasked who signs off\r" + "x2027-02-01\r"
    how, desk, early, terminal = early_run(keys)
    assert how == "handover" and desk.keys_handled == 12  # a question and its answer: 2
    assert terminal.modes == ["cooked", "raw"]  # the editor had the terminal as the user has it

    entries = run.json("undo", "--list")
    assert [(e["command"], e["undone_at"] is not None) for e in entries] == [
        ("log", False),  # Dana: not now
        ("edit", False),  # Dana: the note
        ("log", True),  # Dana: sent, undone
        ("log", False),  # Carlos: the edited draft, sent
        ("snooze", False),  # Aisha
        ("log", False),  # Peter: voicemail
    ]
    people = {p["name"]: p for p in run.json("list", "--all")}
    peter = run.json("show", str(people["Peter Walsh"]["id"]))["touches"][0]
    assert (peter["outcome"], peter["template"]) == ("voicemail", "next-steps-call")
    carlos = run.json("show", str(people["Carlos Mendes"]["id"]))["touches"][0]
    assert (carlos["template"], carlos["note"]) == ("six-month-check-in", "Still worth a look?")
    dana = run.json("show", str(people["Dana Reyes"]["id"]))
    assert dana["stage"] == "nurture" and dana["notes"].endswith("2026-11-23: asked who signs off")

    # what the terminal shows is the frame (a terminal emulator reads what was sent) ...
    ours = work_frame.text(work_frame.frame(desk, early.typed))
    assert "› Priya Natarajan" in "\n".join(ours)
    assert on_screen(terminal) == ours
    # ... and prompt_toolkit takes over the screen exactly as the early painter left it
    assert ours == asyncio.run(handed_over(desk, Size(24, 80)))


def test_a_question_half_answered_is_finished_before_the_hand_over(run, demo):
    import threading

    terminal = PipeTerminal()
    desk = work_desk.Desk(morning_of(channel="linkedin"), tz=config.user_timezone())
    early = work_early.Early(desk, terminal, colour=False)
    early.paint()
    terminal.type("aZoë likes ")
    later = threading.Timer(0.5, terminal.type, ["short\x7fs\r"])  # the rest, typed later
    later.start()
    assert early.run(terminal.drained) == "handover"  # not before the answer is in
    later.join()
    assert run.json("show", "diego")["notes"].endswith("2026-11-23: Zoë likes shors")
    typing = [f for f in terminal.sent if "Note for Diego Alvarez:" in f and "Zoë likes" in f]
    assert typing and "\x1b[?25h" in typing[-1]  # typed on its line, the cursor shown there


def test_escape_cancels_a_question_and_q_quits(run, demo):
    before = run.json("undo", "--list")
    how, desk, early, terminal = early_run("z\x1b", channel="linkedin")
    assert how == "handover" and "Nothing was done." in "\n".join(
        work_frame.text(work_frame.frame(desk))
    )
    how, *_ = early_run("kq", channel="linkedin")
    assert how == "quit"
    assert run.json("undo", "--list") == before


def test_s_pressed_the_moment_the_first_frame_is_up(run, demo):
    """The installed command in a real pseudo-terminal: the first screen already has the
    draft, and `s` pressed the instant it shows logs that draft, template and variant,
    while the journal, undo and prompt_toolkit are still being imported in the thread;
    `u` and `s` at once after it take it back and log it again."""
    import pexpect

    child = pexpect.spawn(
        FOLLOWUP, ["work", "--channel", "email"], env={**os.environ, "TERM": "xterm"},
        dimensions=(24, 80), encoding="utf-8", timeout=90,
    )  # fmt: skip
    child.expect("Draft: six-month-check-in")  # on the first frame
    child.send("s")
    child.expect("Logged email to Carlos Mendes: sent")
    child.send("u")
    child.expect("Undone: email")
    child.send("s")
    child.expect("Logged email to Carlos Mendes: sent")
    child.send("q")
    child.expect(r"1 done, 0 snoozed, \d+ left")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    touches = run.json("show", "carlos")["touches"]
    assert [t["at"] for t in touches].count("2026-11-23T15:00:00Z") == 1  # the undone one gone
    touch = touches[0]
    assert (touch["outcome"], touch["template"]) == ("sent", "six-month-check-in")
    assert touch["variant"] and touch["at"] == "2026-11-23T15:00:00Z"
    entries = run.json("undo", "--list")
    assert [(e["command"], e["undone_at"] is not None) for e in entries[:2]] == [
        ("log", False),
        ("log", True),
    ]


def test_the_import_is_held_while_a_key_is_answered_and_a_draft_made(run, demo):
    """The early loop lets the background import run only while it waits for a key."""
    terminal = PipeTerminal()
    desk = work_desk.Desk(morning_of(), tz=config.user_timezone())
    events: list[str] = []

    class Loader:
        def hold(self) -> None:
            events.append("hold")

        def release(self) -> None:
            events.append("release")

    for name in ("press", "draft_one"):
        done = getattr(desk, name)
        setattr(desk, name, lambda *a, done=done, name=name: events.append(name) or done(*a))
    early = work_early.Early(desk, terminal, colour=False)
    early.paint()
    terminal.type("sk")
    assert early.run(terminal.drained, Loader()) == "handover"
    assert events.count("press") == 2 and "draft_one" in events
    for at, event in enumerate(events):
        if event in ("press", "draft_one"):  # held since the last time it was let go
            assert events[:at][::-1].index("hold") < events[:at][::-1].index("release")
    assert events[-1] == "release"  # let go for good when the loop ends
