"""The database file: created on first use, private, migrated from one place."""

from __future__ import annotations

import sqlite3
import stat

from followup_cli import store


def test_first_use_creates_a_private_wal_database(run, tmp_path):
    path = tmp_path / "sub" / "dir" / "fresh.db"
    run.ok("today", "--db", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    conn = store.open_db(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert tuple(applied) == store.MIGRATION_NAMES


def test_upgrade_from_an_older_schema_keeps_data_and_backs_up_first(tmp_path):
    import sqlite_utils

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations = store._migrations()
    migrations.apply(sqlite_utils.Database(conn), stop_before=store.MIGRATION_NAMES[1])
    conn.execute(
        "INSERT INTO prospects (name, created_at, updated_at) VALUES ('Old Olga', 'x', 'x')"
    )
    conn.close()
    upgraded = store.open_db(path)
    names = [r[0] for r in upgraded.execute("SELECT name FROM prospects")]
    assert names == ["Old Olga"]
    assert [r[0] for r in upgraded.execute("SELECT name FROM _sqlite_migrations")] == list(
        store.MIGRATION_NAMES
    )
    backup = tmp_path / f"old.db.before-{store.MIGRATION_NAMES[-1]}.bak"
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert [r[0] for r in old.execute("SELECT name FROM _sqlite_migrations")] == [
        store.MIGRATION_NAMES[0]
    ]


def test_a_database_from_a_newer_followup_is_refused(tmp_path):
    import pytest

    from followup_cli.core.errors import DatabaseError

    path = tmp_path / "new.db"
    conn = store.open_db(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('followup', '_m999_future', 'x')"
    )
    conn.close()
    with pytest.raises(DatabaseError, match="written by a newer followup"):
        store.open_db(path)


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    conn = store.open_db(tmp_path / "t.db")
    try:
        with store.transaction(conn):
            conn.execute(
                "INSERT INTO prospects (name, created_at, updated_at) VALUES ('Half', 'x', 'x')"
            )
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    assert conn.execute("SELECT count(*) FROM prospects").fetchone()[0] == 0


def test_times_round_trip_as_utc_text():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("America/Denver"))
    assert store.to_text(moment) == "2026-11-23T15:00:00Z"
    assert store.from_text("2026-11-23T15:00:00Z") == moment
