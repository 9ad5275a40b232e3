"""Questions `followup today` asks: who is due in a window, how many, open deals with no
next step, and whose birthday or work anniversary it is.

Times are UTC ISO-8601 text, as stored. The due queries run on the partial index of
contactable prospects by due date.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from collections.abc import Iterator
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


def slot(text: str) -> str:
    """The quarter hour (``due_slots.slot``) a stored UTC time falls in."""
    return f"{text[:14]}{int(text[14:16]) // 15 * 15:02d}"


def _slot_after(text: str) -> str | None:
    """For an inclusive end ``text`` one second before a quarter hour (the end of a day):
    the slot it falls in, so that ``slot <= it`` means ``due <= text``; else None."""
    if text[17:19] == "59" and int(text[14:16]) % 15 == 14:
        return slot(text)
    return None


def _slot_from(text: str) -> str | None:
    """For an exclusive start ``text`` on a quarter hour (the start of a day): its slot, so
    that ``slot < it`` means ``due < text``; else None."""
    return slot(text) if text[17:19] == "00" and int(text[14:16]) % 15 == 0 else None


def due_counts(
    conn: sqlite3.Connection, *, start: str, today: str, week: str, channel: str | None = None
) -> tuple[int, int, int]:
    """(overdue, due today, due later in the coming week): due before ``start`` of today,
    by the end of ``today``, and after it up to the end of ``week``. Summed from the
    running counts per quarter hour (``due_slots``), however many people are due."""
    bounds = {"start": start, "today": today, "week": week, "channel": channel}
    slots = {"start": _slot_from(start), "today": _slot_after(today), "week": _slot_after(week)}
    if None not in slots.values():
        where = " AND channel = coalesce(:channel, '')" if channel else ""
        row = conn.execute(
            "SELECT sum(n) FILTER (WHERE slot < :start), "
            "sum(n) FILTER (WHERE slot >= :start AND slot <= :today), "
            "sum(n) FILTER (WHERE slot > :today) "
            f"FROM due_slots WHERE slot <= :week{where}",
            {**slots, "channel": channel},
        ).fetchone()
        return tuple(count or 0 for count in row)  # type: ignore[return-value]
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


def due_per_channel(
    conn: sqlite3.Connection, *, until: str, after: str | None = None, channel: str | None = None
) -> dict[str, int]:
    """How many touches are due per channel after ``after`` (if given) up to ``until``."""
    window = "next_due_at <= :until" + (" AND next_due_at > :after" if after else "")
    plain = conn.cursor()
    plain.row_factory = None
    return dict(
        plain.execute(
            f"SELECT next_channel, count(*) FROM prospects WHERE {_due(channel)} AND {window} "
            "GROUP BY next_channel",
            {"until": until, "after": after, "channel": channel},
        ).fetchall()
    )


def due_in_order(
    conn: sqlite3.Connection,
    *,
    until: str,
    day_starts: list[str],
    weights: Any,
    after: str | None = None,
    channel: str | None = None,
    channels: tuple[str, ...] | None = None,
) -> Iterator[sqlite3.Row]:
    """Everything a due touch shows (the columns of ``due_touches``) for every touch due in
    the window, most urgent first as ``most_urgent`` ranks them (ties: the earlier due, then
    the lower id), read from SQLite as they are used: a whole book's agenda streams. With
    ``channels``, only theirs, each channel's touches together, in that order."""
    _with_log10(conn)
    bounds: dict[str, Any] = {"until": until, "after": after, "channel": channel}
    for name in ("overdue", "priority", "stage", "value"):
        bounds[f"w_{name}"] = float(getattr(weights, name))
    bounds.update({f"d{k}": start for k, start in enumerate(day_starts)})
    where = f"{_due(channel)} AND next_due_at <= :until"
    where += " AND next_due_at > :after" if after else ""
    order = f"{_urgency_sql(day_starts)} DESC, next_due_at, id"
    if channels is not None:
        where += f" AND next_channel IN ({', '.join(repr(c) for c in channels)})"
        rank = " ".join(f"WHEN {name!r} THEN {k}" for k, name in enumerate(channels))
        order = f"CASE next_channel {rank} END, {order}"
    return conn.execute(f"SELECT {_COLUMNS} FROM prospects WHERE {where} ORDER BY {order}", bounds)


def due_in_time_order(
    conn: sqlite3.Connection, *, after: str, until: str, channel: str | None = None
) -> Iterator[sqlite3.Row]:
    """``due_touches`` of everyone due after ``after`` up to ``until``, soonest first (then
    by id), read as they are used."""
    return conn.execute(
        f"SELECT {_COLUMNS} FROM prospects WHERE {_due(channel)} AND next_due_at > :after "
        "AND next_due_at <= :until ORDER BY next_due_at, id",
        {"after": after, "until": until, "channel": channel},
    )


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

    The stages are written into the SQL so that the partial indexes (migrations 4, 14) apply.
    """
    condition = (
        "next_due_at IS NULL AND do_not_contact = 0 "
        f"AND stage IN ({', '.join(repr(stage) for stage in ACTIVE_STAGES)})"
    )
    total = conn.execute(
        "SELECT count(*) FROM prospects INDEXED BY idx_prospects_open_no_next_count "
        f"WHERE {condition}"
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT id, name, company, stage, value, last_touch_at, next_why FROM prospects "
        f"INDEXED BY idx_prospects_open_no_next WHERE {condition} "
        f"ORDER BY value DESC, name LIMIT {int(limit)}"
    )
    return [dict(row) for row in rows], total


def occasions_on(
    conn: sqlite3.Connection, column: str, month_day: str, limit: int | None = None
) -> list[sqlite3.Row]:
    """(id, name, company) of contactable prospects whose ``column`` (birthday or
    anniversary) falls on ``month_day`` ("11-23"), by name: the first ``limit``."""
    return conn.execute(
        f"SELECT id, name, company FROM prospects WHERE substr({_occasion(column)}, -5) = ? "
        f"AND do_not_contact = 0 AND {column} IS NOT NULL ORDER BY name LIMIT ?",
        [month_day, -1 if limit is None else limit],
    ).fetchall()


def count_on(conn: sqlite3.Connection, column: str, month_day: str) -> int:
    """How many ``occasions_on`` gives without a limit (from its index alone)."""
    return conn.execute(
        f"SELECT count(*) FROM prospects WHERE substr({_occasion(column)}, -5) = ? "
        f"AND do_not_contact = 0 AND {column} IS NOT NULL",
        [month_day],
    ).fetchone()[0]


def _occasion(column: str) -> str:
    if column not in ("birthday", "anniversary"):
        raise ValueError(column)
    return column


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


def _stage_case() -> str:
    return " ".join(f"WHEN '{stage}' THEN {weight!r}" for stage, weight in STAGE_WEIGHT.items())


def most_urgent_per_channel(
    conn: sqlite3.Connection,
    *,
    until: str,
    day_starts: list[str],
    limit: int,
    channel: str | None = None,
    weights: Any,
) -> tuple[list[int], dict[str | None, int]] | None:
    """``most_urgent`` with a ``limit``, without scoring everyone due: the same ids in the
    same order, and the counts per channel, or None when ``until`` or a day start is not on
    a quarter hour (then ``most_urgent`` answers).

    Everyone due on the same local day is the same number of days overdue, so a day's
    score is that day's overdue term plus a part that only the priority, stage and value
    make. Channel by channel and day by day (the oldest first), the best ``limit`` of a day
    are read from the index of contactable prospects by channel and due date, with the
    score as an expression; a day whose people cannot beat the ``limit``-th best found so
    far (its bounds in ``due_slots``) is not read at all. So the work follows the days that
    make the cut, not the size of the book."""
    end = _slot_after(until)
    starts = [_slot_from(start) for start in day_starts]
    if end is None or None in starts:
        return None
    _with_log10(conn)
    where = "" if channel is None else " AND channel = coalesce(:channel, '')"
    plain = conn.cursor()
    plain.row_factory = None
    cap = len(day_starts)
    # (k days overdue, from, to): slots from <= slot < to; None: open-ended
    days = [(cap, None, starts[-1])] if cap else []
    days += [(k, starts[k], starts[k - 1]) for k in range(cap - 1, 0, -1)]
    days.append((0, starts[0] if cap else None, None))
    # Each day's count and bounds per channel, from the slots (one small row a quarter hour)
    by_day: dict[tuple[str, int], list] = {}
    oldest_first = sorted(starts)
    for name, slot_key, n, hi_priority, hi_value in plain.execute(
        f"SELECT channel, slot, n, hi_priority, hi_value FROM due_slots WHERE slot <= :end{where}",
        {"end": end, "channel": channel},
    ):
        overdue = cap - bisect.bisect_right(oldest_first, slot_key)
        day = by_day.setdefault((name, overdue), [0, hi_priority, hi_value])
        day[0] += n
        day[1], day[2] = max(day[1], hi_priority), max(day[2], hi_value)
    counts: dict[str | None, int] = {}
    for (name, _), (n, _, _) in by_day.items():
        counts[name or None] = counts.get(name or None, 0) + n
    w = {name: float(getattr(weights, name)) for name in ("overdue", "priority", "stage", "value")}
    stage_top = max(*STAGE_WEIGHT.values(), 1.0)
    chosen: list[tuple[float, str, int]] = []
    for name in sorted(counts, key=lambda c: c or ""):
        best: list[tuple[float, str, int]] = []  # (score, due, id), best first
        for overdue, low, high in days:
            found = by_day.get((name or "", overdue))
            if found is None:
                continue
            if len(best) >= limit:  # could anyone due that day beat the last one kept?
                top = (  # the weights are 0 or more (core.settings)
                    w["overdue"] * overdue
                    + w["priority"] * found[1]
                    + w["stage"] * stage_top
                    + w["value"] * math.log10(1 + max(found[2], 0))
                )
                if top + 1e-9 * (1 + abs(top)) < best[-1][0]:
                    continue
            best += _best_of_day(plain, name, overdue, low, high, until, limit, w)
            best = sorted(best, key=lambda r: (-r[0], r[1], r[2]))[:limit]
        chosen += best
    chosen.sort(key=lambda r: (-r[0], r[1], r[2]))
    return [row[2] for row in chosen], counts


def _best_of_day(
    plain: sqlite3.Cursor,
    channel: str | None,
    overdue: int,
    low: str | None,
    high: str | None,
    until: str,
    limit: int,
    w: dict[str, float],
) -> list[tuple[float, str, int]]:
    """The ``limit`` best (score, due, id) of one channel due from slot ``low`` to before
    ``high``, scored as ``scheduling.agenda.urgency`` (term for term, the same doubles)."""
    where = "do_not_contact = 0 AND next_due_at IS NOT NULL AND next_due_at <= :until"
    where += " AND next_channel IS :channel"
    where += " AND next_due_at >= :low" if low else ""
    where += " AND next_due_at < :high" if high else ""
    score = (
        "(:w_overdue * :overdue + :w_priority * priority "
        f"+ :w_stage * (CASE stage {_stage_case()} ELSE 1.0 END) "
        "+ :w_value * log10(1 + coalesce(value, 0)))"
    )
    bounds = {f"w_{k}": v for k, v in w.items()}
    bounds.update(overdue=overdue, channel=channel, until=until, limit=limit, low=low, high=high)
    return plain.execute(
        f"SELECT {score} AS score, next_due_at, id FROM prospects "
        "INDEXED BY idx_prospects_due_by_channel "
        f"WHERE {where} ORDER BY score DESC, next_due_at, id LIMIT :limit",
        bounds,
    ).fetchall()


def first_due_after(
    conn: sqlite3.Connection, after: str, *, channel: str | None = None
) -> str | None:
    """The first due time after ``after`` (`followup work`'s "next due tomorrow: 6")."""
    row = conn.execute(
        f"SELECT min(next_due_at) FROM prospects WHERE {_due(channel)} AND next_due_at > :after",
        {"after": after, "channel": channel},
    ).fetchone()
    return row[0] if row else None
