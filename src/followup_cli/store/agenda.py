"""Questions `followup today` asks: who is due in a window, how many, open deals with no
next step, and whose birthday or work anniversary it is.

Times are UTC ISO-8601 text, as stored. The due queries run on the partial index of
contactable prospects by due date.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from followup_cli.core.vocab import ACTIVE_STAGES

# What a due touch shows, read only for the prospects that make the cut.
_COLUMNS = (
    "id, name, email, company, stage, timezone, value, priority, next_due_at, next_step, "
    "next_steps_total, next_channel, next_purpose, next_template, cadence, last_touch_at, "
    "last_touch_channel, last_touch_outcome, next_why"
)


def _due(channel: str | None) -> str:
    where = "do_not_contact = 0 AND next_due_at IS NOT NULL"
    if channel:
        where += " AND next_channel = :channel"
    return where


def due_counts(
    conn: sqlite3.Connection, *, start: str, today: str, week: str, channel: str | None = None
) -> tuple[int, int, int]:
    """(overdue, due today, due later in the coming week): due before ``start`` of today,
    by the end of ``today``, and after it up to the end of ``week``."""
    bounds = {"start": start, "today": today, "week": week, "channel": channel}
    overdue, due_today, coming_week = conn.execute(
        "SELECT count(*) FILTER (WHERE next_due_at < :start), "
        "count(*) FILTER (WHERE next_due_at >= :start AND next_due_at <= :today), "
        "count(*) FILTER (WHERE next_due_at > :today) "
        f"FROM prospects WHERE {_due(channel)} AND next_due_at <= :week",
        bounds,
    ).fetchone()
    return overdue, due_today, coming_week


def due_urgency_inputs(
    conn: sqlite3.Connection,
    *,
    until: str,
    after: str | None = None,
    channel: str | None = None,
) -> list[tuple[int, str, str, int, str, float | None]]:
    """(id, next_due_at, next_channel, priority, stage, value) of everyone due by ``until``
    (and after ``after``): what urgency is scored from, read from the index alone."""
    bounds = {"until": until, "after": after, "channel": channel}
    window = "next_due_at <= :until" + (" AND next_due_at > :after" if after else "")
    plain = conn.cursor()
    plain.row_factory = None  # thousands of rows: tuples are cheaper than sqlite3.Row
    return plain.execute(
        f"SELECT id, next_due_at, next_channel, priority, stage, value FROM prospects "
        f"WHERE {_due(channel)} AND {window}",
        bounds,
    ).fetchall()


def due_touches(conn: sqlite3.Connection, prospect_ids: list[int]) -> list[sqlite3.Row]:
    """Everything a due touch shows, for these prospects."""
    rows: list[sqlite3.Row] = []
    for start in range(0, len(prospect_ids), 900):  # SQLite's limit on bound parameters
        batch = prospect_ids[start : start + 900]
        marks = ", ".join("?" for _ in batch)
        rows += conn.execute(f"SELECT {_COLUMNS} FROM prospects WHERE id IN ({marks})", batch)
    return rows


def open_deals_without_next_step(
    conn: sqlite3.Connection, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Open deals nobody is following up, biggest first (``limit`` of them), and how many.

    The stages are written into the SQL so that the partial index (migration 4) applies.
    """
    condition = (
        "next_due_at IS NULL AND do_not_contact = 0 "
        f"AND stage IN ({', '.join(repr(stage) for stage in ACTIVE_STAGES)})"
    )
    total = conn.execute(
        f"SELECT count(*) FROM prospects INDEXED BY idx_prospects_open_no_next WHERE {condition}"
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT id, name, company, stage, value, last_touch_at, next_why FROM prospects "
        f"INDEXED BY idx_prospects_open_no_next WHERE {condition} "
        f"ORDER BY value DESC, name LIMIT {int(limit)}"
    )
    return [dict(row) for row in rows], total


def birthdays_on(conn: sqlite3.Connection, month_day: str) -> list[sqlite3.Row]:
    """(id, name, company) of contactable prospects born on ``month_day`` ("11-23")."""
    return _on(conn, "birthday", month_day)


def anniversaries_on(conn: sqlite3.Connection, month_day: str) -> list[sqlite3.Row]:
    """(id, name, company) of contactable prospects with a work anniversary on ``month_day``."""
    return _on(conn, "anniversary", month_day)


def _on(conn: sqlite3.Connection, column: str, month_day: str) -> list[sqlite3.Row]:
    return conn.execute(
        f"SELECT id, name, company FROM prospects WHERE substr({column}, -5) = ? "
        "AND do_not_contact = 0 ORDER BY name",
        [month_day],
    ).fetchall()
