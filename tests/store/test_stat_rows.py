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
