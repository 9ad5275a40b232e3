"""The questions behind the seeds' own metrics in `followup stats` (``insight.seed_metrics``):
touches by hour of day, by template and by cadence, proposals that needed follow-up, and
how long replies took per cadence.

They count the same touches as the dashboard (``store.stats``): outbound, not bounced,
made in the window (and as steps of the cadence, if one), a reply credited by the
``replied_at`` each touch carries. Each is one grouped pass over the window's touches.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from followup_cli.core.vocab import ANSWERED
from followup_cli.store.db import to_text

_COUNTED = """FROM touches t
    WHERE t.at >= :since AND t.at <= :until AND t.direction = 'out' AND t.outcome <> 'bounced'
      AND (:cadence IS NULL OR t.cadence = :cadence)"""
_REPLIED = "CASE WHEN t.replied_at <= :until THEN 1 ELSE 0 END"
_OWN_OUTCOME_NOT_A_REPLY = f"t.outcome NOT IN ({', '.join(repr(o) for o in sorted(ANSWERED))})"


def _params(since: datetime, until: datetime, cadence: str | None) -> dict[str, Any]:
    return {"since": to_text(since), "until": to_text(until), "cadence": cadence}


def by_zone_and_hour(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cadence: str | None
) -> list[tuple[str | None, str, int, int]]:
    """(the prospect's timezone or None, the UTC hour 'YYYY-MM-DDTHH', sent, replies)."""
    return conn.execute(
        f"""SELECT (SELECT p.timezone FROM prospects p WHERE p.id = t.prospect_id),
                   substr(t.at, 1, 13), count(*), sum({_REPLIED})
            {_COUNTED} GROUP BY 1, 2""",
        _params(since, until, cadence),
    ).fetchall()


def by_template_and_cadence(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cadence: str | None
) -> list[tuple[str | None, str | None, int, int]]:
    """(template or None, cadence or None, sent, replies)."""
    return conn.execute(
        f"SELECT t.template, t.cadence, count(*), sum({_REPLIED}) {_COUNTED} GROUP BY 1, 2",
        _params(since, until, cadence),
    ).fetchall()


def prospects_touched(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cadence: str | None
) -> int:
    return conn.execute(
        f"SELECT count(DISTINCT t.prospect_id) {_COUNTED}", _params(since, until, cadence)
    ).fetchone()[0]


def proposal_follow_ups(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cadence: str | None
) -> tuple[int, int, int, int]:
    """Prospects with a step of a proposal cadence (its name has "proposal" in it) in the
    window: (proposals, those with two or more such touches: the proposal needed follow-up,
    those of them won since their first such touch, the touches counted)."""
    row = conn.execute(
        f"""SELECT count(*), coalesce(sum(g.touches >= 2), 0),
                   coalesce(sum(g.touches >= 2 AND EXISTS (
                       SELECT 1 FROM touches w WHERE w.prospect_id = g.prospect_id
                       AND w.outcome = 'won' AND w.at >= g.first_at AND w.at <= :until)), 0),
                   coalesce(sum(g.touches), 0)
            FROM (SELECT t.prospect_id, count(*) AS touches, min(t.at) AS first_at
                  {_COUNTED} AND t.cadence LIKE '%proposal%'
                  GROUP BY t.prospect_id) g""",
        _params(since, until, cadence),
    ).fetchone()
    return row[0], row[1], row[2], row[3]


def reply_hours_by_cadence(
    conn: sqlite3.Connection, *, since: datetime, until: datetime, cadence: str | None
) -> list[tuple[str, float]]:
    """(cadence, hours from the touch to the reply that came in after it), for the steps of
    a cadence that got such a reply."""
    return conn.execute(
        f"""SELECT t.cadence, (julianday(t.replied_at) - julianday(t.at)) * 24
            {_COUNTED} AND t.cadence IS NOT NULL AND t.replied_at <= :until
              AND {_OWN_OUTCOME_NOT_A_REPLY}""",
        _params(since, until, cadence),
    ).fetchall()
