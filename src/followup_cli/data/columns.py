"""The vocabulary of the files import reads and export writes: how a header is compared
(``norm``), which headers name which prospect field (``PROSPECT_HEADERS``), and the apostrophe
that keeps a spreadsheet from running a cell as a formula (``neutralise``/``unescape``).

It imports only the header table, so the readers and the writers can all share it.
"""

from __future__ import annotations

import re
import unicodedata

from followup_cli.data.header_vocab import OWN_COLUMNS, VOCABULARY

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def norm(text: str) -> str:
    """ "E-mail 1 - Value" -> "e mail 1 value": how headers and labels are compared. Accents
    go ("Téléphone" is "telephone"); letters of other scripts stay, so "姓名" and "电子邮件"
    are two headers, not two empty ones."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", plain))


def ascii_norm(text: str) -> str:
    """``norm`` in ASCII letters only ("Straße" -> "strae"): what custom field names were
    made of before ``norm`` kept other scripts, so a file imported again gives its columns
    the same field names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (OWASP's CSV injection advice).
    ``unescape`` is the exact inverse, so export then import gives back the same text."""
    if cell[:1] in FORMULA_STARTS or (cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS):
        return "'" + cell
    return cell


def unescape(cell: str) -> str:
    if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def aliases(table: str) -> dict[str, tuple[str, ...]]:
    """``field: alias, alias, ...`` lines (an indented line continues the one above)."""
    found: dict[str, tuple[str, ...]] = {}
    key = ""
    for line in table.strip("\n").splitlines():
        if not line[:1].isspace():
            key, _, line = line.partition(":")
        found[key] = found.get(key, ()) + tuple(a.strip() for a in line.split(",") if a.strip())
    return found


def merged(blocks: dict[str, str], extra: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """One alias table from the blocks of ``header_vocab.VOCABULARY``, in their order: a field's
    aliases from the first block rank before those of later ones, and those marked ``?`` last."""
    found: dict[str, tuple[str, ...]] = {}
    weak: dict[str, tuple[str, ...]] = {}
    for block in blocks.values():
        for target, names in aliases(block).items():
            found.setdefault(target, ())
            for name in names:
                side = weak if name.endswith("?") else found
                side[target] = side.get(target, ()) + (name.rstrip("?"),)
    for target, names in weak.items():
        found[target] += names
    for target, names in found.items():
        found[target] = tuple(dict.fromkeys(names))
    for target in extra:
        found.setdefault(target, ())
    return found


# Headers of HubSpot, Salesforce, Pipedrive, Zoho, Close, Copper, Google, Apple, LinkedIn and
# Outlook exports in seven languages (``header_vocab``), compared ``norm``-ed.
PROSPECT_HEADERS = merged(VOCABULARY, OWN_COLUMNS)
