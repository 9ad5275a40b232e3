"""Due touches as an iCalendar (RFC 5545) file, for the calendar people already look at.

One event per due touch (the same touches as ``followup today --days N``, overdue ones
included, at their due time). Each event's UID is stable: it names this database, the
prospect, the cadence enrollment and the step, so importing a newer file moves an event
that was rescheduled instead of adding a second one; a higher SEQUENCE marks it as newer.
No attendees are ever written: a calendar must not send invitations on its own.
"""

from __future__ import annotations

import itertools
import secrets
import sqlite3
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import IO, Any

from followup_cli import store
from followup_cli.store import exports

NAMESPACE_KEY = "calendar_uid"
VERBS = {
    "call": "Call",
    "email": "Email",
    "linkedin": "LinkedIn message to",
    "video": "Video for",
    "text": "Text",
    "mail": "Mail",
    "meeting": "Meet",
}
LENGTH = {"meeting": timedelta(minutes=30), "video": timedelta(minutes=20)}
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def namespace(conn: sqlite3.Connection) -> str:
    """A random id for this database, so two databases never share an event UID."""
    known = store.get_meta(conn, NAMESPACE_KEY)
    if known:
        return str(known)
    with store.transaction(conn):
        known = store.get_meta(conn, NAMESPACE_KEY) or secrets.token_hex(6)
        store.set_meta(conn, NAMESPACE_KEY, known)
    return str(known)


def write(
    conn: sqlite3.Connection, out: IO[str], *, now: datetime, user_tz: tzinfo, days: int
) -> int:
    """The calendar of every touch due by the end of today plus ``days`` days, written to
    ``out`` an event at a time (memory stays flat however many are due); returns how many.

    The events come soonest first (same time: by name), each serialised by icalendar on
    its own, between the calendar's own header and footer: the same bytes as one
    ``Calendar`` holding them all."""
    from icalendar import Calendar, Event

    from followup_cli.core.dates import days_ahead
    from followup_cli.core.settings import settings
    from followup_cli.scheduling.agenda import _day_starts, _due_touch
    from followup_cli.store.agenda import due_touches

    space = namespace(conn)  # before the read: its first use writes it
    local_today = now.astimezone(user_tz).date()
    end_of_today = datetime.combine(local_today, time.max, tzinfo=user_tz)
    horizon = days_ahead(end_of_today, days) if days else end_of_today
    weights = settings().urgency
    starts = _day_starts(local_today, user_tz, weights.overdue_cap)
    batches = exports.calendar_batches(
        conn, until=store.to_text(horizon), day_starts=starts, weights=weights
    )
    first = next(batches, [])  # whatever can fail does, before a byte is written
    calendar = Calendar()
    calendar.add("prodid", "-//followup//followup-cli//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "followup")
    head = calendar.to_ical().decode("utf-8")
    footer = "END:VCALENDAR\r\n"
    assert head.endswith(footer)
    sequence = int((now - EPOCH).total_seconds() // 60)  # later exports supersede earlier ones
    out.write(head[: -len(footer)])
    count = 0
    for ids in itertools.chain([first], batches):
        extra = exports.calendar_details(conn, ids)
        for row in due_touches(conn, ids):
            item = _due_touch(row, local_today, user_tz)
            more = extra.get(item.prospect_id, {})
            event = Event()
            event.add("uid", _uid(space, item, more.get("cadence_anchor")))
            event.add("dtstamp", now.astimezone(UTC))
            event.add("sequence", sequence)
            event.add("dtstart", item.due_at.astimezone(UTC))
            event.add("duration", LENGTH.get(item.channel, timedelta(minutes=15)))
            event.add("summary", _summary(item))
            event.add("description", _description(item, more, now, user_tz))
            event.add("categories", ["followup", item.channel])
            event.add("x-followup-prospect", str(item.prospect_id))
            out.write(event.to_ical().decode("utf-8"))
            count += 1
    out.write(footer)
    return count


def _uid(space: str, item: Any, anchor: str | None) -> str:
    started = (anchor or "").replace("-", "").replace(":", "") or "none"
    return (
        f"{item.prospect_id}-{item.cadence or 'manual'}-{started}-{item.step or 0}@{space}.followup"
    )


def _summary(item: Any) -> str:
    who = item.name + (f" ({item.company})" if item.company else "")
    purpose = f": {item.purpose}" if item.purpose else ""
    return f"{VERBS.get(item.channel, item.channel.capitalize())} {who}{purpose}"


def _description(item: Any, more: dict[str, Any], now: datetime, user_tz: tzinfo) -> str:
    lines = []
    if item.purpose:
        lines.append(f"Purpose: {item.purpose}")
    if item.template:
        lines.append(f"Template: {item.template} (followup draft {item.prospect_id})")
    if item.cadence:
        of = f"/{item.steps_total}" if item.steps_total else ""
        lines.append(f"Step {item.step}{of} of {item.cadence}")
    if item.overdue_days:
        lines.append(f"Overdue by {item.overdue_days} day{'s' if item.overdue_days != 1 else ''}")
    if item.last_touch_at:
        local = item.last_touch_at.astimezone(user_tz)
        outcome = (item.last_touch_outcome or "").replace("_", " ")
        lines.append(f"Last touch: {item.last_touch_channel}, {outcome}, {local:%Y-%m-%d}")
    else:
        lines.append("Last touch: never")
    for label, key in (("Email", "email"), ("Phone", "phone"), ("Title", "title")):
        if more.get(key):
            lines.append(f"{label}: {more[key]}")
    if item.why:
        lines.append(f"Why now: {item.why}")
    lines.append(f"After the touch: followup log {item.prospect_id} -c {item.channel} -o ...")
    return "\n".join(lines)
