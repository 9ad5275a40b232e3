"""Dates as people type them on the command line, and durations as cadences write them.

Accepted wherever a date is asked (case does not matter):

- ISO dates and date-times: ``2026-12-05``, ``2026-12-05T14:30``, ``2026-12-05T14:30Z``
- ``now``, ``today``, ``tomorrow``, ``yesterday``, ``next week`` (Monday), ``next month`` (the 1st)
- weekdays: ``friday``, ``fri``, ``next friday``, ``this friday``, ``last friday``
- offsets: ``3d``, ``2w``, ``1mo``, ``4h``, ``in 3 days``, ``2 days ago``
- calendar days: ``Dec 5``, ``5 Dec``, ``December 5, 2026``, ``5 Dec 2026``
- any of these with a time: ``tomorrow 10am``, ``monday 14:00``, ``Dec 5 at 3:30pm``;
  or a time alone, today: ``noon``, ``eod`` (17:00), ``midnight``, ``4pm``

Whether a bare offset, weekday or calendar day points forward or back depends on the option:
``--until friday`` is the coming Friday, ``--at friday`` the last one; ``in 3 days`` and
``2 days ago`` say it themselves. Every date must fall between 1970 and 2199 (``in_range``):
the one check that keeps an offset such as ``99999y`` from overflowing anywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from followup_cli.core.errors import InvalidDate

Direction = Literal["future", "past"]

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_UNITS = r"(mo|months?|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|y|yrs?|years?)"
# Patterns, not compiled ones: ``re`` compiles each on its first use, so a command that
# reads no date (most of `today`, `show`) does not pay for compiling them.
_OFFSET = rf"^([+-]?)(\d+)\s*{_UNITS}$"
_SPOKEN_OFFSET = rf"^(?:in\s+(\d+)\s*{_UNITS}|(\d+)\s*{_UNITS}\s+ago)$"
_CLOCK = r"^(.*?)\s*(?:\bat\s+)?\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$"
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_END_OF_DAY = time(17, 0)
_DURATION = r"^(\d+(?:\.\d+)?)\s*(h|d|w)$"

MAX_DURATION_DAYS = 3650  # ten years: the longest gap, pause or wait a cadence may hold
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC)
RANGE = "between 1970 and 2199"

HOW_TO = (
    "use an ISO date (2026-12-01), a date-time (2026-12-01T14:30), today, tomorrow, "
    "a weekday (friday, next friday), an offset (3d, in 2 weeks, 2 days ago), a day "
    "(Dec 5, 5 Dec 2026), optionally with a time (tomorrow 10am, monday 14:00, noon, eod)"
)


def in_range(moment: datetime, said: str) -> datetime:
    """The one range check for every date: ``said`` is what to call it in the message."""
    if not EARLIEST <= moment <= LATEST:
        raise InvalidDate(f"{said} is out of range: use a date {RANGE}.")
    return moment


def shifted(moment: datetime, delta: timedelta, said: str) -> datetime:
    """``moment + delta``, refused with a clear message when it leaves the range."""
    try:
        return in_range(moment + delta, said)
    except OverflowError:
        raise InvalidDate(f"{said} is out of range: use a date {RANGE}.") from None


def days_ahead(now: datetime, days: int, option: str = "--days") -> datetime:
    """The end of a look-ahead window of ``days`` days (``today --days``, ``calendar``)."""
    if days > 36500:  # 100 years: more would leave the range whatever the clock says
        raise InvalidDate(f"{option} {days} is too far ahead: use at most 36500 days.")
    return shifted(now, timedelta(days=days), f"{option} {days}")


def ahead(moment: datetime, now: datetime, option: str, said: str) -> datetime:
    """A date that must be later than now (``--until``): the past is refused."""
    if moment <= now:
        raise InvalidDate(
            f"{option} {said!r} is in the past: give a later date (tomorrow, monday, 2w)."
        )
    return moment


def parse_when(
    text: str,
    *,
    now: datetime,
    tz: tzinfo,
    direction: Direction = "future",
    default_time: time = time(9, 0),
) -> datetime:
    """Turn what the user typed into an aware UTC datetime.

    A day without a time means ``default_time`` on that day in ``tz``.
    """
    raw = " ".join(text.strip().lower().replace(",", " ").split())
    if not raw:
        raise InvalidDate(
            "An empty date: give one, e.g. tomorrow, friday, in 3 days or 2026-12-01."
        )
    try:
        moment = _parse(raw, text, now=now, tz=tz, direction=direction, default_time=default_time)
    except (OverflowError, ValueError):  # arithmetic past year 1 or 9999
        moment = None
        out_of_range = True
    else:
        out_of_range = False
    if out_of_range:
        raise InvalidDate(f"The date {text.strip()!r} is out of range: use a date {RANGE}.")
    if moment is None:
        raise InvalidDate(f"Cannot read the date {text.strip()!r}: {HOW_TO}.")
    return in_range(moment, f"The date {text.strip()!r}")


def _parse(
    raw: str,
    text: str,
    *,
    now: datetime,
    tz: tzinfo,
    direction: Direction,
    default_time: time,
) -> datetime | None:
    local_now = now.astimezone(tz)
    sign = 1 if direction == "future" else -1
    if raw == "now":
        return now.astimezone(UTC)
    if re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        return _iso(text.strip(), tz, default_time)
    day_part, clock = _split_clock(raw)
    if day_part is None:
        return None

    def at_day(day: date) -> datetime:
        return datetime.combine(day, clock or default_time, tzinfo=tz).astimezone(UTC)

    today = local_now.date()
    if day_part == "" and clock is not None:
        return at_day(today)
    if day_part == "today":
        if clock is None and direction == "past":
            return now.astimezone(UTC)
        return at_day(today)
    if day_part == "tomorrow":
        return at_day(today + timedelta(days=1))
    if day_part == "yesterday":
        return at_day(today - timedelta(days=1))
    if day_part == "next week":
        return at_day(today + timedelta(days=7 - today.weekday()))
    if day_part == "next month":
        return at_day(date(today.year + today.month // 12, today.month % 12 + 1, 1))
    weekday = _weekday_phrase(day_part, today, direction)
    if weekday is not None:
        return at_day(weekday)
    offset = _offset(day_part, sign)
    if offset is not None:
        count, unit = offset
        moved = _shift(local_now, count, unit)
        # `3d` is three days from this moment; `in 3 days 10am` is that day at 10:00
        return moved.astimezone(UTC) if clock is None else at_day(moved.date())
    calendar_day = _calendar_day(day_part, today, direction)
    if calendar_day is not None:
        return at_day(calendar_day)
    return None


def _iso(text: str, tz: tzinfo, default_time: time) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # a bare date
        return datetime.combine(moment.date(), default_time, tzinfo=tz).astimezone(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _split_clock(raw: str) -> tuple[str | None, time | None]:
    """``tomorrow 10am`` -> (``tomorrow``, 10:00); ``noon`` -> ("", 12:00); no time -> (raw, None).
    (None, None) when the time itself is impossible (25:00, 13pm)."""
    words = raw.split(" ")
    last = words[-1]
    if last in _NAMED_TIMES or last == "eod":
        rest = " ".join(words[:-1]).removesuffix(" at").strip()
        return rest, _NAMED_TIMES.get(last, _END_OF_DAY)
    if raw.endswith("end of day"):
        return raw.removesuffix("end of day").strip(), _END_OF_DAY
    match = re.match(_CLOCK, raw)
    if not match or not (match.group(3) or match.group(4)):
        return raw, None  # "Dec 5" ends in a number, but a time has a colon or am/pm
    hour, minute, half = int(match.group(2)), int(match.group(3) or 0), match.group(4)
    if half:
        if not 1 <= hour <= 12:
            return None, None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None, None
    return match.group(1).removesuffix(" at").strip(), time(hour, minute)


def _weekday_phrase(phrase: str, today: date, direction: Direction) -> date | None:
    words = phrase.split(" ")
    which = words[0] if len(words) == 2 and words[0] in ("next", "this", "last") else None
    name = words[-1] if which else phrase
    if " " in name:
        return None
    weekday = _weekday(name)
    if weekday is None:
        return None
    ahead = (weekday - today.weekday()) % 7 or 7
    behind = (today.weekday() - weekday) % 7 or 7
    if which == "last" or (which is None and direction == "past"):
        return today - timedelta(days=behind)
    return today + timedelta(days=ahead)


def _weekday(raw: str) -> int | None:
    if len(raw) < 3:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(raw):
            return index
    return None


def _month(raw: str) -> int | None:
    if len(raw) < 3:
        return None
    raw = raw.rstrip(".")
    for index, name in enumerate(MONTHS, 1):
        if name.startswith(raw) or (raw == "sept" and index == 9):
            return index
    return None


def _calendar_day(phrase: str, today: date, direction: Direction) -> date | None:
    """``dec 5``, ``5 dec``, ``december 5 2026``, ``5 dec 2026`` (no year: the next such day,
    or the last one for a past date)."""
    words = phrase.split(" ")
    if len(words) not in (2, 3):
        return None
    first, second = words[0], words[1]
    if _month(first) and second.rstrip("stndrh").isdigit():
        month, day = _month(first), int(second.rstrip("stndrh"))
    elif _month(second) and first.rstrip("stndrh").isdigit():
        month, day = _month(second), int(first.rstrip("stndrh"))
    else:
        return None
    assert month is not None
    if not _valid(2000, month, day):  # 2000 is a leap year: Feb 29 is a day
        return None
    if len(words) == 3:
        if not re.fullmatch(r"\d{4}", words[2]) or not _valid(int(words[2]), month, day):
            return None
        return date(int(words[2]), month, day)
    step = 1 if direction == "future" else -1
    year = today.year
    while True:  # the next (or last) year that has this day: Feb 29 waits for a leap year
        if _valid(year, month, day):
            found = date(year, month, day)
            if (found >= today) if step == 1 else (found <= today):
                return found
        year += step


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _offset(phrase: str, sign: int) -> tuple[int, str] | None:
    spoken = re.match(_SPOKEN_OFFSET, phrase)
    if spoken:
        if spoken.group(1):
            return int(spoken.group(1)), spoken.group(2)
        return -int(spoken.group(3)), spoken.group(4)
    match = re.match(_OFFSET, phrase.replace(" ", ""))
    if match:
        explicit, amount, unit = match.groups()
        return int(amount) * (-1 if explicit == "-" else 1) * (1 if explicit else sign), unit
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
        if not 0 <= text <= MAX_DURATION_DAYS:  # also refuses nan
            raise ValueError(f"{text!r} is not a duration from 0 to {MAX_DURATION_DAYS} days")
        return timedelta(days=text)
    match = re.match(_DURATION, str(text).strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration: write it as 36h, 3d or 2w")
    amount, unit = float(match.group(1)), match.group(2)
    if amount * {"h": 1 / 24, "d": 1, "w": 7}[unit] > MAX_DURATION_DAYS:
        raise ValueError(f"{text!r} is too long: a duration is at most {MAX_DURATION_DAYS}d")
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
