"""The seeds' own measures, next to the dashboard's (`followup stats`, --json, --html).

- **proposal_conversion** (seed 002: "What percentage of proposals that required follow-up
  eventually closed?"): prospects who had a step of a proposal cadence (one with
  "proposal" in its name) in the window; those who got two or more such touches needed
  follow-up; of those, how many were won since the first.
- **by_hour**, **by_weekday**, **by_part_of_day** (seed 000: "Send times (morning vs.
  afternoon)", "Day of week"): outbound touches and their replies by the hour and weekday
  of the touch in the prospect's timezone (yours when they have none). Morning is before
  12:00, afternoon 12:00-17:59, the rest is evening.
- **by_length** (seed 000: "Email length"): by the sentences of the template the touch
  used, drafted for the sample prospect: 1-2, 3-5, 6+; touches without a template (or with
  one that is gone) are "unknown".
- **wins_by_touch** (seed 001: "2% of sales happen on first contact, 10% on second, 12% on
  third, 80% on contacts 4-12"): the deals won in the window by the outbound touch they
  came at, against that table.
- **close_rate**: deals won in the window over the prospects touched in it.
- **response_vs_gaps** (seed 000: "Time to Response ... Informs cadence"): per cadence,
  the median hours to a reply against the gaps between its touches.

Every one carries ``sends``, the outbound touches it rests on, and ``too_few`` when that
is under ``MIN_SENDS`` (the same bar as the A/B report).
"""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from followup_cli.insight.metrics import MIN_AB_SENDS, Window, reply_rate
from followup_cli.store import seed_stats as rows

MIN_SENDS = MIN_AB_SENDS
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LENGTHS = ("1-2", "3-5", "6+", "unknown")
# seed 001: the share of sales made at each contact
SEED_WINS_BY_TOUCH = (("1", 0.02), ("2", 0.10), ("3", 0.12), ("4-12", 0.80), ("13+", None))


def _counts(sent: int, replies: int) -> dict[str, Any]:
    return {
        "sent": sent,
        "replies": replies,
        "rate": reply_rate(replies, sent),
        "too_few": sent < MIN_SENDS,
    }


@dataclass
class SeedMetrics:
    proposal_conversion: dict[str, Any]
    by_hour: list[dict[str, Any]]
    by_part_of_day: list[dict[str, Any]]
    by_weekday: list[dict[str, Any]]
    by_length: list[dict[str, Any]]
    wins_by_touch: dict[str, Any]
    close_rate: dict[str, Any]
    response_vs_gaps: list[dict[str, Any]]

    def public(self) -> dict[str, Any]:
        return dict(self.__dict__)


def measure(
    conn: sqlite3.Connection,
    span: Window,
    cadence: str | None,
    *,
    deal_touches: list[int],
    sent: int,
    user_tz: tzinfo,
    totals: bool = False,
) -> SeedMetrics:
    """The seeds' measures for the window; ``deal_touches`` and ``sent`` are the
    dashboard's (the outbound touches before each win, all outbound touches). ``totals``:
    from the running totals (``store.stats_totals``), inside the dashboard's pass."""
    if totals:
        local, by_template, proposals, prospects, reply_hours = _from_totals(conn, span, user_tz)
        hours, weekdays = local
    else:
        where = {"since": span.since, "until": span.until, "cadence": cadence}
        zones = rows.by_zone_and_hour(conn, **where)
        by_template = rows.by_template_and_cadence(conn, **where)
        proposals = rows.proposal_follow_ups(conn, **where)
        prospects = rows.prospects_touched(conn, **where)
        reply_hours = rows.reply_hours_by_cadence(conn, **where)
        hours, weekdays = _by_local_time(zones, user_tz)
    return SeedMetrics(
        proposal_conversion=_proposals(*proposals),
        by_hour=[{"hour": hour, **_counts(*hours[hour])} for hour in range(24)],
        by_part_of_day=_parts(hours),
        by_weekday=[
            {"weekday": name, **_counts(*weekdays[day])} for day, name in enumerate(WEEKDAYS)
        ],
        by_length=_by_length(by_template),
        wins_by_touch=_wins(deal_touches),
        close_rate=_close(deal_touches, prospects, sent),
        response_vs_gaps=_versus_gaps(reply_hours, by_template),
    )


def _from_totals(conn: sqlite3.Connection, span: Window, user_tz: tzinfo) -> tuple[Any, ...]:
    from followup_cli.store import stats_totals as totals

    by_template = totals.by_template_and_cadence(conn)
    proposals, followed, won = totals.proposals(conn, since=span.since)
    touches = sum(
        sent for _template, name, sent, _replies in by_template if name and _proposal(name)
    )
    return (
        _local_from_totals(conn, span.since, user_tz),
        by_template,
        (proposals, followed, won, touches),
        totals.prospects_touched(conn, since=span.since),
        totals.reply_hours_by_cadence(conn, since=span.since, until=span.until),
    )


def _proposal(name: str) -> bool:
    """A proposal cadence: "proposal" in its name, in any case (SQL's LIKE '%proposal%')."""
    return "proposal" in name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _proposals(proposals: int, followed: int, won: int, touches: int) -> dict[str, Any]:
    return {
        "proposals": proposals,
        "needed_follow_up": followed,
        "won": won,
        "rate": reply_rate(won, followed),
        "sends": touches,
        "too_few": touches < MIN_SENDS,
    }


def _place(name: str | None, user_tz: tzinfo, places: dict[str | None, tzinfo]) -> tzinfo:
    """A prospect's timezone by name (yours when they have none, or one this machine does
    not know), looked up once."""
    from followup_cli.core.config import zone
    from followup_cli.core.errors import FollowupError

    if name not in places:
        try:
            places[name] = zone(name) if name else user_tz
        except FollowupError:
            places[name] = user_tz
    return places[name]


def _by_local_time(
    found: list[tuple[str | None, str, int, int]], user_tz: tzinfo
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    hours = {hour: [0, 0] for hour in range(24)}
    weekdays = {day: [0, 0] for day in range(7)}
    zones: dict[str | None, tzinfo] = {}
    # A zone's offset is worked out once a UTC day (all history is thousands of hours a
    # zone); a day the offset changes in (a DST switch) is converted hour by hour.
    days: dict[tuple[str | None, str], tuple[int, int] | None] = {}
    for name, stamp, sent, replies in found:
        key = (name, stamp[:10])
        day = days.get(key, False)
        if day is False:
            day = days[key] = _day_offset(stamp[:10], _place(name, user_tz, zones))
        if day is None:
            moment = datetime.fromisoformat(stamp + ":00:00").replace(tzinfo=UTC)
            local = moment.astimezone(zones[name])
            hour, weekday = local.hour, local.weekday()
        else:
            offset, utc_weekday = day
            minutes = int(stamp[11:13]) * 60 + offset
            hour, weekday = minutes % 1440 // 60, (utc_weekday + minutes // 1440) % 7
        for bucket in (hours[hour], weekdays[weekday]):
            bucket[0] += sent
            bucket[1] += replies
    return hours, weekdays


def _local_from_totals(
    conn: sqlite3.Connection, since: datetime, user_tz: tzinfo
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """``_by_local_time`` of the send times from the running totals: the minutes before
    the first whole hour from the touches; the hours from then on grouped in SQL by the
    minute of the local week, each zone's offset given as the hours it changes at (about
    two a year), so no row of a zone and hour comes to Python (all history at 300k
    prospects: 1.05 s to about 0.25 s of CPU)."""
    from followup_cli.store import stats_totals as totals

    hours, weekdays = _by_local_time(totals.hours_before(conn, since=since), user_tz)
    found = totals.hour_zones(conn, since=since)
    if found is None:
        return hours, weekdays
    first, last, names = found
    places: dict[str | None, tzinfo] = {}
    offsets = {name: _offsets(first, last, _place(name, user_tz, places)) for name in names}
    for minute, sent, replies in totals.by_week_minute(conn, since=since, offsets=offsets):
        if minute is None:  # not in the zones read (cannot happen inside one snapshot)
            raise RuntimeError("a send-time total of a timezone not read")
        for bucket in (hours[minute % 1440 // 60], weekdays[minute // 1440]):
            bucket[0] += sent
            bucket[1] += replies
    return hours, weekdays


def _minutes(moment: datetime, place: tzinfo) -> int:
    offset = moment.astimezone(place).utcoffset()
    return int(offset.total_seconds()) // 60 if offset is not None else 0


def _offsets(first: str, last: str, place: tzinfo) -> tuple[list[tuple[str, int]], int]:
    """A zone's offsets (minutes, rounded down) over the UTC days ``first`` to ``last``
    at each hour's start, as ``stats_totals.by_week_minute`` takes them: the hours it
    changes at, each with the offset before it, and the last. A day is looked at hour by
    hour only when the next day starts at another offset (no zone changes twice in a day)."""
    changes: list[tuple[str, int]] = []
    day = datetime.fromisoformat(first).replace(tzinfo=UTC)
    end = datetime.fromisoformat(last).replace(tzinfo=UTC)
    current = _minutes(day, place)
    while day <= end:
        following = day + timedelta(days=1)
        if _minutes(following, place) != current:
            for hour in range(1, 25):
                moment = day + timedelta(hours=hour)
                offset = _minutes(moment, place)
                if offset != current:
                    changes.append((moment.strftime("%Y-%m-%dT%H"), current))
                    current = offset
        day = following
    return changes, current


def _day_offset(day: str, place: tzinfo) -> tuple[int, int] | None:
    """(the zone's offset from UTC in minutes, the UTC weekday) for a UTC day whose every
    hour has that offset; None when it changes during the day."""
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    first = start.astimezone(place).utcoffset()
    last = (start + timedelta(hours=23)).astimezone(place).utcoffset()
    if first is None or first != last:
        return None
    return int(first.total_seconds()) // 60, start.weekday()


def _parts(hours: dict[int, list[int]]) -> list[dict[str, Any]]:
    parts = {"morning": range(0, 12), "afternoon": range(12, 18), "evening": range(18, 24)}
    return [
        {
            "part": part,
            **_counts(sum(hours[h][0] for h in span), sum(hours[h][1] for h in span)),
        }
        for part, span in parts.items()
    ]


def length_bucket(sentences: int | None) -> str:
    if sentences is None:
        return "unknown"
    return "1-2" if sentences <= 2 else "3-5" if sentences <= 5 else "6+"


def _by_length(found: list[tuple[str | None, str | None, int, int]]) -> list[dict[str, Any]]:
    from followup_cli.drafting.template_length import sentences_of

    totals = {length: [0, 0] for length in LENGTHS}
    for template, _cadence, sent, replies in found:
        bucket = totals[length_bucket(sentences_of(template) if template else None)]
        bucket[0] += sent
        bucket[1] += replies
    return [{"length": length, **_counts(*totals[length])} for length in LENGTHS]


def touch_bucket(touches: int) -> str:
    return str(touches) if touches <= 3 else "4-12" if touches <= 12 else "13+"


def _wins(deal_touches: list[int]) -> dict[str, Any]:
    deals = len(deal_touches)
    sends = sum(deal_touches)
    buckets = []
    for label, seed in SEED_WINS_BY_TOUCH:
        count = sum(1 for n in deal_touches if touch_bucket(max(n, 1)) == label)
        buckets.append(
            {
                "touches": label,
                "deals": count,
                "share": round(count / deals, 4) if deals else None,
                "seed_share": seed,
            }
        )
    return {"deals": deals, "sends": sends, "too_few": sends < MIN_SENDS, "buckets": buckets}


def _close(deal_touches: list[int], prospects: int, sent: int) -> dict[str, Any]:
    won = len(deal_touches)
    return {
        "prospects": prospects,
        "won": won,
        "rate": reply_rate(won, prospects),
        "sends": sent,
        "too_few": sent < MIN_SENDS,
    }


def cadence_gaps(name: str) -> list[timedelta]:
    """The gaps between one touch of a cadence and the next (its repeat's first gap too)."""
    from followup_cli.core.errors import FollowupError
    from followup_cli.scheduling import cadence as cadences

    try:
        found = cadences.load_cadence(name)
    except FollowupError:
        return []
    gaps = []
    previous = None
    for step in found.steps:
        if step.wait is not None:
            gaps.append(step.wait)
        elif previous is not None and previous.offset is not None and step.offset is not None:
            gaps.append(step.offset - previous.offset)
        previous = step
    if found.repeat is not None:
        gaps.append(found.repeat.gap(0))
    return [gap for gap in gaps if gap > timedelta(0)]


def _versus_gaps(
    hours: list[tuple[str, float]], sends: list[tuple[str | None, str | None, int, int]]
) -> list[dict[str, Any]]:
    by_cadence: dict[str, list[float]] = {}
    for name, spent in hours:
        by_cadence.setdefault(name, []).append(spent)
    sent: dict[str, int] = {}
    for _template, name, count, _replies in sends:
        if name:
            sent[name] = sent.get(name, 0) + count
    result = []
    for name in sorted(by_cadence):
        median = round(statistics.median(by_cadence[name]), 2)
        gaps = [gap.total_seconds() / 3600 for gap in cadence_gaps(name)]
        shortest = round(min(gaps), 2) if gaps else None
        result.append(
            {
                "cadence": name,
                "median_hours_to_response": median,
                "replies_timed": len(by_cadence[name]),
                "shortest_gap_hours": shortest,
                "longest_gap_hours": round(max(gaps), 2) if gaps else None,
                "gaps_shorter_than_response": shortest is not None and shortest < median,
                "sends": sent.get(name, 0),
                "too_few": sent.get(name, 0) < MIN_SENDS,
            }
        )
    return result
