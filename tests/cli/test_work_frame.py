"""`followup work`'s first screen, drawn before prompt_toolkit is loaded (cli/work_frame.py):
the same screen prompt_toolkit then draws, at 80x24 and larger and with wide characters;
and under NO_COLOR, in a real pseudo-terminal, not one colour escape sequence."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from pathlib import Path

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from work_driver import demo_book, morning_of

from followup_cli.cli import work_app, work_desk, work_frame
from followup_cli.core import config
from followup_cli.core.text import width

demo = pytest.fixture(demo_book)
FOLLOWUP = str(Path(sys.executable).with_name("followup"))
# An SGR sequence; its parameters say whether it sets a colour.
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def colour_codes(stream: str) -> list[str]:
    """The SGR sequences of ``stream`` that set a foreground or background colour
    (30-39, 40-49, 90-97, 100-107, and 38/48 for 256 and true colours)."""
    found = []
    for params in SGR.findall(stream):
        numbers = [int(p) for p in re.split("[;:]", params) if p]
        if any(30 <= n <= 49 or 90 <= n <= 97 or 100 <= n <= 107 for n in numbers):
            found.append(params)
    return found


async def first_render(morning, size: Size) -> list[str]:
    """What prompt_toolkit draws first (before the draft is made), cell by cell."""
    drawn: list[list[str]] = []
    with create_pipe_input() as pipe:
        output = Vt100_Output(io.StringIO(), lambda: size, term="xterm", enable_cpr=False)
        screen = work_app.WorkScreen(morning, tz=config.user_timezone(), input=pipe, output=output)
        screen.app.after_render += lambda app: drawn or drawn.append(work_app.screen_lines(app))
        running = asyncio.ensure_future(screen.app.run_async())
        while not drawn:
            await asyncio.sleep(0.01)
        pipe.send_text("q")
        await asyncio.wait_for(running, 30)
    return drawn[0]


def painted(morning, size: Size) -> list[str]:
    desk = work_desk.Desk(morning, tz=config.user_timezone())
    desk.columns, desk.rows = size.columns, size.rows
    return work_frame.text(work_frame.frame(desk))


@pytest.mark.parametrize("size", [Size(24, 80), Size(50, 160), Size(30, 100)])
def test_the_first_frame_is_the_screen_prompt_toolkit_draws(run, demo, size):
    ours = painted(morning_of(), size)
    assert ours == asyncio.run(first_render(morning_of(), size))
    assert "› Peter Walsh" in ours[2] and "drafting…" in "\n".join(ours)
    assert len(ours) == size.rows and "q quit" in ours[-1]


def test_the_first_frame_with_wide_characters(run, isolated):
    run.ok(
        "add", "山田 太郎 🚀 Yamada Tarō Ichirō", "--company", "株式会社テスト", "--stage", "cold"
    )
    run.ok("add", "Zoë 🎉 Ünal", "--stage", "cold")
    ours = painted(morning_of(), Size(24, 80))
    assert ours == asyncio.run(first_render(morning_of(), Size(24, 80)))
    assert all(width(line) <= 80 for line in ours), ours
    assert any("山田 太郎" in line for line in ours)


def test_the_first_frame_of_an_empty_queue(run, isolated):
    run.ok("add", "Dana Reyes", "--stage", "cold")
    run.ok("snooze", "dana", "--until", "2027-01-01")
    ours = painted(morning_of(), Size(24, 80))
    assert ours == asyncio.run(first_render(morning_of(), Size(24, 80)))
    assert "The queue is worked through." in "\n".join(ours)


def session(extra_env: dict[str, str], keys: list[tuple[str, str]]) -> str:
    """The installed command in an 80x24 pseudo-terminal: each key sent once the text
    before it is on the screen; everything the terminal was sent, as text."""
    import pexpect

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    child = pexpect.spawn(
        FOLLOWUP,
        ["work"],
        env={**env, "TERM": "xterm-256color", **extra_env},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=90,
    )
    seen = io.StringIO()
    child.logfile_read = seen
    for wait_for, key in keys:
        child.expect(wait_for)
        child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, seen.getvalue()[-500:]
    return seen.getvalue()


# A morning that shows every look of the screen: the focus, overdue, done, snoozed,
# skipped, the help, a question, a logged touch, an error.
MORNING = [
    ("Peter Walsh", ""),
    ("next-steps-call", "v"),  # the draft came; a voicemail logged (green status)
    ("Logged call", "k"),  # skipped
    ("Skipped", "z"),
    ("Snooze until", "1\r"),  # snoozed (yellow mark)
    ("Snoozed", "?"),
    ("Keys", "x"),  # the help closes
    ("", "z"),
    ("Snooze until", "yesterday\r"),  # an error (red)
    ("past|before", "q"),
]


def test_no_color_gives_a_screen_without_colours(run, isolated):
    books = [isolated / "coloured.db", isolated / "plain.db"]
    for book in books:
        run.ok("demo", "--path", str(book))
    coloured = session({"FOLLOWUP_DB": str(books[0])}, MORNING)
    assert colour_codes(coloured), "the screen should have colours without NO_COLOR"
    plain = session({"FOLLOWUP_DB": str(books[1]), "NO_COLOR": "1"}, MORNING)
    assert colour_codes(plain) == []
    # the marks and words still tell everything: the focus is reversed, the rest in words
    assert "\x1b[0;7m› Peter Walsh" in plain  # the first frame
    for said in ("Logged call to Peter Walsh: voicemail", "Skipped", "Snoozed", "Keys"):
        assert said in plain
    assert re.search(r"\d+ done, \d+ snoozed, \d+ left", plain)


def test_no_color_at_80x24_with_wide_characters(run, isolated):
    run.ok(
        "add", "山田 太郎 🚀 Yamada Tarō Ichirō", "--company", "株式会社テスト", "--stage", "cold"
    )
    run.ok("add", "Zoë 🎉 Ünal", "--stage", "cold")
    plain = session(
        {"NO_COLOR": "1"},
        [("山田 太郎", ""), ("Draft", "k"), ("Skipped", "s"), ("Logged", "q")],
    )
    assert colour_codes(plain) == []
    assert "株式会社テスト" in plain
    assert "1 done, 0 snoozed, 1 left" in plain
    people = {p["name"]: p for p in run.json("list", "--all")}
    zoe = run.json("show", str(people["Zoë 🎉 Ünal"]["id"]))["touches"]
    assert [t["outcome"] for t in zoe] == ["sent"]


def readme_screens() -> list[list[str]]:
    """The captures of the screen in the README's `followup work` section."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("## The morning's queue") : readme.index("**Why prompt_toolkit")]
    blocks, block = [], None
    for line in section.split("\n"):
        if line.startswith("```"):
            if block is not None:
                blocks.append(block)
            block = [] if block is None else None
        elif block is not None:
            block.append(line)
    return [block for block in blocks if block and "followup work ·" in block[0]]


def test_the_readme_shows_the_screen_as_it_is_drawn(run, demo):
    """The README's two captures: the first screen once the draft is made, and after `v`."""
    from work_driver import Driver

    first: list[str] = []
    after_v = asyncio.run(Driver(morning_of()).run(["v", "q"], at_start=first.extend))
    assert readme_screens() == [first, after_v]
