"""The first screen of `followup work`, drawn before the screen library is loaded.

prompt_toolkit (and the asyncio it runs on) costs more to import than everything else the
first screen needs. So the first frame is written here with plain VT100 codes, from the
same pieces (``views.work_screen``) and in the same places as the prompt_toolkit layout of
``cli/work_app.py``; then prompt_toolkit loads and draws the same screen over it, with the
draft. Meanwhile the terminal is put in raw mode, so a key pressed early is neither
echoed nor lost: prompt_toolkit reads it when it starts.
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


def frame(
    morning: Any, seen: Any, *, tz: Any, columns: int, rows: int
) -> list[list[screen.Fragment]]:
    """The rows of the first screen: the header, the queue and the prospect in focus side
    by side (the draft still to come), the status line and the keys."""
    now = morning.clock()
    queue_width, focus_width = screen.queue_width(columns), screen.focus_width(columns)
    body = screen.body_rows(rows)
    if morning.current is None:
        focus = screen.finished(morning.summary())
    else:
        focus = screen.focus(seen, None, None, now, tz, touches=screen.touches_shown(rows))
    shown, _ = screen.page(focus, focus_width, body, 0)
    queue = _lines(screen.queue(morning, queue_width, body, now, tz))
    right = _lines(shown)
    out = [screen.header(morning, now, tz)]
    for row in range(body):
        left = queue[row] if row < len(queue) else []
        used = sum(width(text) for _, text in left)
        out.append([*left, ("", " " * max(0, queue_width - used)), ("class:dim", "│")])
        out[-1] += right[row] if row < len(right) else []
    out.append(screen.message(screen.START))
    out += _lines(screen.keys_line(columns))
    return [_clip(line, columns) for line in out[:rows]]


def text(lines: list[list[screen.Fragment]]) -> list[str]:
    """The frame as plain text, a string a row (what the tests compare)."""
    return ["".join(part for _, part in line).rstrip() for line in lines]


def vt100(lines: list[list[screen.Fragment]], *, colour: bool) -> str:
    """The frame as the terminal is sent it: the alternate screen, cleared, each row at its
    place, the cursor hidden (prompt_toolkit shows it again as it needs)."""
    out = ["\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"]
    for number, line in enumerate(lines, 1):
        out.append(f"\x1b[{number};1H")
        runs: list[list[str]] = []  # [SGR codes, text]: neighbours of one look joined
        for style, part in line:
            codes = _sgr(style, colour)
            if runs and runs[-1][0] == codes:
                runs[-1][1] += part
            else:
                runs.append([codes, part])
        out += [f"\x1b[0;{codes}m{part}\x1b[0m" if codes else part for codes, part in runs]
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

    def show(self, painted: str) -> None:
        import termios

        raw = termios.tcgetattr(self.fd_in)  # as prompt_toolkit's raw mode sets it
        raw[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
        raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd_in, termios.TCSANOW, raw)
        data = painted.encode()
        while data:
            data = data[os.write(self.fd_out, data) :]

    def restore(self) -> None:
        import termios

        if not self.handed_over:
            os.write(self.fd_out, b"\x1b[0m\x1b[?25h\x1b[?1049l")
        termios.tcsetattr(self.fd_in, termios.TCSANOW, self.saved)


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
