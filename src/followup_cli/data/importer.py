"""Importing prospects and touch history: what both imports share.

The file is read by ``csv_source``: CSV the way a spreadsheet writes it (encoding and
delimiter detected), or JSON the way `followup export` writes it. A preamble before a CSV
header (LinkedIn's "Notes:") is skipped. The headers of common CRM exports map to our fields
(``columns.PROSPECT_HEADERS``); ``--map "Header=field"`` does the rest; unknown
columns become free-form fields that templates can use.

All rows or none: an import is one transaction; every bad row is reported with its line (a
JSON record with its index) and why, and nothing is written unless ``skip_bad`` keeps the good
ones. Rows stream through in batches, so a million touches never sit in memory, and next due
dates are computed once per prospect by the scheduler (``schedule.settle``/``plan``), never by
a second set of rules. ``import_prospects`` and ``import_touches`` hold the two imports;
what they ask of the database is ``store.imports``'s.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from followup_cli import store
from followup_cli.core.dates import RANGE, in_range
from followup_cli.core.errors import FollowupError, InvalidDate, InvalidValue
from followup_cli.core.numbers import LARGEST_AMOUNT, finite, whole
from followup_cli.data import files
from followup_cli.data.columns import ascii_norm, norm
from followup_cli.data.csv_source import (
    REJECT_COLUMN,
    ImportFailed,
    RowError,
    Table,
    format_of,
    read_table,
)
from followup_cli.store import imports, journal

Progress = Callable[[int, int], None]  # (lines read, lines in the file)
BATCH = 5_000  # rows written at a time


class BadRows(FollowupError):
    """Some rows are wrong: ``problems`` lists every one, and nothing was imported."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass(frozen=True)
class Problem:
    line: int  # a CSV row's first line, or a JSON record's index
    message: str
    row: Any = ()  # as read (cells, or the JSON record), for the rejects file
    unit: str = "line"  # or "index"

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.message}"


@dataclass
class Report:
    """What an import did (or, with ``dry_run``, would do)."""

    kind: str  # prospects | touches
    file: str
    encoding: str = ""
    delimiter: str | None = ","  # None: JSON
    rows: int = 0
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (column, where it goes)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    enrolled: int = 0
    enrolled_in: dict[str, int] = field(default_factory=dict)  # cadence -> prospects
    merged: int = 0  # rows that repeat one already read (exact copies, or the same email)
    skipped: dict[str, list[int]] = field(default_factory=dict)  # what -> lines not people
    date_order: str | None = None  # "mdy" | "dmy", when the file has such dates
    duplicates: int = 0
    prospects: int = 0  # touches: how many prospects got history
    problems: list[Problem] = field(default_factory=list)
    rejects: str | None = None
    dry_run: bool = False

    def public(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k not in ("mapping", "problems")}
        data["mapping"] = [{"column": c, "field": f} for c, f in self.mapping]
        data["bad_rows"] = [{p.unit: p.line, "error": p.message} for p in self.problems]
        return data

    @property
    def noun(self) -> str:
        return {None: "record", "vcard": "card"}.get(self.delimiter, "row")


def field_key(header: str, index: int) -> str:
    """A custom field name for an unknown column: "Lead Source" -> "lead_source"."""
    key = (ascii_norm(header) or norm(header)).replace(" ", "_")
    if not key:
        return f"column_{index + 1}"
    return f"f_{key}" if key[0].isdigit() else key


@dataclass
class Column:
    index: int
    header: str
    target: str  # a field; "field:KEY" for a custom field; "-" to ignore
    spare: str | None = None  # the email or phone this column gives when the first one is empty

    @property
    def label(self) -> str:
        if self.target == "-":
            return "ignored"
        if self.spare:
            return f"custom field {self.target[6:]} (the {self.spare} when the first is empty)"
        return (
            f"custom field {self.target[6:]}" if self.target.startswith("field:") else self.target
        )


def map_columns(
    header: list[str], aliases: dict[str, tuple[str, ...]], overrides: list[str], *, custom: bool
) -> list[Column]:
    """Where each column goes: ``--map`` first, then the aliases (the best-ranked column wins
    a field; other candidates become custom fields), then custom fields (or ignored)."""
    ranks = {}
    for target, names in aliases.items():
        # a field's own name ranks first, unless its list places it (a bare "title" is weak)
        for rank, alias in enumerate(names if target in names else (target, *names)):
            ranks.setdefault(norm(alias), (target, rank))
    forced: dict[str, str] = {}
    present = {norm(h) for h in header}
    for pair in overrides:
        source, sep, target = (part.strip() for part in pair.partition("="))
        if not sep or not source:
            raise ImportFailed(
                f'--map {pair!r} is not Header=field: use e.g. --map "Org=company" '
                '(or --map "Header=-" to skip a column).'
            )
        if norm(source) not in present:
            columns = ", ".join(h.strip() for h in header if h.strip())
            raise ImportFailed(
                f"--map {pair!r}: there is no column {source!r} (columns: {columns})."
            )
        target = target.lower().removeprefix("field:") if custom else target.lower()
        if target in ("", "-"):
            forced[norm(source)] = "-"
        elif target in aliases:
            forced[norm(source)] = target
        elif custom and re.fullmatch(r"[a-z_][a-z0-9_]*", target):
            forced[norm(source)] = "field:" + target
        else:
            raise ImportFailed(
                f"--map {pair!r}: unknown field {target!r}: use one of {', '.join(aliases)}."
            )
    columns, best = [], {}
    for index, text in enumerate(header):
        key, rank = norm(text), 0
        if key in forced:
            target, rank = forced[key], -1
        elif key == norm(REJECT_COLUMN):
            target = "-"
        elif custom and text.strip().lower().startswith("field:"):
            target = "field:" + field_key(text.strip()[6:], index)
        elif key in ranks:
            target, rank = ranks[key]
        else:
            target = "field:" + field_key(text, index) if custom and key else "-"
        columns.append(Column(index, text.strip(), target))
        if target in aliases and (target not in best or rank < best[target][1]):
            best[target] = (index, rank)
    for column in columns:  # a second "Email" column is kept, as a custom field
        if column.target in aliases and best[column.target][0] != column.index:
            fallback = FALLBACK.get(column.target)
            if fallback in aliases and fallback not in best:
                column.target = fallback  # Outlook's "Title" beside "Job Title": Mr., Dr.
                best[fallback] = (column.index, 0)
            else:
                if custom and column.target in SPARE:
                    column.spare = column.target  # a second phone fills in for an empty first
                column.target = "field:" + field_key(column.header, column.index) if custom else "-"
    return columns


# Where a column goes when a better-ranked one takes its field: Outlook's "Title" beside
# "Job Title" holds Mr., Dr.; Portugal's Outlook writes "Aniversário" (the anniversary)
# beside "Data de nascimento", where Brazil's writes it alone for the birthday.
FALLBACK = {"title": "salutation", "birthday": "anniversary"}
SPARE = ("email", "phone")  # fields whose further columns stand in when the first is empty


def start(
    path: Path,
    aliases: dict[str, tuple[str, ...]],
    overrides: list[str],
    *,
    custom: bool,
    kind: str,
    dry_run: bool,
    fmt: str | None = None,
    types: dict[str, tuple[type, ...]] | None = None,
    encoding: str | None = None,
) -> tuple[Table, list[Column], Report]:
    """Open the file, find its header row (skipping a preamble) and map its columns.
    ``types``: what a JSON value may be for each field that is not text."""
    if format_of(path, fmt) == "vcf":
        from followup_cli.data.vcard import read_vcards  # vobject, on this path only

        table: Table = read_vcards(Path(path))
    else:
        table = read_table(path, fmt, encoding)
    report = Report(kind, str(path), table.encoding, table.delimiter, dry_run=dry_run)
    if not table.header:  # a JSON file's columns are its keys; a vCard's, its properties
        _find_header(table, aliases, overrides)
    columns = map_columns(table.header, aliases, overrides, custom=custom)
    report.mapping = [(c.header, c.label) for c in columns]
    table.expect([c.target for c in columns], types or {})
    return table, columns, report


def _find_header(table: Table, aliases: dict[str, tuple[str, ...]], overrides: list[str]) -> None:
    known = {norm(a) for target, names in aliases.items() for a in (target, *names)}
    known |= {norm(pair.partition("=")[0]) for pair in overrides}
    seen = list(itertools.islice(table.rows, 10))
    if not seen:
        raise ImportFailed(f"{table.path.name} is empty: export your data as CSV and try again.")
    # The header is the row naming the most known columns: a preamble is skipped.
    scores = [sum(norm(cell) in known for cell in cells) for _line, cells in seen]
    at = scores.index(max(scores))
    header = seen[at][1]
    table.rows = itertools.chain(seen[at + 1 :], table.rows)
    table.header = header
    table.header_line = seen[at][0]
    table.preamble = [line for line, _cells in seen[:at]]


def shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _finish(report: Report, problems: list[Problem], skip_bad: bool, table: Table) -> None:
    """All or nothing: raise inside the transaction, so it rolls back, when rows are bad."""
    report.problems = problems
    name, noun = table.path.name, table.noun
    if problems and not skip_bad:
        count = len(problems)
        raise BadRows(
            f"{name}: {count} bad {noun}{'s' if count != 1 else ''}, nothing was imported. "
            f"Fix {'them' if count != 1 else 'it'}, or add --skip-bad to import the good "
            f"{noun}s and set the bad ones aside.",
            problems,
        )
    if report.rows == 0 and not problems:
        raise ImportFailed(f"{name} has a header but no rows: nothing to import.")


def run(
    conn: sqlite3.Connection,
    report: Report,
    work: Callable[[], list[Problem]],
    *,
    skip_bad: bool,
    rejects: Path | None,
    table: Table,
) -> Report:
    """``work`` inside one transaction; a dry run or bad rows roll it all back."""
    if skip_bad and not report.dry_run:  # every output path is checked before the first write
        files.check(rejects or table.rejects_path(), example="rejects.csv")
    try:
        with (
            journal.record(conn, "import", f"imported {report.file}") as entry,
            imports.bulk_cache(conn),
        ):
            problems = work()
            _finish(report, problems, skip_bad, table)
            entry.summary = (
                f"imported {report.file} ({report.added} added, {report.updated} updated)"
                if report.kind == "prospects"
                else f"imported the touches of {report.file} ({report.prospects} prospects)"
            )
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if report.problems and not report.dry_run:
        target = rejects or table.rejects_path()
        table.write_rejects(target, [(p.row, str(p)) for p in report.problems])
        report.rejects = str(target)
    return report


def moment(text: str, tz: tzinfo) -> str:
    """An ISO date or date-time as stored (UTC text); a bare date is 09:00 in ``tz``."""
    if len(text) == 20 and text[10] == "T" and text[19] == "Z" and "1970" <= text[:4] <= "2199":
        datetime.fromisoformat(text)  # validates; already in the stored form
        return text
    value = datetime.fromisoformat(text)
    if len(text) == 10:
        value = datetime.combine(value.date(), time(9, 0), tzinfo=tz)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    try:
        in_range(value.astimezone(UTC), shown(text))
    except (InvalidDate, OverflowError):
        raise RowError(f"{shown(text)} is out of range: use a date {RANGE}") from None
    return store.to_text(value)  # type: ignore[return-value]


# --- what a cell says -------------------------------------------------------------------------


def vocab(name: str) -> Any:
    """A list from ``followup_cli.core.vocab`` (``CHANNELS``, ``OUTCOMES``...)."""
    from followup_cli.core import vocab as words

    return getattr(words, name)


def choices(name: str) -> str:
    return ", ".join(vocab(name))


def text_as_is(value: str) -> str:
    return value


def one_of(name: str, what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        normal = value.strip().lower().replace("-", "_").replace(" ", "_")
        if normal not in vocab(name):
            raise RowError(f"is not a {what}: use {choices(name)}")
        return normal

    return check


def calendar_day(value: str) -> str:
    from followup_cli.core.dates import parse_date

    try:
        return parse_date(value)
    except FollowupError:
        raise RowError("is not a date: use YYYY-MM-DD, or MM-DD") from None


def yes_no(value: str) -> int:
    if norm(value) in ("1", "true", "yes", "y", "x"):
        return 1
    if norm(value) in ("0", "false", "no", "n", ""):
        return 0
    raise RowError("is not yes or no")


def whole_number(value: str, high: int = 1_000_000) -> int:
    if not value.isdigit():
        raise RowError("is not a whole number")
    try:
        return whole(value, "number", high=high)
    except InvalidValue:
        raise RowError(f"is too large (at most {high:,})") from None


def amount(value: str) -> float:
    """ "$24,000", "24.000,50 €", "1,5": a deal value as spreadsheets from anywhere write it."""
    text = re.sub(r"^[^\d+\-.,]+|[^\d.,]+$", "", value.replace(" ", "").replace("\u00a0", ""))
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif "," in text:
        text = (
            text.replace(",", "")
            if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text)
            else text.replace(",", ".")
        )
    try:
        number = float(text)
    except ValueError:
        raise RowError("is not a number") from None
    if number < 0:
        raise RowError("is negative")
    try:
        return finite(number, "deal value", "24000", high=LARGEST_AMOUNT)
    except InvalidValue:
        raise RowError(f"is not a deal value (a real number up to {LARGEST_AMOUNT:g})") from None


def date_time(value: str) -> str:
    try:
        return moment(value, UTC)
    except ValueError:
        raise RowError("is not an ISO-8601 date-time such as 2026-11-20T15:00:00Z") from None


def converters(
    columns: list[Column], checks: dict[str, Callable[[str], Any]], memoised: set[str]
) -> list[tuple[int, str, str, Callable[[str], Any] | None]]:
    """(index, header, target, check) per used column; ``None`` for a custom field. A field
    without a check in ``checks`` is text, or a date-time if its name says so; the checks of
    fields in ``memoised`` (few distinct values) run once per value."""
    plan = []
    for column in columns:
        target = column.target
        if target == "-":
            continue
        check = None
        if not target.startswith("field:"):
            check = checks.get(target)
            if check is None:
                dated = target.endswith(("_at", "_due", "_until", "_anchor"))
                check = date_time if dated else text_as_is
            if target in memoised:
                check = _memo(check)
        plan.append((column.index, column.header, target, check))
    return plan


def _memo(check: Callable[[str], Any]) -> Callable[[str], Any]:
    known: dict[str, Any] = {}

    def checked(value: str) -> Any:
        if value not in known:
            known[value] = check(value)
        return known[value]

    return checked
