"""The questions `followup stats` and `followup review` ask of the touches and prospects.

The rules they count by (what a reply is, which touches count) are written out in
``insight.stats``; here they are SQL. The dashboard groups the outbound touches of its
window once, in a small temporary table (``counted_touches``), and most numbers are read
from that; the few that need single touches read the touches table again with the same
conditions. ``snapshot`` keeps every query of one report on the same state of the file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from followup_cli.core.vocab import ACTIVE_STAGES, ANSWERED, NOT_DELIVERED
from followup_cli.store.db import to_text


def _reply(table: str) -> str:
    """SQL for "this touch is a reply" (``table``: an alias such as ``t.``)."""
    answered = ", ".join(f"'{outcome}'" for outcome in sorted(ANSWERED))
    automatic = ", ".join(f"'{outcome}'" for outcome in sorted(NOT_DELIVERED))
    return (
        f"(({table}direction = 'in' AND {table}outcome NOT IN ({automatic}))"
        f" OR {table}outcome IN ({answered}))"
    )


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Every query of one report reads the same state of the database."""
    owner = not conn.in_transaction
    if owner:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if owner:
            conn.execute("COMMIT")


# --- the one pass over the window ------------------------------------------------------------

_TABLE = "followup_stats"  # a temporary table, private to the connection

# The outbound touches counted: made in the window (and as steps of the cadence, if one).
# Their touch numbers and reply credits are stored on them (touch.renumber, from the whole
# history); a reply after the end of the window is not credited yet.
_COUNTED = """FROM touches
    WHERE at >= :since AND at <= :until AND direction = 'out' AND outcome <> 'bounced'
      AND (:cadence IS NULL OR cadence = :cadence)"""
_GOT_REPLY = "replied_at <= :until"  # NULL (no reply credited) counts as no
# Outbound, so a reply itself exactly when its outcome is one.
_NOT_A_REPLY = f"outcome NOT IN ({', '.join(repr(outcome) for outcome in sorted(ANSWERED))})"
# (Conditions as CASE branches: SQLite stops at the first that settles it.)
# Got a reply that came in after it (not its own outcome): timed.
_TIMED = f"CASE WHEN {_GOT_REPLY} THEN {_NOT_A_REPLY} ELSE 0 END"
# Their last touch so far, without a reply, made before the cutoff, with no touch still
# scheduled after now (a planned wait is not giving up).
_GAVE_UP = f"""CASE WHEN at > :cutoff OR next_at <= :until THEN 0
                    WHEN {_NOT_A_REPLY} THEN (
                        SELECT p.next_due_at IS NULL OR p.next_due_at <= :until
                        FROM prospects p WHERE p.id = touches.prospect_id)
                    ELSE 0 END"""


def _window(since: datetime, until: datetime, cadence: str | None) -> dict[str, Any]:
    return {"since": to_text(since), "until": to_text(until), "cadence": cadence}


@contextlib.contextmanager
def counted_touches(
    conn: sqlite3.Connection,
    *,
    since: datetime,
    until: datetime,
    cadence: str | None,
    gave_up_before: datetime,
    touch_cap: int,
    totals: bool = False,
) -> Iterator[None]:
    """The outbound touches counted in ``[since, until]``, in one pass, grouped by each
    thing the dashboard breaks them down by (``dim``: touch number up to ``touch_cap``,
    channel, cadence step, template and variant), in a small
    temporary table: how many were sent, how many got a reply, how many were the last
    touch of someone we gave up on (made before ``gave_up_before``), how many got a reply
    that came in after them. ``totals``: read from the running totals instead
    (``store.stats_totals``; only without a cadence, when ``stats_totals.usable``; it adds
    template and cadence, which the seeds' measures read there and count themselves here).

    The ``by_*`` and ``window_totals`` questions read it while it lasts."""
    if totals:
        from followup_cli.store import stats_totals

        stats_totals.fill_counted(
            conn, since=since, until=until, cutoff=gave_up_before, cap=touch_cap
        )
    else:
        _count_touches(conn, since, until, cadence, gave_up_before, touch_cap)
    try:
        yield
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{_TABLE}")


def _count_touches(
    conn: sqlite3.Connection,
    since: datetime,
    until: datetime,
    cadence: str | None,
    gave_up_before: datetime,
    touch_cap: int,
) -> None:
    params = {**_window(since, until, cadence), "cutoff": to_text(gave_up_before)}
    conn.execute(f"DROP TABLE IF EXISTS temp.{_TABLE}")
    conn.execute("DROP TABLE IF EXISTS temp.followup_stats_all")
    conn.execute(
        f"""
        CREATE TEMP TABLE followup_stats_all AS
        SELECT min(touch_number, {int(touch_cap)}) AS touch_number, channel, cadence, step,
               template, variant, count(*) AS sent,
               sum(CASE WHEN {_GOT_REPLY} THEN 1 ELSE 0 END) AS replies,
               sum({_GAVE_UP}) AS gave_up, sum({_TIMED}) AS timed
        {_COUNTED}
        GROUP BY step, 1, channel, cadence, template, variant  -- numbers first: a faster sort
        """,
        params,
    )
    conn.execute(f"CREATE TEMP TABLE {_TABLE} (dim, k1, k2, sent, replies, gave_up, timed)")
    sums = "sum(sent), sum(replies), sum(gave_up), sum(timed) FROM temp.followup_stats_all"
    for dim, keys, where in (
        ("touch", "touch_number, NULL", ""),
        ("channel", "channel, NULL", ""),
        ("step", "cadence, step", "WHERE cadence IS NOT NULL AND step IS NOT NULL"),
        ("tv", "template, variant", "WHERE template IS NOT NULL"),
    ):
        conn.execute(
            f"INSERT INTO temp.{_TABLE} SELECT '{dim}', {keys}, {sums} {where} GROUP BY 2, 3"
        )
    conn.execute("DROP TABLE temp.followup_stats_all")


def window_totals(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(sent, replies, timed) over the counted touches."""
    sent, replies, timed = conn.execute(
        f"SELECT coalesce(sum(sent), 0), coalesce(sum(replies), 0), "
        f"coalesce(sum(timed), 0) FROM temp.{_TABLE} WHERE dim = 'channel'"
    ).fetchone()
    return sent, replies, timed


def replies_by_touch_number(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """Touch number -> (sent, replies), over the counted touches."""
    return {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT k1, sum(sent), sum(replies) FROM temp.{_TABLE} WHERE dim = 'touch' GROUP BY k1"
        )
    }


def give_up_curve(conn: sqlite3.Connection) -> dict[int, int]:
    """Touch number -> prospects given up on after it, over the counted touches."""
    return dict(
        conn.execute(
            f"SELECT k1, sum(gave_up) FROM temp.{_TABLE} WHERE dim = 'touch' GROUP BY k1"
        ).fetchall()
    )


def replies_by_channel(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Channel -> (sent, replies), over the counted touches."""
    return {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT k1, sum(sent), sum(replies) FROM temp.{_TABLE} WHERE dim = 'channel' "
            "GROUP BY k1 HAVING sum(sent) > 0"
        )
    }


def replies_by_cadence_step(conn: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
    """(cadence, step, sent, replies) in cadence and step order, over the counted touches."""
    return [
        (row[0], row[1], row[2], row[3])
        for row in conn.execute(
            f"""SELECT k1, k2, sum(sent), sum(replies) FROM temp.{_TABLE}
                WHERE dim = 'step' GROUP BY k1, k2 HAVING sum(sent) > 0 ORDER BY k1, k2"""
        )
    ]


def replies_by_template(conn: sqlite3.Connection) -> list[tuple[str, str | None, int, int]]:
    """(template, variant, sends, replies) in template order (no variant first), over the
    counted touches."""
    return [
        (row[0], row[1], row[2], row[3])
        for row in conn.execute(
            f"""SELECT k1, k2, sum(sent), sum(replies) FROM temp.{_TABLE}
                WHERE dim = 'tv' GROUP BY k1, k2 HAVING sum(sent) > 0
                ORDER BY k1, k2 IS NOT NULL, k2"""
        )
    ]


# --- single touches of the window ------------------------------------------------------------


def deals_won(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cadence: str | None
) -> list[tuple[int, float]]:
    """(outbound touches, deal value) for each win in ``[since, until]``: the outbound
    touches made to the prospect since their previous win (or since they were added), up
    to and including the winning touch. With a cadence, only deals it had a step in.

    Touches are in time order, those at the same moment in the order they were logged.
    Each win (found through idx_touches_won) looks up its previous win and counts the
    touches between the two in idx_touches_prospect: a few index entries a win, not the
    whole history of everyone who won."""
    # The touches of the win's prospect after the previous win, up to the win itself.
    run = """FROM touches x WHERE x.prospect_id = w.prospect_id
                 AND (x.at, x.id) <= (w.at, w.id)
                 AND (w.before_at IS NULL OR (x.at, x.id) > (w.before_at, w.before_id))"""
    steps = (
        "1"
        if cadence is None
        else f"(SELECT count(*) {run} AND x.direction = 'out' AND x.cadence = :cadence)"
    )
    before = """(SELECT y.{column} FROM touches y WHERE y.prospect_id = t.prospect_id
                   AND y.outcome = 'won' AND (y.at, y.id) < (t.at, t.id)
                 ORDER BY y.at DESC, y.id DESC LIMIT 1)"""
    rows = conn.execute(
        f"""WITH wins AS MATERIALIZED (
                SELECT t.id, t.prospect_id, t.at, {before.format(column="at")} AS before_at,
                       {before.format(column="id")} AS before_id
                FROM touches t INDEXED BY idx_touches_won
                WHERE t.outcome = 'won' AND t.at >= :since AND t.at <= :until)
            SELECT (SELECT count(*) {run} AND x.direction = 'out' AND x.outcome <> 'bounced'),
                   coalesce(p.value, 0)
            FROM wins w JOIN prospects p ON p.id = w.prospect_id
            WHERE {steps} > 0
            ORDER BY w.at, w.id""",
        _window(since, until, cadence),
    ).fetchall()
    return [(row[0], float(row[1])) for row in rows]


def median_hours_to_reply(
    conn: sqlite3.Connection,
    *,
    since: datetime,
    until: datetime,
    cadence: str | None,
    timed: int,
) -> float:
    """The median time, in hours, from an outbound touch counted to the reply that came in
    after it, over the ``timed`` (at least one) such touches ``window_totals`` counts."""
    return conn.execute(
        f"""SELECT avg(hours) FROM (
                SELECT (julianday(replied_at) - julianday(at)) * 24 AS hours
                {_COUNTED} AND {_GOT_REPLY} AND {_NOT_A_REPLY}
                ORDER BY hours LIMIT :take OFFSET :skip)""",
        {**_window(since, until, cadence), "take": 2 - timed % 2, "skip": (timed - 1) // 2},
    ).fetchone()[0]


def cadence_people(
    conn: sqlite3.Connection,
    *,
    since: datetime,
    until: datetime,
    cadence: str | None,
    finals: dict[str, int | None],
) -> dict[str, tuple[int, int, int]]:
    """Cadence -> (enrolled, completed, stopped by reply): the people who did a step of it
    in ``[since, until]``, those whose furthest step reached its final one (``finals``:
    the number of each cadence's last step, None when it has none), and those whose first
    step that got a reply came before the final one."""
    values = ", ".join(f"(:name{n}, :final{n})" for n in range(len(finals))) or "(NULL, NULL)"
    named: dict[str, Any] = {}
    for n, (name, final) in enumerate(finals.items()):
        named.update({f"name{n}": name, f"final{n}": final})
    # Per person: the furthest step they did in the window and the first that got a reply;
    # then how many people share each (furthest, first replied) pair, to compare with the
    # final step of their cadence.
    return {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute(
            f"""WITH finals(cadence, final) AS (VALUES {values}),
                people AS (
                    SELECT cadence, max(step) AS top,
                           min(CASE WHEN {_GOT_REPLY} THEN step END) AS first_replied
                    {_COUNTED} AND cadence IS NOT NULL AND step IS NOT NULL
                    GROUP BY prospect_id, cadence),
                shapes AS (
                    SELECT cadence, top, first_replied, count(*) AS n FROM people
                    GROUP BY cadence, top, first_replied)
                SELECT s.cadence, sum(n), coalesce(sum(CASE WHEN s.top >= f.final THEN n END), 0),
                       coalesce(sum(CASE WHEN s.first_replied
                                         < coalesce(f.final, s.first_replied + 1) THEN n END), 0)
                FROM shapes s LEFT JOIN finals f ON f.cadence = s.cadence
                GROUP BY s.cadence""",
            {**_window(since, until, cadence), **named},
        )
    }


def active_by_cadence(conn: sqlite3.Connection) -> dict[str, int]:
    """Cadence -> prospects in it right now."""
    return dict(
        conn.execute(
            "SELECT cadence, count(*) FROM prospects WHERE cadence_status = 'active' "
            "AND cadence IS NOT NULL GROUP BY cadence"
        ).fetchall()
    )


def touches_name_cadence(conn: sqlite3.Connection, name: str) -> bool:
    """Whether any touch was logged as a step of the cadence ``name``."""
    return bool(conn.execute("SELECT 1 FROM touches WHERE cadence = ? LIMIT 1", [name]).fetchone())


# --- the weekly review -----------------------------------------------------------------------


def week_counts(
    conn: sqlite3.Connection, since: datetime, until: datetime
) -> tuple[int, int, int, int, float, int, float]:
    """(outbound touches, replies, meetings, won, won value, lost, lost value) over the
    touches made in ``[since, until)``, bounces left out of the outbound ones."""
    row = conn.execute(
        f"""SELECT
              coalesce(sum(t.direction = 'out' AND t.outcome <> 'bounced'), 0),
              coalesce(sum({_reply("t.")}), 0),
              coalesce(sum(t.outcome = 'meeting'), 0),
              coalesce(sum(t.outcome = 'won'), 0),
              coalesce(sum(CASE WHEN t.outcome = 'won' THEN p.value END), 0),
              coalesce(sum(t.outcome = 'lost'), 0),
              coalesce(sum(CASE WHEN t.outcome = 'lost' THEN p.value END), 0)
            FROM touches t JOIN prospects p ON p.id = t.prospect_id
            WHERE t.at >= ? AND t.at < ?""",
        [to_text(since), to_text(until)],
    ).fetchone()
    touches, replies, meetings, won, won_value, lost, lost_value = row
    return touches, replies, meetings, won, float(won_value), lost, float(lost_value)


# What the review shows of a prospect: who, the deal, and their next step.
_DEAL_COLUMNS = "id, name, company, stage, value, next_due_at, next_channel, next_purpose, next_why"
_STAGES = ", ".join(f"'{stage}'" for stage in ACTIVE_STAGES)
_OPEN_DEAL = f"stage IN ({_STAGES}) AND do_not_contact = 0"


def _deals(
    conn: sqlite3.Connection,
    where: str,
    params: list[Any],
    order: str,
    limit: int,
    index: str | None = None,
) -> list[sqlite3.Row]:
    """``index``: the partial index whose order is ``order`` (the first ``limit`` rows of
    it, instead of every open deal sorted)."""
    indexed = f" INDEXED BY {index}" if index else ""
    return conn.execute(
        f"SELECT {_DEAL_COLUMNS} FROM prospects{indexed} WHERE {where} "
        f"ORDER BY {order} LIMIT {int(limit)}",
        params,
    ).fetchall()


def _listing(
    conn: sqlite3.Connection,
    where: str,
    params: list[Any],
    order: str,
    limit: int,
    index: str | None = None,
) -> tuple[int, list[sqlite3.Row]]:
    """How many prospects match, and the first ``limit`` of them."""
    total = conn.execute(f"SELECT count(*) FROM prospects WHERE {where}", params).fetchone()[0]
    return total, _deals(conn, where, params, order, limit, index)


def slipped_prospects(
    conn: sqlite3.Connection, *, due_before: datetime, limit: int
) -> tuple[int, list[sqlite3.Row]]:
    """Contactable prospects whose next step was due before ``due_before``: how many, and
    the first ``limit``, biggest deal first, then longest overdue."""
    return _listing(
        conn,
        "next_due_at < ? AND do_not_contact = 0",
        [to_text(due_before)],
        "value DESC NULLS LAST, next_due_at",
        limit,
    )


def unscheduled_deals(conn: sqlite3.Connection, *, limit: int) -> tuple[int, list[sqlite3.Row]]:
    """Open deals (an active stage, contactable) with nothing scheduled: how many, and the
    first ``limit``, biggest deal first, then by name (no value last: SQLite sorts NULL
    last in a descending order)."""
    return _listing(
        conn,
        f"{_OPEN_DEAL} AND next_due_at IS NULL",
        [],
        "value DESC, name",
        limit,
        "idx_prospects_open_no_next",
    )


def biggest_open_deals(conn: sqlite3.Connection, *, limit: int) -> list[sqlite3.Row]:
    """The ``limit`` open deals of highest value, soonest next step first among equals,
    read in the order of their own index (migration 21)."""
    return _deals(
        conn,
        f"{_OPEN_DEAL} AND value IS NOT NULL",
        [],
        "value DESC, next_due_at",
        limit,
        "idx_prospects_open_value",
    )


def due_between(conn: sqlite3.Connection, start: datetime, end: datetime) -> int:
    """How many contactable prospects have a next step due in ``(start, end]``."""
    return conn.execute(
        "SELECT count(*) FROM prospects WHERE next_due_at > ? AND next_due_at <= ? "
        "AND do_not_contact = 0",
        [to_text(start), to_text(end)],
    ).fetchone()[0]
