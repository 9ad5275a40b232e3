"""Property: whatever was logged, `undo` puts the prospect back exactly as it was."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_cli import store
from followup_cli.core.vocab import CHANNELS, OUTCOMES
from followup_cli.pipeline import prospect as prospects
from followup_cli.pipeline.touch import log_touch
from followup_cli.pipeline.undo import undo_latest
from followup_cli.scheduling import enrollment
from followup_cli.store import journal

DENVER = ZoneInfo("America/Denver")
START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

# (which prospect, channel, outcome, direction, hours on the clock, hours backdated)
touch_plans = st.lists(
    st.tuples(
        st.sampled_from([0, 1]),
        st.sampled_from(CHANNELS),
        st.sampled_from(OUTCOMES),
        st.sampled_from(["out", "in", None]),  # None: what log picks (in for a reply)
        st.integers(1, 200),
        st.sampled_from([0, 0, 30, 200]),  # most touches now, some logged after the fact
    ),
    min_size=1,
    max_size=7,
)


def snapshot(conn):
    """Every prospect row and every touch (with the numbers stats keeps on it)."""
    return (
        [dict(r) for r in conn.execute("SELECT * FROM prospects ORDER BY id")],
        [dict(r) for r in conn.execute("SELECT * FROM touches ORDER BY id")],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["post-proposal", "steli-persistence", "thirty-day", "lost-deal"]), touch_plans
)
def test_undo_restores_exactly(cadence_name, plans):
    """Outbound and inbound touches, some backdated before earlier ones (which renumbers
    those), to two prospects in turn: each undo gives back the database as it was, both
    prospects and every touch."""
    with tempfile.TemporaryDirectory() as folder:
        conn = store.open_db(Path(folder) / "p.db")
        people = []
        with store.transaction(conn):
            for name, cadence in (("Pat Prop", cadence_name), ("Quinn Other", "post-demo")):
                p = prospects.insert(
                    conn, name, {"timezone": "America/Denver"}, tags=[], fields={}, now=START
                )
                people.append(enrollment.enroll(conn, p, cadence, start=START, user_tz=DENVER))
        clock = START
        snapshots = []
        for who, channel, outcome, direction, hours, backdated in plans:
            clock += timedelta(hours=hours)
            at = max(START, clock - timedelta(hours=backdated))
            current = prospects.get(conn, people[who].id)
            if current.do_not_contact and direction != "in" and outcome != "opted_out":
                continue  # refused (tested in test_touch): nothing to undo
            until = at + timedelta(days=30) if outcome in ("not_now", "out_of_office") else None
            before = snapshot(conn)
            with journal.record(conn, "log"):
                log_touch(
                    conn,
                    current,
                    channel=channel,
                    outcome=outcome,
                    direction=direction,
                    at=at,
                    now=clock + timedelta(minutes=1),
                    user_tz=DENVER,
                    until=until,
                )
            snapshots.append(before)
        for before in reversed(snapshots):
            undo_latest(conn, now=clock)
            assert snapshot(conn) == before
        assert conn.execute("SELECT count(*) FROM touches").fetchone()[0] == 0
        conn.close()
