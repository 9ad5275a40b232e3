"""The keys of `followup work` from the moment its first frame is up.

prompt_toolkit takes longer to import (about 0.2 s of CPU) than a key may take to answer.
So it is imported in a thread while this loop reads the keys from the raw terminal, hands
each one to the same ``cli/work_desk.Desk`` the prompt_toolkit screen uses, and paints the
result with ``cli/work_frame`` (plain VT100 codes, the same rows). Questions are typed on
their line here too, and the editor runs with the terminal given back. When the import is
done and nothing is half typed, ``run`` returns and prompt_toolkit takes over the desk as
it is. Between keys the next drafts are made.
"""

from __future__ import annotations

import codecs
import os
import select
import sys
import threading
from collections.abc import Callable
from typing import Any

from followup_cli.cli import work_frame
from followup_cli.core.text import width

# The escape sequences of the keys the screen uses (normal and application cursor mode).
SEQUENCES = {
    b"\x1b[A": "up",
    b"\x1bOA": "up",
    b"\x1b[B": "down",
    b"\x1bOB": "down",
    b"\x1b[5~": "pageup",
    b"\x1b[6~": "pagedown",
}
CONTROLS = {b"\r": "enter", b"\n": "enter", b"\x7f": "backspace", b"\x08": "backspace"}
CONTROLS |= {b"\x03": "c-c", b"\x04": "c-d", b" ": "space"}
ESCAPE_WAIT = 0.05  # a lone ESC byte is the Escape key when nothing follows this soon
SWITCH_INTERVAL = 0.0005  # seconds: see load_in_background


def load_in_background(module: str = "followup_cli.cli.work_app") -> threading.Event:
    """Import ``module`` in a thread; the event is set when it is done (or failed: the
    import is tried again where it is used, and its error shown there).

    Meanwhile the interpreter switches threads every 0.5 ms instead of 5: each SQLite call
    of a key lets go of the interpreter and waits to get it back from the importing
    thread, and a touch logged makes about a hundred of them."""
    done = threading.Event()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)

    def load() -> None:
        try:
            __import__(module)
        except BaseException:  # noqa: BLE001 - raised again by the import that uses it
            pass
        finally:
            sys.setswitchinterval(interval)
            done.set()

    threading.Thread(target=load, name="followup-work-import", daemon=True).start()
    return done


def split(data: bytes) -> tuple[list[tuple[str, bytes]], bytes]:
    """The keys in ``data``, each with its bytes, and the bytes of an incomplete one at the
    end (an escape sequence cut short, part of a UTF-8 character)."""
    keys: list[tuple[str, bytes]] = []
    at = 0
    while at < len(data):
        rest = data[at:]
        if rest[:1] == b"\x1b":
            known = next((seq for seq in SEQUENCES if rest.startswith(seq)), None)
            if known:
                keys.append((SEQUENCES[known], known))
                at += len(known)
                continue
            if len(rest) == 1 or any(seq.startswith(rest) for seq in SEQUENCES):
                return keys, rest  # more may come (or it is Escape: see ESCAPE_WAIT)
            size = _sequence_length(rest)
            keys.append(("escape" if size == 1 else "", rest[:size]))  # unknown: ignored
            at += size
            continue
        if rest[:1] in CONTROLS:
            keys.append((CONTROLS[rest[:1]], rest[:1]))
            at += 1
            continue
        size = _utf8_length(rest[0])
        if len(rest) < size:
            return keys, rest
        char = codecs.decode(rest[:size], "utf-8", "replace")
        keys.append((char if char.isprintable() else "", rest[:size]))
        at += size
    return keys, b""


class Early:
    """The loop: keys in, the desk's answer painted."""

    def __init__(self, desk: Any, terminal: Any, *, colour: bool, editor: Any = None) -> None:
        self.desk, self.terminal, self.colour = desk, terminal, colour
        self.typed = ""  # the answer being typed on the question line
        self.editor = editor  # draft text -> edited text (views.draft.edit by default)
        self.painted = False
        desk.output = terminal  # the clipboard's OSC 52, when no tool is found

    def paint(self) -> None:
        desk = self.desk
        desk.columns, desk.rows = self.terminal.size()
        lines = work_frame.frame(desk, self.typed)
        cursor = None
        if desk.question is not None:
            at = desk.body_rows() + 3  # the header, the body, the status line, then this
            cursor = (at, min(desk.columns, width(desk.question.prompt + " " + self.typed) + 1))
        self.terminal.write_raw(
            work_frame.vt100(lines, colour=self.colour, first=not self.painted, cursor=cursor)
        )
        self.painted = True

    def run(self, ready: Callable[[], bool]) -> str:
        """Keys until ``ready()`` (prompt_toolkit loaded) with nothing half typed or half
        read: ``"handover"``; or ``"quit"`` (q, or the terminal closed)."""
        pending = b""
        while True:
            wanted = bool(self.desk.wanted_drafts())
            calm = self.desk.question is None and not pending
            if calm and not wanted and ready():
                return "handover"
            timeout = 0.0 if wanted else (ESCAPE_WAIT if pending else 0.01)
            readable, _, _ = select.select([self.terminal.fd_in], [], [], timeout)
            if not readable:
                if pending == b"\x1b":  # nothing followed: the Escape key
                    pending = b""
                    if self._key("escape") == "quit":
                        return "quit"
                    self.paint()
                elif wanted and self.desk.draft_one():
                    self.paint()
                elif not wanted and self.desk.question is None:
                    self.desk.warm_one()  # a template for `t`; then look for a key again
                continue
            data = os.read(self.terminal.fd_in, 4096)
            if not data:
                return "quit"  # the terminal is gone
            keys, pending = split(pending + data)
            for name, _ in keys:
                if self._key(name) == "quit":
                    return "quit"
            self.paint()

    def _key(self, name: str) -> str | None:
        desk = self.desk
        if not name:
            return None
        if desk.question is not None:
            if name == "c-c":
                return "quit"
            if name == "enter":
                typed, self.typed = self.typed, ""
                desk.answer(typed)
            elif name == "escape":
                self.typed = ""
                desk.cancel()
            elif name == "backspace":
                self.typed = self.typed[:-1]
            elif name == "space":
                self.typed += " "
            elif len(name) == 1:
                self.typed += name
            return None
        wanted = desk.press(name)
        if wanted == "edit":
            self._edit()
        return wanted

    def _edit(self) -> None:
        target = self.desk.edit_target()
        if target is None:
            return
        item, draft = target
        if self.editor is None:
            from followup_cli.views import draft as draft_view

            self.editor = draft_view.edit

        def run_editor(text: str) -> str:
            self.terminal.write_raw("\x1b[0m\x1b[2J\x1b[H\x1b[?25h")
            self.terminal.cooked()
            try:
                return self.editor(text)
            finally:
                self.terminal.raw()
                self.painted = False  # the editor drew over the screen: all of it again

        self.desk.edited(item, draft, run_editor)


def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if lead >> 5 == 0b110:
        return 2
    if lead >> 4 == 0b1110:
        return 3
    if lead >> 3 == 0b11110:
        return 4
    return 1  # not a lead byte: replaced


def _sequence_length(data: bytes) -> int:
    """Bytes of the escape sequence at the start of ``data`` (ESC [ ... final, ESC O x,
    ESC x), or 1 for a lone ESC before another key."""
    if data[1:2] == b"[":
        for index in range(2, len(data)):
            if 0x40 <= data[index] <= 0x7E:
                return index + 1
        return len(data)
    if data[1:2] == b"O":
        return min(3, len(data))
    return 1
