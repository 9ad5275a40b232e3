"""The full-screen `followup work` (prompt_toolkit): keys in, the morning's calls out.

Imported only by the `work` command, in a thread while the first frame's painter
(``cli/work_early.py``) answers the first keys; then this screen takes over its desk. Each
key goes to ``cli/work_desk.Desk`` (what it does is decided there, for both painters) and
the screen is drawn from ``views.work_screen``. The next prospect's draft is made after
the screen is drawn, while the user reads, so a key answers at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Layout, VSplit, Window
from prompt_toolkit.layout.containers import ConditionalContainer
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.styles import Style

from followup_cli.cli.work_desk import Desk
from followup_cli.core.errors import FollowupError
from followup_cli.pipeline.morning import OUTCOME_KEYS, Morning
from followup_cli.views import work_screen as screen

REDRAW_WAIT = 0.002  # seconds between two looks for a redraw still to come


class WorkScreen:
    """The prompt_toolkit painter of a ``Desk``: its layout, and its keys handed over."""

    def __init__(
        self, morning: Morning, *, tz: Any, input: Any = None, output: Any = None, desk=None
    ):
        self.desk: Desk = desk or Desk(morning, tz=tz)
        self.morning, self.tz = morning, tz
        self.drafting: asyncio.Task[Any] | None = None
        self.answer = Buffer(multiline=False, accept_handler=self._answered)
        self.app: Application[Any] = Application(
            layout=self._layout(),
            key_bindings=self._keys(),
            style=Style.from_dict(screen.STYLE),
            full_screen=True,
            input=input,
            output=output,
            before_render=lambda _: self._sized(),
            after_render=lambda _: self._after_render(),
        )
        self.desk.output = self.app.output
        self._follow_question()

    @property
    def keys_handled(self) -> int:
        return self.desk.keys_handled

    # --- layout ---------------------------------------------------------------------------

    def _layout(self) -> Layout:
        desk = self.desk
        asking = Condition(lambda: desk.question is not None)
        self.focus_window = Window(
            FormattedTextControl(lambda: desk.focus_text(), focusable=True), wrap_lines=False
        )
        self.answer_window = Window(
            BufferControl(self.answer),
            height=1,
            get_line_prefix=lambda *_: (
                [("class:question", desk.question.prompt + " ")] if desk.question else []
            ),
        )
        body = VSplit(
            [
                Window(
                    FormattedTextControl(lambda: desk.queue_text()),
                    width=lambda: desk.queue_width(),
                ),
                Window(width=1, char="│", style="class:dim"),
                self.focus_window,
            ]
        )
        return Layout(
            HSplit(
                [
                    Window(FormattedTextControl(lambda: desk.header_text()), height=1),
                    body,
                    Window(FormattedTextControl(lambda: desk.status), height=1),
                    ConditionalContainer(self.answer_window, filter=asking),
                    Window(FormattedTextControl(lambda: desk.keys_text()), height=2),
                ]
            ),
            focused_element=self.focus_window,
        )

    def _sized(self) -> None:
        size = self.app.output.get_size()
        self.desk.columns, self.desk.rows = size.columns, size.rows

    # --- drafts, made after the screen is drawn -------------------------------------------

    def _after_render(self) -> None:
        if (self.drafting is None or self.drafting.done()) and self.desk.wanted_drafts():
            self.drafting = self.app.create_background_task(self._draft())

    async def _draft(self) -> None:
        """The drafts wanted, then the templates `t` lists, one at a time; a draft wanted
        again meanwhile (a key moved on, undo) goes before the next template."""
        while True:
            await self._turn()
            if self.desk.wanted_drafts():
                if self.desk.draft_one():
                    self.app.invalidate()
            elif not self.desk.warm_one():
                return

    async def _turn(self) -> None:
        """Wait until a key pressed meanwhile is answered and the screen it changed drawn.
        (prompt_toolkit puts a redraw off while other work is ready to run, up to 10 ms,
        and this work would then run before it: so it waits on a timer instead.)"""
        await asyncio.sleep(0)  # a key read meanwhile is handled
        while self.app.invalidated:
            await asyncio.sleep(REDRAW_WAIT)

    def idle(self) -> bool:
        """Nothing left to draw or draft (what the tests wait for)."""
        return (self.drafting is None or self.drafting.done()) and not self.desk.wanted_drafts()

    # --- keys -----------------------------------------------------------------------------

    def _keys(self) -> KeyBindings:
        keys = KeyBindings()
        desk = self.desk
        free = Condition(lambda: desk.question is None)
        asking = Condition(lambda: desk.question is not None)
        names = [*OUTCOME_KEYS, *"etcMzkua?q", "up", "down", "pagedown", "pageup", "space"]
        for name in names:
            keys.add(" " if name == "space" else name, filter=free)(
                lambda event, name=name: self._press(name)
            )

        @keys.add("c-c")
        def _(event: Any) -> None:
            self._press("c-c")

        @keys.add("c-d", filter=free)
        def _(event: Any) -> None:
            self._press("c-d")

        @keys.add("<any>", filter=free & Condition(lambda: desk.showing == "help"))
        def _(event: Any) -> None:
            self._press("any")

        @keys.add("escape", filter=asking, eager=True)
        def _(event: Any) -> None:
            desk.cancel()
            self._follow_question()

        return keys

    def _press(self, name: str) -> None:
        wanted = self.desk.press(name)
        if wanted == "quit":
            if not self.app.is_done:
                self.app.exit()
        elif wanted == "edit":
            self._edit()
        self._follow_question()
        self.app.invalidate()

    def _follow_question(self) -> None:
        """The cursor on the answer line while a question is asked, else on the focus."""
        wants = self.answer_window if self.desk.question is not None else self.focus_window
        if not self.app.layout.has_focus(wants):
            self.answer.reset()
            self.app.layout.focus(wants)

    def _answered(self, buffer: Buffer) -> bool:
        self.desk.answer(buffer.text)
        self._follow_question()
        self.app.invalidate()
        return False

    def _edit(self) -> None:
        target = self.desk.edit_target()
        if target is None:
            return

        async def edit() -> None:
            from followup_cli.views import draft as draft_view

            item, draft = target
            text: list[str] = []
            try:
                text.append(await run_in_terminal(lambda: draft_view.edit(draft.text())))
            except FollowupError as error:
                self.desk.status = screen.message(str(error), "error")
                self.desk.keys_handled += 1
            else:
                self.desk.edited(item, draft, lambda _: text[0])
            self.app.invalidate()

        self.app.create_background_task(edit())


def run(desk: Desk) -> None:
    """The screen, until q, taking over from the first frame's painter (``cli/work_early``)
    with its desk as it left it."""
    WorkScreen(desk.morning, tz=desk.tz, desk=desk).app.run()


def screen_lines(app: Application[Any]) -> list[str]:
    """The text of the screen as last drawn, a line a row (a wide character once, in the
    first of its two cells): the README's capture and the tests read it."""
    drawn = app.renderer._last_screen  # noqa: SLF001 - prompt_toolkit keeps no public copy
    size = app.output.get_size()
    if drawn is None:
        return []
    lines = []
    for row in range(size.rows):
        cells = drawn.data_buffer[row]
        text, skip = "", 0
        for column in range(size.columns):
            if skip:
                skip -= 1
                continue
            char = cells[column].char
            text += char
            skip = max(0, char_width(char) - 1)
        lines.append(text.rstrip())
    return lines


def char_width(char: str) -> int:
    from prompt_toolkit.utils import get_cwidth

    return get_cwidth(char)
