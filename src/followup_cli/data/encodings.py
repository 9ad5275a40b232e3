"""Telling a garbled file from a Western one.

A CSV file that is not UTF-8 is read as Windows-1252, as Excel on Windows writes it. A file in
another encoding (GBK from Chinese Excel, Shift-JIS, Windows-1251) still decodes as
Windows-1252, into mojibake: "李小龙" becomes "ÀîÐ¡Áú". ``check_names`` looks at the name
columns of such a file and, when they read as mojibake, stops the import and names the
encodings to try with ``--encoding`` (charset-normalizer's guesses first: it is imported here,
on the import path only).
"""

from __future__ import annotations

import itertools
from typing import Any

from followup_cli.data.csv_source import ImportFailed, Table

NAME_FIELDS = ("name", "first_name", "last_name", "middle_name", "company")
USUAL = ("gbk", "big5", "shift_jis", "euc_kr", "cp1251")  # the encodings Excel writes elsewhere
WESTERN = {"cp1252", "latin_1", "iso8859_1", "iso8859_15", "cp850", "ascii", "utf_8"}


def garbled(text: str) -> bool:
    """Mostly non-ASCII letters and signs, two or more: "ÀîÐ¡Áú", not "Zoë Ångström"."""
    letters = [ch for ch in text if ch.isalpha() or ord(ch) > 127]
    odd = sum(ord(ch) > 127 for ch in letters)
    return odd >= 2 and odd * 2 > len(letters)


def check_header(table: Table) -> None:
    """Stop an import whose header reads as mojibake ("ÐÕÃû" for "姓名"), naming the
    encodings to try, before its columns are said to be unknown."""
    if not table.guessed:
        return
    foreign = [cell.strip() for cell in table.header if not cell.isascii()]
    odd = [cell for cell in foreign if garbled(cell)]
    if odd and len(odd) * 3 >= len(foreign):
        _refuse(table, f"its columns come out as {', '.join(odd[:3])}")


def check_names(table: Table, columns: list[Any]) -> None:
    """Stop an import whose names read as mojibake, naming the encodings to try."""
    if not table.guessed or table.reread is None:
        return
    wanted = [c.index for c in columns if c.target in NAME_FIELDS]
    names = []
    for line, raw in itertools.islice(table.reread(), 1_000):
        if line > table.header_line:
            names.extend(raw[i].strip() for i in wanted if i < len(raw) and raw[i].strip())
    foreign = [name for name in names if not name.isascii()]
    odd = [name for name in foreign if garbled(name)]
    if not odd or len(odd) * 3 < len(foreign):
        return
    _refuse(table, f"its names come out as {odd[0]!r}")


def _refuse(table: Table, what: str) -> None:
    tries = ", ".join(f"--encoding {name}" for name in _guesses(table))
    raise ImportFailed(
        f"{table.path.name} does not read as Windows-1252 text: {what}. "
        f"Say which encoding it is in: try {tries}."
    )


def _guesses(table: Table) -> list[str]:
    from charset_normalizer import from_bytes

    found = []
    try:
        matches = from_bytes(table.path.read_bytes()[:200_000])
        found = [match.encoding for match in matches]
    except (OSError, LookupError):  # pragma: no cover - the file was read a moment ago
        pass
    names = [name for name in dict.fromkeys([*found, *USUAL]) if name not in WESTERN]
    # The ones that read the start of the file as letters of one script first ("李小龙" in
    # GBK, not Greek signs), Excel's own encodings before other guesses that read as well.
    head = table.path.read_bytes()[:4096]
    usual = {name: rank for rank, name in enumerate(USUAL)}
    ranked = sorted(names, key=lambda name: (-_one_script(head, name), usual.get(name, 99)))
    return ranked[:6]


def _one_script(data: bytes, encoding: str) -> float:
    """How much of the non-ASCII text ``data`` reads as in ``encoding`` is letters of its
    commonest script (0 when it does not decode)."""
    import unicodedata

    try:
        text = data.decode(encoding, errors="strict" if len(data) < 4096 else "ignore")
    except (UnicodeDecodeError, LookupError):
        return 0.0
    odd = [ch for ch in text if ord(ch) > 127]
    if not odd:
        return 0.0
    scripts = [unicodedata.name(ch, "?").split()[0] for ch in odd if ch.isalpha()]
    return max(map(scripts.count, set(scripts)), default=0) / len(odd)
