"""Text a person typed: the one check that a name, a company or an address is one line.

A line break or another control character in a name would end up in an email header
(``draft --eml``), a CSV row or the agenda: refused where it comes in, with the field named.
"""

from __future__ import annotations

import re

from followup_cli.core.errors import InvalidValue

# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators (patterns, which
# ``re`` compiles on first use: a command that reads nobody's input never compiles them)
_CONTROL = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"
_CONTROL_BUT_LINES = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def single_line(text: str, what: str) -> str:
    """``text`` if it holds no line break or control character."""
    found = re.search(_CONTROL, text)
    if found:
        raise InvalidValue(
            f"The {what} {text[:40]!r} holds a line break or control character "
            f"({found.group()!r}): give it on one line."
        )
    return text


def all_single_line(texts: list[str]) -> bool:
    """Whether none of ``texts`` holds a line break or control character (one search for
    many: an import checks every row's names this way)."""
    return re.search(_CONTROL, " ".join(texts)) is None


def free_text(text: str, what: str) -> str:
    """Notes may span lines; other control characters (escape codes, NUL) are refused."""
    found = re.search(_CONTROL_BUT_LINES, text)
    if found:
        raise InvalidValue(f"The {what} holds a control character ({found.group()!r}): remove it.")
    return text


# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """``Renée Ødegård`` -> ``renee odegard``: how names are compared (case and accents
    ignored, as ``search`` does)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def width(text: str) -> int:
    """How many terminal columns ``text`` takes: CJK and other wide characters take two,
    combining accents none."""
    if text.isascii():  # most names and companies: one column a character
        return len(text)
    import unicodedata

    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def fit(text: str, columns: int) -> str:
    """``text`` padded or cut (with …) to exactly ``columns`` terminal columns, one kept
    free as a gap."""
    if width(text) <= columns - 1:
        return text + " " * (columns - width(text))
    kept, used = [], 0
    for char in text:
        size = width(char)
        if used + size > columns - 2:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…" + " " * (columns - used - 1)


def counted(number: int, noun: str) -> str:
    """'1 touch', '2 touches', '1,000 prospects'."""
    if number == 1:
        return f"1 {noun}"
    return f"{number:,} {noun}{'es' if noun.endswith(('ch', 'sh', 's', 'x')) else 's'}"
