"""Full-text search over people and what happened: every field of a prospect a user types
(name, company, email, title, phone, notes, key points, personal details, competitors,
decision makers, who referred them, tags, and the values of custom fields), and the notes
of every touch.

The FTS5 tables (``prospects_fts``, ``touches_fts``) are created by migration
``_m003_search``, kept in sync by triggers on every write, and queried by ``store.search``.
Every word the user types must match, as a prefix ("budg" finds "budget"); results are ranked
by BM25, names weighing most.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from followup_cli.core.errors import InvalidValue
from followup_cli.store import search as fts
from followup_cli.store.search import END, MARK, PROSPECT_FIELDS  # MARK ... END: a matched word


@dataclass(frozen=True)
class Hit:
    """One match: a prospect's details, or one of their touches."""

    kind: str  # prospect | touch
    prospect_id: int
    name: str
    company: str | None
    email: str | None
    fields: tuple[str, ...]  # where the words were found
    snippet: str  # with MARK ... END around the matched words
    rank: float  # BM25: lower is better
    touch_id: int | None = None
    at: str | None = None
    channel: str | None = None
    outcome: str | None = None

    @property
    def plain(self) -> str:
        return self.snippet.replace(MARK, "").replace(END, "")

    @property
    def highlights(self) -> list[str]:
        return re.findall(f"{MARK}(.*?){END}", self.snippet)

    def public(self) -> dict[str, Any]:
        touch = None
        if self.kind == "touch":
            touch = {
                "id": self.touch_id,
                "at": self.at,
                "channel": self.channel,
                "outcome": self.outcome,
            }
        return {
            "kind": self.kind,
            "prospect": {
                "id": self.prospect_id,
                "name": self.name,
                "company": self.company,
                "email": self.email,
            },
            "touch": touch,
            "fields": list(self.fields),
            "snippet": self.plain,
            "highlights": self.highlights,
            "rank": round(self.rank, 4),
        }


def query_of(text: str) -> str:
    """What the user typed as an FTS5 query: every word, quoted (so punctuation and FTS
    operators are just text), as a prefix, all required."""
    words = re.findall(r"\w+", text)
    if not words:
        raise InvalidValue(
            f"Nothing to search for in {text!r}: give a word or two, e.g. followup search budget"
        )
    return " ".join(f'"{word}"*' for word in words)


def search(conn: sqlite3.Connection, text: str, *, limit: int = 20) -> list[Hit]:
    """Prospects and touches matching every word of ``text``, best first."""
    query = query_of(text)
    hits: list[Hit] = []
    for row in fts.prospects_matching(conn, query, limit):
        found = tuple(
            _custom_fields(row[6], row[7 + i]) if field == "fields" else field
            for i, field in enumerate(PROSPECT_FIELDS)
            if MARK in (row[7 + i] or "")
        )
        hits.append(Hit("prospect", row[0], row[1], row[2], row[3], found, row[4] or "", row[5]))
    for row in fts.touches_matching(conn, query, limit):
        hits.append(
            Hit(
                "touch",
                row[0],
                row[1],
                row[2],
                row[3],
                ("note",),
                row[4] or "",
                row[5],
                touch_id=row[6],
                at=row[7],
                channel=row[8],
                outcome=row[9],
            )
        )
    hits.sort(key=lambda hit: (hit.rank, hit.kind != "prospect", -(hit.touch_id or 0)))
    return hits[:limit]


def _custom_fields(fields_json: str, marked: str) -> str:
    """Which custom fields held the matched words: ``pain_point`` rather than ``fields``."""
    words = {w.casefold() for w in re.findall(f"{MARK}(.*?){END}", marked)}
    try:
        fields = json.loads(fields_json or "{}")
    except ValueError:
        return "fields"
    names = [
        name
        for name, value in sorted(fields.items())
        if words & {w.casefold() for w in re.findall(r"\w+", str(value))}
    ]
    return ", ".join(names) or "fields"
