"""Importing prospects: each row (or JSON record) adds a prospect or updates one.

A row matches an existing prospect by email, then by name and company; the same file imported
twice changes nothing. An empty cell never clears a detail, tags are added to the ones a
prospect has, and ``--cadence`` enrolls every prospect imported (unless already in it). The
headers it knows are ``columns.PROSPECT_HEADERS``; the reading, the column mapping and the
transaction are ``importer``'s; the SQL is ``store.imports``'s.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

from followup_cli import store
from followup_cli.core.errors import FollowupError
from followup_cli.data.columns import PROSPECT_HEADERS, aliases, norm
from followup_cli.data.csv_source import FLAG, LIST, NUMBER, ImportFailed, RowError, Table
from followup_cli.data.importer import (
    BATCH,
    Column,
    Problem,
    Progress,
    Report,
    amount,
    calendar_day,
    choices,
    converters,
    one_of,
    run,
    scheduler,
    shown,
    start,
    vocab,
    whole_number,
    yes_no,
)
from followup_cli.store import imports

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


def _email(value: str) -> str:
    value = value.split(":::")[0].strip().lower().removeprefix("mailto:")
    if not re.fullmatch(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+", value):
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


def _tags(value: str | tuple[str, ...]) -> list[str]:
    """ "vip, saas": a cell; a JSON list (a tuple here) is already split, so a tag in it
    may hold a comma."""
    found: list[str] = []
    for tag in value if isinstance(value, tuple) else re.split(r":::|[,;|]", value):
        tag = tag.strip().lstrip("*").strip().lower()
        if tag and tag not in found:
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
    "tags": _tags,
    "cadence_status": _status,
    "steps_done": whole_number,
}


# JSON values other than strings that a field takes (``csv_source.JsonTable.expect``).
JSON_TYPES = {"tags": LIST, "do_not_contact": FLAG}
JSON_TYPES |= dict.fromkeys(("value", "pace", "priority", "steps_done", "id"), NUMBER)


MEMO_KINDS = {
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


def _prospect_values(cells: list[str], plan: list) -> tuple[dict, dict, dict]:
    """(details, custom fields, other) of one row: what the file says, checked."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    wrong = []
    for index, header, target, check in plan:
        raw = cells[index]
        if not raw:
            continue
        if check is None:
            fields[target[6:]] = raw
            continue
        try:
            values[target] = check(raw)
        except RowError as error:
            wrong.append(f"{header} {shown(raw)} {error}")
    if wrong:
        raise RowError("; ".join(wrong))
    if not values.get("do_not_contact", 1):
        del values["do_not_contact"]  # an import sets the flag, never clears it
    if "first_name" in values or "last_name" in values or "middle_name" in values:
        names = [values.pop(k, "") for k in ("first_name", "middle_name", "last_name")]
        if not values.get("name"):
            values["name"] = " ".join(n for n in names if n)
    extra = {k: values.pop(k) for k in ("created_at", "updated_at", "id") if k in values}
    if "id" in extra and not str(extra["id"]).isdigit():
        fields["id"] = str(extra.pop("id"))
    return values, fields, extra


def import_prospects(
    conn: sqlite3.Connection,
    path: Path,
    *,
    now: datetime,
    user_tz: tzinfo,
    overrides: list[str] = (),  # type: ignore[assignment]
    cadence: str | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    rejects: Path | None = None,
    progress: Progress | None = None,
    fmt: str | None = None,
) -> Report:
    """Add or update prospects from a CSV or JSON file: by email, then by name and company."""
    from followup_cli.core.settings import settings
    from followup_cli.scheduling.cadence import load_cadence

    # A clear error for an unknown cadence, before reading anything.
    for name in [cadence] if cadence else settings().stage_cadences.values():
        load_cadence(name)
    table, columns, report = start(
        path,
        PROSPECT_HEADERS,
        list(overrides),
        custom=True,
        kind="prospects",
        dry_run=dry_run,
        fmt=fmt,
        types=JSON_TYPES,
    )
    targets = {c.target for c in columns}
    if not targets & {"name", "first_name", "last_name", "email"}:
        found = ", ".join(c.header for c in columns if c.header) or "none"
        raise ImportFailed(
            f"{table.path.name} has no name or email column (its columns: {found}): "
            'name one with --map, e.g. --map "Contact=name".'
        )
    return run(
        conn,
        report,
        lambda: _Upsert(conn, report, now, user_tz, cadence).all(
            table, columns, skip_bad, progress
        ),
        skip_bad=skip_bad,
        rejects=rejects,
        table=table,
    )


class _Upsert:
    """Each row becomes a new prospect, an update, or nothing (when nothing changed)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        report: Report,
        now: datetime,
        user_tz: tzinfo,
        cadence: str | None,
    ):
        from followup_cli.core.settings import settings

        self.conn, self.report, self.cadence = conn, report, cadence
        # New prospects of a stage named in config.toml's [default_cadence] go into it.
        self.stage_cadences = settings().stage_cadences
        self.stamp = store.to_text(now)
        self.schedule = scheduler(now, user_tz)
        self.columns = imports.prospect_columns(conn)
        self.defaults: dict[str, Any] = dict.fromkeys(self.columns)
        self.defaults.update(
            stage="cold", priority=2, do_not_contact=0, pace=1.0, steps_done=0, answered=0
        )
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
        self.ids: set[int] = set()
        for pid, email, name, company in imports.prospect_identities(conn):
            self.ids.add(pid)
            if email:
                self.by_email[email.lower()] = pid
            self.by_name.setdefault((name.lower(), (company or "").lower()), []).append(
                (pid, email)
            )
        self.next_id = max(self.ids, default=0) + 1
        self.seen: dict[Any, int] = {}  # email, (name, company) or existing id -> line
        self.pending: list[list[Any]] = []
        self.updates: list[tuple[int, dict, list[str], dict]] = []
        known: dict[str, str] = {}

        def cadence_name(value: str) -> str:
            from followup_cli.scheduling.cadence import load_cadence

            if value not in known:
                try:
                    known[value] = load_cadence(value).name
                except FollowupError:
                    raise RowError("is not a known cadence: see followup cadences list") from None
            return value

        self.convert = {"cadence": cadence_name}
        self.plan: list = []
        self.unit = "line"  # how messages point at another row: "line 4", or "index 3"

    def all(
        self, table: Table, columns: list[Column], skip_bad: bool, progress: Progress | None
    ) -> list[Problem]:
        problems: list[Problem] = []
        self.plan = converters(columns, {**CONVERT, **self.convert}, MEMO_KINDS)
        self.unit = table.unit
        for line, raw in table.rows:
            try:
                self.row(line, table.cells(line, raw), write=skip_bad or not problems)
            except RowError as error:
                problems.append(Problem(line, str(error), raw, table.unit))
                continue
            self.report.rows += 1
            if len(self.pending) >= BATCH:
                imports.insert_rows(self.conn, "prospects", self.columns, self.pending)
                if progress:
                    progress(line, table.total_lines)
        imports.insert_rows(self.conn, "prospects", self.columns, self.pending)
        self.flush_updates()
        if progress:
            progress(table.total_lines, table.total_lines)
        return problems

    def row(self, line: int, cells: list[str], *, write: bool) -> None:
        values, fields, extra = _prospect_values(cells, self.plan)
        tags = values.pop("tags", [])
        email = values.get("email")
        name = values.get("name") or email
        if not name:
            raise RowError("no name and no email: give at least one")
        key = (name.lower(), (values.get("company") or "").lower())
        if email and email in self.seen:
            raise RowError(f"duplicate email {email} (also on {self.unit} {self.seen[email]})")
        if not email and key in self.seen:
            raise RowError(
                f"duplicate prospect {name!r} at {values.get('company') or 'no company'} "
                f"(also on {self.unit} {self.seen[key]}): give each an email, or remove one"
            )
        match = self.match(email, key, name)
        if match is not None and match in self.seen:
            raise RowError(f"same prospect as {self.unit} {self.seen[match]} (#{match} {name})")
        for seen_key in (email or key, match):
            if seen_key is not None:
                self.seen[seen_key] = line
        if not write:
            return
        if match is None:
            self.insert({**values, "name": name}, tags, fields, extra)
        else:
            self.update(match, values, tags, fields)

    def match(self, email: str | None, key: tuple[str, str], name: str) -> int | None:
        if email and email in self.by_email:
            return self.by_email[email]
        candidates = [pid for pid, known in self.by_name.get(key, []) if not (email and known)]
        if len(candidates) > 1:
            ids = ", ".join(f"#{pid}" for pid in candidates[:5])
            raise RowError(
                f"{name!r} matches {len(candidates)} prospects ({ids}): "
                "add an email column to say which"
            )
        return candidates[0] if candidates else None

    def insert(self, values: dict, tags: list[str], fields: dict, extra: dict) -> None:
        wanted = extra.get("id")
        pid = int(wanted) if wanted and int(wanted) not in self.ids else None
        if pid is None:
            while self.next_id in self.ids:
                self.next_id += 1
            pid = self.next_id
        self.ids.add(pid)
        row = dict(self.defaults)
        row.update(values)
        row["id"] = pid
        row["tags"] = json.dumps(tags) if tags else "[]"
        row["fields"] = json.dumps(fields, sort_keys=True) if fields else "{}"
        row["created_at"] = extra.get("created_at") or self.stamp
        row["updated_at"] = extra.get("updated_at") or self.stamp
        enroll = self.cadence or self.stage_cadences.get(row["stage"])
        row.update(self.schedule(row, enroll))
        self.pending.append([row[c] for c in self.columns])
        self.report.added += 1
        self.report.enrolled += bool(enroll)

    def update(self, pid: int, values: dict, tags: list[str], fields: dict) -> None:
        self.updates.append((pid, values, tags, fields))
        if len(self.updates) >= 500:
            self.flush_updates()

    def flush_updates(self) -> None:
        """Only what differs is written: the same file imported twice changes nothing."""
        if not self.updates:
            return
        ids = [pid for pid, *_ in self.updates]
        existing = {row["id"]: dict(row) for row in imports.prospects_by_id(self.conn, ids)}
        for pid, values, tags, fields in self.updates:
            old = existing[pid]
            changes = {k: v for k, v in values.items() if old[k] != v}
            old_tags, old_fields = json.loads(old["tags"]), json.loads(old["fields"])
            merged_tags = old_tags + [t for t in tags if t not in old_tags]
            if merged_tags != old_tags:
                changes["tags"] = json.dumps(merged_tags)
            if {**old_fields, **fields} != old_fields:
                changes["fields"] = json.dumps({**old_fields, **fields}, sort_keys=True)
            enroll = self.cadence
            if old["cadence"] == enroll and old["cadence_status"] in ("active", "paused"):
                enroll = None  # already in it: enrolling again would restart it
            if not changes and not enroll:
                self.report.unchanged += 1
                continue
            changes["updated_at"] = self.stamp
            new = {**old, **changes}
            changes.update((k, v) for k, v in self.schedule(new, enroll).items() if new[k] != v)
            store.update(self.conn, "prospects", pid, changes)
            self.report.updated += 1
            self.report.enrolled += bool(enroll)
        self.updates.clear()
