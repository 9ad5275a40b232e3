"""The weekly review behind `followup review`: this week against the week before, who is
slipping, open deals with nothing scheduled, and the biggest deals with their next step.

It counts touches by the same rules as the dashboard (`stats`): a reply is an inbound
touch or an answering outcome, and bounced touches are left out.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.insight.metrics import public_fields
from followup_cli.insight.referrals import ready_to_ask
from followup_cli.store import stats as stat_rows

SLIPPED_DAYS = 3  # overdue by more than this: slipped
LIST_LIMIT = 20  # prospects shown of each list
TOP_DEALS = 5


@dataclass(frozen=True)
class WeekCounts:
    since: datetime
    until: datetime
    touches: int  # outbound, bounces left out
    replies: int
    meetings: int
    won: int
    won_value: float
    lost: int
    lost_value: float

    def public(self) -> dict[str, Any]:
        return {
            **public_fields(self),
            "since": store.to_text(self.since),
            "until": store.to_text(self.until),
        }


@dataclass(frozen=True)
class Deal:
    """A prospect as the review lists them, with their next step."""

    id: int
    name: str
    company: str | None
    stage: str
    value: float | None
    next_due_at: datetime | None
    next_channel: str | None
    next_purpose: str | None
    next_why: str | None
    overdue_days: int

    def public(self) -> dict[str, Any]:
        return {**public_fields(self), "next_due_at": store.to_text(self.next_due_at)}


@dataclass
class Listing:
    """The first few prospects of a list, and how many there are in all."""

    count: int
    prospects: list[Deal]

    def public(self) -> dict[str, Any]:
        return {"count": self.count, "prospects": [deal.public() for deal in self.prospects]}


@dataclass
class Review:
    this_week: WeekCounts
    last_week: WeekCounts
    calendar_week: bool
    slipped: Listing  # overdue by more than 3 days
    no_next_step: Listing  # open deals with nothing scheduled
    top_deals: list[Deal]
    due_next_7_days: int
    referral_asks: dict[str, Any] = field(default_factory=dict)  # insight.referrals.ready_to_ask

    def public(self) -> dict[str, Any]:
        return {
            "this_week": self.this_week.public(),
            "last_week": self.last_week.public(),
            "calendar_week": self.calendar_week,
            "slipped": self.slipped.public(),
            "no_next_step": self.no_next_step.public(),
            "top_deals": [deal.public() for deal in self.top_deals],
            "due_next_7_days": self.due_next_7_days,
            "referral_asks": self.referral_asks,
        }


def review(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    week: datetime | None = None,
    from_scratch: bool = False,
) -> Review:
    """The weekly review: the last 7 days against the 7 before (or, with ``week``, the
    calendar week that contains it against the one before; weeks start on config.toml's
    ``week_start``, Monday by default), who slipped, open deals with nothing scheduled,
    and the five biggest open deals. The week's counts come from the running totals
    (``from_scratch``: from the week's touches)."""
    if week is None:
        start, end = now - timedelta(days=7), now
    else:
        from followup_cli.core.settings import settings

        local = week.astimezone(user_tz).date()
        back = (local.weekday() - settings().week_start_index) % 7
        start = datetime.combine(local - timedelta(days=back), time(0), user_tz)
        if start > now:
            from followup_cli.core.errors import InvalidDate

            raise InvalidDate("--week must not be in the future: use e.g. monday or 2026-11-16.")
        end = min(now, start + timedelta(days=7))  # same wall-clock time: DST-safe
    today = now.astimezone(user_tz).date()

    def listing(found: tuple[int, list[sqlite3.Row]]) -> Listing:
        total, rows = found
        return Listing(total, [_deal(row, today, user_tz) for row in rows])

    with stat_rows.snapshot(conn):
        return Review(
            this_week=_week(conn, start, end, from_scratch),
            last_week=_week(conn, start - timedelta(days=7), start, from_scratch),
            calendar_week=week is not None,
            slipped=listing(
                stat_rows.slipped_prospects(
                    conn, due_before=now - timedelta(days=SLIPPED_DAYS), limit=LIST_LIMIT
                )
            ),
            no_next_step=listing(stat_rows.unscheduled_deals(conn, limit=LIST_LIMIT)),
            top_deals=[
                _deal(row, today, user_tz)
                for row in stat_rows.biggest_open_deals(conn, limit=TOP_DEALS)
            ],
            due_next_7_days=stat_rows.due_between(conn, now, now + timedelta(days=7)),
            referral_asks=ready_to_ask(conn, now=now),
        )


def _week(
    conn: sqlite3.Connection, since: datetime, until: datetime, from_scratch: bool
) -> WeekCounts:
    if from_scratch:
        return WeekCounts(since, until, *stat_rows.week_counts(conn, since, until))
    from followup_cli.store import stats_totals

    return WeekCounts(since, until, *stats_totals.week_counts(conn, since, until))


def _deal(row: sqlite3.Row, today: date, user_tz: tzinfo) -> Deal:
    due = store.from_text(row["next_due_at"])
    overdue = max(0, (today - due.astimezone(user_tz).date()).days) if due else 0
    return Deal(
        row["id"],
        row["name"],
        row["company"],
        row["stage"],
        row["value"],
        due,
        row["next_channel"],
        row["next_purpose"],
        row["next_why"],
        overdue,
    )
