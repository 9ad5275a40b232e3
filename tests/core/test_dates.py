"""Dates as typed on the command line."""

from __future__ import annotations

from datetime import UTC, datetime
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


@pytest.mark.parametrize("text", ["", "soonish", "2026-13-01", "3x", "mo"])
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


@given(st.integers(1, 1000), st.sampled_from(["h", "d", "w"]))
def test_durations_round_trip(amount, unit):
    text = f"{amount}{unit}"
    assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)
