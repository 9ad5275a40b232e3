"""The screen of `followup work` in plain VT100 codes, before the screen library is loaded.

prompt_toolkit (and the asyncio it runs on) costs more to import than everything else the
first screen needs. So the first frames are written here, from the same pieces
(``views.work_screen``, read through ``cli/work_desk.Desk``) and in the same places as the
prompt_toolkit layout of ``cli/work_app.py``; ``cli/work_early.py`` answers the keys with
them until prompt_toolkit has loaded and takes over. The terminal is in raw mode from the
start, so a key pressed early is neither echoed nor lost.
"""

from __future__ import annotations

import os
from typing import Any

from followup_cli.core.text import width
from followup_cli.views import work_screen as screen

# The styles of views.work_screen.STYLE as SGR codes; colours are left out under NO_COLOR
# (https://no-color.org), as prompt_toolkit does (its 1-bit colour depth).
ATTRIBUTES = {"bold": "1", "underline": "4", "reverse": "7"}
COLOURS = {"ansired": "31", "ansigreen": "32", "ansiyellow": "33", "ansibrightblack": "90"}


def frame(desk: Any, typed: str = "") -> list[list[screen.Fragment]]:
    """The rows of the screen as ``desk`` (``cli/work_desk.Desk``) has it: the header,
    the queue and the prospect in focus side by side, the status line, the question and
    what is typed into it (when one is asked), and the keys."""
    queue_width, body = desk.queue_width(), desk.body_rows()
    queue, right = _lines(desk.queue_text()), _lines(desk.focus_text())
    out = [desk.header_text()]
    for row in range(body):
        left = queue[row] if row < len(queue) else []
        used = sum(width(text) for _, text in left)
        out.append([*left, ("", " " * max(0, queue_width - used)), ("class:dim", "│")])
        out[-1] += right[row] if row < len(right) else []
    out.append(list(desk.status))
    if desk.question is not None:
        out.append([("class:question", desk.question.prompt + " "), ("", typed)])
    out += _lines(desk.keys_text())
    return [_clip(line, desk.columns) for line in out[: desk.rows]]


def text(lines: list[list[screen.Fragment]]) -> list[str]:
    """The frame as plain text, a string a row (what the tests compare)."""
    return ["".join(part for _, part in line).rstrip() for line in lines]


def vt100(
    lines: list[list[screen.Fragment]],
    *,
    colour: bool,
    first: bool = True,
    cursor: tuple[int, int] | None = None,
) -> str:
    """The frame as the terminal is sent it: (``first``) the alternate screen, cleared; each
    row at its place, the rest of it cleared; the cursor hidden, or shown at ``cursor``
    (row, column from 1) where an answer is typed."""
    out = ["\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J" if first else "\x1b[?25l"]
    for number, line in enumerate(lines, 1):
        out.append(f"\x1b[{number};1H" + ("" if first else "\x1b[K"))
        runs: list[list[str]] = []  # [SGR codes, text]: neighbours of one look joined
        for style, part in line:
            codes = _sgr(style, colour)
            if runs and runs[-1][0] == codes:
                runs[-1][1] += part
            else:
                runs.append([codes, part])
        out += [f"\x1b[0;{codes}m{part}\x1b[0m" if codes else part for codes, part in runs]
    if cursor is not None:
        out.append(f"\x1b[{cursor[0]};{cursor[1]}H\x1b[?25h")
    return "".join(out)


class Terminal:
    """The terminal as the first frame leaves it: raw mode and the alternate screen, until
    ``restore`` (after prompt_toolkit has run, or instead of it when it could not start)."""

    def __init__(self, fd_in: int, fd_out: int) -> None:
        import termios

        self.fd_in, self.fd_out = fd_in, fd_out
        self.saved = termios.tcgetattr(fd_in)
        self.handed_over = False  # prompt_toolkit started: it leaves the screen itself

    def size(self) -> tuple[int, int]:
        found = os.get_terminal_size(self.fd_out)
        return found.columns, found.lines

    def raw(self) -> None:
        """Raw mode, as prompt_toolkit sets it: no echo, no line editing, a key at a time."""
        import termios

        raw = termios.tcgetattr(self.fd_in)
        raw[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
        raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd_in, termios.TCSANOW, raw)

    def cooked(self) -> None:
        """The terminal as the user had it (for their editor)."""
        import termios

        termios.tcsetattr(self.fd_in, termios.TCSANOW, self.saved)

    def write_raw(self, painted: str) -> None:  # also where the clipboard's OSC 52 goes
        data = painted.encode()
        while data:
            data = data[os.write(self.fd_out, data) :]

    def flush(self) -> None:
        pass  # written at once

    def restore(self) -> None:
        if not self.handed_over:
            os.write(self.fd_out, b"\x1b[0m\x1b[?25h\x1b[?1049l")
        self.cooked()


def colour_wanted() -> bool:
    return not os.environ.get("NO_COLOR")


def _sgr(style: str, colour: bool) -> str:
    codes: list[str] = []
    for name in style.split():
        for word in screen.STYLE.get(name.removeprefix("class:"), "").split():
            if word in ATTRIBUTES:
                codes.append(ATTRIBUTES[word])
            elif colour and word.startswith("fg:") and word[3:] in COLOURS:
                codes.append(COLOURS[word[3:]])
    return ";".join(codes)


def _lines(fragments: list[screen.Fragment]) -> list[list[screen.Fragment]]:
    lines: list[list[screen.Fragment]] = [[]]
    for style, part in fragments:
        for index, piece in enumerate(part.split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append((style, piece))
    if not lines[-1]:
        lines.pop()
    return lines


def _clip(line: list[screen.Fragment], columns: int) -> list[screen.Fragment]:
    """The row cut at the screen's edge (a wide character that would straddle it left out)."""
    out: list[screen.Fragment] = []
    used = 0
    for style, part in line:
        kept = ""
        for char in part:
            if used + width(char) > columns:
                out.append((style, kept))
                return out
            kept += char
            used += width(char)
        out.append((style, kept))
    return out
