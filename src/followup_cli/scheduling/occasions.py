"""Birthdays and work anniversaries coming up (`followup today`'s cards to write): seed
001's special occasions, each with the template of its card."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from followup_cli.store import agenda as agenda_rows


@dataclass(frozen=True)
class Occasion:
    """A birthday or work anniversary coming up, and the card that fits it."""

    prospect_id: int
    name: str
    company: str | None
    kind: str  # birthday, work anniversary
    day: date | None = None  # when, in the user's timezone (None: today)
    days_away: int = 0
    template: str = "birthday-card"  # seed 001's special occasions: a card, a note


OCCASION_DAYS = 7  # birthdays and work anniversaries from today to a week ahead
OCCASION_TEMPLATES = {"birthday": "birthday-card", "work anniversary": "work-anniversary"}


def coming_occasions(
    conn: sqlite3.Connection, today: date, limit: int | None = None
) -> tuple[list[Occasion], int]:
    """Birthdays and work anniversaries in the next ``OCCASION_DAYS`` days, soonest first:
    time to write a card; the first ``limit`` of them (all with None), and how many there
    are. A 29 February falls on the 28th in a year without one."""
    found: list[Occasion] = []
    total = 0
    for ahead in range(OCCASION_DAYS + 1):
        day = today + timedelta(days=ahead)
        month_days = [day.strftime("%m-%d")]
        if month_days[0] == "02-28" and (day + timedelta(days=1)).month == 3:  # no 29th
            month_days.append("02-29")
        for month_day in month_days:
            for column, kind in (("birthday", "birthday"), ("anniversary", "work anniversary")):
                total += agenda_rows.count_on(conn, column, month_day)
                room = None if limit is None else limit - len(found)
                if room is not None and room <= 0:
                    continue
                found += [
                    Occasion(
                        row["id"], row["name"], row["company"], kind, day, ahead,
                        OCCASION_TEMPLATES[kind],
                    )
                    for row in agenda_rows.occasions_on(conn, column, month_day, room)
                ]  # fmt: skip
    return found, total
