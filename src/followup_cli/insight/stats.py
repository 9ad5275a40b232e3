"""Is my follow-up working? The dashboard behind `followup stats` and the weekly review.

Everything is SQL over the touches table (asked through ``store.stats``); Python only sees
aggregates. The definitions, which the command help and the README repeat:

- A **reply** is a touch that came in (direction ``in``) or whose outcome means the
  prospect answered: replied, meeting, not_now, won, lost, opted_out (the same rule that
  marks a prospect as having answered). An automatic message that came in (an
  out-of-office or a bounce) is not a reply, and is left out of every number.
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
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli.core.vocab import CHANNELS
from followup_cli.insight import seed_metrics
from followup_cli.insight.metrics import (
    MIN_AB_SENDS,
    TOUCH_CAP,
    CadenceRow,
    ChannelRow,
    Dashboard,
    GiveUp,
    StepRow,
    TemplateReport,
    TemplateRow,
    TouchBucket,
    Window,
)
from followup_cli.store import stats as stat_rows
from followup_cli.store.db import to_text as store_text

GIVE_UP_DAYS = 30
DEFAULT_DAYS = 90
# The seeds' channel mix (seed 000); channels outside it have a target of 0.
TARGET_MIX = {"email": 0.40, "call": 0.30, "linkedin": 0.15, "video": 0.10, "mail": 0.05}


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


def _counted(
    conn: sqlite3.Connection, span: Window, cadence: str | None, totals: bool
) -> AbstractContextManager[None]:
    """The outbound touches of the window, grouped once for every number below (see
    ``store.stats.counted_touches``)."""
    return stat_rows.counted_touches(
        conn,
        since=span.since,
        until=span.until,
        cadence=cadence,
        gave_up_before=span.until - timedelta(days=GIVE_UP_DAYS),
        touch_cap=TOUCH_CAP,
        totals=totals,
    )


def _from_totals(
    conn: sqlite3.Connection, span: Window, cadence: str | None, from_scratch: bool
) -> bool:
    """Whether the running totals answer (``store.stats_totals``): not for one cadence,
    nor while a touch lies after the end of the window; ``from_scratch`` counts every
    touch of the window instead (the check that both agree)."""
    from followup_cli.store import stats_totals

    return not from_scratch and cadence is None and stats_totals.usable(conn, span.until)


def dashboard(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    since: datetime | None = None,
    cadence: str | None = None,
    from_scratch: bool = False,
) -> Dashboard:
    """Every number of `followup stats` for the window ``[since, now]``: from the running
    totals, at the cost of the window's days (``from_scratch``: from its touches)."""
    span = window(now, user_tz, since)
    with stat_rows.snapshot(conn):
        totals = _from_totals(conn, span, cadence, from_scratch)
        with _counted(conn, span, cadence, totals):
            result = _dashboard(conn, span, cadence, user_tz, totals)
    result.warnings = template_warnings(result.templates)
    result.referrals = referral_summary(conn, since=store_text(span.since))
    return result


def _dashboard(
    conn: sqlite3.Connection, span: Window, cadence: str | None, user_tz: tzinfo, totals: bool
) -> Dashboard:
    sent, replies, timed = stat_rows.window_totals(conn)
    deals = stat_rows.deals_won(conn, since=span.since, until=span.until, cadence=cadence)
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
        median_hours_to_response=_median_hours(conn, span, cadence, timed, totals),
        responses_timed=timed,
        revenue_recovered=round(sum(deal[1] for deal in recovered), 2),
        deals_recovered=len(recovered),
        cadences=_cadences(conn, span, cadence, totals),
        templates=_templates(conn),
    )
    result.seed = seed_metrics.measure(  # the seeds' own measures, in their own module
        conn,
        span,
        cadence,
        deal_touches=result.deal_touches,
        sent=sent,
        user_tz=user_tz,
        totals=totals,
    )
    return result


SEED_REFERRALS_PER_CUSTOMER = (4, 6)  # seed 003: each transaction should lead to 4-6


def referral_summary(conn: sqlite3.Connection, *, since: str | None) -> dict[str, Any]:
    """Customers (stage customer, or a relationship level set), the referrals they gave,
    per customer against the seeds' figure, by level, and referred deals won since ``since``."""
    from followup_cli.insight.referrals import engine_summary
    from followup_cli.store import referrals

    customers = given = 0
    levels: dict[str, dict[str, int]] = {}
    for relationship, referred, count in referrals.per_customer(conn):
        level = levels.setdefault(relationship or "none", {"customers": 0, "referrals": 0})
        level["customers"] += count
        level["referrals"] += referred * count
        customers, given = customers + count, given + referred * count
    won = referrals.referred_wins(conn, since)
    return {
        "customers": customers,
        "referrals": given,
        "per_customer": round(given / customers, 2) if customers else None,
        "seed_range": list(SEED_REFERRALS_PER_CUSTOMER),
        "by_level": levels,
        "referred_deals_won": won["deals"],
        "referred_revenue": round(won["revenue"], 2),
    } | engine_summary(conn)  # per referrer, and referred against the rest (insight.referrals)


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
    with stat_rows.snapshot(conn):
        totals = _from_totals(conn, span, cadence, False)
        with _counted(conn, span, cadence, totals):
            rows = _templates(conn)
    return TemplateReport(span, cadence, rows, template_warnings(rows))


# --- each number -----------------------------------------------------------------------------


def _by_touch(conn: sqlite3.Connection) -> list[TouchBucket]:
    found = stat_rows.replies_by_touch_number(conn)
    return [TouchBucket(n, *found.get(n, (0, 0))) for n in range(1, TOUCH_CAP + 1)]


def _give_up(conn: sqlite3.Connection) -> list[GiveUp]:
    """Prospects whose latest touch is an outbound one without a reply, made 30 or more
    days ago, with no touch still scheduled after now (a planned wait is not giving up)."""
    found = stat_rows.give_up_curve(conn)
    return [GiveUp(n, found.get(n, 0)) for n in range(1, TOUCH_CAP + 1)]


def _median_hours(
    conn: sqlite3.Connection, span: Window, cadence: str | None, timed: int, totals: bool
) -> float | None:
    """The median time from an outbound touch to the reply that came in after it, over the
    ``timed`` such touches (counted by the pass)."""
    if not timed:
        return None
    if totals:
        from followup_cli.store import stats_totals

        middle = stats_totals.median_hours_to_reply(
            conn, since=span.since, until=span.until, timed=timed
        )
    else:
        middle = stat_rows.median_hours_to_reply(
            conn, since=span.since, until=span.until, cadence=cadence, timed=timed
        )
    return round(middle, 2)


def _channels(conn: sqlite3.Connection, sent: int) -> list[ChannelRow]:
    found = stat_rows.replies_by_channel(conn)
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


def _cadences(
    conn: sqlite3.Connection, span: Window, only: str | None, totals: bool
) -> list[CadenceRow]:
    steps: dict[str, list[StepRow]] = {}
    for name, step, sent, replies in stat_rows.replies_by_cadence_step(conn):
        steps.setdefault(name, []).append(StepRow(step, sent, replies))
    names = sorted(set(steps) | ({only} if only else set()))
    finals = {name: _final_step(name) for name in names}
    if totals:
        from followup_cli.store import stats_totals

        people = stats_totals.cadence_people(conn, since=span.since, finals=finals)
    else:
        people = stat_rows.cadence_people(
            conn, since=span.since, until=span.until, cadence=only, finals=finals
        )
    active = stat_rows.active_by_cadence(conn)
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
    return [TemplateRow(*row) for row in stat_rows.replies_by_template(conn)]


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
        if stat_rows.touches_name_cadence(conn, name):
            return name
        raise
    return name
