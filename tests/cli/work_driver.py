"""Driving `followup work` in tests: its keys through a pipe, one at a time, each awaited
until the screen is idle, on an 80x24 (or any) VT100 screen; and the demo book."""

from __future__ import annotations

import asyncio
import io
import os
import time

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from followup_cli.cli import work_app
from followup_cli.core import config
from followup_cli.pipeline.morning import Morning
from followup_cli.store.target import connect


def demo_book(run, isolated):
    """The demo book (`followup demo`) as the database: use as ``pytest.fixture(demo_book)``."""
    path = isolated / "demo.db"
    run.ok("demo", "--path", str(path))
    os.environ["FOLLOWUP_DB"] = str(path)  # restored by the autouse fixture's monkeypatch
    return path


def screen_text(screen: work_app.WorkScreen) -> list[str]:
    """What the terminal shows: prompt_toolkit's last drawn screen, cell by cell."""
    return work_app.screen_lines(screen.app)


class Driver:
    """Keys in through a pipe, one at a time, each awaited until the screen is idle."""

    def __init__(self, morning: Morning, size: Size = Size(24, 80)) -> None:
        self.morning, self.size = morning, size

    async def run(self, keys: list[str], *, at_start=None) -> list[str]:
        with create_pipe_input() as pipe:
            output = Vt100_Output(io.StringIO(), lambda: self.size, term="xterm", enable_cpr=False)
            self.screen = work_app.WorkScreen(
                self.morning, tz=config.user_timezone(), input=pipe, output=output
            )
            running = asyncio.ensure_future(self.screen.app.run_async())
            await self.settle(0)
            if at_start:
                at_start(screen_text(self.screen))
            shown = screen_text(self.screen)
            for key in keys:
                shown = screen_text(self.screen)  # the screen the key was pressed on
                before = self.screen.keys_handled
                pipe.send_text(key)
                await self.settle(before + 1)
            await asyncio.wait_for(running, 30)
        return shown

    async def settle(self, handled: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            screen = self.screen
            if screen.app.is_done or (screen.keys_handled >= handled and screen.idle()):
                await asyncio.sleep(0.02)  # the redraw after the last change
                return
        raise AssertionError(f"the screen did not settle: {screen_text(self.screen)}")


def morning_of(channel: str | None = None) -> Morning:
    conn = connect(os.environ["FOLLOWUP_DB"])
    tz = config.user_timezone()
    return Morning(conn, clock=config.now, user_tz=tz, channel=channel, limit=15).load()
