"""The value bank: articles, reports, case studies, introductions, insights and tools
worth sending, and which one a draft should carry to which prospect.

Relevance before rotation (``choose``), in order:

1. Never an item this prospect has already received (any touch of theirs with its id).
2. What we promised them (their ``promised`` field) wins when the bank holds it: an item
   whose title or note has the promise's words (``keeps_promise``).
3. Otherwise only an item that fits them: a tag in common with their tags or their
   ``industry`` field, or a word of their pain point (or industry) in its title, note or
   tags. Among those, the best fit (``fit``: 3 a tag, 2 the industry, 1 a word). Words
   that only name a resource's form or size ("report", "benchmark", "week") do not count.
4. Then the least recently sent (to anyone), never-sent first; then the oldest.

An item that fits nobody is never chosen on its own: with none that fits, a template
that guards its resource goes without one, and one that needs it stops and says which
item to add. ``--value ID`` sends any item the user picks.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from followup_cli import store
from followup_cli.core.errors import FollowupError
from followup_cli.store import values as value_rows

KINDS = ("article", "report", "case study", "introduction", "insight", "tool")


class ValueItemNotFound(FollowupError):
    pass


class InvalidValueItem(FollowupError):
    pass


@dataclass(frozen=True)
class ValueItem:
    """One resource in the value bank, something worth sending."""

    id: int
    title: str
    kind: str
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    created_at: str = ""
    times_sent: int = 0
    last_sent_at: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ValueItem:
        data = dict(row)
        data["tags"] = json.loads(data["tags"] or "[]")
        return cls(**data)

    def template_values(self) -> dict[str, Any]:
        """What templates see as ``value.*`` (unset details are left out)."""
        values = {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "url": self.url,
            "tags": self.tags,
            "note": self.note,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "url": self.url,
            "tags": self.tags,
            "note": self.note,
            "created_at": self.created_at,
            "times_sent": self.times_sent,
            "last_sent_at": self.last_sent_at,
        }


def kind_of(text: str) -> str:
    """A kind as the user typed it ("case-study", "Case Study") -> "case study"."""
    normal = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    if normal.endswith("s") and normal[:-1] in KINDS:
        normal = normal[:-1]
    if normal == "case studies":
        normal = "case study"
    if normal not in KINDS:
        raise InvalidValueItem(f"Unknown kind {text!r}: use one of {', '.join(KINDS)}.")
    return normal


def _check_url(url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    if not url.lower().startswith(("http://", "https://")) or " " in url:
        raise InvalidValueItem(f"{url!r} is not a web address: use e.g. https://example.com/report")
    return url


def add(
    conn: sqlite3.Connection,
    title: str,
    *,
    now: datetime,
    url: str | None = None,
    kind: str = "article",
    tags: list[str] = (),  # type: ignore[assignment]
    note: str | None = None,
) -> ValueItem:
    title = " ".join(title.split())
    if not title:
        raise InvalidValueItem('A value item needs a title: followup value add "2026 benchmark"')
    # Ids are never reused, even after `value rm`: touches keep pointing at what was sent.
    next_id = value_rows.highest_id_ever(conn) + 1
    item_id = store.insert(
        conn,
        "value_items",
        {
            "id": next_id,
            "title": title,
            "url": _check_url(url) if url else None,
            "kind": kind_of(kind),
            "tags": json.dumps(list(tags)),
            "note": (note or "").strip() or None,
            "created_at": store.to_text(now),
        },
    )
    return get(conn, item_id)


def get(conn: sqlite3.Connection, item_id: int) -> ValueItem:
    row = value_rows.by_id(conn, item_id)
    if row is None:
        raise ValueItemNotFound(
            f"No value item #{item_id}: see the value bank with followup value list"
        )
    return ValueItem.from_row(row)


def items(
    conn: sqlite3.Connection, *, tag: str | None = None, kind: str | None = None
) -> list[ValueItem]:
    rows = value_rows.matching(
        conn,
        tag=tag.strip().lower() if tag else None,
        kind=kind_of(kind) if kind else None,
    )
    return [ValueItem.from_row(row) for row in rows]


def change(
    conn: sqlite3.Connection,
    item: ValueItem,
    *,
    title: str | None = None,
    url: str | None = None,
    kind: str | None = None,
    add_tags: list[str] = (),  # type: ignore[assignment]
    remove_tags: list[str] = (),  # type: ignore[assignment]
    note: str | None = None,
) -> ValueItem:
    values: dict[str, Any] = {}
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise InvalidValueItem("A value item's title cannot be empty.")
        values["title"] = title
    if url is not None:
        values["url"] = _check_url(url)  # `--url ""` clears it
    if kind is not None:
        values["kind"] = kind_of(kind)
    if note is not None:
        values["note"] = note.strip() or None
    if add_tags or remove_tags:
        tags = [tag for tag in item.tags if tag not in remove_tags]
        tags += [tag for tag in add_tags if tag not in tags]
        values["tags"] = json.dumps(tags)
    store.update(conn, "value_items", item.id, values)
    return get(conn, item.id)


def remove(conn: sqlite3.Connection, item: ValueItem) -> None:
    """Remove an item; touches that carried it keep its id (and it is never reused)."""
    value_rows.delete(conn, item.id)


def sent_to(conn: sqlite3.Connection, prospect_id: int) -> dict[int, str]:
    """Value items this prospect already received: id -> when (UTC ISO text)."""
    return value_rows.sent_to(conn, prospect_id)


@dataclass(frozen=True)
class Choice:
    """The chosen item (or None) and, when there is none, why."""

    item: ValueItem | None
    bank_size: int
    already_sent: int
    unfitting: int = 0  # items left out because they fit nothing known about the prospect
    promised: bool = False  # the item is the one we promised them


_STOP = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "and",
        "are",
        "for",
        "from",
        "have",
        "into",
        "more",
        "most",
        "much",
        "not",
        "only",
        "other",
        "our",
        "over",
        "same",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "they",
        "this",
        "those",
        "very",
        "what",
        "when",
        "with",
        "your",
        "how",
        "why",
        "who",
        "which",
        "while",
        "each",
        "every",
    ]
)


def words_of(text: str) -> set[str]:
    """Content words, lower case, plural -s dropped: "Patient no-shows" -> {patient, no-show}."""
    found = set()
    for word in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower()):
        if len(word) < 4 or word in _STOP or word.isdigit():
            continue
        found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return found


# Words that say what form a resource takes or how much, not what it is about: "ore grade
# reports" shares "report" with "2026 renewal benchmark report" and nothing else.
_GENERIC = frozenset(
    ["report", "benchmark", "case", "study", "studie", "article", "introduction", "insight"]
    + ["tool", "guide", "checklist", "index", "survey", "note", "idea", "thing", "way"]
    + ["team", "people", "time", "week", "month", "year", "quarter", "third", "half"]
    + ["without", "within", "less", "fewer", "faster", "better", "using", "down", "best"]
)


def _item_words(item: ValueItem) -> set[str]:
    return words_of(" ".join([item.title, item.note or "", *item.tags])) - _GENERIC


def fit(item: ValueItem, prospect: Any) -> int:
    """How well ``item`` fits ``prospect`` (0: it is unrelated to anything we know)."""
    fields = getattr(prospect, "fields", {}) or {}
    tags = set(prospect.tags)
    industry = (fields.get("industry") or "").strip().lower()
    score = 3 * len(tags & set(item.tags))
    if industry and (industry in item.tags or words_of(industry) & _item_words(item)):
        score += 2
    topic = " ".join(str(fields.get(name) or "") for name in ("pain_point", "industry", "goal"))
    score += len((words_of(topic) - _GENERIC) & _item_words(item))
    return score


def keeps_promise(item: ValueItem, promised: str | None) -> bool:
    """Whether ``item`` is what the ``promised`` field names: every word of a short
    promise ("the no-show benchmark"), two thirds of a longer one, in its title or note."""
    wanted = words_of(promised or "")
    if not wanted:
        return False
    found = len(wanted & words_of(f"{item.title} {item.note or ''}"))
    return found == len(wanted) if len(wanted) <= 2 else found * 3 >= len(wanted) * 2


def choose(conn: sqlite3.Connection, prospect: Any) -> Choice:
    """The best item for this prospect (see the module docstring for the rule)."""
    everything = items(conn)
    received = sent_to(conn, prospect.id)
    candidates = [item for item in everything if item.id not in received]
    promised = (getattr(prospect, "fields", {}) or {}).get("promised")
    kept = [item for item in candidates if keeps_promise(item, promised)]
    if kept:
        return Choice(kept[0], len(everything), len(received), promised=True)
    scored = [(fit(item, prospect), item) for item in candidates]
    fitting = [(score, item) for score, item in scored if score > 0]

    def rank(pair: tuple[int, ValueItem]) -> tuple[int, int, str, int]:
        score, item = pair
        never = 0 if item.last_sent_at is None else 1
        return (-score, never, item.last_sent_at or "", item.id)

    best = min(fitting, key=rank, default=None)
    return Choice(
        best[1] if best else None,
        len(everything),
        len(everything) - len(candidates),
        unfitting=len(candidates) - len(fitting),
    )
