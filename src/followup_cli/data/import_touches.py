"""Importing touch history: past calls, emails and meetings, to seed history and stats.

Each row names the prospect (by email, or by name, id) and says when, by which channel and with
which outcome; a touch already recorded is not recorded again. Rows are staged in a temporary
table and added in one statement; each prospect's last touch, answered flag and next due date
are then recomputed once, by the scheduler, and the numbers `stats` reads from every touch
of theirs in one statement (``touch.renumber_many``). The reading, the column mapping and the
transaction are ``importer``'s.
"""

from __future__ import annotations

import operator
import sqlite3
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from followup_cli import store
from followup_cli.data.columns import norm
from followup_cli.data.csv_source import NUMBER, ImportFailed, RowError, Table
from followup_cli.data.import_plans import read_columns, schedule_columns, scheduler
from followup_cli.data.importer import (
    BATCH,
    Problem,
    Progress,
    Report,
    choices,
    moment,
    run,
    shown,
    start,
    vocab,
)
from followup_cli.pipeline.touch import renumber_many
from followup_cli.store import aggregates, imports, journal

BIG_LOAD = 50_000  # rows: above this, indexes are built once at the end instead of per row
RECOMPUTED_IN_BULK = 1_000  # prospects: above this, their full-text trigger is set aside
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
# The cells ``_History.touch`` reads, in its order.
SLOTS = ("email", "prospect", "at", "channel", "outcome", "direction", "note", "template")
SLOTS += ("variant", "cadence", "step", "logged_at")
JSON_TYPES = {"step": NUMBER}  # JSON values other than strings that a field takes
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
    fmt: str | None = None,
) -> Report:
    """Add past touches (calls, emails, ...) to the prospects' history; each prospect's last
    touch, answered flag and next due date are recomputed once, at the end."""
    table, columns, report = start(
        path,
        TOUCH_HEADERS,
        list(overrides),
        custom=False,
        kind="touches",
        dry_run=dry_run,
        fmt=fmt,
        types=JSON_TYPES,
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
        self.columns = imports.prospect_columns(conn)
        for pid, email, name in imports.prospect_names(conn):
            self.ids.add(pid)
            if email:
                self.by_email[email.lower()] = pid
            self.by_name.setdefault(name.lower(), []).append(pid)
        self.last: dict[int, tuple[str, str, str]] = {}  # prospect -> newest (at, channel, outcome)
        self.answered: set[int] = set()
        self.opted_out: set[int] = set()
        self.channels = {c: c for c in vocab("CHANNELS")} | CHANNEL_WORDS
        self.outcomes = set(vocab("OUTCOMES"))
        self.answered_outcomes = vocab("ANSWERED")
        self.seen_channels: dict[str, str] = {}
        self.seen_outcomes: dict[str, str] = {}
        # The cells of a touch, in ``SLOTS``' order; a column the file lacks reads the empty
        # cell ``touch`` puts after the last (-1).
        self.pick = operator.itemgetter(*[where.get(name, -1) for name in SLOTS])

    def all(self, table: Table, skip_bad: bool, progress: Progress | None) -> list[Problem]:
        """Stage the rows in a temporary table, drop the touches already recorded (the same
        file imported twice records nothing twice), then add the rest in one statement."""
        problems: list[Problem] = []
        pending: list[list[Any]] = []
        conn = self.conn
        staged = imports.stage_touches(conn, TOUCH_COLUMNS)
        for line, raw in table.rows:
            try:
                row = self.touch(table.cells(line, raw))
            except RowError as error:
                problems.append(Problem(line, str(error), raw, table.unit))
                continue
            self.report.rows += 1
            if skip_bad or not problems:
                pending.append(row)
                if len(pending) >= BATCH:
                    imports.insert_rows(conn, staged, TOUCH_COLUMNS, pending)
                    if progress:
                        progress(line, table.total_lines)
        imports.insert_rows(conn, staged, TOUCH_COLUMNS, pending)
        if problems and not skip_bad:
            return problems  # it all rolls back: no need to finish the work
        self.report.duplicates = imports.drop_recorded_touches(conn, TOUCH_KEY)
        imports.stage_prospect_ids(conn)
        self.report.added = self.report.rows - self.report.duplicates
        first_id = imports.last_touch_id(conn)
        # A big load skips per-row index and full-text upkeep and catches up once at the end.
        big = self.report.added > BIG_LOAD and self.report.added > first_id // 4
        restore = (
            imports.suspend(conn, "touches", indexes=True, triggers=("touches_ai",))
            if big
            else None
        )
        # The stats totals of these prospects' touches: out before, back in once after.
        with aggregates.bulk(conn, imports.STAGED_PROSPECT_IDS):
            with journal.bulk_insert(conn, "touches"):  # undo knows them in one statement
                imports.add_staged_touches(conn, TOUCH_COLUMNS)
            if restore:
                imports.index_text(conn, "touches", first_id)
            # The stats numbers of these prospects' touches, old and new, in one pass.
            renumber_many(conn, imports.STAGED_PROSPECT_IDS)
        if restore:  # after the numbers and totals: no index kept up per touch written
            restore()
        touched = imports.staged_prospect_ids(conn)
        self.report.prospects = len(touched)
        # How these prospects were, for undo, in one statement before each is recomputed;
        # the tables counted from them (due_slots) take them out before and in after.
        with imports.staged_prospects_journaled(conn), imports.derived_kept(conn, "prospects"):
            self.recompute(touched)
        imports.drop_staged_touches(conn)
        if progress:
            progress(table.total_lines, table.total_lines)
        return problems

    def touch(self, cells: list[str]) -> list[Any]:
        cells.append("")  # what a column the file lacks reads (``slots`` points here)
        email, ref, at_text, raw_channel, raw_outcome, *rest = self.pick(cells)
        direction, note, template, variant, cadence, step, logged = rest
        pid = self.by_email.get(email.lower()) if email else None
        if pid is None:
            pid = self.prospect(email, ref)
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
        channel = self.seen_channels.get(raw_channel) or self.channel(raw_channel)
        outcome = self.seen_outcomes.get(raw_outcome) or self.outcome(raw_outcome)
        direction = direction.lower() or ("in" if outcome == "replied" else "out")
        if direction not in ("in", "out"):
            raise RowError(f"direction {shown(direction)} is not in or out")
        if step and not step.isdigit():
            raise RowError(f"step {shown(step)} is not a whole number")
        if logged:
            try:
                logged = moment(logged, self.tz)
            except ValueError:
                raise RowError(f"logged_at {shown(logged)} is not an ISO-8601 date-time") from None
        newest = self.last.get(pid)
        if newest is None or at >= newest[0]:
            self.last[pid] = (at, channel, outcome)
        if direction == "in" or outcome in self.answered_outcomes:
            self.answered.add(pid)
        if outcome == "opted_out":
            self.opted_out.add(pid)
        return [
            pid,
            at,
            channel,
            direction,
            outcome,
            note or None,
            template or None,
            variant or None,
            cadence or None,
            int(step) if step else None,
            logged or self.stamp,
        ]

    def channel(self, raw: str) -> str:
        channel = self.channels.get(norm(raw))
        if not channel:
            raise RowError(f"channel {shown(raw)} is not one of {choices('CHANNELS')}")
        self.seen_channels[raw] = channel
        return channel

    def outcome(self, raw: str) -> str:
        outcome = norm(raw).replace(" ", "_")
        if outcome not in self.outcomes:
            raise RowError(f"outcome {shown(raw)} is not one of {choices('OUTCOMES')}")
        self.seen_outcomes[raw] = outcome
        return outcome

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
        indexed = set(imports.indexed_columns(self.conn, "prospects"))
        restore = None
        if len(ids) > RECOMPUTED_IN_BULK:
            # None of these columns is in the full-text index: skip re-indexing each row.
            # A quarter of the book or more: its indexes (ten of them hold these columns)
            # built again once after, not kept up row by row (measured: 6.2 s of CPU for
            # 86,000 prospects' updates against about 2 s); rows are found by id meanwhile.
            restore = imports.suspend(
                self.conn,
                "prospects",
                indexes=len(ids) > len(self.ids) // 4,
                triggers=() if indexed & set(written) else ("prospects_au",),
            )
        # Every prospect that changes gets the same columns set, in one prepared statement.
        columns = list(dict.fromkeys(written))
        # Each row read with only what the scheduler reads and what is written (about half
        # the columns); the whole row only when a plan is computed for it.
        read = list(dict.fromkeys([*read_columns(self.columns), *columns]))
        pending: list[list[Any]] = []
        for offset in range(0, len(ids), 500):
            chunk = ids[offset : offset + 500]
            for old in imports.prospects_by_id(self.conn, chunk, read):
                pid, new = old["id"], dict(old)
                at, channel, outcome = self.last[pid]
                if old["last_touch_at"] is None or at >= old["last_touch_at"]:
                    new.update(
                        last_touch_at=at, last_touch_channel=channel, last_touch_outcome=outcome
                    )
                if pid in self.answered:
                    new["answered"] = 1
                if pid in self.opted_out:
                    new["do_not_contact"] = 1
                new.update(schedule(new, None, lambda pid=pid: self.whole(pid)))
                if any(old[k] != new[k] for k in columns):
                    new["updated_at"] = self.stamp
                    pending.append([*(new[k] for k in columns), pid])
            if len(pending) >= BATCH:
                imports.update_rows(self.conn, "prospects", columns, pending)
        imports.update_rows(self.conn, "prospects", columns, pending)
        if restore:
            restore()

    def whole(self, pid: int) -> dict[str, Any]:
        """The stored row of this prospect, every column."""
        return imports.prospects_by_id(self.conn, [pid])[0]
