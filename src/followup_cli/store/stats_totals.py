"""The questions of `followup stats` and `followup review`, answered from the running totals
of ``store.aggregates`` instead of the touches of the window: the same numbers as the
passes of ``store.stats`` and ``store.seed_stats`` (a test holds them equal after every
kind of write), at the cost of the window's days, not its touches.

The totals cover whole UTC days; the part of the first day before the window starts (or
the window itself, when shorter) is read from the touches, and so are the few single
touches some numbers need (the last touch of those we gave up on, the replies that were
timed). The stats need every touch of the book to lie at or before the end of the window
(``usable``): a touch in the future of `now` could still change what counts as a reply.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from followup_cli.core.vocab import ANSWERED
from followup_cli.store import aggregates
from followup_cli.store.db import to_text

_ANSWERED = ", ".join(f"'{outcome}'" for outcome in sorted(ANSWERED))
_TABLE = "followup_stats"
_COUNTED = "t.direction = 'out' AND t.outcome <> 'bounced'"
_PART = f"FROM touches t WHERE t.at >= :since AND t.at < :cut AND {_COUNTED}"


def usable(conn: sqlite3.Connection, until: datetime) -> bool:
    """Whether the totals answer a window ending at ``until``: no touch after it."""
    latest = conn.execute("SELECT max(at) FROM touches").fetchone()[0]
    return latest is None or latest <= to_text(until)


def _next_day(moment: datetime) -> str:
    """The first UTC midnight at or after ``moment``, as a day ('YYYY-MM-DD')."""
    text = to_text(moment)
    if text[11:19] == "00:00:00":
        return text[:10]
    return (datetime.fromisoformat(text[:10]) + timedelta(days=1)).strftime("%Y-%m-%d")


def _next_hour(moment: datetime) -> str:
    text = to_text(moment)
    if text[14:19] == "00:00":
        return text[:13]
    start = datetime.fromisoformat(text[:13] + ":00:00") + timedelta(hours=1)
    return start.strftime("%Y-%m-%dT%H")


def _cut(day: str) -> str:
    """A day's start as stored text."""
    return f"{day}T00:00:00Z"


# --- the dashboard's one pass, from the totals ------------------------------------------------


def fill_counted(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cutoff: datetime, cap: int
) -> None:
    """``store.stats``'s table of the window's counts (dim, k1, k2, sent, replies, gave_up,
    timed), from the totals of the days from the window's first midnight on, the touches
    of the hours before it, and the last touches of the prospects we gave up on."""
    day = _next_day(since)
    bounds = {"since": to_text(since), "cut": _cut(day), "day": day, "cap": int(cap)}
    conn.execute(f"DROP TABLE IF EXISTS temp.{_TABLE}")
    conn.execute(f"CREATE TEMP TABLE {_TABLE} (dim, k1, k2, sent, replies, gave_up, timed)")
    touch = "CASE WHEN k1 = '' THEN NULL ELSE min(k1, :cap) END"
    conn.execute(
        f"""INSERT INTO temp.{_TABLE}
            SELECT dim, CASE WHEN dim = 'touch' THEN {touch} ELSE nullif(k1, '') END,
                   nullif(k2, ''), sum(n1), sum(n2), 0, sum(n3)
            FROM stats_agg WHERE dim IN ('touch', 'channel', 'step', 'tv', 'tc')
              AND bucket >= :day
            GROUP BY 1, 2, 3""",
        bounds,
    )
    replied = "(t.replied_at IS NOT NULL)"
    timed = f"(t.replied_at IS NOT NULL AND t.outcome NOT IN ({_ANSWERED}))"
    part = f"count(*), sum({replied}), 0, sum({timed}) {_PART}"
    for dim, keys, more in (
        ("touch", "min(t.touch_number, :cap), NULL", ""),
        ("channel", "t.channel, NULL", ""),
        ("step", "t.cadence, t.step", " AND t.cadence IS NOT NULL AND t.step IS NOT NULL"),
        ("tv", "t.template, t.variant", " AND t.template IS NOT NULL"),
        ("tc", "t.template, t.cadence", ""),
    ):
        conn.execute(
            f"INSERT INTO temp.{_TABLE} SELECT '{dim}', {keys}, {part}{more} GROUP BY 2, 3",
            bounds,
        )
    # Given up on: their last touch (no touch after it), outbound without a reply, made
    # 30+ days before the end, with nothing scheduled after the end. Those prospects are
    # read from idx_prospects_next_due into one list (no prospect row looked up a touch:
    # 0.27 to 0.07 s at 300k prospects).
    conn.execute(
        f"""INSERT INTO temp.{_TABLE}
            SELECT 'touch', min(t.touch_number, :cap), NULL, 0, 0, count(*), 0
            FROM touches t INDEXED BY idx_touches_last_out
            WHERE t.next_at IS NULL AND t.direction = 'out' AND t.outcome <> 'bounced'
              AND t.outcome NOT IN ({_ANSWERED}) AND t.at >= :since AND t.at <= :cutoff
              AND t.prospect_id IN (
                  SELECT id FROM prospects WHERE next_due_at IS NULL
                  UNION ALL SELECT id FROM prospects WHERE next_due_at <= :until)
            GROUP BY 2""",
        {**bounds, "cutoff": to_text(cutoff), "until": to_text(until)},
    )


def median_hours_to_reply(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, timed: int
) -> float:
    """``store.stats.median_hours_to_reply`` over the timed touches' own index."""
    return conn.execute(
        f"""SELECT avg(hours) FROM (
                SELECT (julianday(replied_at) - julianday(at)) * 24 AS hours
                FROM touches INDEXED BY idx_touches_timed
                WHERE direction = 'out' AND outcome <> 'bounced'
                  AND outcome NOT IN ({_ANSWERED}) AND replied_at IS NOT NULL
                  AND at >= :since AND at <= :until
                ORDER BY hours LIMIT :take OFFSET :skip)""",
        {
            "since": to_text(since),
            "until": to_text(until),
            "take": 2 - timed % 2,
            "skip": (timed - 1) // 2,
        },
    ).fetchone()[0]


# --- runs: prospects, prospects in a cadence, proposals -----------------------------------------

_NEXT = """(SELECT x.id FROM touches x WHERE x.prospect_id = t.prospect_id
             AND (x.at > t.at OR (x.at = t.at AND x.id > t.id))
             AND x.direction = 'out' AND x.outcome <> 'bounced' {more}
             ORDER BY x.at, x.id LIMIT 1)"""


def _runs(
    conn: sqlite3.Connection,
    dim: str,
    since: datetime,
    columns: tuple[str, ...],
    member: str,
    more: str,
) -> dict[tuple[Any, ...], int]:
    """How many runs of ``dim`` have a touch at or after ``since``, by their keys there
    (``keys``: the columns of a touch, on ``t``; ``member``: which touches belong; ``more``:
    which later touch is the next of the same run, on ``x``)."""
    day = _next_day(since)
    bounds = {"since": to_text(since), "cut": _cut(day), "day": day}
    found: dict[tuple[Any, ...], int] = {}

    def add(rows: Iterable[Any], sign: int = 1) -> None:
        for row in rows:
            key = tuple(None if value == "" else value for value in row[:-1])
            found[key] = found.get(key, 0) + sign * row[-1]

    width = len(columns)
    keys = ", ".join(columns)
    groups = ", ".join(str(n) for n in range(1, width + 1))
    add(
        conn.execute(
            f"SELECT {', '.join(f'k{n}' for n in range(1, width + 1))}, sum(n1 - n2) "
            f"FROM stats_agg WHERE dim = '{dim}' AND bucket >= :day GROUP BY {groups}",
            bounds,
        )
    )
    # The hours before the first midnight: their touches start a run there unless the run
    # had a touch before the window; and a touch there makes the next of its run, counted
    # in the totals from the midnight on, no start.
    prev = {"p": "p_prev", "c": "c_prev", "q": "q_prev"}[dim]
    add(
        conn.execute(
            f"SELECT {keys}, count(*) {_PART} AND {member} "
            f"AND (t.{prev} IS NULL OR t.{prev} < :since) GROUP BY {groups}",
            bounds,
        )
    )
    later = _NEXT.format(more=more)
    add(
        conn.execute(
            f"SELECT {keys}, count(*) FROM touches t WHERE t.id IN ("
            f"SELECT {later} AS next {_PART} AND {member}) AND t.at >= :cut GROUP BY {groups}",
            bounds,
        ),
        -1,
    )
    return {key: count for key, count in found.items() if count}


def prospects_touched(conn: sqlite3.Connection, *, since: datetime) -> int:
    return _runs(conn, "p", since, ("''",), "1", "").get((None,), 0)


def cadence_shapes(conn: sqlite3.Connection, *, since: datetime) -> list[tuple[Any, ...]]:
    """(cadence, furthest step, first step that got a reply or None, people) of the people
    who did a step of a cadence in the window."""
    found = _runs(
        conn,
        "c",
        since,
        ("t.cadence", "coalesce(t.c_top, '')", "coalesce(t.c_fr, '')"),
        "t.cadence IS NOT NULL AND t.step IS NOT NULL",
        "AND x.cadence = t.cadence AND x.step IS NOT NULL",
    )
    return [(*key, count) for key, count in sorted(found.items(), key=str)]


def cadence_people(
    conn: sqlite3.Connection, *, since: datetime, finals: dict[str, int | None]
) -> dict[str, tuple[int, int, int]]:
    """``store.stats.cadence_people``: (enrolled, completed, stopped by reply) per cadence."""
    people: dict[str, list[int]] = {}
    for cadence, top, first_replied, count in cadence_shapes(conn, since=since):
        final = finals.get(cadence)
        row = people.setdefault(cadence, [0, 0, 0])
        row[0] += count
        if final is not None and top is not None and top >= final:
            row[1] += count
        if first_replied is not None and (final is None or first_replied < final):
            row[2] += count
    return {name: (row[0], row[1], row[2]) for name, row in people.items()}


def proposals(conn: sqlite3.Connection, *, since: datetime) -> tuple[int, int, int]:
    """(prospects with a proposal-cadence touch in the window, those with two or more,
    those of them won since their first)."""
    found = _runs(
        conn,
        "q",
        since,
        ("coalesce(t.q_next, '')", "coalesce(t.q_won, '')"),
        "t.cadence LIKE '%proposal%'",
        "AND x.cadence LIKE '%proposal%'",
    )
    total = sum(found.values())
    followed = sum(count for (more, _won), count in found.items() if more)
    won = sum(count for (more, won), count in found.items() if more and won)
    return total, followed, won


# --- the seeds' measures ------------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hour_zones(conn: sqlite3.Connection, *, since: datetime) -> tuple[str, str, list[Any]] | None:
    """(first UTC day, last UTC day, the prospects' timezones, None for none) of the send
    times totalled from the first whole hour at or after ``since``; None when there are none."""
    hour = _next_hour(since)
    first, last = conn.execute(
        "SELECT min(bucket), max(bucket) FROM stats_agg WHERE dim = 'hour' AND bucket >= ?",
        [hour],
    ).fetchone()
    if first is None:
        return None
    names = conn.execute(
        "SELECT DISTINCT nullif(k1, '') FROM stats_agg WHERE dim = 'hour' AND bucket >= ?", [hour]
    ).fetchall()
    return first[:10], last[:10], [row[0] for row in names]


def by_week_minute(
    conn: sqlite3.Connection,
    *,
    since: datetime,
    offsets: dict[Any, tuple[list[tuple[str, int]], int]],
) -> list[tuple[int | None, int, int]]:
    """(minute of the local week from Monday 00:00, sent, replies) of the send times
    totalled from the first whole hour at or after ``since``, grouped in SQL. ``offsets``:
    each timezone of ``hour_zones`` (None for none) -> its offsets from UTC in minutes:
    ([(the first hour, 'YYYY-MM-DDTHH', of the next offset, this one), ...], the last
    one). A timezone missing from it gives the minute None."""
    zones = []
    for name, (changes, last) in offsets.items():
        chain = " ".join(
            f"WHEN bucket < {_literal(hour)} THEN {int(minutes)}" for hour, minutes in changes
        )
        offset = f"CASE {chain} ELSE {int(last)} END" if chain else str(int(last))
        zones.append(f"WHEN {_literal(name or '')} THEN {offset}")
    offset = f"CASE k1 {' '.join(zones)} END" if zones else "NULL"
    # Minutes since the Julian epoch (a noon, so a Monday starts at 720); 10080 a week.
    minute = f"CAST(round(julianday(bucket || ':00') * 1440) AS INTEGER) + 720 + {offset}"
    return conn.execute(
        f"SELECT ({minute}) % 10080, sum(n1), sum(n2) FROM stats_agg "
        "WHERE dim = 'hour' AND bucket >= ? GROUP BY 1",
        [_next_hour(since)],
    ).fetchall()


def hours_before(conn: sqlite3.Connection, *, since: datetime) -> list[tuple[Any, ...]]:
    """(timezone or None, 'YYYY-MM-DDTHH', sent, replies) of the minutes from ``since`` to
    its first whole hour, read from the touches."""
    hour = _next_hour(since)
    return conn.execute(
        f"""SELECT (SELECT p.timezone FROM prospects p WHERE p.id = t.prospect_id),
               substr(t.at, 1, 13), count(*), sum(t.replied_at IS NOT NULL) {_PART}
            GROUP BY 1, 2""",
        {"since": to_text(since), "cut": f"{hour}:00:00Z"},
    ).fetchall()


def by_template_and_cadence(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """(template or None, cadence or None, sent, replies), from the table ``fill_counted``
    made."""
    return conn.execute(
        f"SELECT k1, k2, sum(sent), sum(replies) FROM temp.{_TABLE} WHERE dim = 'tc' "
        "GROUP BY 1, 2 HAVING sum(sent) > 0"
    ).fetchall()


def reply_hours_by_cadence(
    conn: sqlite3.Connection, *, since: datetime, until: datetime
) -> list[tuple[str, float]]:
    """``store.seed_stats.reply_hours_by_cadence`` over the timed touches' own index."""
    return conn.execute(
        f"""SELECT cadence, (julianday(replied_at) - julianday(at)) * 24
            FROM touches INDEXED BY idx_touches_timed
            WHERE direction = 'out' AND outcome <> 'bounced' AND outcome NOT IN ({_ANSWERED})
              AND replied_at IS NOT NULL AND at >= :since AND at <= :until
              AND cadence IS NOT NULL""",
        {"since": to_text(since), "until": to_text(until)},
    ).fetchall()


# --- the weekly review ----------------------------------------------------------------------------


def week_counts(
    conn: sqlite3.Connection, since: datetime, until: datetime
) -> tuple[int, int, int, int, float, int, float]:
    """``store.stats.week_counts`` for ``[since, until)``: the whole days from the totals,
    the hours at either end from the touches, wins and losses from their own indexes."""
    first, last = _next_day(since), to_text(until)[:10]
    counts = {"out": 0, "reply": 0, "meeting": 0}
    if first < last:  # whole days between
        for kind, n in conn.execute(
            "SELECT k1, sum(n1) FROM stats_agg WHERE dim = 'week' AND bucket >= ? "
            "AND bucket < ? GROUP BY k1",
            [first, last],
        ):
            counts[kind] += n
        edges = [(to_text(since), _cut(first)), (_cut(last), to_text(until))]
    else:
        edges = [(to_text(since), to_text(until))]
    for start, end in edges:
        out, replies, meetings = conn.execute(
            f"""SELECT coalesce(sum({_COUNTED}), 0),
                       coalesce(sum({aggregates.REPLY.format(r="t")}), 0),
                       coalesce(sum(t.outcome = 'meeting'), 0)
                FROM touches t WHERE t.at >= ? AND t.at < ?""",
            [start, end],
        ).fetchone()
        counts["out"] += out
        counts["reply"] += replies
        counts["meeting"] += meetings
    ends = [to_text(since), to_text(until)]
    deals = []
    for outcome, index in (("won", "idx_touches_won"), ("lost", "idx_touches_lost")):
        deals.append(
            conn.execute(
                f"""SELECT count(*), coalesce(sum(p.value), 0)
                    FROM touches t INDEXED BY {index} JOIN prospects p ON p.id = t.prospect_id
                    WHERE t.outcome = '{outcome}' AND t.at >= ? AND t.at < ?""",
                ends,
            ).fetchone()
        )
    (won, won_value), (lost, lost_value) = deals
    return (
        counts["out"],
        counts["reply"],
        counts["meeting"],
        won,
        float(won_value),
        lost,
        float(lost_value),
    )
