"""`followup today`: who is due or overdue, batched by channel, most urgent first.

One indexed range query over the stored next due dates does the work; nothing is
computed from the touch history here.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from followup_cli import store
from followup_cli.core.dates import days_ahead
from followup_cli.core.settings import Urgency, settings
from followup_cli.core.vocab import CHANNELS, STAGE_WEIGHT
from followup_cli.scheduling.occasions import Occasion, coming_occasions
from followup_cli.store import agenda as agenda_rows

if TYPE_CHECKING:
    from followup_cli.scheduling.due_stream import DueStream

WEIGHTS = Urgency()


@dataclass(frozen=True)
class DueTouch:
    """One touch to make: who, when, what for, and how urgent."""

    prospect_id: int
    name: str
    email: str | None
    company: str | None
    stage: str
    timezone: str | None
    value: float | None
    priority: int
    due_at: datetime
    overdue_days: int
    due_day: date  # in the user's timezone
    channel: str
    cadence: str | None
    step: int | None
    steps_total: int | None
    purpose: str | None
    template: str | None
    last_touch_at: datetime | None
    last_touch_channel: str | None
    last_touch_outcome: str | None
    why: str | None
    score: float
    trigger: str | None = None  # the event of a trigger's one-off touch (scheduling.triggers)

    def public(self) -> dict[str, Any]:
        """The stable --json shape of a due touch."""
        last = None
        if self.last_touch_at is not None:
            last = {
                "at": store.to_text(self.last_touch_at),
                "channel": self.last_touch_channel,
                "outcome": self.last_touch_outcome,
            }
        return {
            "prospect": {
                "id": self.prospect_id,
                "name": self.name,
                "email": self.email,
                "company": self.company,
                "stage": self.stage,
                "timezone": self.timezone,
            },
            "due_at": store.to_text(self.due_at),
            "overdue_days": self.overdue_days,
            "channel": self.channel,
            "cadence": self.cadence,
            "step": self.step,
            "steps_total": self.steps_total,
            "purpose": self.purpose,
            "template": self.template,
            "last_touch": last,
            "urgency": round(self.score, 2),
        } | ({"trigger": self.trigger} if self.trigger is not None else {})


@dataclass
class Agenda:
    """What `followup today` lists: the touches due, what is coming, and what needs a look."""

    today: date
    # due by the end of today, overdue included: the most urgent if capped, else a stream
    due: list[DueTouch] | DueStream
    upcoming: list[DueTouch] | DueStream  # after today, within the --days horizon
    due_today: int
    overdue: int
    coming_week: int
    due_by_channel: dict[str, int] = field(default_factory=dict)  # before any cap
    upcoming_by_channel: dict[str, int] = field(default_factory=dict)
    no_next_step: list[dict[str, Any]] = field(default_factory=list)
    no_next_step_total: int = 0
    occasions: list[Occasion] = field(default_factory=list)  # the first ``limit`` of them
    occasions_total: int = 0
    # Prospects shown whose address bounced for good (a mail sync saw it): id → status.
    bad_addresses: dict[int, str] = field(default_factory=dict)
    # customers with a result on record who were never asked for a referral
    referral_nudges: list[dict[str, Any]] = field(default_factory=list)
    # {cadence: why its file does not load}, and who in those has no plan to show
    broken_cadences: dict[str, str] = field(default_factory=dict)
    needs_attention: list[dict[str, Any]] = field(default_factory=list)

    def by_channel(self, items: Iterable[DueTouch]) -> Iterator[tuple[str, Iterable[DueTouch]]]:
        """Triggers first, then calls together, emails, LinkedIn, video, text, mail, meetings;
        the most urgent first in each. A ``DueStream``'s groups are read as they are used."""
        if not isinstance(items, list):  # a DueStream
            yield from items.by_channel()
            return
        for channel in ("trigger", *CHANNELS):
            batch = [i for i in items if (i.channel if i.trigger is None else "trigger") == channel]
            if batch:
                yield channel, sorted(batch, key=lambda i: (-i.score, i.due_at))


def urgency(
    overdue_days: int, priority: int, stage: str, value: float | None, weights: Urgency = WEIGHTS
) -> float:
    """Days overdue count most; then priority, how far the deal is, and its size. The
    coefficients come from ``[urgency]`` in config.toml."""
    return (
        weights.overdue * min(overdue_days, weights.overdue_cap)
        + weights.priority * priority
        + weights.stage * STAGE_WEIGHT.get(stage, 1.0)
        + weights.value * math.log10(1 + (value or 0))
    )


def build(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    days: int = 0,
    channel: str | None = None,
    limit: int | None = None,
) -> Agenda:
    """Who is due. With ``limit``, only the ``limit`` most urgent per channel are built in
    full; counts always cover everyone. Every query runs on the partial index of
    contactable prospects by due date."""
    local_today = now.astimezone(user_tz).date()
    start_of_today = datetime.combine(local_today, time.min, tzinfo=user_tz)
    end_of_today = datetime.combine(local_today, time.max, tzinfo=user_tz)
    today = store.to_text(end_of_today)
    overdue, due_today, coming_week = agenda_rows.due_counts(
        conn,
        start=store.to_text(start_of_today),
        today=today,
        week=store.to_text(end_of_today + timedelta(days=7)),
        channel=channel,
    )
    bad: dict[int, str] = {}
    triggered = _triggered(conn, channel, None, today, local_today, user_tz)
    due, due_counts = _due(conn, channel, None, today, local_today, user_tz, limit, triggered, bad)
    overdue += sum(item.overdue_days > 0 for item in triggered)
    due_today += sum(item.overdue_days == 0 for item in triggered)
    upcoming: list[DueTouch] | DueStream = []
    upcoming_counts: dict[str, int] = {}
    if days:
        horizon = store.to_text(days_ahead(end_of_today, days))
        later = _triggered(conn, channel, today, horizon, local_today, user_tz)
        upcoming, upcoming_counts = _due(
            conn, channel, today, horizon, local_today, user_tz, limit, later, bad
        )
        if isinstance(upcoming, list):
            upcoming.sort(key=lambda item: item.due_at)
    no_next_step, no_next_total = _no_next_step(conn)
    occasions, occasions_total = coming_occasions(conn, local_today, limit)
    broken, waiting = _needs_attention(conn)
    if waiting:  # listed once, with the reason, under "needs attention"
        ids = {row["id"] for row in waiting}
        no_next_total -= sum(row["id"] in ids for row in no_next_step)
        no_next_step = [row for row in no_next_step if row["id"] not in ids]
    shown = [*due, *upcoming] if isinstance(due, list) and isinstance(upcoming, list) else []
    bad.update(_bad_addresses(conn, shown))  # (a stream adds its own as it is read)
    return Agenda(
        today=local_today,
        due=due,
        upcoming=upcoming,
        due_today=due_today,
        overdue=overdue,
        coming_week=coming_week,
        due_by_channel=due_counts,
        upcoming_by_channel=upcoming_counts,
        no_next_step=no_next_step,
        no_next_step_total=no_next_total,
        occasions=occasions,
        occasions_total=occasions_total,
        bad_addresses=bad,
        referral_nudges=_referral_nudges(conn),
        broken_cadences=broken,
        needs_attention=waiting,
    )


def _needs_attention(conn: sqlite3.Connection) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Cadences whose file does not load, and the people in them left with no plan (a
    touch logged since it broke): nobody is hidden by a broken file."""
    from followup_cli.core.library import BROKEN_KEY

    broken = store.get_meta(conn, BROKEN_KEY) or {}  # kept by enrollment.broken_cadences
    if not broken:
        return {}, []
    from followup_cli.store import enrollments

    return broken, enrollments.without_plan_in(conn, sorted(broken))


def _bad_addresses(conn: sqlite3.Connection, items: list[DueTouch]) -> dict[int, str]:
    """Which of the shown prospects' addresses bounced for good (one small lookup)."""
    from followup_cli.core.emails import normalise

    by_address: dict[str, list[int]] = {}
    for item in items:
        address = normalise(item.email)
        if address:
            by_address.setdefault(address, []).append(item.prospect_id)
    bad = agenda_rows.bad_addresses(conn, list(by_address))
    return {pid: status for address, status in bad.items() for pid in by_address[address]}


# Templates that ask for a referral: a customer who got one of these was asked.
REFERRAL_TEMPLATES = ("referral-ask-direct", "referral-ask-specific", "referral-ask-educational")


def _referral_nudges(conn: sqlite3.Connection, limit: int = 3) -> list[dict[str, Any]]:
    """Customers with results and no referral ask yet (the seeds: ask after results)."""
    import json

    from followup_cli.store import referrals

    rows = referrals.never_asked(conn, REFERRAL_TEMPLATES, limit=limit)
    return [
        {"id": row["id"], "name": row["name"], "result": json.loads(row["fields"])["result"]}
        for row in rows
    ]


def _due(
    conn: sqlite3.Connection,
    channel: str | None,
    after: str | None,
    until: str,
    today: date,
    user_tz: tzinfo,
    limit: int | None,
    triggered: list[DueTouch],
    bad: dict[int, str],
) -> tuple[list[DueTouch] | DueStream, dict[str, int]]:
    """The touches due in the window, the triggers' first: the ``limit`` most urgent of
    each channel, or (no limit) all of them as a stream; and how many there are per channel."""
    extra = {"trigger": len(triggered)} if triggered else {}
    if limit is not None:
        found, counts = _most_urgent(conn, channel, after, until, today, user_tz, limit)
        return triggered + found, counts | extra
    from followup_cli.scheduling import due_stream

    weights = settings().urgency
    stream, counts = due_stream.stream(
        conn,
        until=until,
        after=after,
        channel=channel,
        day_starts=_day_starts(today, user_tz, weights.overdue_cap),
        weights=weights,
        build=lambda row: _due_touch(row, today, user_tz, weights),
        bounced=lambda items: _bad_addresses(conn, items),
        head=triggered,
        bad_addresses=bad,
    )
    return stream, counts | extra


def _most_urgent(
    conn: sqlite3.Connection,
    channel: str | None,
    after: str | None,
    until: str,
    today: date,
    user_tz: tzinfo,
    limit: int | None,
) -> tuple[list[DueTouch], dict[str, int]]:
    """Rank the touches in the window in SQL, then build only the chosen ones."""
    weights = settings().urgency
    starts = _day_starts(today, user_tz, weights.overdue_cap)
    found = None
    if limit is not None and after is None:  # today's: only the days that make the cut
        found = agenda_rows.most_urgent_per_channel(
            conn, until=until, day_starts=starts, limit=limit, channel=channel, weights=weights
        )
    chosen, counts = found or agenda_rows.most_urgent(
        conn,
        until=until,
        after=after,
        channel=channel,
        limit=limit,
        day_starts=starts,
        weights=weights,
    )
    rows = agenda_rows.due_touches(conn, chosen)
    return [_due_touch(row, today, user_tz, weights) for row in rows], counts


def iter_due(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    days: int = 0,
    channel: str | None = None,
) -> Iterator[DueTouch]:
    """Every touch due by the end of today, most urgent first, then (with ``days``) the
    ones due in the next ``days`` days in time order: read from SQLite in that order and
    built as they are printed, so memory stays flat and the cost follows the rows."""
    local_today = now.astimezone(user_tz).date()
    end_of_today = datetime.combine(local_today, time.max, tzinfo=user_tz)
    today = store.to_text(end_of_today)
    weights = settings().urgency
    starts = _day_starts(local_today, user_tz, weights.overdue_cap)
    yield from _triggered(conn, channel, None, today, local_today, user_tz)
    horizon = None
    if days:
        horizon = store.to_text(end_of_today + timedelta(days=days))
        yield from _triggered(conn, channel, today, horizon, local_today, user_tz)
    rows = agenda_rows.due_in_order(
        conn, until=today, day_starts=starts, channel=channel, weights=weights
    )
    for row in rows:  # in SQL's order, each written as it comes
        yield _due_touch(row, local_today, user_tz, weights)
    if horizon is not None:
        later = agenda_rows.due_in_time_order(conn, after=today, until=horizon, channel=channel)
        for row in later:
            yield _due_touch(row, local_today, user_tz, weights)


def _triggered(
    conn: sqlite3.Connection,
    channel: str | None,
    after: str | None,
    until: str,
    today: date,
    user_tz: tzinfo,
) -> list[DueTouch]:
    """The one-off touches of open triggers in the window (`followup trigger`, a "not now")."""
    from followup_cli.scheduling import triggers

    found = []
    for row in triggers.due_rows(conn, until=until, after=after):
        if channel is not None and row["channel"] != channel:
            continue
        fields = dict(row) | {"id": row["prospect_id"], "next_due_at": row["due_at"]}
        fields |= {"next_channel": row["channel"], "cadence": None, "next_step": None}
        fields |= {"next_steps_total": None, "next_purpose": triggers.purpose_of(row)}
        fields |= {"next_template": row["template"], "next_why": None}
        item = _due_touch(fields, today, user_tz)
        found.append(replace(item, trigger=row["event"]))
    return found


def _day_starts(today: date, user_tz: tzinfo, cap: int) -> list[str]:
    """The starts of today and the ``cap - 1`` local days before it, newest first: a touch
    due before k of them is k days overdue (urgency counts up to ``cap``)."""
    return [
        store.to_text(datetime.combine(today - timedelta(days=k), time.min, tzinfo=user_tz))
        for k in range(cap)
    ]


def _due_touch(row: Any, today: date, user_tz: tzinfo, weights: Urgency | None = None) -> DueTouch:
    due_at = store.from_text(row["next_due_at"])
    assert due_at is not None
    due_day = due_at.astimezone(user_tz).date()
    overdue_days = max(0, (today - due_day).days)
    # Every field set at once: a frozen dataclass's __init__ sets them one
    # object.__setattr__ at a time, which was half the cost of a row of `today --json`.
    # (tests/scheduling/test_agenda_stream.py holds it equal to DueTouch(**fields).)
    item = object.__new__(DueTouch)
    item.__dict__.update(
        prospect_id=row["id"],
        name=row["name"],
        email=row["email"],
        company=row["company"],
        stage=row["stage"],
        timezone=row["timezone"],
        value=row["value"],
        priority=row["priority"],
        due_at=due_at,
        overdue_days=overdue_days,
        due_day=due_day,
        channel=row["next_channel"],
        cadence=row["cadence"],
        step=row["next_step"],
        steps_total=row["next_steps_total"],
        purpose=row["next_purpose"],
        template=row["next_template"],
        last_touch_at=store.from_text(row["last_touch_at"]),
        last_touch_channel=row["last_touch_channel"],
        last_touch_outcome=row["last_touch_outcome"],
        why=row["next_why"],
        score=urgency(
            overdue_days, row["priority"], row["stage"], row["value"], weights or settings().urgency
        ),
        trigger=None,
    )
    return item


def _no_next_step(conn: sqlite3.Connection, limit: int = 50) -> tuple[list[dict[str, Any]], int]:
    """Open deals nobody is following up (Pipedrive's yellow warning), biggest first."""
    return agenda_rows.open_deals_without_next_step(conn, limit)


@dataclass
class Profile:
    """Everything `followup show` says about one prospect."""

    prospect: Any
    next_due: DueTouch | None
    why: str
    touches: list[Any]
    referrals: int = 0  # prospects whose referred-by names this one

    def public(self) -> dict[str, Any]:
        return {
            **self.prospect.public(),
            "referrals": self.referrals,
            "cadence_progress": {
                "cadence": self.prospect.cadence,
                "status": self.prospect.cadence_status,
                "steps_done": self.prospect.steps_done,
            },
            "next_due": self.next_due.public() if self.next_due else None,
            "why": self.why,
            "touches": [touch.public() for touch in self.touches],
        }


def profile(conn: sqlite3.Connection, prospect: Any, *, now: datetime, user_tz: tzinfo) -> Profile:
    from followup_cli.pipeline.touch import touches_of

    next_due = None
    if prospect.next_due_at and not prospect.do_not_contact:
        next_due = _due_touch(prospect.columns(), now.astimezone(user_tz).date(), user_tz)
    from followup_cli.store import referrals

    count = referrals.count_for(conn, prospect.name, prospect.email)
    history = touches_of(conn, prospect.id)
    return Profile(prospect, next_due, prospect.next_why or "", history, referrals=count)


def queue(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    days: int = 0,
    channel: str | None = None,
    limit: int | None = None,
) -> list[DueTouch]:
    """`followup work`'s queue: the touches ``build`` lists, in its order (due by the end
    of today batched by channel, most urgent first; then, with ``days``, the upcoming ones
    in time order), without the rest of the agenda (counts, nudges, occasions)."""
    local_today = now.astimezone(user_tz).date()
    end_of_today = datetime.combine(local_today, time.max, tzinfo=user_tz)
    today = store.to_text(end_of_today)
    due, _ = _most_urgent(conn, channel, None, today, local_today, user_tz, limit)
    result = Agenda(local_today, due, [], 0, 0, 0)
    found = [item for _, batch in result.by_channel(due) for item in batch]
    if days:
        horizon = store.to_text(days_ahead(end_of_today, days))
        later, _ = _most_urgent(conn, channel, today, horizon, local_today, user_tz, limit)
        found += sorted(later, key=lambda item: item.due_at)
    return found
