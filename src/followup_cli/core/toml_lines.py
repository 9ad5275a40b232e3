"""Where a key is written in a TOML file's text: the line numbers errors point at.

``tomllib`` gives values without positions; this reads the lines themselves.
"""

from __future__ import annotations

import re

_HEADER = r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?"  # compiled by re on first use (an error)


def locate(text: str, keys: tuple[str | int, ...]) -> int:
    """The line (1-based) where ``keys`` is written: ``("today", "limit")`` is ``limit = ...``
    under ``[today]`` (or ``today.limit = ...``); an int picks the n-th ``[[array]]`` table.
    Falls back to the table's header, then to line 1."""
    lines = text.splitlines()
    table: list[str | int] = []
    counts: dict[str, int] = {}
    best = 1
    for number, line in enumerate(lines, 1):
        header = re.match(_HEADER, line)
        if header:
            name = [part.strip().strip("\"'") for part in header.group(2).split(".")]
            table = list(name)
            if header.group(1) == "[[":
                dotted = ".".join(name)
                table.append(counts.get(dotted, 0))
                counts[dotted] = counts.get(dotted, 0) + 1
            if tuple(table) == tuple(keys):
                return number
            if tuple(table) == tuple(keys[: len(table)]) and len(table) > 0:
                best = number
            continue
        rest = list(keys[len(table) :]) if tuple(keys[: len(table)]) == tuple(table) else None
        if not rest or any(isinstance(key, int) for key in rest):
            continue
        dotted = r"\s*\.\s*".join(re.escape(str(key)) for key in rest)
        if re.match(rf'^\s*["\']?{dotted}["\']?\s*[=.]', line):
            return number
    return best
