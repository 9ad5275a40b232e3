"""The numbers of many histories at once come from a pass in Python (``store.touch_numbers``),
one prospect's from the window functions of ``touches._numbers``: the two must give the
same numbers, value for value and type for type, on histories varied in everything the
numbers read (directions, every outcome, bounces, automatic replies, cadences with and
without "proposal" in any case, steps, touches at the same time, ids out of time order)."""

from __future__ import annotations

import random
import sqlite3

import pytest

from followup_cli.core.vocab import OUTCOMES

CADENCES = [
    None,
    None,
    "thirty-day",
    "post-proposal",
    "Proposal-Check-Ins",
    "PROPOSAL",
    "post-demo",
]
TIMES = [f"2026-0{m}-{d:02d}T{h:02d}:00:00Z" for m in (1, 2) for d in (3, 9) for h in (8, 15)]


def _book(path, seed: int) -> sqlite3.Connection:
    from followup_cli.store import db

    conn = db.open_db(path)
    rng = random.Random(seed)
    for pid in range(1, 41):
        conn.execute(
            "INSERT INTO prospects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [pid, f"Person {pid}", TIMES[0], TIMES[0]],
        )
        for _ in range(rng.choice([0, 1, 2, 5, 9, 14])):
            conn.execute(
                "INSERT INTO touches (prospect_id, at, channel, direction, outcome, cadence, "
                "step, logged_at) VALUES (?, ?, 'email', ?, ?, ?, ?, ?)",
                [pid, rng.choice(TIMES), rng.choice(["out", "out", "in"]),
                 rng.choice(sorted(OUTCOMES)), cadence := rng.choice(CADENCES),
                 rng.choice([None, 1, 2, 3, 5]) if cadence else rng.choice([None, 2]), TIMES[0]],
            )  # fmt: skip
    return conn


def _typed(rows) -> list[tuple]:
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


@pytest.mark.parametrize("seed", range(12))
def test_the_pass_gives_the_numbers_the_window_functions_give(tmp_path, seed):
    from followup_cli.store import touch_numbers, touches

    conn = _book(tmp_path / "book.db", seed)
    where = "prospect_id IN (SELECT id FROM prospects WHERE id % 3 <> 1)"
    expected = conn.execute(f"{touches._numbers(where)} ORDER BY id").fetchall()
    conn.execute(f"CREATE TEMP TABLE got (id INTEGER PRIMARY KEY, {', '.join(touches.NUMBERS)})")
    assert touch_numbers.write(conn, where, [], "temp.got")
    got = conn.execute("SELECT * FROM temp.got ORDER BY id").fetchall()
    assert len(expected) > 50
    assert _typed(got) == _typed(expected)
    # the sample holds every kind of number
    columns = list(zip(*expected, strict=True))
    assert all(any(v is not None for v in column) for column in columns)


def test_renumbering_many_stores_what_renumbering_each_stores(tmp_path):
    from followup_cli.store import touches

    many = _book(tmp_path / "many.db", 99)
    each = _book(tmp_path / "each.db", 99)
    touches.renumber_all(many)
    for (pid,) in each.execute("SELECT id FROM prospects").fetchall():
        touches.renumber(each, pid)
    listed = f"SELECT id, {', '.join(touches.NUMBERS)} FROM touches ORDER BY id"
    assert _typed(many.execute(listed)) == _typed(each.execute(listed))


def test_a_history_the_pass_cannot_read_is_numbered_by_the_sql(tmp_path, monkeypatch):
    from followup_cli.store import touch_numbers, touches

    monkeypatch.setattr(touch_numbers, "BATCH", 3)  # some batches written before it is met
    conn = _book(tmp_path / "book.db", 5)
    conn.execute(
        "UPDATE touches SET step = 'two' WHERE id = (SELECT max(id) FROM touches "
        "WHERE prospect_id = (SELECT max(prospect_id) FROM touches))"
    )
    conn.execute(f"CREATE TEMP TABLE got (id INTEGER PRIMARY KEY, {', '.join(touches.NUMBERS)})")
    assert not touch_numbers.write(conn, "1", [], "temp.got")
    assert conn.execute("SELECT count(*) FROM temp.got").fetchone()[0] == 0
    expected = conn.execute(f"{touches._numbers('1')} ORDER BY id").fetchall()
    touches.renumber_all(conn)
    stored = conn.execute(
        f"SELECT id, {', '.join(touches.NUMBERS)} FROM touches WHERE id IN "
        f"(SELECT id FROM ({touches._numbers('1')})) ORDER BY id"
    ).fetchall()
    assert _typed(stored) == _typed(expected)
