"""`followup today`: who is due or overdue, batched by channel, most urgent first.

One indexed range query over the stored next due dates does the work; nothing is
computed from the touch history here.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.vocab import ACTIVE_STAGES, CHANNELS, STAGE_WEIGHT

_COLUMNS = (
    "id, name, email, company, stage, timezone, value, priority, next_due_at, next_step, "
    "next_steps_total, next_channel, next_purpose, next_template, cadence, last_touch_at, "
    "last_touch_channel, last_touch_outcome, next_why"
)


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
        }


@dataclass(frozen=True)
class Occasion:
    prospect_id: int
    name: str
    company: str | None
    kind: str  # birthday, work anniversary


@dataclass
class Agenda:
    today: date
    due: list[DueTouch]  # due by the end of today, overdue included
    upcoming: list[DueTouch]  # after today, within the --days horizon
    due_today: int
    overdue: int
    coming_week: int
    no_next_step: list[dict[str, Any]] = field(default_factory=list)
    occasions: list[Occasion] = field(default_factory=list)

    def by_channel(self, items: list[DueTouch]) -> list[tuple[str, list[DueTouch]]]:
        """Calls together, then emails, LinkedIn, video, text, mail, meetings."""
        groups = []
        for channel in CHANNELS:
            batch = [item for item in items if item.channel == channel]
            if batch:
                groups.append((channel, sorted(batch, key=lambda i: (-i.score, i.due_at))))
        return groups


def urgency(overdue_days: int, priority: int, stage: str, value: float | None) -> float:
    """Days overdue count most; then priority, how far the deal is, and its size."""
    return (
        2.0 * min(overdue_days, 30)
        + 1.5 * priority
        + STAGE_WEIGHT.get(stage, 1.0)
        + math.log10(1 + (value or 0))
    )


def build(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    user_tz: tzinfo,
    days: int = 0,
    channel: str | None = None,
) -> Agenda:
    local_today = now.astimezone(user_tz).date()
    end_of_today = datetime.combine(local_today, time.max, tzinfo=user_tz)
    horizon = end_of_today + timedelta(days=max(days, 7))
    sql = (
        f"SELECT {_COLUMNS} FROM prospects WHERE next_due_at IS NOT NULL AND next_due_at <= ? "
        "AND do_not_contact = 0"
    )
    params: list[Any] = [store.to_text(horizon)]
    if channel:
        sql += " AND next_channel = ?"
        params.append(channel)
    due, upcoming, coming_week = [], [], 0
    end_today_text = store.to_text(end_of_today)
    end_days_text = store.to_text(end_of_today + timedelta(days=days))
    end_week_text = store.to_text(end_of_today + timedelta(days=7))
    for row in conn.execute(sql, params):
        due_text = row["next_due_at"]
        if due_text <= end_today_text:
            due.append(_due_touch(row, local_today, user_tz))
        else:
            if due_text <= end_week_text:
                coming_week += 1
            if due_text <= end_days_text:
                upcoming.append(_due_touch(row, local_today, user_tz))
    overdue = sum(1 for item in due if item.overdue_days > 0)
    return Agenda(
        today=local_today,
        due=due,
        upcoming=sorted(upcoming, key=lambda item: item.due_at),
        due_today=len(due) - overdue,
        overdue=overdue,
        coming_week=coming_week,
        no_next_step=_no_next_step(conn),
        occasions=_occasions(conn, local_today),
    )


def _due_touch(row: sqlite3.Row, today: date, user_tz: tzinfo) -> DueTouch:
    due_at = store.from_text(row["next_due_at"])
    assert due_at is not None
    due_day = due_at.astimezone(user_tz).date()
    overdue_days = max(0, (today - due_day).days)
    return DueTouch(
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
        score=urgency(overdue_days, row["priority"], row["stage"], row["value"]),
    )


def _no_next_step(conn: sqlite3.Connection, limit: int = 50) -> list[dict[str, Any]]:
    """Open deals nobody is following up: Pipedrive's yellow warning."""
    marks = ", ".join("?" for _ in ACTIVE_STAGES)
    rows = conn.execute(
        f"SELECT id, name, company, stage, value, last_touch_at, next_why FROM prospects "
        f"WHERE stage IN ({marks}) AND next_due_at IS NULL AND do_not_contact = 0 "
        f"ORDER BY value DESC NULLS LAST, name LIMIT {limit}",
        list(ACTIVE_STAGES),
    )
    return [dict(row) for row in rows]


def _occasions(conn: sqlite3.Connection, today: date) -> list[Occasion]:
    month_day = today.strftime("%m-%d")
    found = []
    for column, kind in (("birthday", "birthday"), ("anniversary", "work anniversary")):
        rows = conn.execute(
            f"SELECT id, name, company FROM prospects WHERE substr({column}, -5) = ? "
            "AND do_not_contact = 0 ORDER BY name",
            [month_day],
        )
        found += [Occasion(row["id"], row["name"], row["company"], kind) for row in rows]
    return found


@dataclass
class Profile:
    """Everything `followup show` says about one prospect."""

    prospect: Any
    next_due: DueTouch | None
    why: str
    touches: list[Any]

    def public(self) -> dict[str, Any]:
        return {
            **self.prospect.public(),
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
    from followup_cli.touch import touches_of

    next_due = None
    if prospect.next_due_at and not prospect.do_not_contact:
        next_due = _due_touch(prospect.columns(), now.astimezone(user_tz).date(), user_tz)
    return Profile(prospect, next_due, prospect.next_why or "", touches_of(conn, prospect.id))
