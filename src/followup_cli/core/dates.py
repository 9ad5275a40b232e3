"""Dates as people type them on the command line, and durations as cadences write them.

Accepted: ISO dates and date-times, ``now``, ``today``, ``tomorrow``, ``yesterday``,
weekday names (``monday``, ``fri``), and offsets such as ``3d``, ``2w``, ``1mo``, ``4h``.
Whether an offset or a weekday points forward or back depends on the option:
``--until friday`` is the coming Friday, ``--at friday`` the last one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from followup_cli.core.errors import InvalidDate

Direction = Literal["future", "past"]

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_OFFSET = re.compile(
    r"^([+-]?)(\d+)\s*(mo|months?|min|minutes?|h|hours?|d|days?|w|weeks?|y|years?)$"
)
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(h|d|w)$")

HOW_TO = (
    "use an ISO date (2026-12-01), a date-time (2026-12-01T14:30), today, tomorrow, "
    "a weekday (friday) or an offset (3d, 2w, 1mo)"
)


def parse_when(
    text: str,
    *,
    now: datetime,
    tz: tzinfo,
    direction: Direction = "future",
    default_time: time = time(9, 0),
) -> datetime:
    """Turn what the user typed into an aware UTC datetime.

    A bare date means ``default_time`` on that day in ``tz``.
    """
    raw = text.strip().lower()
    local_now = now.astimezone(tz)
    sign = 1 if direction == "future" else -1

    def at_day(day: date) -> datetime:
        return datetime.combine(day, default_time, tzinfo=tz).astimezone(UTC)

    if raw == "now":
        return now.astimezone(UTC)
    if raw == "today":
        return now.astimezone(UTC) if direction == "past" else at_day(local_now.date())
    if raw == "tomorrow":
        return at_day(local_now.date() + timedelta(days=1))
    if raw == "yesterday":
        return at_day(local_now.date() - timedelta(days=1))
    weekday = _weekday(raw)
    if weekday is not None:
        if direction == "future":
            return at_day(
                local_now.date() + timedelta(days=(weekday - local_now.weekday()) % 7 or 7)
            )
        return at_day(local_now.date() - timedelta(days=(local_now.weekday() - weekday) % 7 or 7))
    match = _OFFSET.match(raw)
    if match:
        explicit, amount, unit = match.groups()
        count = int(amount) * (-1 if explicit == "-" else 1) * (1 if explicit else sign)
        return _shift(local_now, count, unit).astimezone(UTC)
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise InvalidDate(f"Cannot read the date {text!r}: {HOW_TO}.") from None
    if len(text.strip()) == 10:  # a bare date
        return at_day(moment.date())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _weekday(raw: str) -> int | None:
    if len(raw) < 3:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(raw):
            return index
    return None


def _shift(moment: datetime, count: int, unit: str) -> datetime:
    if unit.startswith("mo"):
        return _add_months(moment, count)
    if unit.startswith("y"):
        return _add_months(moment, 12 * count)
    if unit.startswith("mi"):
        return moment + timedelta(minutes=count)
    if unit.startswith("h"):
        return moment + timedelta(hours=count)
    if unit.startswith("w"):
        return moment + timedelta(weeks=count)
    return moment + timedelta(days=count)


def _add_months(moment: datetime, months: int) -> datetime:
    import calendar

    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def parse_date(text: str) -> str:
    """A calendar day such as a birthday, as ISO text: ``1985-04-12``, or ``--04-12``
    when the year is not known (typed as ``04-12``)."""
    raw = text.strip()
    try:
        if re.fullmatch(r"(--)?\d{2}-\d{2}", raw):
            day = raw.removeprefix("--")
            date.fromisoformat(f"2000-{day}")  # 2000 is a leap year: 02-29 is valid
            return f"--{day}"
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise InvalidDate(f"Cannot read the date {text!r}: use YYYY-MM-DD, or MM-DD.") from None


def parse_duration(text: str | int | float) -> timedelta:
    """A cadence duration: ``36h``, ``3d``, ``2w`` (a bare number means days)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return timedelta(days=text)
    match = _DURATION.match(str(text).strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration: write it as 36h, 3d or 2w")
    amount, unit = float(match.group(1)), match.group(2)
    return {
        "h": timedelta(hours=amount),
        "d": timedelta(days=amount),
        "w": timedelta(weeks=amount),
    }[unit]


def format_duration(delta: timedelta) -> str:
    """The inverse of ``parse_duration`` for display: ``3d``, ``36h``, ``2w``."""
    hours = delta.total_seconds() / 3600
    if hours % (24 * 7) == 0 and hours >= 24 * 7:
        return f"{int(hours // (24 * 7))}w"
    if hours % 24 == 0:
        return f"{int(hours // 24)}d"
    return f"{hours:g}h"


def ago(delta: timedelta) -> str:
    """How long ago, as a person says it: ``today``, ``yesterday``, ``3d ago``, ``2w ago``."""
    days = delta.days
    if delta < timedelta(0):
        return "in the future"
    if days == 0:
        hours = int(delta.total_seconds() // 3600)
        return "just now" if hours == 0 else f"{hours}h ago"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days}d ago"
    if days < 60:
        return f"{days // 7}w ago"
    if days < 730:
        return f"{days // 30}mo ago"
    return f"{days // 365}y ago"


def in_words(delta: timedelta) -> str:
    """A span in plain words for messages: ``three days``, ``two weeks``, ``four months``."""
    days = abs(delta.days)
    words = [
        "no",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ]

    def say(count: int, unit: str) -> str:
        number = words[count] if count < len(words) else str(count)
        return f"{number} {unit}{'' if count == 1 else 's'}"

    if days < 1:
        return "a few hours"
    if days < 14:
        return say(days, "day")
    if days < 60:
        return say(round(days / 7), "week")
    if days < 365:
        return say(round(days / 30), "month")
    return say(round(days / 365), "year")
