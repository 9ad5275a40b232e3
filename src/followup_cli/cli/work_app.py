"""The full-screen `followup work` (prompt_toolkit): keys in, the morning's calls out.

Imported only by the `work` command. Each key calls ``pipeline.morning`` (which calls what
the matching command calls) and the screen is drawn from ``views.work_screen``. The draft
of the prospect in focus is made after the screen is drawn, and the next one's while the
user reads, so a key answers at once even when a template takes a while.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Layout, VSplit, Window
from prompt_toolkit.layout.containers import ConditionalContainer
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.styles import Style

from followup_cli.core.errors import FollowupError
from followup_cli.pipeline.morning import OUTCOME_KEYS, SNOOZES, Morning
from followup_cli.views import work_screen as screen


class Question:
    """A line the user types an answer into, and what to do with it."""

    def __init__(self, prompt: str, answer: Any) -> None:
        self.prompt, self.answer = prompt, answer


class WorkScreen:
    def __init__(self, morning: Morning, *, tz: Any, input: Any = None, output: Any = None):
        self.morning, self.tz = morning, tz
        self.drafts: dict[int, Any] = {}  # prospect id -> the draft on screen
        self.problems: dict[int, str] = {}  # prospect id -> why there is no draft
        self.templates: dict[int, str] = {}  # prospect id -> the template chosen with t
        self.focused: dict[int, Any] = {}  # prospect id -> pipeline.morning.Focus
        self.status: list[screen.Fragment] = screen.message(screen.START)
        self.question: Question | None = None
        self.showing: str | None = None  # "help", "templates"
        self.scroll = 0
        self.keys_handled = 0
        self.drafting: asyncio.Task[Any] | None = None
        self.answer = Buffer(multiline=False, accept_handler=self._answered)
        self.app: Application[Any] = Application(
            layout=self._layout(),
            key_bindings=self._keys(),
            style=Style.from_dict(screen.STYLE),
            full_screen=True,
            input=input,
            output=output,
            after_render=lambda _: self._after_render(),
        )

    # --- layout ---------------------------------------------------------------------------

    def _layout(self) -> Layout:
        asking = Condition(lambda: self.question is not None)
        self.focus_window = Window(
            FormattedTextControl(self._focus_text, focusable=True), wrap_lines=False
        )
        self.answer_window = Window(
            BufferControl(self.answer),
            height=1,
            get_line_prefix=lambda *_: (
                [("class:question", self.question.prompt + " ")] if self.question else []
            ),
        )
        body = VSplit(
            [
                Window(FormattedTextControl(self._queue_text), width=self._queue_width),
                Window(width=1, char="│", style="class:dim"),
                self.focus_window,
            ]
        )
        return Layout(
            HSplit(
                [
                    Window(FormattedTextControl(self._header_text), height=1),
                    body,
                    Window(FormattedTextControl(lambda: self.status), height=1),
                    ConditionalContainer(self.answer_window, filter=asking),
                    Window(FormattedTextControl(self._keys_text), height=2),
                ]
            ),
            focused_element=self.focus_window,
        )

    def _size(self) -> Any:
        return self.app.output.get_size()

    def _queue_width(self) -> int:
        return screen.queue_width(self._size().columns)

    def _focus_width(self) -> int:
        return screen.focus_width(self._size().columns)

    def _body_rows(self) -> int:
        return screen.body_rows(self._size().rows, asking=self.question is not None)

    def _header_text(self) -> list[screen.Fragment]:
        return screen.header(self.morning, self.morning.clock(), self.tz)

    def _queue_text(self) -> list[screen.Fragment]:
        return screen.queue(
            self.morning, self._queue_width(), self._body_rows(), self.morning.clock(), self.tz
        )

    def _keys_text(self) -> list[screen.Fragment]:
        return screen.keys_line(self._size().columns)

    def _focus_text(self) -> list[screen.Fragment]:
        item = self.morning.current
        if self.showing == "help":
            fragments = screen.help_text()
        elif item is None:
            fragments = screen.finished(self.morning.summary())
        elif self.showing == "templates":
            chosen = self.drafts.get(item.prospect_id)
            fragments = screen.templates(
                self.morning.templates(item), chosen.template.name if chosen else None
            )
        else:
            seen = self._seen(item)
            fragments = screen.focus(
                seen,
                self.drafts.get(item.prospect_id),
                self.problems.get(item.prospect_id),
                self.morning.clock(),
                self.tz,
                touches=screen.touches_shown(self._size().rows),
            )
        shown, self.scroll = screen.page(
            fragments, self._focus_width(), self._body_rows(), self.scroll
        )
        return shown

    def _seen(self, item: Any) -> Any:
        if item.prospect_id not in self.focused:
            self.focused[item.prospect_id] = self.morning.focus(item)
        return self.focused[item.prospect_id]

    # --- drafts, made after the screen is drawn -------------------------------------------

    def _after_render(self) -> None:
        if self.drafting is None or self.drafting.done():
            wanted = self._wanted_drafts()
            if wanted:
                self.drafting = self.app.create_background_task(self._draft(wanted))

    def _wanted_drafts(self) -> list[Any]:
        current = self.morning.current
        if current is None:
            return []
        wanted = [current]
        for item in self.morning.queue[self.morning.position + 1 :]:
            if not self.morning.status_of(item):
                wanted.append(item)  # the next one, drafted while this one is read
                break
        made = self.drafts.keys() | self.problems.keys()
        return [item for item in wanted if item.prospect_id not in made]

    async def _draft(self, items: list[Any]) -> None:
        for item in items:
            await asyncio.sleep(0)  # let a key pressed meanwhile go first
            self._make_draft(item)
            if item is self.morning.current:
                self.app.invalidate()

    def _make_draft(self, item: Any) -> None:
        try:
            self.drafts[item.prospect_id] = self.morning.draft(
                item, template=self.templates.get(item.prospect_id)
            )
            self.problems.pop(item.prospect_id, None)
        except FollowupError as error:
            self.drafts.pop(item.prospect_id, None)
            self.problems[item.prospect_id] = str(error)

    def idle(self) -> bool:
        """Nothing left to draw or draft (what the tests wait for)."""
        return (self.drafting is None or self.drafting.done()) and not self._wanted_drafts()

    def _forget(self, prospect_id: int | None = None, template: str | None = None) -> None:
        """Drafts to make again: one prospect's, those of a template just sent (its A/B
        variant may change), or all of them (after an undo)."""
        everything = prospect_id is None and template is None
        for pid, made in list(self.drafts.items()):
            if everything or pid == prospect_id or made.template.name == template:
                del self.drafts[pid]
        if everything:
            self.problems.clear()
            self.focused.clear()
        else:
            self.problems.pop(prospect_id or -1, None)
            self.focused.pop(prospect_id or -1, None)

    # --- keys -----------------------------------------------------------------------------

    def _keys(self) -> KeyBindings:
        keys = KeyBindings()
        free = Condition(lambda: self.question is None and self.showing != "help")
        helping = Condition(lambda: self.showing == "help")
        asking = Condition(lambda: self.question is not None)

        def bind(key: str, action: Any) -> None:
            @keys.add(key, filter=free)
            def _(event: Any) -> None:
                self._run(action)

        for key, outcome in OUTCOME_KEYS.items():
            bind(key, lambda outcome=outcome: self._outcome(outcome))
        actions = {
            "e": self._edit,
            "t": self._choose_template,
            "c": self._copy,
            "M": self._mail,
            "z": self._snooze,
            "k": self._skip,
            "u": self._undo,
            "a": self._note,
            "?": self._help,
            "q": self._quit,
            "up": lambda: self._move(-1),
            "down": lambda: self._move(1),
            "pagedown": lambda: self._page(1),
            "space": lambda: self._page(1),
            "pageup": lambda: self._page(-1),
        }
        for key, action in actions.items():
            bind(" " if key == "space" else key, action)

        @keys.add("c-c")
        @keys.add("c-d", filter=free)
        def _(event: Any) -> None:
            self._quit()

        @keys.add("<any>", filter=helping)
        def _(event: Any) -> None:
            self.showing = None
            self.keys_handled += 1

        @keys.add("escape", filter=asking, eager=True)
        def _(event: Any) -> None:
            self._close_question(screen.message("Nothing was done."))
            self.keys_handled += 1

        return keys

    def _run(self, action: Any) -> None:
        """One key: its action, its error (if any) on the status line, never a crash."""
        try:
            action()
        except FollowupError as error:
            self.status = screen.message(str(error), "error")
        self.keys_handled += 1
        self.app.invalidate()

    def _item(self) -> Any:
        item = self.morning.current
        if item is None:
            raise FollowupError(
                "The queue is worked through: u takes back the last action, q quits."
            )
        return item

    def _ask(self, prompt: str, answer: Any) -> None:
        self.question = Question(prompt, answer)
        self.answer.reset()
        self.app.layout.focus(self.answer_window)

    def _answered(self, buffer: Buffer) -> bool:
        question, text = self.question, buffer.text
        self._close_question(self.status)
        assert question is not None
        self._run(lambda: question.answer(text.strip()))
        return False

    def _close_question(self, status: list[screen.Fragment]) -> None:
        self.question, self.showing = None, None
        self.status = status
        self.app.layout.focus(self.focus_window)

    def _next(self, said: list[screen.Fragment]) -> None:
        self.morning.advance()
        self.status, self.scroll, self.showing = said, 0, None

    # --- the actions ----------------------------------------------------------------------

    def _outcome(self, outcome: str) -> None:
        item = self._item()
        if outcome == "not_now":
            return self._ask(
                "Not now: pick up again when? (a date, 3mo; Enter: the cadence's pause)",
                lambda text: self._log(item, "not_now", until=self._when(text) if text else None),
            )
        if outcome == "opted_out":
            return self._ask(
                f"{item.name} opted out: never contact them again? (y/N)",
                lambda text: (
                    self._log(item, "opted_out")
                    if text.lower() in ("y", "yes")
                    else setattr(self, "status", screen.message("Not marked: nothing was done."))
                ),
            )
        self._log(item, outcome)

    def _log(self, item: Any, outcome: str, until: datetime | None = None) -> None:
        draft = self.drafts.get(item.prospect_id)
        logged = self.morning.log(item, outcome, draft=draft, until=until)
        self._forget(item.prospect_id, logged.touch.template)
        self._next(screen.logged(logged, self.morning.clock(), self.tz))

    def _snooze(self) -> None:
        item = self._item()

        def snooze(text: str) -> None:
            text = {"1": SNOOZES[0], "2": SNOOZES[1], "3": SNOOZES[2]}.get(text, text)
            if not text:
                raise FollowupError("No date: nothing was snoozed.")
            person = self.morning.snooze(item, self._when(text))
            self._forget(item.prospect_id)
            self._next(screen.snoozed(person, self.morning.clock(), self.tz))

        self._ask("Snooze until? 1) 1d  2) 3d  3) 1w  or a date:", snooze)

    def _note(self) -> None:
        item = self._item()

        def note(text: str) -> None:
            self.morning.add_note(item, text)
            self._forget(item.prospect_id)
            self.status = screen.message(f"Note added to {item.name}.", "ok")

        self._ask(f"Note for {item.name}:", note)

    def _skip(self) -> None:
        item = self._item()
        self.morning.skip(item)
        self._next(screen.message(f"Skipped {item.name}: they come back at the end."))

    def _undo(self) -> None:
        undone = self.morning.undo()
        self._forget()
        self.scroll, self.showing = 0, None
        self.status = screen.message(f"Undone: {undone.summary}.", "ok")

    def _move(self, step: int) -> None:
        self.morning.move(step)
        self.scroll, self.showing = 0, None

    def _page(self, step: int) -> None:
        self.scroll = max(0, self.scroll + step * max(1, self._body_rows() - 2))

    def _help(self) -> None:
        self.showing = "help"

    def _quit(self) -> None:
        if not self.app.is_done:
            self.app.exit()

    def _when(self, text: str) -> datetime:
        from followup_cli.core.dates import parse_when

        return parse_when(text, now=self.morning.clock(), tz=self.tz, direction="future")

    # --- the draft itself -----------------------------------------------------------------

    def _draft_now(self) -> Any:
        item = self._item()
        if item.prospect_id not in self.drafts and item.prospect_id not in self.problems:
            self._make_draft(item)
        if item.prospect_id in self.problems:
            raise FollowupError(self.problems[item.prospect_id])
        return item, self.drafts[item.prospect_id]

    def _edit(self) -> None:
        item, draft = self._draft_now()

        async def edit() -> None:
            from followup_cli.views import draft as draft_view

            try:
                text = await run_in_terminal(lambda: draft_view.edit(draft.text()))
                self.drafts[item.prospect_id] = draft.with_text(text)
                self.status = screen.message("Draft edited: s logs it as sent.", "ok")
            except FollowupError as error:
                self.status = screen.message(str(error), "error")
            self.keys_handled += 1
            self.app.invalidate()

        self.keys_handled -= 1  # counted when the editor is closed
        self.app.create_background_task(edit())

    def _choose_template(self) -> None:
        item = self._item()
        found = self.morning.templates(item)
        self.showing = "templates"

        def choose(text: str) -> None:
            if not text:
                return
            picked = None
            if text.isdigit() and 1 <= int(text) <= len(found):
                picked = found[int(text) - 1].name
            elif text in {t.name for t in found}:
                picked = text
            if picked is None:
                raise FollowupError(
                    f"No template {text!r}: type a number from the list, or a name."
                )
            self.templates[item.prospect_id] = picked
            self._forget(item.prospect_id)
            self._make_draft(item)
            self.status = screen.message(f"Template: {picked}.", "ok")

        self._ask("Template (number or name; Enter keeps this one):", choose)

    def _copy(self) -> None:
        from followup_cli.cli import clipboard

        _, draft = self._draft_now()
        how = clipboard.copy(draft.text(), self.app.output)
        self.status = screen.message(f"Copied the draft ({how}).", "ok")

    def _mail(self) -> None:
        from followup_cli.cli import clipboard
        from followup_cli.views import draft as draft_view

        _, draft = self._draft_now()
        url = draft_view.mailto(draft)
        how = clipboard.open_url(url)
        self.status = screen.message(how, "ok")


def run(morning: Morning, *, tz: Any, seen: Any = None) -> None:
    """The screen, until q (``seen``: the focus the first frame showed, not read again)."""
    shown = WorkScreen(morning, tz=tz)
    if seen is not None:
        shown.focused[seen.item.prospect_id] = seen
    shown.app.run()


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
