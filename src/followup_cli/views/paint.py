"""Styled lines at a terminal without Rich, for the screen people open every morning.

Importing Rich costs more than all the work of `followup today`. For (text, style) pieces
whose styles are plain ones (attributes such as ``bold`` and ``dim``, the sixteen named colours,
``on`` a background), this writes what Rich would write, escape for escape: each piece its own
SGR sequence and reset, each line cut to the terminal's width with "…" as
``print(..., no_wrap=True, overflow="ellipsis", crop=True)`` cuts it, colours dropped under
``NO_COLOR``. Anything else (a hex or 256-colour style in ``[colors]``, a dumb terminal,
``FORCE_COLOR`` or ``TTY_COMPATIBLE`` set, Windows, a tab) is Rich's: ``paint`` answers None.
tests/views/test_paint.py holds it to Rich's own output.
"""

from __future__ import annotations

import os
import sys

from followup_cli.core.text import width as cells

_ATTRIBUTES = {  # Rich's order of the SGR codes
    "bold": 1,
    "b": 1,
    "dim": 2,
    "d": 2,
    "italic": 3,
    "i": 3,
    "underline": 4,
    "u": 4,
    "blink": 5,
    "reverse": 7,
    "r": 7,
    "strike": 9,
    "s": 9,
}
_COLORS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE")  # they change what Rich calls a terminal


def _color(name: str, background: bool) -> str | None:
    base = 40 if background else 30
    if name == "default":
        return str(base + 9)
    bright = name.startswith("bright_")
    name = name.removeprefix("bright_")
    if name not in _COLORS:
        return None
    return str(base + (60 if bright else 0) + _COLORS.index(name))


def sgr(style: str, *, color: bool = True) -> str | None:
    """The SGR parameters Rich writes for ``style`` ("" for none), or None for a style this
    does not read."""
    words = style.lower().split()
    if words in ([], ["none"]):
        return ""
    attributes: set[int] = set()
    foreground = background = None
    while words:
        word = words.pop(0)
        if word in _ATTRIBUTES:
            attributes.add(_ATTRIBUTES[word])
        elif word == "on" and words and background is None:
            background = _color(words.pop(0), True)
            if background is None:
                return None
        elif foreground is None and (found := _color(word, False)) is not None:
            foreground = found
        else:
            return None
    codes = [str(code) for code in sorted(attributes)]
    if color:
        codes += [code for code in (foreground, background) if code is not None]
    return ";".join(codes)


def terminal_width() -> int:
    """The width Rich gives a console: ``COLUMNS``, else the first of standard input, output
    and error that is a terminal of a known size, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    for fd in (0, 1, 2):
        try:
            found = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        return found or 80
    return 80


def is_terminal(stream: object = None) -> bool:
    """Whether Rich would call ``stream`` (standard output by default) a terminal
    (``TTY_COMPATIBLE``, then ``FORCE_COLOR``, then the stream itself), without importing
    Rich."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    if "FORCE_COLOR" in os.environ:
        return os.environ["FORCE_COLOR"] != ""
    try:
        return (stream or sys.stdout).isatty()
    except (AttributeError, ValueError):
        return False


def usable() -> bool:
    """Whether standard output is a terminal this module can paint as Rich would."""
    if os.name == "nt" or any(name in os.environ for name in _ENVIRONMENT):
        return False
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return False
    try:
        return sys.stdout.isatty()
    except ValueError:
        return False


def element_styles() -> dict[str, str] | None:
    """Each element's style (views/console.py's theme) by name; None when config.toml does
    not load (Rich's console then says why, as it always has)."""
    from followup_cli.core.errors import InvalidConfig
    from followup_cli.core.settings import COLOR_ELEMENTS, settings

    try:
        return {**COLOR_ELEMENTS, **settings().colors}
    except InvalidConfig:
        return None


def paint(pieces: list[tuple[str, str]], styles: dict[str, str], width: int) -> str | None:
    """The pieces, styled (a piece's style is a name in ``styles`` or a style itself) and
    each line cut to ``width`` columns; None if a style or a character is Rich's to handle."""
    color = os.environ.get("NO_COLOR", "") == ""
    codes: dict[str, str] = {}
    lines: list[list[tuple[str, str]]] = [[]]
    for text, style in pieces:
        if "\t" in text:
            return None
        if style not in codes:
            found = sgr(styles.get(style, style), color=color)
            if found is None:
                return None
            codes[style] = found
        first, *rest = text.split("\n")
        lines[-1].append((first, codes[style]))
        lines += [[(part, codes[style])] for part in rest]
    out = []
    for number, line in enumerate(lines):
        if number:
            out.append("\n")
        out += [f"\x1b[{code}m{text}\x1b[0m" if code else text for text, code in _cut(line, width)]
    return "".join(out)


def _cut(line: list[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """A line longer than ``width`` columns: what fits in ``width - 1`` (a wide character cut in
    half becomes a space) and "…", in the style of the first piece that did not fit whole."""
    line = [(text, code) for text, code in line if text]
    if sum(cells(text) for text, _ in line) <= width:
        return line
    kept: list[tuple[str, str]] = []
    room = width - 1
    for text, code in line:
        size = cells(text)
        if size <= room:
            kept.append((text, code))
            room -= size
            continue
        part = []
        for char in text:
            size = cells(char)
            if size > room:
                break
            part.append(char)
            room -= size
        kept.append(("".join(part) + " " * room + "…", code))
        break
    return kept
