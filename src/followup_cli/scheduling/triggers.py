"""Triggers: something that just happened to a prospect is the best reason to write
(seed 000's "Noticed you just hired a new VP Sales...", seed 001's "Watch for trigger
events"). `followup trigger` records the event and schedules one touch of its own within
a business day; the cadence carries on around it (the touch counts for its minimum gap,
and does not take one of its steps).

A "not now" gets one too: the not-right-now note, due an hour after it, while the
long-term nurture waits for the agreed date (seed 001: "After They Say 'Not Right
Now' - Immediate").
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.core.errors import InvalidValue
from followup_cli.store import triggers as trigger_rows

# kind -> (template, what the touch is for)
KINDS = {
    "insight": ("trigger-insight", "Personal insight on their news"),
    "milestone": ("company-milestone", "Congratulate them on a company milestone"),
    "not_now": (
        "not-right-now",
        "Answer their not right now: what changed, the date on both calendars",
    ),
}
# A touch logged with one of these does the one-off, never a cadence step.
ONE_OFF_TEMPLATES = tuple(template for template, _ in KINDS.values())
NOT_NOW_AFTER = timedelta(hours=1)
MAX_EVENT = 200


@dataclass(frozen=True)
class Recorded:
    """An event recorded by `followup trigger`, with the touch it calls for."""

    id: int
    prospect: Any
    kind: str
    event: str
    url: str | None
    due_at: datetime
    channel: str
    template: str

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "prospect": {"id": self.prospect.id, "name": self.prospect.name},
            "kind": self.kind,
            "event": self.event,
            "url": self.url,
            "due_at": store.to_text(self.due_at),
            "channel": self.channel,
            "template": self.template,
        }


def record(
    conn: sqlite3.Connection,
    prospect: Any,
    event: str,
    *,
    now: datetime,
    user_tz: tzinfo,
    url: str | None = None,
    kind: str = "insight",
) -> Recorded:
    """Record ``event`` for ``prospect`` and schedule its touch (in the caller's transaction)."""
    from followup_cli.core.text import single_line

    event = single_line(event, "the event").strip()
    if not event:
        raise InvalidValue('Say what happened, e.g. followup trigger dana "hired a new VP Sales".')
    if len(event) > MAX_EVENT:
        raise InvalidValue(f"The event is {len(event)} characters: keep it under {MAX_EVENT}.")
    if url is not None and not url.startswith(("http://", "https://")):
        raise InvalidValue(f"--url {url!r} is not a web address: use https://...")
    if prospect.do_not_contact:
        raise InvalidValue(
            f"{prospect.name} asked not to be contacted: no touch is scheduled. If that "
            f"changed: followup edit {prospect.id} --contact-ok"
        )
    if kind not in KINDS or kind == "not_now":
        raise InvalidValue("--kind must be insight or milestone.")
    due = within_a_business_day(prospect, now, user_tz)
    return _add(conn, prospect, kind, event, url, now, due)


def after_not_now(conn: sqlite3.Connection, prospect: Any, *, at: datetime) -> Recorded:
    """The not-right-now note, due an hour after the "not now" was logged."""
    return _add(conn, prospect, "not_now", "not right now", None, at, at + NOT_NOW_AFTER)


def _add(conn, prospect, kind, event, url, now, due) -> Recorded:  # noqa: ANN001
    template, _ = KINDS[kind]
    row = dict(
        prospect_id=prospect.id, kind=kind, event=event, url=url,
        recorded_at=store.to_text(now), due_at=store.to_text(due), channel="email",
        template=template,
    )  # fmt: skip
    found = trigger_rows.add(conn, **row)
    return Recorded(found, prospect, kind, event, url, due, "email", template)


def within_a_business_day(prospect: Any, now: datetime, user_tz: tzinfo) -> datetime:
    """Now, when it is a business day in their send window; else the start of their next
    business day (weekends and their public holidays skipped)."""
    from followup_cli.core.settings import settings
    from followup_cli.pipeline.prospect import country_of
    from followup_cli.scheduling.enrollment import prospect_zone
    from followup_cli.scheduling.schedule import holidays_of

    start, end = settings().send_window or (time(9, 0), time(17, 0))
    zone = prospect_zone(prospect, user_tz)
    country = country_of(prospect)

    def business(day: date) -> bool:
        return day.weekday() < 5 and not (country and day in holidays_of(country, day.year))

    local = now.astimezone(zone)
    if business(local.date()) and local.time() < end:
        opening = datetime.combine(local.date(), start, tzinfo=zone)
        return max(now, opening.astimezone(now.tzinfo))
    day = local.date() + timedelta(days=1)
    while not business(day):
        day += timedelta(days=1)
    return datetime.combine(day, start, tzinfo=zone)


def open_event(conn: sqlite3.Connection, prospect_id: int, template: str) -> dict[str, str]:
    """``event`` (and ``event_url``) for a draft of ``template``: from the newest trigger
    that uses it, so the draft names what happened."""
    if template not in ONE_OFF_TEMPLATES:
        return {}
    row = trigger_rows.latest(conn, prospect_id, template)
    if row is None or row["kind"] == "not_now":
        return {}
    found = {"event": row["event"]}
    if row["url"]:
        found["event_url"] = row["url"]
    return found


def not_now_line(note: Recorded) -> str:
    """What `log` says after a "not now": the note that answers it is due within the hour."""
    return (
        f"Answer it within the hour: followup draft {note.prospect.id} (template "
        f"{note.template}: what changed, and the date on both calendars)."
    )


def due_rows(conn: sqlite3.Connection, *, until: str, after: str | None = None) -> list[Any]:
    return trigger_rows.due(conn, until=until, after=after)


def purpose_of(row: Any) -> str:
    what = KINDS[row["kind"]][1]
    return what if row["kind"] == "not_now" else f"{what}: {row['event']}"
