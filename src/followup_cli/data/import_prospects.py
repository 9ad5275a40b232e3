"""Importing prospects: each row (or JSON record) adds a prospect or updates one.

A row matches an existing prospect by email, then by name and company; the same file imported
twice changes nothing, and a row repeated in one file is merged (``Report.merged``). An empty
cell never clears a detail, tags are added to the ones a prospect has, and a new prospect
goes into ``--cadence`` or its stage's default cadence. The headers it knows are
``columns.PROSPECT_HEADERS``; what a cell says is ``prospect_cells``'s; the reading, the column
mapping and the transaction are ``importer``'s; the SQL is ``store.imports``'s.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from followup_cli import store
from followup_cli.core.errors import FollowupError
from followup_cli.data.columns import PROSPECT_HEADERS, norm
from followup_cli.data.csv_source import ImportFailed, RowError, Table
from followup_cli.data.formats import FileFormats
from followup_cli.data.import_plans import NOT_SCHEDULING, scheduler
from followup_cli.data.importer import (
    BATCH,
    Column,
    Problem,
    Progress,
    Report,
    converters,
    run,
    shown,
    start,
)
from followup_cli.data.prospect_cells import (
    CONVERT,
    JSON_TYPES,
    MEMO_KINDS,
    fields_text,
    prospect_values,
    value_plan,
)
from followup_cli.data.row_rules import people
from followup_cli.store import imports


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
    encoding: str | None = None,
    date_order: str | None = None,
    no_cadence: bool = False,
) -> Report:
    """Add or update prospects from a CSV or JSON file: by email, then by name and company.
    A new prospect goes into ``cadence``, or else its stage's default cadence (config.toml's
    ``[default_cadence]``, then the shipped one), unless ``no_cadence`` or the file says
    which cadence it is in."""
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
        encoding=encoding,
    )
    from followup_cli.data.encodings import check_header, check_names

    check_header(table)
    targets = {c.target for c in columns}
    if {"at", "channel", "outcome"} <= {norm(c.header) for c in columns}:
        raise ImportFailed(
            f"{table.path.name} is a touch history (its columns include at, channel and "
            "outcome): import it with --touches, after the prospects it names."
        )
    if not targets & {"name", "first_name", "last_name", "email", "phone"}:
        found = ", ".join(c.header for c in columns if c.header) or "none"
        first = next((c.header for c in columns if c.header), "Contact")
        raise ImportFailed(
            f"{table.path.name} has no name, email or phone column (its columns: {found}): "
            f'name one with --map, e.g. --map "{first}=name".'
        )
    check_names(table, columns)
    formats = file_formats(table, columns, date_order)
    report.date_order = formats.date_order
    by_stage = not no_cadence and "cadence" not in targets
    return run(
        conn,
        report,
        # A file with a cadence column (our own export) says itself who is in which cadence.
        lambda: _Upsert(conn, report, now, user_tz, cadence, formats, by_stage).all(
            table, columns, skip_bad, progress
        ),
        skip_bad=skip_bad,
        rejects=rejects,
        table=table,
    )


def file_formats(table: Table, columns: list[Column], date_order: str | None) -> FileFormats:
    """The date order and decimal mark of this file, from all its date and amount cells."""
    if date_order and date_order.lower() not in ("mdy", "dmy"):
        raise ImportFailed(f"--date-order {date_order}: use mdy (4/12/1979) or dmy (12.4.1979).")
    order = date_order.lower() if date_order else None
    formats = FileFormats(order, None, table.delimiter, forced=bool(order))
    dated = [c.index for c in columns if c.target in ("birthday", "anniversary")]
    priced = [c.index for c in columns if c.target == "value"]
    if (dated or priced) and table.delimiter and table.reread:
        # Each distinct value once, in the order first seen (the example an error quotes).
        dates: dict[str, None] = {}
        amounts: dict[str, None] = {}
        for line, raw in table.reread():
            if line > table.header_line:
                for found, wanted in ((dates, dated), (amounts, priced)):
                    for i in wanted:
                        if i < len(raw) and raw[i]:
                            found[raw[i]] = None
        formats.survey(dates, amounts)
    return formats


# Columns with a value even when the file gives none: the default is no evidence of a conflict.
DEFAULTED = {"stage": "cold", "priority": 2, "pace": 1.0, "do_not_contact": 0, "texts_ok": 0}


class _Upsert:
    """Each row becomes a new prospect, an update, or nothing (when nothing changed)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        report: Report,
        now: datetime,
        user_tz: tzinfo,
        cadence: str | None,
        formats: FileFormats | None = None,
        by_stage: bool = False,
    ):
        from followup_cli.core.settings import settings

        self.conn, self.report, self.cadence = conn, report, cadence
        # New prospects of a stage go into config.toml's [default_cadence] for it, else the
        # shipped one for the stage.
        from followup_cli.core.vocab import STAGE_DEFAULT_CADENCE

        self.stage_cadences = {**STAGE_DEFAULT_CADENCE, **settings().stage_cadences}
        self.by_stage = by_stage and not cadence  # enroll new prospects by their stage
        self.problems: list[Problem] = []
        self.digests: dict[Any, int] = {}  # email or (name, company) -> hash of its first row
        self.pid_of: dict[str, int] = {}  # email -> the prospect its first row became
        self.restore: Callable[[], None] | None = None  # puts the full-text triggers back
        self.raw: Any = ()
        self.stamp = store.to_text(now)
        self.schedule = scheduler(now, user_tz)
        self.columns = imports.prospect_columns(conn)
        self.defaults: dict[str, Any] = dict.fromkeys(self.columns)
        self.defaults.update(
            stage="cold", priority=2, do_not_contact=0, pace=1.0, steps_done=0, answered=0
        )
        self.defaults["texts_ok"] = 0  # no consent unless the file gives it
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

        self.convert: dict[str, Callable[[str], Any]] = {"cadence": cadence_name}
        if formats is not None:
            self.convert |= {"value": formats.amount, "birthday": formats.day}
            self.convert["anniversary"] = formats.day
        self.plan: list = []
        self.spares: tuple = ()
        from followup_cli.data.import_plans import schedule_columns
        from followup_cli.pipeline.prospect import Prospect

        self.schedule_columns = schedule_columns()
        self.keyed = [k for k in Prospect.__dataclass_fields__ if k not in NOT_SCHEDULING]
        self.defaults_given = [c for c, v in self.defaults.items() if v is not None]
        self.insert_columns: list[str] = self.columns
        self.position: dict[str, int] = {}
        self.template: list[Any] = []
        self.varying: list[str] = []
        self.compared: list[str] = []
        from followup_cli.data.import_plans import asked_facts

        self.asked = asked_facts()  # the details and fields a cadence step asks for (when:)
        self.plans: dict[tuple, list[tuple[int, Any]]] = {}
        self.tag_texts: dict[tuple, str] = {}
        self.added_below: list[int] = []
        self.unit = "line"  # how messages point at another row: "line 4", or "index 3"

    def all(
        self, table: Table, columns: list[Column], skip_bad: bool, progress: Progress | None
    ) -> list[Problem]:
        problems: list[Problem] = []
        checks = {**CONVERT, **self.convert}
        self.plan = value_plan(converters(columns, checks, MEMO_KINDS))
        self.spares = tuple(
            (c.index, c.header, c.spare, checks.get(c.spare, str), c.target[6:])
            for c in columns
            if c.spare
        )
        self.unit = table.unit
        self.problems = problems
        self.lay_out({c.target for c in columns})
        with (
            imports.prospects_journaled_as_added(self.conn) as self.added_below,
            contextlib.ExitStack() as counted,
        ):
            for line, raw in people(table, self.report.skipped):
                self.raw = raw
                try:
                    self.row(line, table.cells(line, raw), write=skip_bad or not problems)
                except RowError as error:
                    problems.append(Problem(line, str(error), raw, table.unit))
                    continue
                self.report.rows += 1
                if len(self.pending) >= BATCH:
                    if self.restore is None:
                        # A big load: the full-text index is built once at the end, not per
                        # row, and so are the other indexes when the file holds most of the
                        # book (sorting once beats a hundred thousand inserts into each).
                        most = len(self.ids) < table.total_lines // 4
                        self.restore = imports.suspend(
                            self.conn,
                            "prospects",
                            indexes=most,
                            triggers=("prospects_ai", "prospects_au"),
                        )
                        if most:  # and the tables counted from it (due_slots), counted again
                            counted.enter_context(
                                imports.derived_kept(self.conn, "prospects", staged=False)
                            )
                    self.write_pending()
                    if progress:
                        progress(line, table.total_lines)
            self.write_pending()
            self.flush_updates()
        if self.restore is not None:
            imports.rebuild_text(self.conn, "prospects")
            self.restore()
        if progress:
            progress(table.total_lines, table.total_lines)
        problems.sort(key=lambda problem: problem.line)
        return problems

    def lay_out(self, targets: set[str]) -> None:
        """The columns a new row is written with, in order: those this file can fill, those
        the scheduler writes, and those with a default; the others stay NULL. A new row
        starts as ``template`` (the defaults) and its values go to their ``position``."""
        wanted = (
            targets | set(self.defaults_given) | imports.defaulted_columns(self.conn, "prospects")
        )
        wanted |= {"id", "name", "tags", "fields", "created_at", "updated_at"}
        wanted |= set(self.schedule_columns)
        self.insert_columns = [c for c in self.columns if c in wanted]
        self.position = {c: i for i, c in enumerate(self.insert_columns)}
        self.template = [self.defaults[c] for c in self.insert_columns]
        # The scheduler's inputs that this file can change (the others are the defaults for
        # every new row): with the cadence, they key the plans computed once and reused.
        self.varying = [k for k in self.keyed if k in targets]
        # What a row of this file is compared with to see whether it changes anything.
        given = targets | {"name", "id", "tags", "fields", "cadence", "cadence_status"}
        self.compared = [c for c in self.columns if c in given]

    def write_pending(self) -> None:
        imports.insert_rows(self.conn, "prospects", self.insert_columns, self.pending)

    def row(self, line: int, cells: list[str], *, write: bool) -> None:
        values, fields, extra = prospect_values(cells, self.plan, self.spares)
        tags = values.pop("tags", [])
        email = values.get("email")
        name = values.get("name") or email or values.get("phone")
        if not name:
            raise RowError("no name, email or phone: give at least one")
        key = (name.lower(), (values.get("company") or "").lower())
        seen_key = email or key
        digest = hash(tuple(cells))
        if seen_key in self.seen and self.digests.get(seen_key) == digest:
            self.report.merged += 1  # the same row again: nothing more to say
            return
        if email and email in self.seen:
            if write:
                self.merge(line, email, values, tags, fields)
            return
        if not email and key in self.seen:
            raise RowError(
                f"duplicate prospect {name!r} at {values.get('company') or 'no company'} "
                f"(also on {self.unit} {self.seen[key]}): give each an email, or remove one"
            )
        match = self.match(email, key, name)
        if match is not None and match in self.seen:
            raise RowError(f"same prospect as {self.unit} {self.seen[match]} (#{match} {name})")
        for known in (seen_key, match):
            if known is not None:
                self.seen[known] = line
        self.digests[seen_key] = digest
        if not write:
            return
        if match is None:
            pid = self.insert({**values, "name": name}, tags, fields, extra)
        else:
            pid = match
            self.update(match, values, tags, fields)
        if email:
            self.pid_of[email] = pid

    def merge(self, line: int, email: str, values: dict, tags: list[str], fields: dict) -> None:
        """A second row for one email: its details join the first row's, unless they say
        something else (then the row is reported, naming both lines)."""
        if email not in self.pid_of:
            return
        self.write_pending()
        self.flush_updates()
        self.report.merged += 1
        self.updates.append((self.pid_of[email], values, tags, fields, (line, self.raw)))
        self.flush_updates()

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

    def insert(self, values: dict, tags: list[str], fields: dict, extra: dict) -> int:
        wanted = extra.get("id")
        pid = int(wanted) if wanted and int(wanted) not in self.ids else None
        if pid is None:
            while self.next_id in self.ids:
                self.next_id += 1
            pid = self.next_id
        elif pid < self.next_id:
            self.added_below.append(pid)  # journaled as added, as the ones above are
        self.ids.add(pid)
        row = self.template.copy()
        position = self.position
        for key, value in values.items():
            at = position.get(key)
            if at is not None:
                row[at] = value
        row[position["id"]] = pid
        row[position["tags"]] = self.tag_text(tags) if tags else "[]"
        row[position["fields"]] = fields_text(fields) if fields else "{}"
        row[position["created_at"]] = extra.get("created_at") or self.stamp
        row[position["updated_at"]] = extra.get("updated_at") or self.stamp
        enroll = self.cadence
        if self.by_stage:
            enroll = self.stage_cadences[values.get("stage", "cold")]
        # One plan for every new row alike in what the scheduler reads (``NOT_SCHEDULING``).
        facts = frozenset(k for k in self.asked if values.get(k) or fields.get(k))
        shape = (enroll, facts, *[values.get(k) for k in self.varying])
        planned = self.plans.get(shape)
        if planned is None:
            whole = {**self.defaults, **dict(zip(self.insert_columns, row, strict=True))}
            planned = self.plans[shape] = [
                (position[k], v) for k, v in self.schedule(whole, enroll).items()
            ]
        for at, value in planned:
            row[at] = value
        self.pending.append(row)
        self.report.added += 1
        if enroll:
            self.report.enrolled += 1
            self.report.enrolled_in[enroll] = self.report.enrolled_in.get(enroll, 0) + 1
        return pid

    def update(self, pid: int, values: dict, tags: list[str], fields: dict) -> None:
        self.updates.append((pid, values, tags, fields, None))
        if len(self.updates) >= 500:
            self.flush_updates()

    def flush_updates(self) -> None:
        """Only what differs is written: the same file imported twice changes nothing."""
        if not self.updates:
            return
        # First the columns a row can change, to tell the rows that change nothing (the
        # same file imported again) without reading all of each; then the others whole.
        ids = [pid for pid, *_ in self.updates]
        compared = {
            row["id"]: row for row in imports.prospects_by_id(self.conn, ids, self.compared)
        }
        rest = []
        for update in self.updates:
            pid, values, tags, fields, again = update
            old = compared[pid]
            if (
                again is None
                and all(old[k] == v for k, v in values.items())
                and self.same_tags_and_fields(old, tags, fields)
                and not self.enrolls(old)
            ):
                self.report.unchanged += 1  # no JSON parsed, no row read whole
            else:
                rest.append(update)
        ids = [pid for pid, *_ in rest]
        existing = (
            {row["id"]: row for row in imports.prospects_by_id(self.conn, ids)} if ids else {}
        )
        for pid, values, tags, fields, again in rest:
            old = existing[pid]
            changes = {k: v for k, v in values.items() if old[k] != v}
            old_tags, old_fields = json.loads(old["tags"]), json.loads(old["fields"])
            if again is not None:  # a second row of this file for the same email
                clash = [
                    f"{k} {shown(str(old[k]))} there, {shown(str(v))} here"
                    for k, v in changes.items()
                    if old[k] not in (None, "") and DEFAULTED.get(k) != old[k]
                ]
                clash += [
                    f"{k} {shown(old_fields[k])} there, {shown(v)} here"
                    for k, v in fields.items()
                    if k in old_fields and old_fields[k] != v
                ]
                if clash:
                    line, raw = again
                    first = self.seen.get(values.get("email"), "?")
                    self.problems.append(
                        Problem(
                            line,
                            f"same email as {self.unit} {first} but different details "
                            f"({'; '.join(clash)}): make the rows agree, or remove one",
                            raw,
                            self.unit,
                        )
                    )
                    self.report.merged -= 1
                    continue
            merged_tags = old_tags + [t for t in tags if t not in old_tags]
            if merged_tags != old_tags:
                changes["tags"] = json.dumps(merged_tags)
            if {**old_fields, **fields} != old_fields:
                changes["fields"] = json.dumps({**old_fields, **fields}, sort_keys=True)
            enroll = self.enrolls(old)
            if not changes and not enroll:
                self.report.unchanged += 1
                continue
            changes["updated_at"] = self.stamp
            new = {**old, **changes}
            changes.update((k, v) for k, v in self.schedule(new, enroll).items() if new[k] != v)
            store.update(self.conn, "prospects", pid, changes)
            self.report.updated += 1
            if enroll:
                self.report.enrolled += 1
                self.report.enrolled_in[enroll] = self.report.enrolled_in.get(enroll, 0) + 1
        self.updates.clear()

    def enrolls(self, old: dict[str, Any]) -> str | None:
        """The cadence an update enrolls this prospect in: ``--cadence``, unless they are
        already in it (enrolling again would restart it)."""
        enroll = self.cadence
        if old["cadence"] == enroll and old["cadence_status"] in ("active", "paused"):
            return None
        return enroll

    def same_tags_and_fields(self, old: dict[str, Any], tags: list[str], fields: dict) -> bool:
        """Whether a row's tags and custom fields add nothing to the stored ones, told from
        their text where it says so (the text the import writes): the same file imported
        again parses no JSON. False means "look closer", not "they differ"."""
        if tags and old["tags"] != self.tag_text(tags):
            return False
        return not fields or old["fields"] == fields_text(fields)

    def tag_text(self, tags: list[str]) -> str:
        """``json.dumps(tags)``, worked out once for each list of tags."""
        key = tuple(tags)
        text = self.tag_texts.get(key)
        if text is None:
            text = self.tag_texts[key] = json.dumps(tags)
        return text
