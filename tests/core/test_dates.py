"""Dates as typed on the command line."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup_cli.core.dates import format_duration, parse_date, parse_duration, parse_when
from followup_cli.core.errors import InvalidDate

DENVER = ZoneInfo("America/Denver")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=DENVER)  # Monday


def when(text, direction="future"):
    return parse_when(text, now=NOW, tz=DENVER, direction=direction).astimezone(DENVER)


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("2026-12-01", "future", datetime(2026, 12, 1, 9, 0, tzinfo=DENVER)),
        ("2026-12-01T14:30", "future", datetime(2026, 12, 1, 14, 30, tzinfo=DENVER)),
        ("2026-12-01T14:30:00Z", "future", datetime(2026, 12, 1, 7, 30, tzinfo=DENVER)),
        ("today", "future", datetime(2026, 11, 23, 9, 0, tzinfo=DENVER)),
        ("today", "past", NOW),
        ("now", "future", NOW),
        ("tomorrow", "future", datetime(2026, 11, 24, 9, 0, tzinfo=DENVER)),
        ("yesterday", "past", datetime(2026, 11, 22, 9, 0, tzinfo=DENVER)),
        ("friday", "future", datetime(2026, 11, 27, 9, 0, tzinfo=DENVER)),
        ("fri", "past", datetime(2026, 11, 20, 9, 0, tzinfo=DENVER)),
        ("monday", "future", datetime(2026, 11, 30, 9, 0, tzinfo=DENVER)),
        ("monday", "past", datetime(2026, 11, 16, 9, 0, tzinfo=DENVER)),
        ("3d", "future", datetime(2026, 11, 26, 8, 0, tzinfo=DENVER)),
        ("3d", "past", datetime(2026, 11, 20, 8, 0, tzinfo=DENVER)),
        ("2w", "future", datetime(2026, 12, 7, 8, 0, tzinfo=DENVER)),
        ("1mo", "future", datetime(2026, 12, 23, 8, 0, tzinfo=DENVER)),
        ("-2d", "future", datetime(2026, 11, 21, 8, 0, tzinfo=DENVER)),
        ("4h", "future", datetime(2026, 11, 23, 12, 0, tzinfo=DENVER)),
    ],
)
def test_parse_when(text, direction, expected):
    assert when(text, direction) == expected


@pytest.mark.parametrize("text", ["soonish", "2026-13-01", "3x", "mo"])
def test_unreadable_dates_say_how_to_write_them(text):
    with pytest.raises(InvalidDate, match="use an ISO date"):
        when(text)


def test_month_offsets_clamp_to_the_end_of_the_month():
    end_of_jan = datetime(2027, 1, 31, 10, 0, tzinfo=UTC)
    assert parse_when("1mo", now=end_of_jan, tz=UTC).day == 28


def test_birthdays_with_and_without_a_year():
    assert parse_date("1985-04-12") == "1985-04-12"
    assert parse_date("02-29") == "--02-29"
    with pytest.raises(InvalidDate):
        parse_date("02-30")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    )
)
def test_iso_date_times_round_trip(moment):
    moment = moment.replace(microsecond=0)
    text = moment.isoformat()
    assert parse_when(text, now=NOW, tz=DENVER) == moment


@given(st.integers(1, 520), st.sampled_from(["h", "d", "w"]))
def test_durations_round_trip(amount, unit):
    text = f"{amount}{unit}"
    assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)


@pytest.mark.parametrize("text", ["3651d", "522w", "87625h", 3651, float("nan"), -1])
def test_durations_longer_than_ten_years_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


# --- spoken dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("next friday", "future", datetime(2026, 11, 27, 9, 0, tzinfo=DENVER)),
        ("next friday", "past", datetime(2026, 11, 27, 9, 0, tzinfo=DENVER)),
        ("last friday", "future", datetime(2026, 11, 20, 9, 0, tzinfo=DENVER)),
        ("in 3 days", "past", datetime(2026, 11, 26, 8, 0, tzinfo=DENVER)),
        ("2 days ago", "future", datetime(2026, 11, 21, 8, 0, tzinfo=DENVER)),
        ("tomorrow 10am", "future", datetime(2026, 11, 24, 10, 0, tzinfo=DENVER)),
        ("tomorrow at 9:30am", "future", datetime(2026, 11, 24, 9, 30, tzinfo=DENVER)),
        ("monday 14:00", "future", datetime(2026, 11, 30, 14, 0, tzinfo=DENVER)),
        ("monday 14:00", "past", datetime(2026, 11, 16, 14, 0, tzinfo=DENVER)),
        ("Dec 5", "future", datetime(2026, 12, 5, 9, 0, tzinfo=DENVER)),
        ("Dec 5", "past", datetime(2025, 12, 5, 9, 0, tzinfo=DENVER)),
        ("5 Dec 2026", "past", datetime(2026, 12, 5, 9, 0, tzinfo=DENVER)),
        ("December 5, 2026 3:30pm", "future", datetime(2026, 12, 5, 15, 30, tzinfo=DENVER)),
        ("feb 29", "future", datetime(2028, 2, 29, 9, 0, tzinfo=DENVER)),
        ("noon", "future", datetime(2026, 11, 23, 12, 0, tzinfo=DENVER)),
        ("eod", "past", datetime(2026, 11, 23, 17, 0, tzinfo=DENVER)),
        ("midnight", "future", datetime(2026, 11, 23, 0, 0, tzinfo=DENVER)),
        ("4pm", "future", datetime(2026, 11, 23, 16, 0, tzinfo=DENVER)),
        ("next week", "future", datetime(2026, 11, 30, 9, 0, tzinfo=DENVER)),
        ("next month", "future", datetime(2026, 12, 1, 9, 0, tzinfo=DENVER)),
        ("  In 2 Weeks ", "future", datetime(2026, 12, 7, 8, 0, tzinfo=DENVER)),
    ],
)
def test_spoken_dates(text, direction, expected):
    assert when(text, direction) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "An empty date"),
        ("13pm", "Cannot read the date '13pm'"),
        ("25:00", "Cannot read the date '25:00'"),
        ("dec 32", "Cannot read the date 'dec 32'"),
        ("31 apr 2026", "Cannot read the date '31 apr 2026'"),
        ("blue moon 10am", "Cannot read the date 'blue moon 10am'"),
        ("99999y", "The date '99999y' is out of range: use a date between 1970 and 2199."),
        ("9999999999d", "The date '9999999999d' is out of range"),
        ("-9999999999999999999999h", "is out of range"),
        ("0001-01-01", "The date '0001-01-01' is out of range"),
        ("9999-12-31T23:59:59Z", "is out of range"),
        ("1969-12-31", "is out of range"),
    ],
)
def test_unreadable_and_out_of_range_dates_are_refused(text, message):
    with pytest.raises(InvalidDate) as caught:
        when(text)
    assert message in str(caught.value)


MONTH_NAMES = ["Jan", "February", "mar", "Apr", "May", "June", "Jul", "aug", "Sept", "Oct"]
MONTH_NAMES += ["Nov", "December"]
DAYS = st.dates(min_value=datetime(1971, 1, 1).date(), max_value=datetime(2198, 12, 31).date())
CLOCKS = st.tuples(st.integers(0, 23), st.integers(0, 59))


def _clock(hour, minute, style):
    if style == 0:
        return f"{hour}:{minute:02d}"
    half = "am" if hour < 12 else "pm"
    return f"{hour % 12 or 12}:{minute:02d}{half}"


@given(day=DAYS, clock=CLOCKS, form=st.integers(0, 5), style=st.integers(0, 1))
def test_every_absolute_form_round_trips(day, clock, form, style):
    hour, minute = clock
    month = MONTH_NAMES[day.month - 1]
    text = [
        f"{day.isoformat()}T{hour:02d}:{minute:02d}",
        f"{day.day} {month} {day.year} {_clock(hour, minute, style)}",
        f"{month} {day.day} {day.year} {_clock(hour, minute, style)}",
        f"{month} {day.day}, {day.year} at {_clock(hour, minute, style)}",
        f"{day.day} {month.upper()} {day.year} {_clock(hour, minute, style)}",
        f"{day.isoformat()} {hour:02d}:{minute:02d}",
    ][form]
    expected = datetime(day.year, day.month, day.day, hour, minute, tzinfo=DENVER)
    for direction in ("future", "past"):
        got = parse_when(text, now=NOW, tz=DENVER, direction=direction)
        # a time skipped by the spring-forward gap comes out an hour on; any other round-trips
        assert got == expected.astimezone(UTC) or expected.fold or _in_gap(expected)


def _in_gap(moment):
    return moment.astimezone(UTC).astimezone(DENVER).replace(tzinfo=None) != moment.replace(
        tzinfo=None
    )


@given(days=st.integers(0, 20000), clock=CLOCKS)
def test_relative_forms_round_trip(days, clock):
    hour, minute = clock
    local = NOW.astimezone(DENVER)
    ahead = (local + timedelta(days=days)).date()
    behind = (local - timedelta(days=days)).date()
    assert when(f"in {days} days").date() == ahead
    assert when(f"{days} days ago").date() == behind
    assert when(f"{days}d", "past").date() == behind
    at = when(f"in {days} days {_clock(hour, minute, 0)}")
    assert (at.date(), at.hour, at.minute) == (ahead, hour, minute) or _in_gap(
        datetime.combine(ahead, time(hour, minute), tzinfo=DENVER)
    )


@given(days=st.integers(1, 7))
def test_weekday_names_find_the_coming_and_the_last_one(days):
    local = NOW.astimezone(DENVER).date()
    target = local + timedelta(days=days)
    name = target.strftime("%A")
    assert when(f"next {name}").date() == target
    assert when(name.lower()[:3]).date() == target
    back = (local.weekday() - target.weekday()) % 7 or 7
    assert when(f"last {name}").date() == local - timedelta(days=back)


@given(days=st.integers(0, 364))
def test_a_calendar_day_without_a_year_is_the_next_one(days):
    target = NOW.astimezone(DENVER).date() + timedelta(days=days)
    assert when(f"{target:%b} {target.day}").date() == target
    assert when(f"{target.day} {target:%B}").date() == target
