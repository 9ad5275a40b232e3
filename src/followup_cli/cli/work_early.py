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
import contextlib
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
SWITCH_INTERVAL = 0.0005  # seconds: see Loader


# What the keys' own actions import the first time they are used (the journal and undo of
# a logged touch, the hooks, the date parser of x and z, the editor and the clipboard):
# loaded first, so that no key pays for them. They also bring in what both they and
# prompt_toolkit import (subprocess, signal, fcntl): see Loader.
KEY_MODULES = (
    "followup_cli.store.journal",
    "followup_cli.pipeline.undo",
    "followup_cli.core.hooks",
    "followup_cli.core.dates",
    "followup_cli.views.draft",
    "followup_cli.cli.clipboard",
)
SCREEN_MODULE = "followup_cli.cli.work_app"
HOLD_LIMIT = 0.2  # seconds a held import waits at most (see Loader.find_spec)


class Loader:
    """Imports what the keys and the screen need in a thread, after the first frame is up,
    and steps aside while the main thread has work.

    The main thread ``hold``s it while it answers a key or makes a draft and ``release``s
    it when it waits for the next key. Held, the thread stops before its next module: for
    ``KEY_MODULES`` before each one (no import lock is held then), inside prompt_toolkit's
    import before the next module runs (this object is on ``sys.meta_path`` meanwhile: it
    hands each module's loader a wait first). So a key pressed while prompt_toolkit loads shares the
    interpreter for the rest of one module at most, instead of half the time until the
    import is over. Waiting inside an import holds its module locks: a module imported by
    a key that prompt_toolkit is importing at that moment would wait for the key and the
    key for it, so such a wait is cut short after ``HOLD_LIMIT`` (no such module is known:
    those both import are in ``KEY_MODULES``, imported before).

    Meanwhile the interpreter switches threads every 0.5 ms instead of 5, so that a key
    read while the thread runs gets the interpreter at once."""

    def __init__(self, modules: tuple[str, ...] = KEY_MODULES, screen: str = SCREEN_MODULE):
        self.modules, self.screen = modules, screen
        self.done = threading.Event()
        self.free = threading.Event()
        self.free.set()
        self.thread: threading.Thread | None = None

    def start(self) -> Loader:
        interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)

        def load() -> None:
            try:
                for module in self.modules:
                    self.free.wait()
                    __import__(module)
                sys.meta_path.insert(0, self)
                __import__(self.screen)
            except BaseException:  # noqa: BLE001 - raised again by the import that uses it
                pass
            finally:
                with contextlib.suppress(ValueError):
                    sys.meta_path.remove(self)
                sys.setswitchinterval(interval)
                self.done.set()

        self.thread = threading.Thread(target=load, name="followup-work-import", daemon=True)
        self.thread.start()
        return self

    def ready(self) -> bool:
        return self.done.is_set()

    def hold(self) -> None:
        self.free.clear()

    def release(self) -> None:
        self.free.set()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        """On ``sys.meta_path`` while prompt_toolkit is imported: in the loading thread, the
        module as the other finders find it, its loader wrapped to wait while held before
        the module runs. (Not here: Python holds its global import lock around finders.)"""
        if self.thread is None or threading.get_ident() != self.thread.ident:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None) if finder is not self else None
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                if hasattr(spec.loader, "exec_module"):
                    spec.loader = _Paused(spec.loader, self.free)
                return spec
        return None


class _Paused:
    """A module's loader that first waits while the import is held (see Loader)."""

    def __init__(self, loader: Any, free: threading.Event) -> None:
        self.loader, self.free = loader, free

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.free.wait(HOLD_LIMIT)
        module.__loader__ = module.__spec__.loader = self.loader  # as if we were not there
        self.loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


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

    def run(self, ready: Callable[[], bool], loader: Loader | None = None) -> str:
        """Keys until ``ready()`` (prompt_toolkit loaded) with nothing half typed or half
        read: ``"handover"``; or ``"quit"`` (q, or the terminal closed). ``loader`` (the
        import under way) is held from a key read until its answer is painted, and while
        the next drafts are made: it loads only while this loop waits for a key."""
        try:
            return self._loop(ready, loader)
        finally:
            if loader is not None:
                loader.release()

    def _loop(self, ready: Callable[[], bool], loader: Loader | None) -> str:
        pending = b""
        while True:
            wanted = bool(self.desk.wanted_drafts())
            calm = self.desk.question is None and not pending
            if calm and not wanted and ready():
                return "handover"
            timeout = 0.0 if wanted else (ESCAPE_WAIT if pending else 0.01)
            if loader is not None:
                loader.release()
            readable, _, _ = select.select([self.terminal.fd_in], [], [], timeout)
            if loader is not None and (readable or wanted):
                loader.hold()  # a key to answer, or the next draft: both go first
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
