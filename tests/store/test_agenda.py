"""`today`'s questions: the running counts per quarter hour stay equal to counting the
book, and ranking day by day picks exactly who ranking everyone would pick."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup_cli import store
from followup_cli.core.settings import Urgency
from followup_cli.store import agenda

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
CHANNELS = ("email", "call", "linkedin", "meeting", None)
STAGES = ("cold", "interest", "active", "proposal", "customer", "lost", "nurture", "odd")


def _person(rng: random.Random) -> dict:
    due = NOW + timedelta(minutes=rng.randint(-60 * 24 * 45, 60 * 24 * 3))
    return {
        "name": f"P{rng.random():.6f}",
        "next_due_at": store.to_text(due) if rng.random() < 0.9 else None,
        "next_channel": rng.choice(CHANNELS),
        "priority": rng.randint(1, 4),
        "stage": rng.choice(STAGES),
        "value": rng.choice((None, 0, 3000, 12000, 50000, 7.5)),
        "do_not_contact": int(rng.random() < 0.1),
    }


def _book(path, seed: int, people: int = 400):
    rng = random.Random(seed)
    conn = store.open_db(path)
    with store.transaction(conn):
        for _ in range(people):
            row = _person(rng)
            row.update(created_at="x", updated_at="x")
            conn.execute(
                f"INSERT INTO prospects ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        ids = [r[0] for r in conn.execute("SELECT id FROM prospects")]
        for prospect_id in rng.sample(ids, people // 2):  # writes of every kind
            change = _person(rng)
            column = rng.choice([*change, "all"])
            if column == "all":
                sets = ", ".join(f"{c} = ?" for c in change)
                conn.execute(
                    f"UPDATE prospects SET {sets} WHERE id = ?", [*change.values(), prospect_id]
                )
            else:
                conn.execute(
                    f"UPDATE prospects SET {column} = ? WHERE id = ?", [change[column], prospect_id]
                )
        for prospect_id in rng.sample(ids, people // 20):
            conn.execute("DELETE FROM prospects WHERE id = ?", [prospect_id])
    return conn


def test_the_running_counts_equal_counting_the_book(tmp_path):
    conn = _book(tmp_path / "a.db", seed=1)
    kept = conn.execute("SELECT slot, channel, n FROM due_slots ORDER BY 1, 2").fetchall()
    counted = [
        (agenda.slot(due), channel or "", n)
        for due, channel, n in conn.execute(
            "SELECT next_due_at, next_channel, 1 FROM prospects "
            "WHERE do_not_contact = 0 AND next_due_at IS NOT NULL"
        )
    ]
    totals: dict[tuple, int] = {}
    for slot, channel, n in counted:
        totals[(slot, channel)] = totals.get((slot, channel), 0) + n
    assert [tuple(row) for row in kept] == sorted((*key, n) for key, n in totals.items())
    # and each slot's highest priority and value are at least everyone's in it
    for slot, channel, n, hi_priority, hi_value in conn.execute("SELECT * FROM due_slots"):
        rows = conn.execute(
            "SELECT priority, coalesce(value, 0), next_due_at FROM prospects "
            "WHERE do_not_contact = 0 AND coalesce(next_channel, '') = ? "
            "AND next_due_at IS NOT NULL",
            [channel],
        ).fetchall()
        inside = [r for r in rows if agenda.slot(r[2]) == slot]
        assert len(inside) == n
        assert hi_priority >= max(r[0] for r in inside)
        assert hi_value >= max(r[1] for r in inside)


def _windows(zone):
    local = NOW.astimezone(zone).date()
    end = datetime.combine(local, time.max, tzinfo=zone)
    starts = [
        store.to_text(datetime.combine(local - timedelta(days=k), time.min, tzinfo=zone))
        for k in range(30)
    ]
    return store.to_text(end), starts


@pytest.mark.parametrize("seed", [2, 3, 4])
@pytest.mark.parametrize("zone", [UTC, ZoneInfo("America/Denver"), ZoneInfo("Asia/Kathmandu")])
@pytest.mark.parametrize(
    "weights",
    [Urgency(), Urgency(overdue=0, value=10), Urgency(overdue=0.1, priority=0, stage=0, value=0)],
    ids=["default", "value-first", "overdue-light"],
)
def test_ranking_day_by_day_picks_who_ranking_everyone_picks(tmp_path, seed, zone, weights):
    conn = _book(tmp_path / "b.db", seed=seed)
    until, starts = _windows(zone)
    starts = starts[: weights.overdue_cap]
    for limit in (1, 3, 15, 1000):
        for channel in (None, "email", "meeting"):
            fast = agenda.most_urgent_per_channel(
                conn, until=until, day_starts=starts, limit=limit, channel=channel, weights=weights
            )
            assert fast is not None
            every = agenda.most_urgent(
                conn, until=until, day_starts=starts, limit=limit, channel=channel, weights=weights
            )
            assert fast[0] == every[0]
            assert fast[1] == every[1]
            assert agenda.due_counts(
                conn, start=starts[0], today=until, week=until, channel=channel
            )[:2] == _counted(conn, starts[0], until, channel)


def _counted(conn, start, until, channel):
    where = " AND next_channel = ?" if channel else ""
    return tuple(
        conn.execute(
            "SELECT count(*) FILTER (WHERE next_due_at < ?), "
            "count(*) FILTER (WHERE next_due_at >= ? AND next_due_at <= ?) FROM prospects "
            f"WHERE do_not_contact = 0 AND next_due_at IS NOT NULL{where}",
            [start, start, until, *([channel] if channel else [])],
        ).fetchone()
    )


def test_a_day_not_on_a_quarter_hour_is_left_to_the_full_ranking(tmp_path):
    conn = _book(tmp_path / "c.db", seed=5, people=20)
    odd = store.to_text(datetime.combine(date(2026, 11, 23), time(0, 7), tzinfo=UTC))
    found = agenda.most_urgent_per_channel(
        conn, until="2026-11-23T23:59:59Z", day_starts=[odd], limit=3, weights=Urgency()
    )
    assert found is None
