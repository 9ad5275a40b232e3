"""Importing prospects and touch history from the CSV files people really have.

A file is read the way a spreadsheet writes it: UTF-8 (with or without a BOM), UTF-16, or
Windows-1252/Latin-1; comma, semicolon, tab or pipe separated (sniffed, or Excel's ``sep=``
line); a preamble before the header (LinkedIn's "Notes:") is skipped. The headers of common
CRM exports map to our fields (``PROSPECT_HEADERS``); ``--map "Header=field"`` does the rest;
unknown columns become free-form fields that templates can use.

All rows or none: an import is one transaction; every bad row is reported with its line and
why, and nothing is written unless ``skip_bad`` keeps the good ones. Rows stream through in
batches, so a million touches never sit in memory, and next due dates are computed once per
prospect by the scheduler (``schedule.settle``/``plan``), never by a second set of rules.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

from followup_cli import store
from followup_cli.errors import FollowupError

Progress = Callable[[int, int], None]  # (lines read, lines in the file)
MAX_CELL = 65_536  # characters: a longer cell is far more often a lost quote than a note
REJECT_COLUMN = "followup_error"
BATCH = 5_000  # rows written at a time
BIG_LOAD = 50_000  # rows: above this, indexes are built once at the end instead of per row


class ImportFailed(FollowupError):
    """The file as a whole cannot be imported (missing, empty, binary, no name column...)."""


class BadRows(FollowupError):
    """Some rows are wrong: ``problems`` lists every one, and nothing was imported."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


class RowError(Exception):
    """One row is wrong; the message says which cell and how to fix it."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    cells: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Report:
    """What an import did (or, with ``dry_run``, would do)."""

    kind: str  # prospects | touches
    file: str
    encoding: str = ""
    delimiter: str = ","
    rows: int = 0
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (column, where it goes)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    enrolled: int = 0
    duplicates: int = 0
    prospects: int = 0  # touches: how many prospects got history
    problems: list[Problem] = field(default_factory=list)
    rejects: str | None = None
    dry_run: bool = False

    def public(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k not in ("mapping", "problems")}
        data["mapping"] = [{"column": c, "field": f} for c, f in self.mapping]
        data["bad_rows"] = [{"line": p.line, "error": p.message} for p in self.problems]
        return data


# --- reading a CSV file -----------------------------------------------------------------------


@dataclass
class Table:
    path: Path
    encoding: str
    delimiter: str
    total_lines: int
    rows: Iterator[tuple[int, list[str]]]  # (first line of the row, its cells); blanks skipped
    header: list[str] = field(default_factory=list)


def read_table(path: Path) -> Table:
    """Open a CSV file, detecting its encoding and delimiter."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{path} does not exist: check the path and try again.") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path} is a directory: give the path of a CSV file.") from None
    except OSError as error:
        raise ImportFailed(f"Cannot read {path}: {error.strerror}.") from None
    if not data.strip():
        raise ImportFailed(f"{path.name} is empty: export your data as CSV and try again.")
    codec, label = _encoding(data, path.name)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
    head = stream.read(65_536)
    stream.seek(0)
    delimiter, skip = _delimiter(head)
    for _ in range(skip):
        stream.readline()
    lines = data.count(b"\n") + 1
    return Table(path, label, delimiter, lines, _rows(stream, delimiter, skip))


def _encoding(data: bytes, name: str) -> tuple[str, str]:
    import codecs

    binary = ImportFailed(
        f"{name} is not a CSV file (it contains binary data): "
        "export it as CSV from your spreadsheet or CRM."
    )
    if data.startswith(codecs.BOM_UTF8):
        codec, label = "utf-8-sig", "utf-8 with BOM"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, label = "utf-16", "utf-16"
    elif b"\x00" in data[:65_536]:
        raise binary
    else:
        try:
            data.decode("utf-8")
            codec = label = "utf-8"
        except UnicodeDecodeError:  # Excel on Windows writes cp1252, a superset of Latin-1
            codec, label = "cp1252", "latin-1"
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                codec = "latin-1"
    text = data[:65_536].decode(codec, errors="ignore")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    if controls > max(2, len(text) // 200):
        raise binary
    return codec, label


def _delimiter(head: str) -> tuple[str, int]:
    """The delimiter, and how many lines to skip (Excel's ``sep=;`` hint line)."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip()
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], 1
    lines = head.splitlines()[:50]
    if len(head) >= 65_536 and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line short
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t", "|"):
        widths = [len(row) for row in csv.reader(lines, delimiter=candidate) if any(row)]
        mode = max(set(widths), key=widths.count) if widths else 0
        score = (widths.count(mode), mode) if mode > 1 else (0, 0)
        if score > best_score:
            best, best_score = candidate, score
    return best, 0


def _rows(stream: io.TextIOWrapper, delimiter: str, offset: int) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(max(csv.field_size_limit(), 16 * MAX_CELL))
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    last = 0
    try:
        for cells in reader:
            line, last = last + 1 + offset, reader.line_num
            if any(cell.strip() for cell in cells):
                yield line, cells
    except csv.Error as error:
        where, why = f"line {last + 1 + offset}", str(error)
        if "field larger" in why or "unexpected end of data" in why:
            why = "a quote opened on this row is never closed, so the rest of the file is one cell"
        raise ImportFailed(f"{where}: {why}. Fix the file and import it again.") from None


def norm(text: str) -> str:
    """ "E-mail 1 - Value" -> "e mail 1 value": how headers and labels are compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def field_key(header: str, index: int) -> str:
    """A custom field name for an unknown column: "Lead Source" -> "lead_source"."""
    key = norm(header).replace(" ", "_")
    if not key:
        return f"column_{index + 1}"
    return f"f_{key}" if key[0].isdigit() else key


@dataclass
class Column:
    index: int
    header: str
    target: str  # a field; "field:KEY" for a custom field; "-" to ignore

    @property
    def label(self) -> str:
        if self.target == "-":
            return "ignored"
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
        for rank, alias in enumerate((target, *names)):
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
            column.target = "field:" + field_key(column.header, column.index) if custom else "-"
    return columns


def start(
    path: Path,
    aliases: dict[str, tuple[str, ...]],
    overrides: list[str],
    *,
    custom: bool,
    kind: str,
    dry_run: bool,
) -> tuple[Table, list[Column], Report]:
    """Open the file, find its header row (skipping a preamble) and map its columns."""
    table = read_table(path)
    report = Report(kind, str(path), table.encoding, table.delimiter, dry_run=dry_run)
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
    columns = map_columns(header, aliases, overrides, custom=custom)
    report.mapping = [(c.header, c.label) for c in columns]
    table.header = header
    return table, columns, report


def cells_of(cells: list[str], width: int) -> list[str]:
    """A row's cells, checked against the header's width and the size limit."""
    from followup_cli.exporter import unescape

    if len(cells) != width:
        lost_quote = any("\n" in cell for cell in cells)
        hint = " (a quote opened on this row is never closed?)" if lost_quote else ""
        raise RowError(f"{len(cells)} cells but the header has {width} columns{hint}")
    longest = max(map(len, cells), default=0)
    if longest > MAX_CELL:
        raise RowError(
            f"a cell is {longest:,} characters long (at most {MAX_CELL:,}): "
            "is a closing quote missing?"
        )
    cells = [cell.strip() for cell in cells]
    return [unescape(cell) if cell[:1] == "'" else cell for cell in cells]


def shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def write_rejects(target: Path, header: list[str], problems: list[Problem], delimiter: str) -> None:
    """The rows left out, as they were, with the reason in a last column that import
    ignores: fix them and import this file again."""
    from followup_cli.exporter import atomic_text

    with atomic_text(target) as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([*header, REJECT_COLUMN])
        for problem in problems:
            writer.writerow([*problem.cells, str(problem)])


def _finish(report: Report, problems: list[Problem], skip_bad: bool, name: str) -> None:
    """All or nothing: raise inside the transaction, so it rolls back, when rows are bad."""
    report.problems = problems
    if problems and not skip_bad:
        count = len(problems)
        raise BadRows(
            f"{name}: {count} bad row{'s' if count != 1 else ''}, nothing was imported. Fix "
            f"{'them' if count != 1 else 'it'}, or add --skip-bad to import the good rows "
            "and set the bad ones aside.",
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
    try:
        with store.transaction(conn):
            problems = work()
            _finish(report, problems, skip_bad, table.path.name)
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if report.problems and not report.dry_run:
        target = rejects or table.path.with_name(f"{table.path.stem}.rejects.csv")
        write_rejects(target, table.header, report.problems, table.delimiter)
        report.rejects = str(target)
    return report


def insert_rows(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[list]) -> None:
    """A batch of rows as multi-row INSERT statements (the technique of sqlite-utils'
    ``insert_all``, without its per-value conversion, which alone costs more than the
    whole budget for a million rows). Empties ``rows``."""
    limit = 32_000 if sqlite3.sqlite_version_info >= (3, 32) else 999  # bound parameters
    per = max(1, limit // len(columns))
    one = "(" + ", ".join("?" for _ in columns) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    for offset in range(0, len(rows), per):
        chunk = rows[offset : offset + per]
        conn.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])
    rows.clear()


# Columns the scheduler never reads (a test holds ``enrollment_of`` to that): rows that differ
# only in these share one computed schedule.
NOT_SCHEDULING = frozenset(
    ("id", "name", "email", "phone", "company", "title", "linkedin", "notes", "key_points",
     "competitors", "decision_makers", "personal", "referred_by", "relationship", "birthday",
     "anniversary", "tags", "fields", "value", "priority", "created_at", "updated_at")
)  # fmt: skip


def scheduler(now: datetime, user_tz: tzinfo) -> Callable[[dict[str, Any], str | None], dict]:
    """The schedule columns of a prospect row, from the scheduler itself (``enrollment_of``,
    ``settle``, ``plan``); ``enroll`` starts that cadence now. They are pure functions of the
    row, so rows alike in everything else (thousands enrolled at once) are planned once."""
    from dataclasses import replace

    from followup_cli import cadence as cadences
    from followup_cli.enrollment import enrollment_of, plan_columns, state_columns
    from followup_cli.prospect import Prospect
    from followup_cli.schedule import plan, settle

    lookup = cache(cadences.load_cadence)  # cadence files are read once per import
    memo: dict[Any, dict[str, Any]] = {}
    keyed = [name for name in Prospect.__dataclass_fields__ if name not in NOT_SCHEDULING]

    def schedule(row: dict[str, Any], enroll: str | None) -> dict[str, Any]:
        key = (enroll, *[row[name] for name in keyed])
        found = memo.get(key)
        if found is None:
            if len(memo) > 10_000:
                memo.clear()
            state = enrollment_of(Prospect.from_row(row), user_tz)  # type: ignore[arg-type]
            if enroll:
                state = replace(
                    state,
                    cadence=enroll,
                    anchor=now,
                    steps_done=0,
                    prev_step_at=None,
                    prev_step_due=None,
                    status="active",
                    paused_until=None,
                )
            settled = settle(state, lookup)
            found = memo[key] = {**state_columns(settled), **plan_columns(plan(settled, lookup))}
        return found

    return schedule


def schedule_columns() -> tuple[str, ...]:
    """The columns the scheduler writes (``enrollment.state_columns`` and ``plan_columns``)."""
    from followup_cli.enrollment import plan_columns, state_columns
    from followup_cli.schedule import Enrollment, Plan

    return (*state_columns(Enrollment()), *plan_columns(Plan(None, "")))


def suspend(
    conn: sqlite3.Connection, table: str, *, indexes: bool, triggers: tuple[str, ...]
) -> Callable[[], None]:
    """Drop ``table``'s indexes (if ``indexes``) and the named triggers for a bulk load, and
    return the function that creates them again, once. Inside the import's transaction, so a
    failure or a kill puts the schema back with everything else."""
    saved = [
        (kind, name, sql)
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
            [table],
        )
        if (kind == "index" and indexes) or (kind == "trigger" and name in triggers)
    ]
    for kind, name, _sql in saved:
        conn.execute(f'DROP {kind.upper()} "{name}"')

    def restore() -> None:
        for _kind, _name, sql in sorted(saved, key=lambda item: item[0] != "index"):
            conn.execute(sql)

    return restore


def index_text(conn: sqlite3.Connection, table: str, after_id: int) -> None:
    """Add the rows after ``after_id`` to ``table``'s full-text index in one statement:
    what the insert trigger would have done row by row."""
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}_fts")')]
    if columns:
        names = ", ".join(f'"{c}"' for c in columns)
        conn.execute(
            f'INSERT INTO "{table}_fts" (rowid, {names}) '
            f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ?',
            [after_id],
        )


def moment(text: str, tz: tzinfo) -> str:
    """An ISO date or date-time as stored (UTC text); a bare date is 09:00 in ``tz``."""
    if len(text) == 20 and text[10] == "T" and text[19] == "Z":
        datetime.fromisoformat(text)  # validates; already in the stored form
        return text
    value = datetime.fromisoformat(text)
    if len(text) == 10:
        value = datetime.combine(value.date(), time(9, 0), tzinfo=tz)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return store.to_text(value)  # type: ignore[return-value]


# --- prospects --------------------------------------------------------------------------------


def aliases(table: str) -> dict[str, tuple[str, ...]]:
    """``field: alias, alias, ...`` lines (an indented line continues the one above)."""
    found: dict[str, tuple[str, ...]] = {}
    key = ""
    for line in table.strip("\n").splitlines():
        if not line[:1].isspace():
            key, _, line = line.partition(":")
        found[key] = found.get(key, ()) + tuple(a.strip() for a in line.split(",") if a.strip())
    return found


# Headers of HubSpot, Salesforce, Pipedrive, LinkedIn and Google exports, compared ``norm``-ed;
# when a file has two columns for one field, the one listed first here wins.
PROSPECT_HEADERS = aliases("""
name: full name, contact name, person name, display name, lead name, contact, person, prospect
first_name: first name, firstname, given name, first, forename
middle_name: middle name, additional name
last_name: last name, lastname, family name, surname, last
email: email address, e mail, e mail address, e mail 1 value, email 1 value, email 1,
    person email, work email, primary email, business email
phone: phone number, mobile, mobile phone, phone 1 value, person phone, work phone, telephone
company: company name, organization, organisation, organization name, organisation name,
    organization 1 name, account, account name, person organization, associated company
title: job title, position, role, organization title, organization 1 title, person job title
stage: lifecycle stage, deal stage, pipeline stage, lead status, status, deal status
value: deal value, amount, deal amount, opportunity amount
timezone: time zone, tz
tags: tag, labels, label, group membership, groups, person labels
notes: note, description, comments, comment
linkedin: linkedin url, linkedin profile, linkedin profile url, profile url, url, person linkedin
country: country region, country code
channel: preferred channel
referred_by: referrer, referral
relationship: relationship level
birthday: birth date, date of birth
anniversary: work anniversary
personal: personal details
do_not_contact: opted out
priority:
key_points:
competitors:
decision_makers:
pace:
cadence:
cadence_status:
cadence_anchor:
steps_done:
prev_step_at:
prev_step_due:
paused_until:
created_at:
updated_at:
id:
""")
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


def _text(value: str) -> str:
    return value


def _email(value: str) -> str:
    value = value.split(":::")[0].strip().lower().removeprefix("mailto:")
    if not re.fullmatch(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+", value):
        raise RowError("is not an email address")
    return value


def _stage(value: str) -> str:
    found = STAGE_SYNONYMS.get(norm(value)) or (
        value.lower() if value.lower() in _vocab("STAGES") else None
    )
    if not found:
        raise RowError(f"is not a stage: use {_choices('STAGES')}")
    return found


def _number(value: str) -> float:
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
    if not 0 <= number < float("inf"):
        raise RowError("is negative" if number < 0 else "is not a number")
    return number


@cache
def _zone_ok(value: str) -> str:
    from followup_cli.config import zone

    try:
        zone(value)
    except FollowupError:
        raise RowError("is not an IANA timezone such as America/Denver or Europe/Paris") from None
    return value


@cache
def _country(value: str) -> str:
    from followup_cli.prospect import zone_countries

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


def _vocab(name: str) -> Any:
    from followup_cli import vocab

    return getattr(vocab, name)


def _choices(name: str) -> str:
    return ", ".join(_vocab(name))


def _one_of(name: str, what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        normal = value.strip().lower().replace("-", "_").replace(" ", "_")
        if normal not in _vocab(name):
            raise RowError(f"is not a {what}: use {_choices(name)}")
        return normal

    return check


def _priority(value: str) -> int:
    priorities = _vocab("PRIORITIES")
    if value.strip().lower() in priorities:
        return priorities[value.strip().lower()]
    if value.strip() in {str(n) for n in priorities.values()}:
        return int(value)
    raise RowError(f"is not a priority: use {', '.join(priorities)}")


def _day(value: str) -> str:
    from followup_cli.dates import parse_date

    try:
        return parse_date(value)
    except FollowupError:
        raise RowError("is not a date: use YYYY-MM-DD, or MM-DD") from None


def _pace(value: str) -> float:
    number = _number(value)
    if not 0.25 <= number <= 10:
        raise RowError("is not a pace between 0.25 and 10")
    return number


def _flag(value: str) -> int:
    if norm(value) in ("1", "true", "yes", "y", "x"):
        return 1
    if norm(value) in ("0", "false", "no", "n", ""):
        return 0
    raise RowError("is not yes or no")


def _tags(value: str) -> list[str]:
    found: list[str] = []
    for tag in re.split(r":::|[,;|]", value):
        tag = tag.strip().lstrip("*").strip().lower()
        if tag and tag not in found:
            found.append(tag)
    return found


def _status(value: str) -> str:
    if value.lower() not in ("active", "paused", "stopped", "completed"):
        raise RowError("is not a cadence status: use active, paused, stopped or completed")
    return value.lower()


def _count(value: str) -> int:
    if not value.isdigit():
        raise RowError("is not a whole number")
    return int(value)


def _when(value: str) -> str:
    try:
        return moment(value, UTC)
    except ValueError:
        raise RowError("is not an ISO-8601 date-time such as 2026-11-20T15:00:00Z") from None


CONVERT: dict[str, Callable[[str], Any]] = {
    "email": _email,
    "stage": _stage,
    "value": _number,
    "timezone": _zone_ok,
    "country": _country,
    "channel": _one_of("CHANNELS", "channel"),
    "priority": _priority,
    "relationship": _one_of("RELATIONSHIPS", "relationship level"),
    "birthday": _day,
    "anniversary": _day,
    "pace": _pace,
    "do_not_contact": _flag,
    "tags": _tags,
    "cadence_status": _status,
    "steps_done": _count,
}


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


def converters(
    columns: list[Column], more: dict[str, Callable[[str], Any]]
) -> list[tuple[int, str, str, Callable[[str], Any] | None]]:
    """(index, header, target, check) per used column; ``None`` for a custom field."""
    plan = []
    for column in columns:
        target = column.target
        if target == "-":
            continue
        check = None
        if not target.startswith("field:"):
            check = more.get(target) or CONVERT.get(target)
            if check is None:
                dated = target.endswith(("_at", "_due", "_until", "_anchor"))
                check = _when if dated else _text
            if target in MEMO_KINDS:
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
) -> Report:
    """Add or update prospects from a CSV file: by email, then by name and company."""
    if cadence:
        from followup_cli.cadence import load_cadence

        load_cadence(cadence)  # a clear error for an unknown cadence, before reading anything
    table, columns, report = start(
        path, PROSPECT_HEADERS, list(overrides), custom=True, kind="prospects", dry_run=dry_run
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
        self.conn, self.report, self.cadence = conn, report, cadence
        self.stamp = store.to_text(now)
        self.schedule = scheduler(now, user_tz)
        self.columns = [r[1] for r in conn.execute("PRAGMA table_info(prospects)")]
        self.defaults: dict[str, Any] = dict.fromkeys(self.columns)
        self.defaults.update(
            stage="cold", priority=2, do_not_contact=0, pace=1.0, steps_done=0, answered=0
        )
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
        self.ids: set[int] = set()
        for pid, email, name, company in conn.execute(
            "SELECT id, email, name, company FROM prospects"
        ):
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
            from followup_cli.cadence import load_cadence

            if value not in known:
                try:
                    known[value] = load_cadence(value).name
                except FollowupError:
                    raise RowError("is not a known cadence: see followup cadences list") from None
            return value

        self.convert = {"cadence": cadence_name}
        self.plan: list = []

    def all(
        self, table: Table, columns: list[Column], skip_bad: bool, progress: Progress | None
    ) -> list[Problem]:
        problems: list[Problem] = []
        width = len(table.header)
        self.plan = converters(columns, self.convert)
        for line, raw in table.rows:
            try:
                self.row(line, cells_of(raw, width), write=skip_bad or not problems)
            except RowError as error:
                problems.append(Problem(line, str(error), tuple(raw)))
                continue
            self.report.rows += 1
            if len(self.pending) >= BATCH:
                insert_rows(self.conn, "prospects", self.columns, self.pending)
                if progress:
                    progress(line, table.total_lines)
        insert_rows(self.conn, "prospects", self.columns, self.pending)
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
            raise RowError(f"duplicate email {email} (also on line {self.seen[email]})")
        if not email and key in self.seen:
            raise RowError(
                f"duplicate prospect {name!r} at {values.get('company') or 'no company'} "
                f"(also on line {self.seen[key]}): give each an email, or remove one"
            )
        match = self.match(email, key, name)
        if match is not None and match in self.seen:
            raise RowError(f"same prospect as line {self.seen[match]} (#{match} {name})")
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
        row.update(self.schedule(row, self.cadence))
        self.pending.append([row[c] for c in self.columns])
        self.report.added += 1
        self.report.enrolled += bool(self.cadence)

    def update(self, pid: int, values: dict, tags: list[str], fields: dict) -> None:
        self.updates.append((pid, values, tags, fields))
        if len(self.updates) >= 500:
            self.flush_updates()

    def flush_updates(self) -> None:
        """Only what differs is written: the same file imported twice changes nothing."""
        if not self.updates:
            return
        marks = ", ".join("?" for _ in self.updates)
        ids = [pid for pid, *_ in self.updates]
        rows = self.conn.execute(f"SELECT * FROM prospects WHERE id IN ({marks})", ids)
        existing = {row["id"]: dict(row) for row in rows}
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


# --- touch history ----------------------------------------------------------------------------

TOUCH_HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email address", "e mail", "prospect email", "contact email", "person email"),
    "prospect": ("name", "contact", "person", "prospect name", "contact name", "full name"),
    "at": (
        "date",
        "when",
        "time",
        "timestamp",
        "date time",
        "datetime",
        "activity date",
        "occurred at",
    ),
    "channel": ("type", "activity type", "medium"),
    "outcome": ("result", "disposition"),
    "note": ("notes", "description", "body", "details", "comment", "comments", "summary"),
    "template": (),
    "direction": (),
    "variant": (),
    "cadence": (),
    "step": (),
    "logged_at": (),
}
TOUCH_KEY = ("channel", "outcome", "direction", "note")  # with prospect and time: the same touch
TOUCH_COLUMNS = [
    "prospect_id",
    "at",
    "channel",
    "direction",
    "outcome",
    "note",
    "template",
    "variant",
    "cadence",
    "step",
    "logged_at",
]
STAGED = ", ".join(TOUCH_COLUMNS)
CHANNEL_WORDS = {
    "phone": "call",
    "phone call": "call",
    "e mail": "email",
    "sms": "text",
    "letter": "mail",
    "in person": "meeting",
}


def import_touches(
    conn: sqlite3.Connection,
    path: Path,
    *,
    now: datetime,
    user_tz: tzinfo,
    overrides: list[str] = (),  # type: ignore[assignment]
    dry_run: bool = False,
    skip_bad: bool = False,
    rejects: Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Add past touches (calls, emails, ...) to the prospects' history; each prospect's last
    touch, answered flag and next due date are recomputed once, at the end."""
    table, columns, report = start(
        path, TOUCH_HEADERS, list(overrides), custom=False, kind="touches", dry_run=dry_run
    )
    where = {c.target: c.index for c in columns if c.target != "-"}
    missing = [f for f in ("at", "channel", "outcome") if f not in where]
    if "email" not in where and "prospect" not in where:
        missing.insert(0, "email (or prospect)")
    if missing:
        found = ", ".join(c.header for c in columns if c.header) or "none"
        raise ImportFailed(
            f"{table.path.name} has no {' / '.join(missing)} column (its columns: {found}): "
            "a touch history needs email, at, channel and outcome; name yours with --map."
        )
    history = _History(conn, report, now, user_tz, where)
    return run(
        conn,
        report,
        lambda: history.all(table, skip_bad, progress),
        skip_bad=skip_bad,
        rejects=rejects,
        table=table,
    )


class _History:
    def __init__(
        self,
        conn: sqlite3.Connection,
        report: Report,
        now: datetime,
        user_tz: tzinfo,
        where: dict[str, int],
    ):
        self.conn, self.report, self.where, self.tz = conn, report, where, user_tz
        self.now, self.stamp = now, store.to_text(now)
        self.latest_allowed = store.to_text(now + timedelta(minutes=5))
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.ids: set[int] = set()
        for pid, email, name in conn.execute("SELECT id, email, name FROM prospects"):
            self.ids.add(pid)
            if email:
                self.by_email[email.lower()] = pid
            self.by_name.setdefault(name.lower(), []).append(pid)
        self.last: dict[int, tuple[str, str, str]] = {}  # prospect -> newest (at, channel, outcome)
        self.answered: set[int] = set()
        self.opted_out: set[int] = set()
        self.channels = {c: c for c in _vocab("CHANNELS")} | CHANNEL_WORDS
        self.outcomes = set(_vocab("OUTCOMES"))
        self.answered_outcomes = _vocab("ANSWERED")
        self.seen_channels: dict[str, str] = {}
        self.seen_outcomes: dict[str, str] = {}

    def all(self, table: Table, skip_bad: bool, progress: Progress | None) -> list[Problem]:
        """Stage the rows in a temporary table, drop the touches already recorded (the same
        file imported twice records nothing twice), then add the rest in one statement."""
        problems: list[Problem] = []
        pending: list[list[Any]] = []
        conn, staged = self.conn, "temp.import_touches"
        conn.execute(f"CREATE TEMP TABLE import_touches (n INTEGER PRIMARY KEY, {STAGED})")
        width = len(table.header)
        for line, raw in table.rows:
            try:
                row = self.touch(cells_of(raw, width))
            except RowError as error:
                problems.append(Problem(line, str(error), tuple(raw)))
                continue
            self.report.rows += 1
            if skip_bad or not problems:
                pending.append(row)
                if len(pending) >= BATCH:
                    insert_rows(conn, staged, TOUCH_COLUMNS, pending)
                    if progress:
                        progress(line, table.total_lines)
        insert_rows(conn, staged, TOUCH_COLUMNS, pending)
        if problems and not skip_bad:
            return problems  # it all rolls back: no need to finish the work
        conn.execute("CREATE INDEX temp.import_touches_at ON import_touches(prospect_id, at)")
        same = " AND ".join(f"{a}.{c} IS {b}.{c}" for c in TOUCH_KEY for a, b in [("t", "s")])
        self.report.duplicates = conn.execute(
            f"""DELETE FROM {staged} AS s WHERE EXISTS (SELECT 1 FROM main.touches AS t
                WHERE t.prospect_id = s.prospect_id AND t.at = s.at AND {same})
            OR EXISTS (SELECT 1 FROM {staged} AS t WHERE t.prospect_id = s.prospect_id
                AND t.at = s.at AND t.n < s.n AND {same})"""
        ).rowcount
        self.report.added = self.report.rows - self.report.duplicates
        first_id = conn.execute("SELECT coalesce(max(id), 0) FROM touches").fetchone()[0]
        # A big load skips per-row index and full-text upkeep and catches up once at the end.
        big = self.report.added > BIG_LOAD and self.report.added > first_id // 4
        restore = suspend(conn, "touches", indexes=True, triggers=("touches_ai",)) if big else None
        names = ", ".join(TOUCH_COLUMNS)
        conn.execute(f"INSERT INTO touches ({names}) SELECT {names} FROM {staged} ORDER BY n")
        if restore:
            index_text(conn, "touches", first_id)
            restore()
        touched = [r[0] for r in conn.execute(f"SELECT DISTINCT prospect_id FROM {staged}")]
        conn.execute(f"DROP TABLE {staged}")
        self.report.prospects = len(touched)
        self.recompute(touched)
        if progress:
            progress(table.total_lines, table.total_lines)
        return problems

    def touch(self, cells: list[str]) -> list[Any]:
        get = {target: cells[index] for target, index in self.where.items()}.get
        pid = self.prospect(get("email") or "", get("prospect") or "")
        at_text = get("at") or ""
        try:
            at = moment(at_text, self.tz)
        except ValueError:
            raise RowError(
                f"at {shown(at_text)} is not an ISO-8601 date or date-time "
                "such as 2026-11-20 or 2026-11-20T15:00"
            ) from None
        if at > self.latest_allowed:
            raise RowError(
                f"at {shown(at_text)} is in the future: only past touches can be imported"
            )
        raw_channel = get("channel") or ""
        channel = self.seen_channels.get(raw_channel)
        if channel is None:
            channel = self.channels.get(norm(raw_channel))
            if channel:
                self.seen_channels[raw_channel] = channel
        if not channel:
            raise RowError(
                f"channel {shown(get('channel') or '')} is not one of {_choices('CHANNELS')}"
            )
        raw_outcome = get("outcome") or ""
        outcome = self.seen_outcomes.get(raw_outcome) or norm(raw_outcome).replace(" ", "_")
        self.seen_outcomes[raw_outcome] = outcome
        if outcome not in self.outcomes:
            raise RowError(
                f"outcome {shown(get('outcome') or '')} is not one of {_choices('OUTCOMES')}"
            )
        direction = (get("direction") or "").lower() or ("in" if outcome == "replied" else "out")
        if direction not in ("in", "out"):
            raise RowError(f"direction {shown(direction)} is not in or out")
        step = get("step") or None
        if step is not None and not step.isdigit():
            raise RowError(f"step {shown(step)} is not a whole number")
        logged = get("logged_at") or None
        if logged:
            try:
                logged = moment(logged, self.tz)
            except ValueError:
                raise RowError(f"logged_at {shown(logged)} is not an ISO-8601 date-time") from None
        newest = self.last.get(pid)
        if newest is None or at >= newest[0]:
            self.last[pid] = (at, channel, outcome)
        if outcome in self.answered_outcomes or direction == "in":
            self.answered.add(pid)
        if outcome == "opted_out":
            self.opted_out.add(pid)
        return [
            pid,
            at,
            channel,
            direction,
            outcome,
            get("note") or None,
            get("template") or None,
            get("variant") or None,
            get("cadence") or None,
            int(step) if step else None,
            logged or self.stamp,
        ]

    def prospect(self, email: str, ref: str) -> int:
        if email:
            found = self.by_email.get(email.lower())
            if found is None:
                raise RowError(f"no prospect has the email {email}: import or add them first")
            return found
        if not ref:
            raise RowError("no email and no prospect: say whose touch this is")
        if ref.isdigit() and int(ref) in self.ids:
            return int(ref)
        if "@" in ref and ref.lower() in self.by_email:
            return self.by_email[ref.lower()]
        found = self.by_name.get(ref.lower(), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise RowError(f"{ref!r} is the name of {len(found)} prospects: use their email")
        raise RowError(f"no prospect is called {ref!r}: use their email, or add them first")

    def recompute(self, ids: list[int]) -> None:
        """Last touch, answered, do-not-contact after an opt-out, and the next due date:
        once per prospect, by the scheduler."""
        schedule = scheduler(self.now, self.tz)
        written = (
            "last_touch_at",
            "last_touch_channel",
            "last_touch_outcome",
            "answered",
            "do_not_contact",
            "updated_at",
            *schedule_columns(),
        )
        indexed = {row[1] for row in self.conn.execute('PRAGMA table_info("prospects_fts")')}
        restore = None
        if len(ids) > 1_000 and not indexed & set(written):
            # None of these columns is in the full-text index: skip re-indexing each row.
            restore = suspend(self.conn, "prospects", indexes=False, triggers=("prospects_au",))
        for offset in range(0, len(ids), 500):
            chunk = ids[offset : offset + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(f"SELECT * FROM prospects WHERE id IN ({marks})", chunk)
            for row in rows.fetchall():
                old = dict(row)
                pid, changes = old["id"], {}
                at, channel, outcome = self.last[pid]
                if old["last_touch_at"] is None or at >= old["last_touch_at"]:
                    changes.update(
                        last_touch_at=at, last_touch_channel=channel, last_touch_outcome=outcome
                    )
                if pid in self.answered:
                    changes["answered"] = 1
                if pid in self.opted_out:
                    changes["do_not_contact"] = 1
                new = {**old, **changes}
                changes.update(schedule(new, None))
                changes = {k: v for k, v in changes.items() if old[k] != v}
                if changes:
                    changes["updated_at"] = self.stamp
                    store.update(self.conn, "prospects", pid, changes)
        if restore:
            restore()
