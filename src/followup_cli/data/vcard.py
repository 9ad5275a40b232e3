"""vCard files in and out (``.vcf``): Apple Contacts and iCloud write vCard 3.0, Google and
most phones 3.0 or 4.0. vobject reads and writes them (folded lines, ``item1.`` groups,
escaped commas); it is imported on this path only, so no other command pays for it.

A card becomes a row of the same import as a CSV file: its properties are given our field
names (``FN`` name, ``N`` first/middle/last name and the salutation, ``EMAIL``, ``TEL``,
``ORG``, ``TITLE``, ``BDAY``, ``ANNIVERSARY``, ``NOTE``, ``CATEGORIES`` as tags, ``TZ``,
the country of the first ``ADR``, a LinkedIn ``URL``); further emails and phones are kept as
``email_2``, ``phone_2``... The export writes the same properties back, so a card survives
export then import.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from followup_cli.data.csv_source import ImportFailed, Table, file_bytes
from followup_cli.data.files import atomic_text
from followup_cli.store import exports

FIELDS = (
    "name", "first_name", "middle_name", "last_name", "salutation", "email", "phone",
    "company", "title", "birthday", "anniversary", "notes", "tags", "timezone", "country",
    "linkedin",
)  # fmt: skip


@dataclass
class VcardTable(Table):
    """The cards of a .vcf file, each pointed at by its number (from 1)."""

    unit = "card"
    noun = "card"

    def cells(self, where: int, raw: list[Any]) -> list[Any]:
        return raw  # already one value per column, tags as a tuple

    def rejects_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}.rejects.csv")

    def write_rejects(self, target: Path, rejected: Sequence[tuple[Any, str]]) -> None:
        """The cards left out, as CSV rows of what import read from them, with the reason."""
        with atomic_text(target) as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow([*self.header, "followup_error"])
            for cells, reason in rejected:
                writer.writerow(
                    [*(", ".join(c) if isinstance(c, tuple) else c for c in cells), reason]
                )


def read_vcards(path: Path) -> VcardTable:
    import vobject

    text = _text(file_bytes(path, "vCard"), path.name)
    cards: list[dict[str, Any]] = []
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):
            if card.name == "VCARD":
                cards.append(_card(card))
    except Exception as error:  # vobject raises its own ParseError and plain ValueErrors
        raise ImportFailed(
            f"{path.name} is not a readable vCard file ({_short(error)}): export the contacts "
            "again as vCard (.vcf)."
        ) from None
    if not cards:
        raise ImportFailed(f"{path.name} holds no vCard (BEGIN:VCARD ... END:VCARD).")
    extra = sorted({k for card in cards for k in card} - set(FIELDS))
    header = [f for f in FIELDS if any(f in card for card in cards)] + extra
    rows = ((n, [card.get(k, "") for k in header]) for n, card in enumerate(cards, 1))
    return VcardTable(path, "utf-8", "vcard", len(cards), rows, header)


def _text(data: bytes, name: str) -> str:
    """vCard is UTF-8 (4.0 says so; 3.0 files are in practice); Outlook writes UTF-16."""
    codec = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # an old Windows export


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:80] if str(error) else type(error).__name__


def _values(card: Any, key: str) -> list[Any]:
    return [line.value for line in card.contents.get(key, [])]


def _card(card: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def put(field: str, value: Any) -> None:
        if isinstance(value, str):
            value = value.strip()
        if value:
            found.setdefault(field, value)

    for value in _values(card, "fn"):
        put("name", value)
    for value in _values(card, "n"):
        if hasattr(value, "family"):
            put("first_name", _joined(value.given))
            put("middle_name", _joined(value.additional))
            put("last_name", _joined(value.family))
            put("salutation", _joined(value.prefix))
    for field, key, clean in (("email", "email", _email), ("phone", "tel", _phone)):
        for number, value in enumerate(v for v in map(clean, _values(card, key)) if v):
            put(field if number == 0 else f"{field}_{number + 1}", value)
    for value in _values(card, "org"):
        parts = value if isinstance(value, list) else [value]
        put("company", parts[0] if parts else "")
        if len(parts) > 1:
            put("department", "; ".join(p for p in parts[1:] if p))
    for field, key in (("title", "title"), ("notes", "note"), ("timezone", "tz")):
        for value in _values(card, key):
            put(field, value)
    for key in ("bday", "anniversary", "x-anniversary"):
        for value in _values(card, key):
            put("birthday" if key == "bday" else "anniversary", _day(str(value)))
    tags: list[str] = []
    for value in _values(card, "categories"):
        tags += [v.strip() for v in (value if isinstance(value, list) else value.split(","))]
    if tags:
        found["tags"] = tuple(t for t in tags if t)
    for value in _values(card, "adr"):
        put("country", getattr(value, "country", ""))
    for value in [*_values(card, "url"), *_values(card, "x-socialprofile")]:
        if "linkedin.com" in str(value):
            put("linkedin", str(value))
    return found


def _joined(part: Any) -> str:
    return " ".join(part) if isinstance(part, list) else str(part or "")


def _email(value: Any) -> str:
    return str(value).strip().removeprefix("mailto:")


def _phone(value: Any) -> str:
    return str(value).strip().removeprefix("tel:")


def _day(text: str) -> str:
    """ "19860721", "1986-07-21T00:00:00Z", "--0517", "--05-17" -> ISO, or --MM-DD."""
    text = text.strip()
    if m := re.fullmatch(r"--(\d\d)-?(\d\d)", text):
        return f"--{m[1]}-{m[2]}"
    if m := re.match(r"(\d{4})-?(\d\d)-?(\d\d)", text):
        return f"{m[1]}-{m[2]}-{m[3]}"
    return text


# --- export --------------------------------------------------------------------------------------


def export_vcards(conn: sqlite3.Connection, out: IO[str], version: str = "3.0") -> int:
    """Every prospect as a card (vCard 3.0, or 4.0): what a card can hold of them."""
    import vobject

    columns = [
        "name", "email", "phone", "company", "title", "birthday", "anniversary", "notes",
        "tags", "timezone", "country", "linkedin",
    ]  # fmt: skip
    count = 0
    for row in exports.prospect_rows(conn, columns):
        card = vobject.vCard()
        card.add("version").value = version
        fields = json.loads(row["fields"] or "{}")
        name = row["name"]
        card.add("fn").value = name
        prefix = fields.get("salutation", "")
        bare = name.removeprefix(prefix + " ") if prefix else name
        first, _, last = bare.rpartition(" ") if " " in bare else ("", "", bare)
        card.add("n").value = vobject.vcard.Name(family=last, given=first, prefix=prefix)
        for field, key in (("email", "email"), ("phone", "tel")):
            for value in [row[field], *_numbered(fields, field)]:
                if value:
                    line = card.add(key)
                    line.value = value
                    if version == "3.0" and key == "email":
                        line.type_param = "INTERNET"
        if row["company"]:
            card.add("org").value = [row["company"], *filter(None, [fields.get("department")])]
        for column, key in (("title", "title"), ("notes", "note"), ("timezone", "tz")):
            if row[column]:
                card.add(key).value = row[column]
        if row["birthday"]:
            card.add("bday").value = _card_day(row["birthday"], version)
        if row["anniversary"]:
            key = "anniversary" if version == "4.0" else "x-anniversary"
            card.add(key).value = _card_day(row["anniversary"], version)
        tags = json.loads(row["tags"] or "[]")
        if tags:
            card.add("categories").value = tags
        if row["country"]:
            card.add("adr").value = vobject.vcard.Address(country=row["country"])
        if row["linkedin"]:
            card.add("url").value = row["linkedin"]
        out.write(card.serialize())
        count += 1
    return count


def _numbered(fields: dict[str, str], field: str) -> Iterator[str]:
    n = 2
    while f"{field}_{n}" in fields:
        yield fields[f"{field}_{n}"]
        n += 1


def _card_day(day: str, version: str) -> str:
    """vCard 3.0 writes a full date; a day without a year only 4.0 can say (--MMDD)."""
    if day.startswith("--"):
        return "--" + day[2:].replace("-", "") if version == "4.0" else day
    return day.replace("-", "") if version == "4.0" else day
