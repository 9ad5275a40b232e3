"""What each key of `followup work` does, whichever painter is on the terminal.

Two painters show the screen: ``cli/work_early.py`` (plain VT100 codes, from the moment
the first frame is up) and ``cli/work_app.py`` (prompt_toolkit, once it has loaded). Both
hand every key to the one ``Desk``, which calls ``pipeline.morning`` (what the matching
command calls) and keeps what the screen shows: the status line, the question being
asked, the drafts made so far. So a key does the same thing however early it is pressed,
to the prospect that was in focus when it was pressed.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.pipeline.morning import OUTCOME_KEYS, SNOOZES, Morning
from followup_cli.views import work_screen as screen

# The keys that are more than a letter, by the names both painters give them.
MOVES = ("up", "down", "pagedown", "pageup", "space")


class Question:
    """A line the user types an answer into, and what to do with it."""

    def __init__(self, prompt: str, answer: Any) -> None:
        self.prompt, self.answer = prompt, answer


class Desk:
    """The session's screen state and its actions (no terminal library here)."""

    def __init__(self, morning: Morning, *, tz: Any) -> None:
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
        self.columns, self.rows = 80, 24  # the painter sets the terminal's size
        self.output: Any = None  # where OSC 52 goes when no clipboard tool is found
        self.unread: list[Any] | None = None  # template files `t` lists, not loaded yet

    # --- what is shown ---------------------------------------------------------------------

    def queue_width(self) -> int:
        return screen.queue_width(self.columns)

    def focus_width(self) -> int:
        return screen.focus_width(self.columns)

    def body_rows(self) -> int:
        return screen.body_rows(self.rows, asking=self.question is not None)

    def header_text(self) -> list[screen.Fragment]:
        return screen.header(self.morning, self.morning.clock(), self.tz)

    def queue_text(self) -> list[screen.Fragment]:
        now = self.morning.clock()
        return screen.queue(self.morning, self.queue_width(), self.body_rows(), now, self.tz)

    def keys_text(self) -> list[screen.Fragment]:
        return screen.keys_line(self.columns)

    def focus_text(self) -> list[screen.Fragment]:
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
            fragments = screen.focus(
                self.seen(item),
                self.drafts.get(item.prospect_id),
                self.problems.get(item.prospect_id),
                self.morning.clock(),
                self.tz,
                touches=screen.touches_shown(self.rows),
            )
        rows, columns = self.body_rows(), self.focus_width()
        shown, self.scroll = screen.page(fragments, columns, rows, self.scroll)
        return shown

    def seen(self, item: Any) -> Any:
        if item.prospect_id not in self.focused:
            self.focused[item.prospect_id] = self.morning.focus(item)
        return self.focused[item.prospect_id]

    # --- drafts: the one in focus and the next, made between keys ---------------------------

    def wanted_drafts(self) -> list[Any]:
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

    def draft_one(self) -> bool:
        """Make the first draft still wanted; whether it is the one in focus (to redraw)."""
        wanted = self.wanted_drafts()
        if not wanted:
            return False
        self.make_draft(wanted[0])
        return wanted[0] is self.morning.current

    def warm_one(self) -> bool:
        """Between keys, once the drafts are made: load one more of the templates `t`
        lists (each is read and checked once, then kept), so that `t` answers at once.
        False when every one is loaded."""
        from followup_cli.drafting.templates import InvalidTemplate, load_file

        if self.unread is None:
            from followup_cli.core.library import template_files

            self.unread = list(template_files().values())
        if not self.unread:
            return False
        with contextlib.suppress(InvalidTemplate):  # `t` leaves a broken one out
            load_file(self.unread.pop())
        return True

    def make_draft(self, item: Any) -> None:
        try:
            self.drafts[item.prospect_id] = self.morning.draft(
                item, template=self.templates.get(item.prospect_id)
            )
            self.problems.pop(item.prospect_id, None)
        except FollowupError as error:
            self.drafts.pop(item.prospect_id, None)
            self.problems[item.prospect_id] = str(error)

    def forget(self, prospect_id: int | None = None, template: str | None = None) -> None:
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

    # --- keys --------------------------------------------------------------------------------

    def press(self, key: str) -> str | None:
        """One key, by name (``s``, ``up``, ``space``...), when no question is asked: its
        action, its error (if any) on the status line, never a crash. Returns what only
        the painter can do: ``"edit"`` (run the editor) or ``"quit"``."""
        if self.showing == "help":  # any key closes the help
            self.showing = None
            self.keys_handled += 1
            return None
        if key in ("q", "c-c", "c-d"):
            self.keys_handled += 1
            return "quit"
        if key == "e":
            return "edit"  # counted when the editor is closed (``edited``)
        actions = {
            "t": self._choose_template,
            "c": self._copy,
            "M": self._mail,
            "z": self._snooze,
            "k": self._skip,
            "u": self._undo,
            "a": self._note,
            "?": self._help,
            "up": lambda: self._move(-1),
            "down": lambda: self._move(1),
            "pagedown": lambda: self._page(1),
            "space": lambda: self._page(1),
            "pageup": lambda: self._page(-1),
        }
        for letter, outcome in OUTCOME_KEYS.items():
            actions[letter] = lambda outcome=outcome: self._outcome(outcome)
        action = actions.get(key)
        if action is not None:
            self._run(action)
        return None

    def answer(self, text: str) -> None:
        """Enter on the question line."""
        question = self.question
        self.question, self.showing = None, None
        if question is not None:
            self._run(lambda: question.answer(text.strip()))

    def cancel(self) -> None:
        """Escape on the question line."""
        self.question, self.showing = None, None
        self.status = screen.message("Nothing was done.")
        self.keys_handled += 1

    def _run(self, action: Any) -> None:
        try:
            action()
        except FollowupError as error:
            self.status = screen.message(str(error), "error")
        self.keys_handled += 1

    def _item(self) -> Any:
        item = self.morning.current
        if item is None:
            raise FollowupError(
                "The queue is worked through: u takes back the last action, q quits."
            )
        return item

    def _ask(self, prompt: str, answer: Any) -> None:
        self.question = Question(prompt, answer)

    def _next(self, said: list[screen.Fragment]) -> None:
        self.morning.advance()
        self.status, self.scroll, self.showing = said, 0, None

    # --- the actions -------------------------------------------------------------------------

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
        drafted = self.drafts.keys() | self.problems.keys()
        if outcome in ("sent", "voicemail") and item.prospect_id not in drafted:
            self.make_draft(item)  # pressed before it was drafted: it is the one sent
        draft = self.drafts.get(item.prospect_id)
        logged = self.morning.log(item, outcome, draft=draft, until=until)
        self.forget(item.prospect_id, logged.touch.template)
        self._next(screen.logged(logged, self.morning.clock(), self.tz))

    def _snooze(self) -> None:
        item = self._item()

        def snooze(text: str) -> None:
            text = {"1": SNOOZES[0], "2": SNOOZES[1], "3": SNOOZES[2]}.get(text, text)
            if not text:
                raise FollowupError("No date: nothing was snoozed.")
            person = self.morning.snooze(item, self._when(text))
            self.forget(item.prospect_id)
            self._next(screen.snoozed(person, self.morning.clock(), self.tz))

        self._ask("Snooze until? 1) 1d  2) 3d  3) 1w  or a date:", snooze)

    def _note(self) -> None:
        item = self._item()

        def note(text: str) -> None:
            self.morning.add_note(item, text)
            self.forget(item.prospect_id)
            self.status = screen.message(f"Note added to {item.name}.", "ok")

        self._ask(f"Note for {item.name}:", note)

    def _skip(self) -> None:
        item = self._item()
        self.morning.skip(item)
        self._next(screen.message(f"Skipped {item.name}: they come back at the end."))

    def _undo(self) -> None:
        undone = self.morning.undo()
        self.forget()
        self.scroll, self.showing = 0, None
        self.status = screen.message(f"Undone: {undone.summary}.", "ok")

    def _move(self, step: int) -> None:
        self.morning.move(step)
        self.scroll, self.showing = 0, None

    def _page(self, step: int) -> None:
        self.scroll = max(0, self.scroll + step * max(1, self.body_rows() - 2))

    def _help(self) -> None:
        self.showing = "help"

    def _when(self, text: str) -> datetime:
        from followup_cli.core.dates import parse_when

        return parse_when(text, now=self.morning.clock(), tz=self.tz, direction="future")

    # --- the draft itself ----------------------------------------------------------------------

    def draft_now(self) -> tuple[Any, Any]:
        item = self._item()
        if item.prospect_id not in self.drafts and item.prospect_id not in self.problems:
            self.make_draft(item)
        if item.prospect_id in self.problems:
            raise FollowupError(self.problems[item.prospect_id])
        return item, self.drafts[item.prospect_id]

    def edit_target(self) -> tuple[Any, Any] | None:
        """What ``e`` edits; None (the error on the status line, the key counted) when there
        is no draft to edit."""
        try:
            return self.draft_now()
        except FollowupError as error:
            self.status = screen.message(str(error), "error")
            self.keys_handled += 1
            return None

    def edited(self, item: Any, draft: Any, run_editor: Any) -> None:
        """The editor has the draft: keep what it gives back (``s`` then logs it)."""
        try:
            text = run_editor(draft.text())
            self.drafts[item.prospect_id] = draft.with_text(text)
            self.status = screen.message("Draft edited: s logs it as sent.", "ok")
        except FollowupError as error:
            self.status = screen.message(str(error), "error")
        self.keys_handled += 1

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
            self.forget(item.prospect_id)
            self.make_draft(item)
            self.status = screen.message(f"Template: {picked}.", "ok")

        self._ask("Template (number or name; Enter keeps this one):", choose)

    def _copy(self) -> None:
        from followup_cli.cli import clipboard

        _, draft = self.draft_now()
        how = clipboard.copy(draft.text(), self.output)
        self.status = screen.message(f"Copied the draft ({how}).", "ok")

    def _mail(self) -> None:
        from followup_cli.cli import clipboard
        from followup_cli.views import draft as draft_view

        _, draft = self.draft_now()
        how = clipboard.open_url(draft_view.mailto(draft))
        self.status = screen.message(how, "ok")
