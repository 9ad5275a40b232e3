"""Prospects: the people we follow up with, how to find them by what the user types,
and how their details are added, changed and removed."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from followup_cli import store
from followup_cli.core import numbers
from followup_cli.core.errors import AmbiguousProspect, InvalidValue, ProspectNotFound
from followup_cli.core.numbers import LARGEST_AMOUNT
from followup_cli.core.text import fold, free_text, single_line
from followup_cli.core.vocab import (
    CHANNELS,
    CONTEXT_NAMES,
    PRIORITIES,
    PRIORITY_NAMES,
    RELATIONSHIPS,
    STAGES,
    TEMPLATE_WORDS,
    choose,
)
from followup_cli.store import prospects as prospect_rows

# Details a user sets with an option of the same name on `add` and `edit`.
DETAILS = (
    "email",
    "phone",
    "company",
    "title",
    "timezone",
    "country",
    "channel",
    "stage",
    "value",
    "priority",
    "referred_by",
    "relationship",
    "birthday",
    "anniversary",
    "linkedin",
    "key_points",
    "competitors",
    "decision_makers",
    "personal",
    "notes",
    "pace",
)
MULTI_LINE = ("key_points", "competitors", "decision_makers", "personal", "notes")
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass
class Prospect:
    """One person in the book, as the prospects table holds them."""

    id: int
    name: str
    stage: str = "cold"
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    title: str | None = None
    timezone: str | None = None
    country: str | None = None
    channel: str | None = None
    value: float | None = None
    priority: int = 2
    tags: list[str] = field(default_factory=list)
    referred_by: str | None = None
    relationship: str | None = None
    birthday: str | None = None
    anniversary: str | None = None
    linkedin: str | None = None
    key_points: str | None = None
    competitors: str | None = None
    decision_makers: str | None = None
    personal: str | None = None
    notes: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    do_not_contact: bool = False
    pace: float = 1.0
    texts_ok: bool = False  # they agreed to text messages (seed 000: "only if you have permission")
    created_at: str = ""
    updated_at: str = ""
    # the schedule, kept up to date on every write (see enrollment.py)
    cadence: str | None = None
    cadence_status: str | None = None
    cadence_anchor: str | None = None
    steps_done: int = 0
    prev_step_at: str | None = None
    prev_step_due: str | None = None
    paused_until: str | None = None
    answered: bool = False
    last_touch_at: str | None = None
    last_touch_channel: str | None = None
    last_touch_outcome: str | None = None
    next_due_at: str | None = None
    next_step: int | None = None
    next_steps_total: int | None = None
    next_channel: str | None = None
    next_purpose: str | None = None
    next_template: str | None = None
    next_why: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Prospect:
        data = dict(row)
        data["tags"] = json.loads(data["tags"] or "[]")
        data["fields"] = json.loads(data["fields"] or "{}")
        data["do_not_contact"] = bool(data["do_not_contact"])
        data["answered"] = bool(data["answered"])
        data["texts_ok"] = bool(data.get("texts_ok"))
        return cls(**data)

    @property
    def first_name(self) -> str:
        return first_name_of(self.name)

    @property
    def priority_name(self) -> str:
        return PRIORITY_NAMES.get(self.priority, str(self.priority))

    def columns(self) -> dict[str, Any]:
        """The row as stored (a shallow copy: every list or dict is stored as JSON text)."""
        data = dict(vars(self))
        data["tags"] = json.dumps(self.tags)
        data["fields"] = json.dumps(self.fields, sort_keys=True)
        data["do_not_contact"] = int(self.do_not_contact)
        data["answered"] = int(self.answered)
        data["texts_ok"] = int(self.texts_ok)
        return data

    def public(self) -> dict[str, Any]:
        """The prospect's own details (not the schedule machinery), for --json."""
        data = asdict(self)
        data["priority"] = self.priority_name
        data["first_name"] = self.first_name
        for key in ("cadence_anchor", "prev_step_at", "prev_step_due", "answered", "steps_done"):
            data.pop(key)
        for key in list(data):
            if key.startswith(("next_", "last_touch_")):
                data.pop(key)
        return data


def first_name_of(name: str) -> str:
    """ "Dr. Dana Reyes" -> "Dana"; "Reyes, Dana" -> "Dana"."""
    name = name.strip()
    if "," in name:
        name = name.split(",", 1)[1].strip() or name
    parts = [part for part in name.split() if part]
    honorifics = {"mr", "mrs", "ms", "mx", "dr", "prof", "sir", "dame"}
    while len(parts) > 1 and parts[0].lower().rstrip(".") in honorifics:
        parts.pop(0)
    return parts[0] if parts else name


# --- finding ---------------------------------------------------------------------------------


def get(conn: sqlite3.Connection, prospect_id: int) -> Prospect:
    row = prospect_rows.by_id(conn, prospect_id)
    if row is None:
        raise ProspectNotFound(f"No prospect with id {prospect_id}: see them with followup list")
    return Prospect.from_row(row)


def resolve(conn: sqlite3.Connection, ref: str) -> Prospect:
    """A prospect named by id, email, or an unambiguous part of the name."""
    text = ref.strip()
    if not text:
        raise ProspectNotFound("Name a prospect by id, email, or part of the name.")
    if text.isdigit():
        row = prospect_rows.by_id(conn, int(text))
        if row:
            return Prospect.from_row(row)
    if "@" in text:
        row = prospect_rows.by_email(conn, text.lower())
        if row:
            return Prospect.from_row(row)
    rows = prospect_rows.named_like(conn, text)
    if not rows:  # `jose` for José, `MULLER` for Müller: compare with accents and case folded
        rows = _folded_matches(conn, text)
    exact = [row for row in rows if fold(row["name"]) == fold(text)]
    if len(exact) == 1:
        return Prospect.from_row(exact[0])
    if len(rows) == 1:
        return Prospect.from_row(rows[0])
    if not rows:
        close = _close_names(conn, text)
        if close:
            raise ProspectNotFound(
                f"No prospect matches {ref!r}: did you mean {' or '.join(close)}? "
                "(see everyone with followup list)"
            )
        raise ProspectNotFound(
            f"No prospect matches {ref!r}: check the spelling, or see everyone with followup list"
        )
    shown = "; ".join(_label(row) for row in rows[:8])
    more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
    raise AmbiguousProspect(
        f"{ref!r} matches {len(rows) if len(rows) <= 20 else 'over 20'} prospects: "
        f"{shown}{more}. Use the id or email instead."
    )


def _folded_matches(conn: sqlite3.Connection, text: str) -> list[sqlite3.Row]:
    wanted = fold(text)
    ids = [row["id"] for row in prospect_rows.names(conn) if wanted in fold(row["name"])]
    return prospect_rows.by_ids(conn, ids[:21]) if ids else []


def _close_names(conn: sqlite3.Connection, text: str) -> list[str]:
    """Up to three names that look like a misspelling of ``text`` (``dnaa`` -> Dana Reyes)."""
    from difflib import SequenceMatcher

    wanted = fold(text)
    scored = []
    for row in prospect_rows.names(conn):
        name = fold(row["name"])
        parts = [name, *name.split()]
        best = max(SequenceMatcher(None, wanted, part).ratio() for part in parts)
        if best >= 0.7:
            scored.append((-best, row["name"], row["id"]))
    return [f"#{pid} {name}" for _, name, pid in sorted(scored)[:3]]


def _label(row: sqlite3.Row) -> str:
    email = f" <{row['email']}>" if row["email"] else ""
    company = f", {row['company']}" if row["company"] else ""
    return f"#{row['id']} {row['name']}{email}{company}"


# --- validating what the user typed ----------------------------------------------------------


def clean_details(values: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the details given on the command line (None: not given)."""
    from followup_cli.core.dates import parse_date

    clean: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in DETAILS:
            raise InvalidValue(f"Unknown detail {key!r}.")
        if isinstance(value, str):
            value = value.strip()
            what = key.replace("_", " ")
            if key in MULTI_LINE:
                free_text(value, what)
            else:
                single_line(value, what)
        if value == "" and key not in ("stage", "priority", "pace"):
            clean[key] = None  # `--company ""` clears a detail
            continue
        if key == "email":
            value = value.lower()
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
                raise InvalidValue(f"{value!r} is not an email address: use name@example.com.")
        elif key == "timezone":
            from followup_cli.core.config import zone

            zone(value)
        elif key == "country":
            value = check_country(value)
        elif key == "stage":
            value = choose(value, STAGES, "stage")
        elif key == "channel":
            value = choose(value, CHANNELS, "channel")
        elif key == "relationship":
            value = choose(value, RELATIONSHIPS, "relationship level")
        elif key == "priority":
            value = PRIORITIES[choose(str(value), PRIORITIES, "priority")]
        elif key in ("birthday", "anniversary"):
            value = parse_date(value)
        elif key == "value":
            value = numbers.number(value, "deal value", "--value 24000", high=LARGEST_AMOUNT)
        elif key == "pace":
            value = numbers.number(
                value,
                "pace",
                "--pace 1.5",
                low=0.25,
                high=10,
                out_of_range="The pace must be between 0.25 and 10 "
                "(1.5 gives a busy person 50% more time).",
            )
        clean[key] = value
    return clean


def check_country(code: str) -> str:
    import holidays

    code = code.strip().upper()
    if code not in holidays.list_supported_countries():
        raise InvalidValue(
            f"Unknown country {code!r}: use a two-letter ISO code such as US, GB, DE or FR."
        )
    return code


@lru_cache(maxsize=1)
def zone_countries() -> dict[str, str]:
    from importlib.resources import files
    from pathlib import Path

    candidates = [Path("/usr/share/zoneinfo/zone.tab")]
    with contextlib.suppress(ModuleNotFoundError):
        candidates.insert(0, Path(str(files("tzdata.zoneinfo") / "zone.tab")))
    for path in candidates:
        if path.is_file():
            table = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    parts = line.split("\t")
                    table[parts[2]] = parts[0]
            return table
    return {}


def country_of(prospect: Prospect) -> str | None:
    """The prospect's country for public holidays: set explicitly, or read off the timezone."""
    if prospect.country:
        return prospect.country
    if prospect.timezone:
        return zone_countries().get(prospect.timezone)
    return None


def parse_fields(pairs: list[str]) -> dict[str, str | None]:
    """``--set key=value`` pairs; ``key=`` removes the field."""
    fields: dict[str, str | None] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep or not _FIELD_NAME.match(key):
            raise InvalidValue(
                f'--set {pair!r} is not key=value: use e.g. --set pain_point="manual renewals" '
                "(keys are letters, digits and _)."
            )
        if key in CONTEXT_NAMES or key in TEMPLATE_WORDS:
            raise InvalidValue(
                f"--set {key}=...: {key!r} is a name templates already use, so no template "
                f"could ever read this field: choose another name (e.g. {key}_note)."
            )
        fields[key] = single_line(value.strip(), f"field {key}") or None
    return fields


def parse_tags(tags: list[str]) -> list[str]:
    found: list[str] = []
    for raw in tags:
        for tag in raw.split(","):
            tag = tag.strip().lower()
            if tag and tag not in found:
                found.append(tag)
    return found


# --- writing ----------------------------------------------------------------------------------


def insert(
    conn: sqlite3.Connection,
    name: str,
    details: dict[str, Any],
    *,
    tags: list[str],
    fields: dict[str, str | None],
    texts_ok: bool = False,
    now: datetime,
) -> Prospect:
    if not name.strip():
        raise InvalidValue('A prospect needs a name: followup add "Dana Reyes" ...')
    single_line(name.strip(), "name")
    email = details.get("email")
    if email:
        _ensure_email_free(conn, email, None)
    stamp = store.to_text(now)
    row = {
        "name": name.strip(),
        **details,
        "tags": json.dumps(tags),
        "fields": json.dumps({k: v for k, v in fields.items() if v is not None}, sort_keys=True),
        "texts_ok": int(texts_ok),
        "created_at": stamp,
        "updated_at": stamp,
    }
    prospect_id = store.insert(conn, "prospects", row)
    return get(conn, prospect_id)


def change(
    conn: sqlite3.Connection,
    prospect: Prospect,
    details: dict[str, Any],
    *,
    name: str | None = None,
    add_tags: list[str] = (),  # type: ignore[assignment]
    remove_tags: list[str] = (),  # type: ignore[assignment]
    fields: dict[str, str | None] | None = None,
    do_not_contact: bool | None = None,
    texts_ok: bool | None = None,
    now: datetime,
) -> Prospect:
    values: dict[str, Any] = dict(details)
    if name is not None:
        if not name.strip():
            raise InvalidValue("A prospect's name cannot be empty.")
        single_line(name.strip(), "name")
        values["name"] = name.strip()
    if values.get("email"):
        _ensure_email_free(conn, values["email"], prospect.id)
    if add_tags or remove_tags:
        tags = [tag for tag in prospect.tags if tag not in remove_tags]
        tags += [tag for tag in add_tags if tag not in tags]
        values["tags"] = json.dumps(tags)
    if fields:
        merged = dict(prospect.fields)
        for key, value in fields.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        values["fields"] = json.dumps(merged, sort_keys=True)
    if do_not_contact is not None:
        values["do_not_contact"] = int(do_not_contact)
    if texts_ok is not None:
        values["texts_ok"] = int(texts_ok)
    if not values:
        return prospect
    values["updated_at"] = store.to_text(now)
    store.update(conn, "prospects", prospect.id, values)
    return get(conn, prospect.id)


def _ensure_email_free(conn: sqlite3.Connection, email: str, own_id: int | None) -> None:
    row = prospect_rows.email_owner(conn, email)
    if row and row["id"] != own_id:
        raise InvalidValue(
            f"{email} already belongs to #{row['id']} {row['name']}: "
            f"edit that prospect instead (followup edit {row['id']} ...)."
        )


def remove(conn: sqlite3.Connection, prospect: Prospect) -> None:
    prospect_rows.delete(conn, prospect.id)
