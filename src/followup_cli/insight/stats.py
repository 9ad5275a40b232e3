"""Is my follow-up working? The dashboard behind `followup stats` and the weekly review.

Everything is SQL over the touches table; Python only sees aggregates. The definitions,
which the command help and the README repeat:

- A **reply** is a touch that came in (direction ``in``) or whose outcome means the
  prospect answered: replied, meeting, not_now, won, lost, opted_out (the same rule that
  marks a prospect as having answered).
- An **outbound touch** is one we made (direction ``out``), whatever its outcome.
  Bounced touches never reached anyone and are left out of every number.
- Touches are taken in time order; touches with the same timestamp in the order they were
  logged.
- A reply is credited to the latest outbound touch before it (an outbound touch whose own
  outcome is a reply is credited with itself). An outbound touch **got a reply** when a
  reply is credited to it.
- The **touch number** of an outbound touch counts the outbound touches to that prospect
  since their last reply (or since they were added), itself included; 12 and up share
  the bucket "12+".

Each number covers the outbound touches (or wins) made in the window ``[since, now]``;
touch numbers and credits look at the whole history before it. They are stored on each
touch when it is written (``touch.renumber``: ``touch_number``, ``next_at``,
``replied_at``), so the dashboard is one grouped pass over the touches in the window plus
a few small queries, whatever the length of the history.
"""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass, field, fields
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.core.vocab import ANSWERED, CHANNELS

TOUCH_CAP = 12  # touch numbers 12 and up share one bucket
GIVE_UP_DAYS = 30
DEFAULT_DAYS = 90
MIN_AB_SENDS = 100
SLIPPED_DAYS = 3
SEED_TOUCHES_TO_CLOSE = (5, 7)
SEED_RESPONSE_GOAL = 0.30
# The seeds' channel mix (seed 000); channels outside it have a target of 0.
TARGET_MIX = {"email": 0.40, "call": 0.30, "linkedin": 0.15, "video": 0.10, "mail": 0.05}
LIST_LIMIT = 20


def _reply(table: str = "") -> str:
    """SQL for "this touch is a reply" (``table``: an alias such as ``t.``)."""
    answered = ", ".join(f"'{outcome}'" for outcome in sorted(ANSWERED))
    return f"({table}direction = 'in' OR {table}outcome IN ({answered}))"


_TABLE = "followup_stats"  # a temporary table, private to the connection


def _rate(replies: int, sent: int) -> float | None:
    return round(replies / sent, 4) if sent else None


def _label(number: int) -> str:
    return f"{number}+" if number == TOUCH_CAP else str(number)


def _public(row: Any, **computed: Any) -> dict[str, Any]:
    """A row's fields, then the computed values, for --json."""
    return {**{f.name: getattr(row, f.name) for f in fields(row)}, **computed}


@dataclass(frozen=True)
class TouchBucket:
    touch: int  # TOUCH_CAP means "TOUCH_CAP or more"
    sent: int
    replies: int

    def public(self) -> dict[str, Any]:
        return _public(self, label=_label(self.touch), rate=_rate(self.replies, self.sent))


@dataclass(frozen=True)
class GiveUp:
    touches: int  # TOUCH_CAP means "TOUCH_CAP or more"
    prospects: int

    def public(self) -> dict[str, Any]:
        return _public(self, label=_label(self.touches))


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    touches: int
    replies: int
    share: float | None  # of all outbound touches counted
    target_share: float

    def public(self) -> dict[str, Any]:
        return _public(self, rate=_rate(self.replies, self.touches))


@dataclass(frozen=True)
class StepRow:
    step: int
    sent: int
    replies: int

    def public(self) -> dict[str, Any]:
        return _public(self, rate=_rate(self.replies, self.sent))


@dataclass(frozen=True)
class CadenceRow:
    cadence: str
    active: int  # in it right now
    enrolled: int  # did at least one step in the window
    completed: int | None  # did its final step (None: it repeats forever)
    stopped_by_reply: int  # replied to a step before the final one
    steps: list[StepRow]

    def public(self) -> dict[str, Any]:
        sent = sum(step.sent for step in self.steps)
        replies = sum(step.replies for step in self.steps)
        return {
            **_public(self),
            "sent": sent,
            "replies": replies,
            "rate": _rate(replies, sent),
            "steps": [step.public() for step in self.steps],
        }


@dataclass(frozen=True)
class TemplateRow:
    template: str
    variant: str | None
    sends: int
    replies: int

    @property
    def too_few(self) -> bool:
        return self.sends < MIN_AB_SENDS

    def public(self) -> dict[str, Any]:
        return _public(self, rate=_rate(self.replies, self.sends), too_few=self.too_few)


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime

    @property
    def days(self) -> int:
        return (self.until - self.since).days

    def public(self) -> dict[str, Any]:
        return {
            "since": store.to_text(self.since),
            "until": store.to_text(self.until),
            "days": self.days,
        }


@dataclass
class Dashboard:
    window: Window
    cadence: str | None
    sent: int
    replies: int
    response_by_touch: list[TouchBucket]
    give_up_curve: list[GiveUp]
    deal_touches: list[int]  # outbound touches before each deal won in the window
    channels: list[ChannelRow]
    median_hours_to_response: float | None
    responses_timed: int
    revenue_recovered: float
    deals_recovered: int
    cadences: list[CadenceRow]
    templates: list[TemplateRow]
    warnings: list[str] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        return _rate(self.replies, self.sent)

    @property
    def touches_to_close(self) -> dict[str, Any]:
        deals = self.deal_touches
        return {
            "mean": round(statistics.fmean(deals), 2) if deals else None,
            "median": statistics.median(deals) if deals else None,
            "deals": len(deals),
            "seed_range": list(SEED_TOUCHES_TO_CLOSE),
        }

    def public(self) -> dict[str, Any]:
        return {
            "window": self.window.public(),
            "cadence": self.cadence,
            "response_rate": {
                "sent": self.sent,
                "replies": self.replies,
                "rate": self.response_rate,
                "seed_goal": SEED_RESPONSE_GOAL,
            },
            "response_by_touch": [bucket.public() for bucket in self.response_by_touch],
            "give_up_curve": [row.public() for row in self.give_up_curve],
            "gave_up": sum(row.prospects for row in self.give_up_curve),
            "touches_to_close": self.touches_to_close,
            "channels": [row.public() for row in self.channels],
            "median_hours_to_response": self.median_hours_to_response,
            "responses_timed": self.responses_timed,
            "revenue_recovered": self.revenue_recovered,
            "deals_recovered": self.deals_recovered,
            "cadences": [row.public() for row in self.cadences],
            "templates": [row.public() for row in self.templates],
            "warnings": self.warnings,
        }


@dataclass
class TemplateReport:
    window: Window
    cadence: str | None
    templates: list[TemplateRow]
    warnings: list[str]

    def public(self) -> dict[str, Any]:
        return {
            "window": self.window.public(),
            "cadence": self.cadence,
            "templates": [row.public() for row in self.templates],
            "warnings": self.warnings,
        }


# --- the window ------------------------------------------------------------------------------


def default_since(now: datetime, user_tz: tzinfo, days: int = DEFAULT_DAYS) -> datetime:
    """Midnight (the user's time) ``days`` days ago."""
    day = now.astimezone(user_tz).date() - timedelta(days=days)
    return datetime.combine(day, time(0), tzinfo=user_tz)


def window(now: datetime, user_tz: tzinfo, since: datetime | None) -> Window:
    from followup_cli.core.errors import InvalidDate

    start = since if since is not None else default_since(now, user_tz)
    if start >= now:
        raise InvalidDate("--since must be in the past: use e.g. 2026-01-01, 30d or monday.")
    return Window(start, now)


# --- the one pass over the window -------------------------------------------------------------

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
# Their last touch so far, without a reply, made 30+ days ago, with no touch still
# scheduled after now (a planned wait is not giving up).
_GAVE_UP = f"""CASE WHEN at > :cutoff OR next_at <= :until THEN 0
                    WHEN {_NOT_A_REPLY} THEN (
                        SELECT p.next_due_at IS NULL OR p.next_due_at <= :until
                        FROM prospects p WHERE p.id = touches.prospect_id)
                    ELSE 0 END"""


def _params(span: Window, cadence: str | None) -> dict[str, Any]:
    return {
        "since": store.to_text(span.since),
        "until": store.to_text(span.until),
        "cutoff": store.to_text(span.until - timedelta(days=GIVE_UP_DAYS)),
        "cadence": cadence,
    }


def _prepare(conn: sqlite3.Connection, span: Window, cadence: str | None) -> dict[str, Any]:
    """The outbound touches counted, in one pass, grouped by everything the dashboard
    breaks them down by (touch number, channel, cadence step, template and variant), in a
    small temporary table: how many were sent, how many got a reply, how many were the
    last touch of someone we gave up on, how many got a reply that came in after them.

    Returns the query parameters of the window, for the passes that need single touches."""
    params = _params(span, cadence)
    conn.execute(f"DROP TABLE IF EXISTS temp.{_TABLE}")
    conn.execute(
        f"""
        CREATE TEMP TABLE {_TABLE} AS
        SELECT min(touch_number, {TOUCH_CAP}) AS touch_number, channel, cadence, step,
               template, variant, count(*) AS sent,
               sum(CASE WHEN {_GOT_REPLY} THEN 1 ELSE 0 END) AS replies,
               sum({_GAVE_UP}) AS gave_up, sum({_TIMED}) AS timed
        {_COUNTED}
        GROUP BY step, 1, channel, cadence, template, variant  -- numbers first: a faster sort
        """,
        params,
    )
    return params


def dashboard(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    since: datetime | None = None,
    cadence: str | None = None,
) -> Dashboard:
    """Every number of `followup stats` for the window ``[since, now]``."""
    span = window(now, user_tz, since)
    with _snapshot(conn):
        params = _prepare(conn, span, cadence)
        try:
            sent, replies, timed = conn.execute(
                f"SELECT coalesce(sum(sent), 0), coalesce(sum(replies), 0), "
                f"coalesce(sum(timed), 0) FROM temp.{_TABLE}"
            ).fetchone()
            deals = _deals(conn, params)
            recovered = [deal for deal in deals if deal[0] >= 2]
            result = Dashboard(
                window=span,
                cadence=cadence,
                sent=sent,
                replies=replies,
                response_by_touch=_by_touch(conn),
                give_up_curve=_give_up(conn),
                deal_touches=[deal[0] for deal in deals],
                channels=_channels(conn, sent),
                median_hours_to_response=_median_hours(conn, params, timed),
                responses_timed=timed,
                revenue_recovered=round(sum(deal[1] for deal in recovered), 2),
                deals_recovered=len(recovered),
                cadences=_cadences(conn, params),
                templates=_templates(conn),
            )
        finally:
            conn.execute(f"DROP TABLE IF EXISTS temp.{_TABLE}")
    result.warnings = template_warnings(result.templates)
    return result


def template_report(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    since: datetime | None = None,
    cadence: str | None = None,
) -> TemplateReport:
    """Sends, replies and reply rate per template and A/B variant."""
    span = window(now, user_tz, since)
    with _snapshot(conn):
        _prepare(conn, span, cadence)
        try:
            rows = _templates(conn)
        finally:
            conn.execute(f"DROP TABLE IF EXISTS temp.{_TABLE}")
    return TemplateReport(span, cadence, rows, template_warnings(rows))


class _snapshot:
    """Every query of one report reads the same state of the database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.owner = False

    def __enter__(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self.owner = True

    def __exit__(self, *exc: object) -> None:
        if self.owner:
            self.conn.execute("COMMIT")


# --- each number -----------------------------------------------------------------------------


def _by_touch(conn: sqlite3.Connection) -> list[TouchBucket]:
    found = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT touch_number, sum(sent), sum(replies) FROM temp.{_TABLE} GROUP BY touch_number"
        )
    }
    return [TouchBucket(n, *found.get(n, (0, 0))) for n in range(1, TOUCH_CAP + 1)]


def _give_up(conn: sqlite3.Connection) -> list[GiveUp]:
    """Prospects whose latest touch is an outbound one without a reply, made 30 or more
    days ago, with no touch still scheduled after now (a planned wait is not giving up)."""
    found = dict(
        conn.execute(
            f"SELECT touch_number, sum(gave_up) FROM temp.{_TABLE} GROUP BY touch_number"
        ).fetchall()
    )
    return [GiveUp(n, found.get(n, 0)) for n in range(1, TOUCH_CAP + 1)]


def _deals(conn: sqlite3.Connection, params: dict[str, Any]) -> list[tuple[int, float]]:
    """(outbound touches, deal value) for each win in the window: the outbound touches
    made to the prospect since their previous win (or since they were added), up to and
    including the winning touch. With a cadence, only deals it had a step in.

    Reads the whole history of the prospects who won in the window (a few), found through
    idx_touches_won."""
    # Without a cadence the pass needs no column outside (prospect_id, at, id, direction,
    # outcome): it then reads idx_touches_prospect alone.
    cadence = params["cadence"]
    steps = "0" if cadence is None else "sum(direction = 'out' AND cadence = :cadence) OVER w"
    rows = conn.execute(
        f"""WITH history AS (
                SELECT id, prospect_id, at, outcome,
                       sum(direction = 'out' AND outcome <> 'bounced') OVER w AS outbound,
                       {steps} AS steps
                FROM touches
                WHERE at <= :until
                  AND prospect_id IN (SELECT prospect_id FROM touches WHERE outcome = 'won'
                                      AND at >= :since AND at <= :until)
                WINDOW w AS (PARTITION BY prospect_id ORDER BY at, id ROWS UNBOUNDED PRECEDING)
            ),
            wins AS (
                SELECT id, prospect_id, at,
                       outbound - coalesce(lag(outbound) OVER v, 0) AS touches,
                       steps - coalesce(lag(steps) OVER v, 0) AS steps
                FROM history WHERE outcome = 'won'
                WINDOW v AS (PARTITION BY prospect_id ORDER BY at, id)
            )
            SELECT wins.touches, coalesce(p.value, 0)
            FROM wins JOIN prospects p ON p.id = wins.prospect_id
            WHERE wins.at >= :since AND (:cadence IS NULL OR wins.steps > 0)
            ORDER BY wins.at, wins.id""",
        params,
    ).fetchall()
    return [(row[0], float(row[1])) for row in rows]


def _median_hours(conn: sqlite3.Connection, params: dict[str, Any], timed: int) -> float | None:
    """The median time from an outbound touch to the reply that came in after it, over the
    ``timed`` such touches (counted by the pass)."""
    if not timed:
        return None
    middle = conn.execute(
        f"""SELECT avg(hours) FROM (
                SELECT (julianday(replied_at) - julianday(at)) * 24 AS hours
                {_COUNTED} AND {_GOT_REPLY} AND {_NOT_A_REPLY}
                ORDER BY hours LIMIT :take OFFSET :skip)""",
        {**params, "take": 2 - timed % 2, "skip": (timed - 1) // 2},
    ).fetchone()[0]
    return round(middle, 2)


def _channels(conn: sqlite3.Connection, sent: int) -> list[ChannelRow]:
    found = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT channel, sum(sent), sum(replies) FROM temp.{_TABLE} GROUP BY channel"
        )
    }
    names = [c for c in CHANNELS if c in found or c in TARGET_MIX]
    names += sorted(set(found) - set(names))  # a channel we do not know still counts
    rows = []
    for name in names:
        touches, replies = found.get(name, (0, 0))
        rows.append(
            ChannelRow(
                name,
                touches,
                replies,
                round(touches / sent, 4) if sent else None,
                TARGET_MIX.get(name, 0.0),
            )
        )
    return rows


def _cadences(conn: sqlite3.Connection, params: dict[str, Any]) -> list[CadenceRow]:
    steps: dict[str, list[StepRow]] = {}
    for name, step, sent, replies in conn.execute(
        f"""SELECT cadence, step, sum(sent), sum(replies) FROM temp.{_TABLE}
            WHERE cadence IS NOT NULL AND step IS NOT NULL
            GROUP BY cadence, step ORDER BY cadence, step"""
    ):
        steps.setdefault(name, []).append(StepRow(step, sent, replies))
    only = params["cadence"]
    names = sorted(set(steps) | ({only} if only else set()))
    finals = {name: _final_step(name) for name in names}
    values = ", ".join(f"(:name{n}, :final{n})" for n in range(len(finals))) or "(NULL, NULL)"
    named: dict[str, Any] = {}
    for n, (name, final) in enumerate(finals.items()):
        named.update({f"name{n}": name, f"final{n}": final})
    # Per person: the furthest step they did in the window and the first that got a reply;
    # then how many people share each (furthest, first replied) pair, to compare with the
    # final step of their cadence.
    people = {
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
            {**params, **named},
        )
    }
    active = dict(
        conn.execute(
            "SELECT cadence, count(*) FROM prospects WHERE cadence_status = 'active' "
            "AND cadence IS NOT NULL GROUP BY cadence"
        ).fetchall()
    )
    rows = []
    for name in names:
        enrolled, completed, stopped = people.get(name, (0, 0, 0))
        rows.append(
            CadenceRow(
                name,
                active.get(name, 0),
                enrolled,
                None if finals[name] is None else completed,
                stopped,
                steps.get(name, []),
            )
        )
    return rows


def _final_step(name: str) -> int | None:
    """The number of a cadence's last step (None when it repeats forever or is gone)."""
    from followup_cli.core.errors import FollowupError
    from followup_cli.scheduling import cadence as cadences

    try:
        found = cadences.load_cadence(name)
    except FollowupError:
        return None
    total = found.steps_total
    if found.max_touches is not None:
        total = found.max_touches if total is None else min(total, found.max_touches)
    return total


def _templates(conn: sqlite3.Connection) -> list[TemplateRow]:
    return [
        TemplateRow(*row)
        for row in conn.execute(
            f"""SELECT template, variant, sum(sent), sum(replies) FROM temp.{_TABLE}
                WHERE template IS NOT NULL
                GROUP BY template, variant ORDER BY template, variant IS NOT NULL, variant"""
        )
    ]


def template_warnings(rows: list[TemplateRow]) -> list[str]:
    """One warning per A/B comparison resting on fewer than 100 sends of a variant."""
    by_template: dict[str, list[TemplateRow]] = {}
    for row in rows:
        by_template.setdefault(row.template, []).append(row)
    warnings = []
    for name, variants in by_template.items():
        if len(variants) < 2:
            continue
        thin = [row for row in variants if row.too_few]
        if thin:
            counts = ", ".join(f"{row.variant or 'no variant'} {row.sends}" for row in thin)
            warnings.append(
                f"{name}: fewer than {MIN_AB_SENDS} sends ({counts}) — "
                "too few to trust the comparison yet."
            )
    return warnings


def check_cadence(conn: sqlite3.Connection, name: str) -> str:
    """A cadence to filter by: a known one, or one that touches still name."""
    from followup_cli.core.errors import CadenceNotFound
    from followup_cli.scheduling import cadence as cadences

    try:
        cadences.load_cadence(name)
    except CadenceNotFound:
        if conn.execute("SELECT 1 FROM touches WHERE cadence = ? LIMIT 1", [name]).fetchone():
            return name
        raise
    return name
