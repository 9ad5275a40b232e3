"""The questions stats and the review ask the store: one state of the file per report, and
the temporary table of the window gone when the report is done, even when it fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followup_cli import store
from followup_cli.store import stats as stat_rows

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _temp_tables(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM temp.sqlite_master")]


def _window(conn):
    return stat_rows.counted_touches(
        conn,
        since=NOW - timedelta(days=90),
        until=NOW,
        cadence=None,
        gave_up_before=NOW - timedelta(days=30),
        touch_cap=12,
    )


def test_the_window_table_is_dropped_even_when_a_report_fails(tmp_path):
    conn = store.open_db(tmp_path / "f.db")
    with pytest.raises(RuntimeError), stat_rows.snapshot(conn), _window(conn):
        assert stat_rows.window_totals(conn) == (0, 0, 0)
        raise RuntimeError
    assert _temp_tables(conn) == []
    assert not conn.in_transaction


def test_a_snapshot_leaves_a_transaction_it_did_not_open_to_its_owner(tmp_path):
    conn = store.open_db(tmp_path / "f.db")
    conn.execute("BEGIN")
    with stat_rows.snapshot(conn):
        pass
    assert conn.in_transaction
    conn.execute("ROLLBACK")


# The window pass deals_won replaced: every touch of everyone who won in the window.
_DEALS_BY_WINDOW = """WITH history AS (
        SELECT id, prospect_id, at, outcome,
               sum(direction = 'out' AND outcome <> 'bounced') OVER w AS outbound,
               sum(direction = 'out' AND cadence = :cadence) OVER w AS steps
        FROM touches
        WHERE at <= :until AND prospect_id IN (
            SELECT prospect_id FROM touches WHERE outcome = 'won' AND at >= :since AND at <= :until)
        WINDOW w AS (PARTITION BY prospect_id ORDER BY at, id ROWS UNBOUNDED PRECEDING)),
    wins AS (
        SELECT id, prospect_id, at, outbound - coalesce(lag(outbound) OVER v, 0) AS touches,
               steps - coalesce(lag(steps) OVER v, 0) AS steps
        FROM history WHERE outcome = 'won'
        WINDOW v AS (PARTITION BY prospect_id ORDER BY at, id))
    SELECT wins.touches, coalesce(p.value, 0) FROM wins JOIN prospects p ON p.id = wins.prospect_id
    WHERE wins.at >= :since AND (:cadence IS NULL OR wins.steps > 0) ORDER BY wins.at, wins.id"""


def test_each_win_counts_the_outbound_touches_since_the_previous_win(run, isolated):
    # Two wins of one prospect (a bounce, a reply that came in and two touches at the same
    # moment between them), a win at the first touch, a win before the window: what the
    # pass over every touch of the winners counted, for several windows and a cadence.
    run.ok("add", "Ann Ames", "--cadence", "post-proposal", "--value", "10000")
    run.ok("add", "Ben Bell", "--value", "2500")
    run.ok("add", "Cat Cole", "--cadence", "post-proposal")
    for who, channel, outcome, at, *more in (
        ("ann", "email", "sent", "2026-08-01T09:00"),
        ("ann", "email", "bounced", "2026-08-02T09:00"),
        ("ann", "call", "won", "2026-08-03T09:00"),
        ("ann", "email", "sent", "2026-09-01T09:00"),
        ("ann", "email", "sent", "2026-09-01T09:00"),
        ("ann", "email", "replied", "2026-09-02T09:00", "--direction", "in"),
        ("ann", "call", "won", "2026-10-01T09:00"),
        ("ben", "call", "won", "2026-10-02T10:00"),
        ("cat", "email", "sent", "2026-07-01T09:00"),
        ("cat", "email", "won", "2026-07-02T09:00", "--direction", "in"),
        ("cat", "email", "sent", "2026-11-01T09:00"),
        ("cat", "call", "won", "2026-11-20T09:00"),
    ):
        run.ok("log", who, "-c", channel, "-o", outcome, "--at", at, *more)
    conn = store.open_db(isolated / "followup.db")
    for since in ("2026-01-01", "2026-08-03T09:00", "2026-09-15", "2026-11-21"):
        for cadence in (None, "post-proposal", "thirty-day"):
            span = {"since": datetime.fromisoformat(since).replace(tzinfo=UTC), "until": NOW}
            expected = conn.execute(
                _DEALS_BY_WINDOW, {**{k: store.to_text(v) for k, v in span.items()},
                                   "cadence": cadence},
            ).fetchall()  # fmt: skip
            found = stat_rows.deals_won(conn, **span, cadence=cadence)
            assert found == [(touches, float(value)) for touches, value in expected]
    everything = stat_rows.deals_won(
        conn, since=datetime(2026, 1, 1, tzinfo=UTC), until=NOW, cadence=None
    )
    # Cat 1 (the win came in), Ann 2 (the bounce left out, the winning call in), Ann 3 (the
    # reply that came in left out), Ben 1, Cat 2 (after her first win).
    assert [touches for touches, _ in everything] == [1, 2, 3, 1, 2]


def test_the_reviews_lists_are_read_in_the_order_of_their_indexes(run, isolated):
    # The biggest open deals, the open deals with nothing scheduled and the customers to
    # ask for a referral come from their partial indexes: no sort of every open deal.
    run.ok("add", "Ann Ames", "--stage", "proposal", "--value", "10000")
    conn = store.open_db(isolated / "followup.db")
    sent: list[str] = []
    conn.set_trace_callback(sent.append)
    from followup_cli.store import referrals

    assert [row["name"] for row in stat_rows.biggest_open_deals(conn, limit=5)] == ["Ann Ames"]
    stat_rows.unscheduled_deals(conn, limit=20)
    referrals.ask_candidates(conn, ("referral-ask-direct",), customer_before="z", asked_since="a")
    conn.set_trace_callback(None)
    listed = [sql for sql in sent if "ORDER BY" in sql]
    assert len(listed) == 3
    for sql in listed:
        plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "INDEX idx_prospects_" in plan and "idx_prospects_stage" not in plan, plan
        if "LIMIT" in sql:
            assert "TEMP B-TREE" not in plan, plan
