"""A big import sets per-row upkeep aside (the full-text triggers, the indexes, the triggers
of the tables counted from prospects and touches: ``store.derived``) and catches up once,
set-based. Whatever it sets aside, the database after it must be the one the same import
gives row by row, with every trigger firing: checked here table by table, for every table
the schema has (a table someone adds later, kept by triggers, is compared too)."""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from conftest import NOW

STAGES = ["Lead", "Marketing Qualified Lead", "Opportunity", "Proposal Sent", "Customer", ""]
CHANNELS = ["call", "email", "linkedin", "video"]
OUTCOMES = ["sent", "no_answer", "voicemail", "replied", "meeting", "sent", "opted_out"]
NOTES = ["", "asked about pricing", "left a voicemail"]


def _files(folder, rng: random.Random, first: int, count: int):
    people = folder / f"people{first}.csv"
    with people.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Email", "Lifecycle Stage", "Priority", "Amount", "Notes", "Tags"])
        for n in range(first, first + count):
            writer.writerow([f"Person {n}", f"p{n}@example.com", rng.choice(STAGES),
                             rng.choice(["", "high", "low"]), rng.choice(["", "1200", "90000"]),
                             rng.choice(["", "budget freeze", "renewal in March"]),
                             rng.choice(["", "vip", "saas, vip"])])  # fmt: skip
        writer.writerow([f"Person {first}", f"p{first}@example.com", "", "", "", "", ""])  # merged
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    touches = folder / f"touches{first}.csv"
    with touches.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["email", "at", "channel", "outcome", "note"])
        for _ in range(count * 3):
            n = rng.randrange(first + count)
            at = now - timedelta(minutes=rng.randrange(1, 90 * 24 * 60))
            when = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.writerow(
                [f"p{n}@example.com", when, *map(rng.choice, (CHANNELS, OUTCOMES, NOTES))]
            )
    return people, touches


def _book(path, folder, monkeypatch, *, bulk: bool) -> tuple[sqlite3.Connection, list]:
    """The same imports into a new database at ``path``: a small book row by row, then a
    bigger file of prospects (some already there) and a history, in bulk or row by row."""
    from zoneinfo import ZoneInfo

    from followup_cli.data import import_prospects, import_touches
    from followup_cli.store import db, derived

    now, zone = datetime.fromisoformat(NOW), ZoneInfo("America/Denver")
    conn = db.open_db(path)
    rng = random.Random(7)
    small, small_touches = _files(folder, rng, 0, 30)
    people, touches = _files(folder, rng, 20, 400)
    import_prospects.import_prospects(conn, small, now=now, user_tz=zone)
    import_touches.import_touches(conn, small_touches, now=now, user_tz=zone)
    entered: list = []  # the derived tables' bulk blocks the imports went through
    with monkeypatch.context() as patch:
        real = derived.bulk
        patch.setattr(derived, "bulk", lambda *a: entered.append(a[1:]) or real(*a))
        if bulk:  # the thresholds low enough for these files
            patch.setattr(import_prospects, "BATCH", 50)
            patch.setattr(import_touches, "BATCH", 50)
            patch.setattr(import_touches, "BIG_LOAD", 100)
            patch.setattr(import_touches, "RECOMPUTED_IN_BULK", 100)
        else:  # every row written on its own, every trigger firing
            patch.setattr(import_prospects, "BATCH", 10**9)
            patch.setattr(import_touches, "BIG_LOAD", 10**9)
            patch.setattr(import_touches, "RECOMPUTED_IN_BULK", 10**9)
            patch.setattr(derived, "DERIVED", ())
        import_prospects.import_prospects(conn, people, now=now, user_tz=zone)
        import_touches.import_touches(conn, touches, now=now, user_tz=zone)
    return conn, entered


# FTS5's own tables: the same index can be laid out in other segments (compared by search).
def _compared(conn: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts%' AND name <> '_sqlite_migrations' ORDER BY name"
        )
    ]


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    if table == "journal":  # when each entry was written: the clock, not the import
        columns.remove("at")
    names = ", ".join(f'"{c}"' for c in columns)
    return [tuple(r) for r in conn.execute(f'SELECT {names} FROM "{table}" ORDER BY {names}')]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bulk")
    with pytest.MonkeyPatch.context() as patch:
        bulk, entered = _book(folder / "bulk.db", folder, patch, bulk=True)
        rows, _ = _book(folder / "rows.db", folder, patch, bulk=False)
    return bulk, rows, entered


def test_the_bulk_path_was_taken(books):
    from followup_cli.store import derived, imports

    bulk, rows, entered = books
    # the prospects counted again after their load, the touched ones taken out and put back
    assert entered == [("prospects", None), ("prospects", imports.STAGED_PROSPECT_IDS)]
    assert {d.name for d in derived.DERIVED} <= set(_compared(bulk))
    assert bulk.execute("SELECT count(*) FROM due_slots").fetchone()[0] > 1
    assert bulk.execute("SELECT count(*) FROM touches").fetchone()[0] > 1000


def test_every_table_after_a_bulk_import_is_what_row_by_row_writes_give(books):
    bulk, rows, _ = books
    assert _compared(bulk) == _compared(rows)
    for table in _compared(bulk):
        assert _rows(bulk, table) == _rows(rows, table), table


def test_the_indexes_and_triggers_a_bulk_import_set_aside_are_all_back(books):
    bulk, rows, _ = books
    for schema in ("main", "temp"):  # temp: the journal's triggers; no staging table left
        listed = f"SELECT type, name, sql FROM {schema}.sqlite_master ORDER BY type, name"
        kept = [tuple(row) for row in rows.execute(listed)]
        assert [tuple(row) for row in bulk.execute(listed)] == kept, schema
    indexes = rows.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'")
    assert indexes.fetchone()[0] > 20


@pytest.mark.parametrize("words", ["budget", "pricing", "person", "vip", "voicemail", "p21"])
def test_full_text_search_finds_the_same_after_a_bulk_import(books, words):
    bulk, rows, _ = books
    for table in ("prospects_fts", "touches_fts"):
        query = f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH ? ORDER BY rowid'
        found = bulk.execute(query, [words + "*"]).fetchall()
        assert found == rows.execute(query, [words + "*"]).fetchall()
    for conn in (bulk, rows):
        conn.execute("INSERT INTO prospects_fts (prospects_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO touches_fts (touches_fts) VALUES ('integrity-check')")


def test_the_derived_tables_equal_counting_the_book_from_scratch(books):
    from followup_cli.store import derived

    bulk, _rows_db, _ = books
    kept = {d.name: _rows(bulk, d.name) for d in derived.DERIVED}
    bulk.execute("SAVEPOINT recount")
    for d in derived.DERIVED:
        d.rebuild(bulk)
    try:
        assert {d.name: _rows(bulk, d.name) for d in derived.DERIVED} == kept
    finally:
        bulk.execute("ROLLBACK TO recount")
        bulk.execute("RELEASE recount")


def _copy(conn: sqlite3.Connection, path) -> str:
    copy = sqlite3.connect(path)
    conn.backup(copy)
    copy.close()
    return str(path)


def test_today_search_stats_and_undo_after_a_bulk_import_are_those_row_by_row(books, run, tmp_path):
    """What a user sees after the import, and after undoing it, whichever way it was
    written (the books are copied: undo writes)."""
    bulk, rows, _ = books
    seen = []
    for name, conn in (("bulk", bulk), ("rows", rows)):
        env = {"FOLLOWUP_DB": _copy(conn, tmp_path / f"{name}.db")}
        answers = [
            run.json(*command, env=env)
            for command in (["today"], ["search", "budget"], ["search", "voicemail"], ["stats"])
        ]
        run.ok("undo", env=env)
        after = sqlite3.connect(env["FOLLOWUP_DB"])
        answers.append({table: _rows(after, table) for table in _compared(after)})
        answers.append(run.json("today", env=env))
        after.close()
        seen.append(answers)
    today, budget, voicemail, stats, undone, today_undone = seen[0]
    assert today and budget and voicemail, "nothing found: the comparison would prove little"
    assert stats["response_rate"]["sent"] > 1000  # the bulk history is in the numbers
    assert len(undone["touches"]) < 100  # undo took the bulk history back
    assert seen[0] == seen[1]
