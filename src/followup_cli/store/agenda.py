"""Questions `followup today` asks: who is due in a window, how many, open deals with no
next step, and whose birthday or work anniversary it is.

Times are UTC ISO-8601 text, as stored. The due queries run on the partial index of
contactable prospects by due date.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from followup_cli.core.vocab import ACTIVE_STAGES, STAGE_WEIGHT

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


def _urgency_sql(day_starts: list[str]) -> str:
    """``scheduling.agenda.urgency`` as an SQL expression, term for term and in the same
    order (so the doubles agree), its coefficients bound as :w_overdue ... :w_value. Days
    overdue (up to the cap) are counted by comparing the due time with the starts of the
    last cap local days, newest first (bound as :d0, :d1, ...)."""
    overdue = " + ".join(f"(next_due_at < :d{k})" for k in range(len(day_starts))) or "0"
    stages = " ".join(f"WHEN '{stage}' THEN {weight!r}" for stage, weight in STAGE_WEIGHT.items())
    return (
        f"(:w_overdue * ({overdue}) + :w_priority * priority "
        f"+ :w_stage * (CASE stage {stages} ELSE 1.0 END) "
        "+ :w_value * log10(1 + coalesce(value, 0)))"
    )


def _with_log10(conn: sqlite3.Connection) -> None:
    """SQLite builds without the math functions get Python's log10 (the same C function)."""
    try:
        conn.execute("SELECT log10(1)")
    except sqlite3.OperationalError:
        import math

        conn.create_function("log10", 1, math.log10, deterministic=True)


def most_urgent(
    conn: sqlite3.Connection,
    *,
    until: str,
    day_starts: list[str],
    after: str | None = None,
    channel: str | None = None,
    limit: int | None = None,
    weights: Any,
) -> tuple[list[int], dict[str, int]]:
    """Ids of the ``limit`` most urgent due touches of each channel (all with ``None``),
    most urgent first (ties: the earlier due, then the lower id), and how many are due per
    channel. Ranked in SQL from the partial index alone; only the ids come back.
    ``weights`` has the coefficients of ``core.settings.Urgency``."""
    _with_log10(conn)
    bounds: dict[str, Any] = {"until": until, "after": after, "channel": channel}
    for name in ("overdue", "priority", "stage", "value"):
        bounds[f"w_{name}"] = float(getattr(weights, name))
    bounds.update({f"d{k}": start for k, start in enumerate(day_starts)})
    window = "next_due_at <= :until" + (" AND next_due_at > :after" if after else "")
    where = f"{_due(channel)} AND {window}"
    plain = conn.cursor()
    plain.row_factory = None
    counts = dict(
        plain.execute(
            f"SELECT next_channel, count(*) FROM prospects WHERE {where} GROUP BY next_channel",
            bounds,
        ).fetchall()
    )
    scored = f"SELECT id, next_channel, next_due_at, {_urgency_sql(day_starts)} AS score "
    if limit is None:
        sql = f"{scored} FROM prospects WHERE {where} ORDER BY score DESC, next_due_at, id"
    else:
        bounds["limit"] = limit
        sql = (
            "SELECT id FROM (SELECT id, score, next_due_at, row_number() OVER ("
            "PARTITION BY next_channel ORDER BY score DESC, next_due_at, id) AS rank "
            f"FROM ({scored} FROM prospects WHERE {where})) WHERE rank <= :limit "
            "ORDER BY score DESC, next_due_at, id"
        )
    return [row[0] for row in plain.execute(sql, bounds)], counts


def due_ids_in_time_order(
    conn: sqlite3.Connection, *, after: str, until: str, channel: str | None = None
) -> list[int]:
    """Ids of everyone due after ``after`` up to ``until``, soonest first."""
    plain = conn.cursor()
    plain.row_factory = None
    rows = plain.execute(
        f"SELECT id FROM prospects WHERE {_due(channel)} AND next_due_at > :after "
        "AND next_due_at <= :until ORDER BY next_due_at, id",
        {"after": after, "until": until, "channel": channel},
    )
    return [row[0] for row in rows]


def due_touches(conn: sqlite3.Connection, prospect_ids: list[int]) -> list[sqlite3.Row]:
    """Everything a due touch shows, for these prospects, in the order of ``prospect_ids``."""
    rows: list[sqlite3.Row] = []
    for start in range(0, len(prospect_ids), 900):  # SQLite's limit on bound parameters
        batch = prospect_ids[start : start + 900]
        marks = ", ".join("?" for _ in batch)
        found = {
            row["id"]: row
            for row in conn.execute(
                f"SELECT {_COLUMNS} FROM prospects WHERE id IN ({marks})", batch
            )
        }
        rows += [found[pid] for pid in batch]
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


def bad_addresses(conn: sqlite3.Connection, addresses: list[str]) -> dict[str, str]:
    """Which of ``addresses`` (normalised) bounced for good, and with what status (written
    by `followup mail`; here so `today` need not load the mail store)."""
    if not addresses:
        return {}
    marks = ", ".join("?" for _ in addresses)
    rows = conn.execute(
        f"SELECT address, status FROM mail_bad_addresses WHERE address IN ({marks})", addresses
    )
    return dict(rows.fetchall())
