"""What one cell of a prospect row says, checked: an email, a stage as CRMs name it, a
country, a priority, tags... (``CONVERT``), and the details, custom fields and record keys
of a whole row (``prospect_values``). ``import_prospects`` does the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from followup_cli.core.errors import FollowupError, InvalidValue
from followup_cli.core.numbers import whole
from followup_cli.core.text import all_single_line
from followup_cli.data.columns import aliases, norm
from followup_cli.data.csv_source import FLAG, LIST, NUMBER, RowError
from followup_cli.data.importer import (
    amount,
    calendar_day,
    choices,
    one_of,
    shown,
    text_as_is,
    vocab,
    whole_number,
    yes_no,
)
from followup_cli.data.row_rules import honorific, split_values

# What CRMs call the stages (HubSpot lifecycle stage and lead status, Salesforce, Pipedrive).
STAGE_SYNONYMS = {
    word: stage
    for stage, words in aliases("""
cold: lead, subscriber, new, open, other, open not contacted, not contacted, lead in, prospect,
    attempted to contact
interest: marketingqualifiedlead, marketing qualified lead, mql, working contacted, contacted,
    connected, contact made, in progress, qualified, interested, engaged
active: salesqualifiedlead, sales qualified lead, sql, opportunity, open deal, demo scheduled,
    negotiation, negotiations started, qualification, needs analysis
proposal: proposal made, proposal sent, quote, proposal price quote, negotiation review
customer: won, closed won, closed converted, evangelist, client
lost: closed lost, closed not converted, unqualified, disqualified
nurture: bad timing, nurturing, on hold
""").items()
    for word in words
}
COUNTRY_NAMES = {
    "usa": "US",
    "united states of america": "US",
    "uk": "GB",
    "england": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "scotland": "GB",
    "wales": "GB",
}


_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")


def _email(value: str) -> str:
    value = value.split(":::")[0].strip().lower().removeprefix("mailto:")
    if not _EMAIL.fullmatch(value):
        raise RowError("is not an email address")
    return value


def _stage(value: str) -> str:
    found = STAGE_SYNONYMS.get(norm(value)) or (
        value.lower() if value.lower() in vocab("STAGES") else None
    )
    if not found:
        raise RowError(f"is not a stage: use {choices('STAGES')}")
    return found


@cache
def _zone_ok(value: str) -> str:
    from followup_cli.core.config import zone

    try:
        zone(value)
    except FollowupError:
        raise RowError("is not an IANA timezone such as America/Denver or Europe/Paris") from None
    return value


@cache
def _country(value: str) -> str:
    from followup_cli.pipeline.prospect import zone_countries

    codes = {code: code for code in set(zone_countries().values())}
    names = {norm(name): code for code, name in _iso3166().items()}
    found = codes.get(value.upper()) or COUNTRY_NAMES.get(norm(value)) or names.get(norm(value))
    if not found:
        raise RowError("is not a country: use a two-letter ISO code such as US, GB or DE")
    return found


@cache
def _iso3166() -> dict[str, str]:
    from importlib.resources import files

    try:
        text = (files("tzdata.zoneinfo") / "iso3166.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - tzdata is a dependency
        return {}
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0]: re.sub(r"\s*\(.*\)", "", row[1]) for row in rows if len(row) > 1}


def _priority(value: str) -> int:
    priorities = vocab("PRIORITIES")
    if value.strip().lower() in priorities:
        return priorities[value.strip().lower()]
    if value.strip() in {str(n) for n in priorities.values()}:
        return int(value)
    raise RowError(f"is not a priority: use {', '.join(priorities)}")


def _pace(value: str) -> float:
    number = amount(value)
    if not 0.25 <= number <= 10:
        raise RowError("is not a pace between 0.25 and 10")
    return number


# The group every Google contact is in ("* myContacts"; "System Group: My Contacts" before
# 2024): it says nothing about the person, so it is no tag.
GOOGLE_GROUPS = {"mycontacts", "my contacts", "system group: my contacts"}


def _tags(value: str | tuple[str, ...]) -> list[str]:
    """ "vip, saas": a cell; a JSON list (a tuple here) is already split, so a tag in it
    may hold a comma."""
    found: list[str] = []
    for tag in value if isinstance(value, tuple) else re.split(r":::|[,;|]", value):
        tag = tag.strip().lstrip("*").strip().lower()
        if tag and tag not in found and tag not in GOOGLE_GROUPS:
            found.append(tag)
    return found


def _status(value: str) -> str:
    if value.lower() not in ("active", "paused", "stopped", "completed"):
        raise RowError("is not a cadence status: use active, paused, stopped or completed")
    return value.lower()


CONVERT: dict[str, Callable[[str], Any]] = {
    "email": _email,
    "stage": _stage,
    "value": amount,
    "timezone": _zone_ok,
    "country": _country,
    "channel": one_of("CHANNELS", "channel"),
    "priority": _priority,
    "relationship": one_of("RELATIONSHIPS", "relationship level"),
    "birthday": calendar_day,
    "anniversary": calendar_day,
    "pace": _pace,
    "do_not_contact": yes_no,
    "texts_ok": yes_no,
    "tags": _tags,
    "cadence_status": _status,
    "steps_done": whole_number,
}


# JSON values other than strings that a field takes (``csv_source.JsonTable.expect``).
JSON_TYPES = {"tags": LIST, "do_not_contact": FLAG, "texts_ok": FLAG}
JSON_TYPES |= dict.fromkeys(("value", "pace", "priority", "steps_done", "id"), NUMBER)


MEMO_KINDS = {
    "value",
    "birthday",
    "anniversary",
    "stage",
    "timezone",
    "country",
    "channel",
    "priority",
    "relationship",
    "cadence",
    "cadence_status",
    "tags",
}  # few distinct values: each is checked once per import


# Columns that go into headers, subjects and one-line listings.
ONE_LINE = {"name", "first_name", "middle_name", "last_name", "company", "title", "email"}
ONE_LINE |= {"phone", "referred_by", "linkedin"}


def _id(value: str) -> int:
    try:
        return whole(value, "id", low=1)
    except InvalidValue:
        raise RowError(f"id {shown(value)} is larger than an id can be (2^63 - 1)") from None


# How ``prospect_values`` treats a column (``value_plan``): a custom field, text kept as it
# is (on one line, or free), a checked cell, or an email or phone cell that may hold several.
CUSTOM, ONE_LINE_TEXT, FREE_TEXT, CHECKED, SEVERAL = range(5)


def value_plan(plan: list) -> list[tuple[int, str, str, Any, int]]:
    """``importer.converters``' plan with how each column is treated: worked out once per
    file, so a row does no more than its cells ask."""
    found = []
    for index, header, target, check in plan:
        if check is None:
            kind, target = CUSTOM, target[6:]
        elif target in ("email", "phone"):
            kind = SEVERAL
        elif check is text_as_is:
            kind = ONE_LINE_TEXT if target in ONE_LINE else FREE_TEXT
        else:
            kind = CHECKED
        found.append((index, header, target, check, kind))
    return found


def prospect_values(cells: list[str], plan: list, spares: tuple = ()) -> tuple[dict, dict, dict]:
    """(details, custom fields, other) of one row: what the file says, checked. ``plan``:
    ``value_plan``'s; ``spares``: (index, header, field, check, custom key) of further email
    and phone columns, whose value stands in when the first column's cell is empty."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    wrong = []
    lines: list[str] = []  # what must be on one line, checked at once
    for index, header, target, check, kind in plan:
        raw = cells[index]
        if not raw:
            continue
        if kind == CUSTOM:
            fields[target] = raw
            continue
        if kind == ONE_LINE_TEXT:
            values[target] = raw
            if isinstance(raw, str):
                lines.append(raw)
            continue
        if kind == FREE_TEXT:
            values[target] = raw
            continue
        if kind == SEVERAL and isinstance(raw, str):
            raw, *more = split_values(target, raw)
            for number, extra in enumerate(more, 2):
                fields.setdefault(f"{target}_{number}", extra)
        try:
            value = check(raw)
        except RowError as error:
            wrong.append(f"{header} {shown(raw)} {error}")
            continue
        if value is not None:  # None: "no date" (Outlook's 0/0/00), as an empty cell
            values[target] = value
            if target in ONE_LINE and isinstance(value, str):
                lines.append(value)
    if lines and not all_single_line(lines):
        for index, header, target, _check, _kind in plan:  # which one, for the message
            value = values.get(target)
            if target in ONE_LINE and isinstance(value, str) and not all_single_line([value]):
                del values[target]
                shown_cell = shown(cells[index])
                wrong.append(f"{header} {shown_cell} holds a line break: put it on one line")
    for index, header, target, check, key in spares:  # "Mobile" when "Phone" is empty
        raw = cells[index]
        if raw and target not in values and not wrong:
            try:
                values[target] = check(split_values(target, raw)[0])
                fields.pop(key, None)
            except RowError as error:
                wrong.append(f"{header} {shown(raw)} {error}")
    if wrong:
        raise RowError("; ".join(wrong))
    if not values.get("do_not_contact", 1):
        del values["do_not_contact"]  # an import sets the flag, never clears it
    if "title" in values and honorific(values["title"]):
        values.setdefault("salutation", values.pop("title"))  # Mr., Dr.: not a job title
    if "salutation" in values:
        fields.setdefault("salutation", values.pop("salutation"))
    if "first_name" in values or "last_name" in values or "middle_name" in values:
        names = [values.pop(k, "") for k in ("first_name", "middle_name", "last_name")]
        if not values.get("name"):
            values["name"] = " ".join(n for n in names if n)
    if "created_at" in values or "updated_at" in values or "id" in values:
        extra = {k: values.pop(k) for k in ("created_at", "updated_at", "id") if k in values}
    else:
        return values, fields, {}
    if "id" in extra and not str(extra["id"]).isdigit():
        fields["id"] = str(extra.pop("id"))
    elif "id" in extra:
        extra["id"] = _id(str(extra["id"]))
    return values, fields, extra


_SORTED_JSON = json.JSONEncoder(sort_keys=True).encode  # one encoder, not one a row
_QUOTED = json.encoder.encode_basestring_ascii  # what json.dumps does to one string, in C


def fields_text(fields: dict[str, Any]) -> str:
    """``json.dumps(fields, sort_keys=True)``, the same text, faster for the common case of
    text values (a CSV row's custom fields are all text)."""
    try:
        return "{" + ", ".join(f"{_QUOTED(k)}: {_QUOTED(fields[k])}" for k in sorted(fields)) + "}"
    except TypeError:  # a number or a list, from a JSON file
        return _SORTED_JSON(fields)
