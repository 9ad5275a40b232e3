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

touch_plans = st.lists(
    st.tuples(st.sampled_from(CHANNELS), st.sampled_from(OUTCOMES), st.integers(1, 200)),
    min_size=1,
    max_size=6,
)


def row(conn, prospect_id):
    return dict(conn.execute("SELECT * FROM prospects WHERE id = ?", [prospect_id]).fetchone())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["post-proposal", "steli-persistence", "thirty-day", "lost-deal"]), touch_plans
)
def test_undo_restores_exactly(cadence_name, plans):
    with tempfile.TemporaryDirectory() as folder:
        conn = store.open_db(Path(folder) / "p.db")
        with store.transaction(conn):
            p = prospects.insert(
                conn, "Pat Prop", {"timezone": "America/Denver"}, tags=[], fields={}, now=START
            )
            p = enrollment.enroll(conn, p, cadence_name, start=START, user_tz=DENVER)
        at = START
        snapshots = []
        for channel, outcome, hours in plans:
            at += timedelta(hours=hours)
            before = row(conn, p.id)
            current = prospects.get(conn, p.id)
            if current.do_not_contact:
                break  # a touch to someone who opted out is refused
            until = at + timedelta(days=30) if outcome in ("not_now", "out_of_office") else None
            with journal.record(conn, "log"):
                log_touch(
                    conn,
                    current,
                    channel=channel,
                    outcome=outcome,
                    at=at,
                    now=at + timedelta(minutes=1),
                    user_tz=DENVER,
                    until=until,
                )
            snapshots.append(before)
        for before in reversed(snapshots):
            undo_latest(conn, now=at)
            assert row(conn, p.id) == before
        assert conn.execute("SELECT count(*) FROM touches").fetchone()[0] == 0
        conn.close()
