"""Running totals behind `followup stats` and `followup review`, kept by triggers on every
write to the touches and prospects, so a report reads a few hundred rows a day of its
window instead of every touch in it, and none from before it.

One table, ``stats_agg``: per dimension, bucket (a UTC day ``YYYY-MM-DD``, or an hour
``YYYY-MM-DDTHH`` for send times) and key (``k1``-``k3``), three counters ``n1``-``n3``.
What each dimension counts is written once (``DIMENSIONS``: SQL over one touch row) and
used three ways: by the triggers on ``touches`` (the row as ``new`` and ``old``), by
``bulk`` for the prospects of a bulk load (set-based, once, after it), and by ``rebuild``
(the migration, and the check that the totals are right). NULL keys are stored as ''.

A touch counts when it is outbound and not bounced (``store.stats``'s rules), except in
``week``, which counts every touch as the weekly review does:

- ``touch`` (touch number), ``channel``, ``step`` (cadence, step), ``tv`` (template,
  variant), ``tc`` (template, cadence): n1 sent, n2 got a reply, n3 got a reply that came
  in after it (the ones timed).
- ``hour`` (the prospect's timezone, by UTC hour): n1 sent, n2 got a reply.
- ``week``: n1 of every touch: k1 ``out`` (outbound, not bounced), ``reply``, ``meeting``.
- ``p`` (prospects), ``c`` (a prospect in a cadence: cadence, its furthest step from this
  touch on, its first step from this touch on that got a reply), ``q`` (a prospect in a
  proposal cadence: another such touch follows, a win follows): n1 touches made in the
  bucket, n2 touches whose previous touch of the same run (``p_prev``, ``c_prev``,
  ``q_prev`` on the touch, kept by ``touches.renumber``) was made in the bucket. The runs
  with a touch at or after day D, by key, are the sum of n1 - n2 over the buckets from D
  on: each is counted once, at its first touch from D on (whose previous one is before D).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from followup_cli.core.vocab import ANSWERED, NOT_DELIVERED

_ANSWERED = ", ".join(f"'{outcome}'" for outcome in sorted(ANSWERED))
_AUTOMATIC = ", ".join(f"'{outcome}'" for outcome in sorted(NOT_DELIVERED))
COUNTED = "{r}.direction = 'out' AND {r}.outcome <> 'bounced'"
REPLIED = "({r}.replied_at IS NOT NULL)"
TIMED = f"({{r}}.replied_at IS NOT NULL AND {{r}}.outcome NOT IN ({_ANSWERED}))"
REPLY = (
    f"(({{r}}.direction = 'in' AND {{r}}.outcome NOT IN ({_AUTOMATIC}))"
    f" OR {{r}}.outcome IN ({_ANSWERED}))"
)
IN_CADENCE = f"{COUNTED} AND {{r}}.cadence IS NOT NULL AND {{r}}.step IS NOT NULL"
IN_PROPOSAL = f"{COUNTED} AND {{r}}.cadence LIKE '%proposal%'"
DAY = "substr({r}.at, 1, 10)"
ZONE = "coalesce((SELECT z.timezone FROM prospects z WHERE z.id = {r}.prospect_id), '')"


def _key(column: str) -> str:
    return f"coalesce({{r}}.{column}, '')"


# (dimension, bucket, k1, k2, k3, n1, n2, n3, when the touch counts in it)
DIMENSIONS: tuple[tuple[str, ...], ...] = (
    ("touch", DAY, _key("touch_number"), "''", "''", "1", REPLIED, TIMED, COUNTED),
    ("channel", DAY, "{r}.channel", "''", "''", "1", REPLIED, TIMED, COUNTED),
    ("step", DAY, "{r}.cadence", "{r}.step", "''", "1", REPLIED, TIMED, IN_CADENCE),
    (
        "tv",
        DAY,
        "{r}.template",
        _key("variant"),
        "''",
        "1",
        REPLIED,
        TIMED,
        f"{COUNTED} AND {{r}}.template IS NOT NULL",
    ),  # fmt: skip
    ("tc", DAY, _key("template"), _key("cadence"), "''", "1", REPLIED, TIMED, COUNTED),
    ("hour", "substr({r}.at, 1, 13)", ZONE, "''", "''", "1", REPLIED, "0", COUNTED),
    ("week", DAY, "'out'", "''", "''", "1", "0", "0", COUNTED),
    ("week", DAY, "'reply'", "''", "''", "1", "0", "0", REPLY),
    ("week", DAY, "'meeting'", "''", "''", "1", "0", "0", "{r}.outcome = 'meeting'"),
    ("p", DAY, "''", "''", "''", "1", "0", "0", COUNTED),
    (
        "p",
        "substr({r}.p_prev, 1, 10)",
        "''",
        "''",
        "''",
        "0",
        "1",
        "0",
        f"{COUNTED} AND {{r}}.p_prev IS NOT NULL",
    ),  # fmt: skip
    ("c", DAY, "{r}.cadence", _key("c_top"), _key("c_fr"), "1", "0", "0", IN_CADENCE),
    (
        "c",
        "substr({r}.c_prev, 1, 10)",
        "{r}.cadence",
        _key("c_top"),
        _key("c_fr"),
        "0",
        "1",
        "0",
        f"{IN_CADENCE} AND {{r}}.c_prev IS NOT NULL",
    ),  # fmt: skip
    ("q", DAY, _key("q_next"), _key("q_won"), "''", "1", "0", "0", IN_PROPOSAL),
    (
        "q",
        "substr({r}.q_prev, 1, 10)",
        _key("q_next"),
        _key("q_won"),
        "''",
        "0",
        "1",
        "0",
        f"{IN_PROPOSAL} AND {{r}}.q_prev IS NOT NULL",
    ),  # fmt: skip
)
# The columns of a touch the totals read: a change to any of them moves its counts.
READS = (
    "prospect_id", "at", "channel", "direction", "outcome", "template", "variant", "cadence",
    "step", "touch_number", "replied_at", "p_prev", "c_prev", "c_top", "c_fr", "q_prev",
    "q_next", "q_won",
)  # fmt: skip
_UPSERT = (
    "ON CONFLICT (dim, bucket, k1, k2, k3) DO UPDATE SET "
    "n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3"
)
_INSERT = "INSERT INTO stats_agg (dim, bucket, k1, k2, k3, n1, n2, n3)"
_LIVE = "NOT EXISTS (SELECT 1 FROM stats_paused)"


def _row_sql(row: str, sign: int, *, moved: bool = False) -> str:
    """The counts one touch row (``new`` or ``old``) adds (sign 1) or takes away (-1).
    ``moved``: in an update, only the dimensions one of whose columns changed."""
    parts = []
    for dim, bucket, k1, k2, k3, n1, n2, n3, when in DIMENSIONS:
        exprs = [bucket, k1, k2, k3, f"{sign} * ({n1})", f"{sign} * ({n2})", f"{sign} * ({n3})"]
        listed = ", ".join(expr.format(r=row) for expr in exprs)
        condition = when.format(r=row)
        if moved:
            read = sorted(
                set(re.findall(r"\{r\}\.(\w+)", " ".join((bucket, k1, k2, k3, n1, n2, n3, when))))
            )
            condition += " AND (" + " OR ".join(f"old.{c} IS NOT new.{c}" for c in read) + ")"
        parts.append(f"SELECT '{dim}', {listed} WHERE {condition}")
    return " UNION ALL ".join(parts)


def _set_sql(
    dim: str, spec: tuple[str, ...], sign: int, where: str, source: str = "touches"
) -> str:
    """The counts of every touch that ``where`` (on ``t``) selects, for one dimension, in
    one grouped statement. ``source``: the touches, or a copy of some of them with their
    prospect's timezone as ``zone`` (``_STAGED``)."""
    _, bucket, k1, k2, k3, n1, n2, n3, when = spec
    exprs = [
        "t.zone" if expr is ZONE and source != "touches" else expr.format(r="t")
        for expr in (bucket, k1, k2, k3)
    ]
    sums = ", ".join(f"{sign} * sum({n.format(r='t')})" for n in (n1, n2, n3))
    return (
        f"{_INSERT} SELECT '{dim}', {', '.join(exprs)}, {sums} FROM {source} t "
        f"WHERE ({when.format(r='t')}) AND ({where}) GROUP BY 1, 2, 3, 4, 5 {_UPSERT}"
    )


def replace_update_trigger(conn: Any) -> None:
    """Migration 19: the update trigger of migration 17, cheaper. An update (a renumber
    changes a number or two of each touch of a run: the furthest step reached, whether
    another proposal touch follows) counts only the dimensions whose columns changed, and
    sums their old and new counts per total first, so only the totals that move are
    written (a few, instead of some thirty, a touch)."""
    changed = f"{_row_sql('old', -1, moved=True)} UNION ALL {_row_sql('new', 1, moved=True)}"
    conn.execute("DROP TRIGGER stats_touches_au")
    conn.execute(
        f"""CREATE TRIGGER stats_touches_au AFTER UPDATE OF {", ".join(READS)} ON touches
            WHEN {_LIVE} BEGIN
            {_INSERT} SELECT d, b, x1, x2, x3, sum(m1), sum(m2), sum(m3)
            FROM (SELECT NULL AS d, NULL AS b, NULL AS x1, NULL AS x2, NULL AS x3,
                         NULL AS m1, NULL AS m2, NULL AS m3 WHERE false UNION ALL {changed})
            WHERE true GROUP BY 1, 2, 3, 4, 5 HAVING sum(m1) <> 0 OR sum(m2) <> 0 OR sum(m3) <> 0
            {_UPSERT}; END"""
    )


def create(conn: Any) -> None:
    """The table, the triggers that keep it and the indexes the reports read (migration
    17, which then fills it with ``rebuild``; migration 19 replaces the update trigger).
    ``conn``: a connection or sqlite-utils Database."""
    for sql in (
        """CREATE TABLE stats_agg (
            dim TEXT NOT NULL, bucket TEXT NOT NULL, k1 NOT NULL, k2 NOT NULL, k3 NOT NULL,
            n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL,
            PRIMARY KEY (dim, bucket, k1, k2, k3)
        ) WITHOUT ROWID""",
        # A row here while a bulk load runs sets the triggers aside (see ``bulk``).
        "CREATE TABLE stats_paused (since TEXT)",
        f"""CREATE TRIGGER stats_touches_ai AFTER INSERT ON touches WHEN {_LIVE} BEGIN
            {_INSERT} SELECT * FROM ({_row_sql("new", 1)}) WHERE true {_UPSERT}; END""",
        f"""CREATE TRIGGER stats_touches_ad AFTER DELETE ON touches WHEN {_LIVE} BEGIN
            {_INSERT} SELECT * FROM ({_row_sql("old", -1)}) WHERE true {_UPSERT}; END""",
        f"""CREATE TRIGGER stats_touches_au AFTER UPDATE OF {", ".join(READS)} ON touches
            WHEN {_LIVE} BEGIN
            {_INSERT} SELECT * FROM ({_row_sql("old", -1)} UNION ALL {_row_sql("new", 1)})
            WHERE true {_UPSERT}; END""",
        # A prospect's timezone is the send-time measures' key of every touch of theirs.
        f"""CREATE TRIGGER stats_prospects_zone AFTER UPDATE OF timezone ON prospects
            WHEN old.timezone IS NOT new.timezone AND {_LIVE} BEGIN
            {_INSERT} SELECT 'hour', substr(t.at, 1, 13), z.zone, '', '', sum(z.sign),
                sum(z.sign * (t.replied_at IS NOT NULL)), 0
            FROM touches t, (SELECT coalesce(old.timezone, '') AS zone, -1 AS sign
                             UNION ALL SELECT coalesce(new.timezone, ''), 1) z
            WHERE t.prospect_id = new.id AND {COUNTED.format(r="t")}
            GROUP BY 1, 2, 3, 4, 5 {_UPSERT}; END""",
        # A prospect's touches go before the prospect, while their timezone is still known
        # (the foreign key's cascade would run after).
        """CREATE TRIGGER stats_prospects_bd BEFORE DELETE ON prospects BEGIN
            DELETE FROM touches WHERE prospect_id = old.id; END""",
        # The last touch of each prospect, for the give-up curve; the outbound touches with
        # a reply that came in after them, for the time to response.
        f"""CREATE INDEX idx_touches_last_out ON touches(at, touch_number, prospect_id)
            WHERE next_at IS NULL AND direction = 'out' AND outcome <> 'bounced'
            AND outcome NOT IN ({_ANSWERED})""",
        f"""CREATE INDEX idx_touches_timed ON touches(at, replied_at, cadence)
            WHERE direction = 'out' AND outcome <> 'bounced' AND outcome NOT IN ({_ANSWERED})
            AND replied_at IS NOT NULL""",
        # The losses of a week, as idx_touches_won has the wins.
        "CREATE INDEX idx_touches_lost ON touches(at) WHERE outcome = 'lost'",
    ):
        conn.execute(sql)


def migrate(conn: sqlite3.Connection) -> None:
    """Migration 17: the links of each touch to the previous one of its runs (stored by
    ``touches.renumber``), the history renumbered once, then the totals built from it."""
    from followup_cli.store import touches

    for column in (
        "p_prev TEXT", "c_prev TEXT", "c_top INTEGER", "c_fr INTEGER",
        "q_prev TEXT", "q_next INTEGER", "q_won INTEGER",
    ):  # fmt: skip
        conn.execute(f"ALTER TABLE touches ADD COLUMN {column}")
    touches.renumber_all(conn)
    create(conn)
    rebuild(conn)


_STAGED = "temp.stats_bulk_touches"


def _add_prospects(conn: sqlite3.Connection, sign: int, prospects: str | None) -> None:
    """The counts of the touches of the prospects ``prospects`` selects (None: everyone's),
    added (sign 1) or taken away (-1). Their touches are copied once, with each prospect's
    timezone, and every dimension counted from the copy: one pass over the touches (by the
    index, or a scan while a bulk load has set the indexes aside) instead of one a
    dimension, and no timezone looked up per touch."""
    conn.execute(f"DROP TABLE IF EXISTS {_STAGED}")
    columns = ", ".join(f"t.{c}" for c in READS)
    whose = f"WHERE t.prospect_id IN ({prospects})" if prospects is not None else ""
    conn.execute(
        f"CREATE TEMP TABLE {_STAGED.split('.')[1]} AS "
        f"SELECT {columns}, coalesce(p.timezone, '') AS zone "
        f"FROM touches t LEFT JOIN prospects p ON p.id = t.prospect_id {whose}"
    )
    if conn.execute(f"SELECT 1 FROM {_STAGED} LIMIT 1").fetchone():
        for spec in DIMENSIONS:
            conn.execute(_set_sql(spec[0], spec, sign, "1", _STAGED))
    conn.execute(f"DROP TABLE {_STAGED}")


def rebuild(conn: sqlite3.Connection) -> None:
    """Every total again from the touches, set-based (a few statements, whatever the size).
    The triggers keep them from then on; this is for the migration, the checks and
    benchmarks/build_db.py: from one copy of every touch, as a bulk load counts its own
    (8.1 s to 5.8 s of CPU at 200,000 touches)."""
    conn.execute("DELETE FROM stats_agg")
    _add_prospects(conn, 1, None)
    prune(conn)


def prune(conn: sqlite3.Connection) -> None:
    """Drop the totals that came back to zero."""
    conn.execute("DELETE FROM stats_agg WHERE n1 = 0 AND n2 = 0 AND n3 = 0")


@contextlib.contextmanager
def bulk(conn: sqlite3.Connection, prospects: str) -> Iterator[None]:
    """A bulk load (an import, a mail sync) of the prospects the SQL query ``prospects``
    selects (a SELECT of prospect ids, true before and after the load): their touches'
    counts come out before it, in one statement a dimension, the triggers stand aside
    while it runs, and their counts go back in once at the end, from the touches as they
    are then (renumbered inside the block). Inside one transaction that rolls back on an
    error; only those prospects' touches may change in it.

        with aggregates.bulk(conn, "SELECT prospect_id FROM temp.import_touches"):
            ...  # insert the touches, renumber_many(...)
    """
    _add_prospects(conn, -1, prospects)
    conn.execute("INSERT INTO stats_paused (since) VALUES (datetime('now'))")
    try:
        yield
    finally:
        conn.execute("DELETE FROM stats_paused")
    _add_prospects(conn, 1, prospects)
    prune(conn)


def contents(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every non-zero total, in key order (what a check compares with ``rebuild``'s)."""
    return conn.execute(
        "SELECT dim, bucket, k1, k2, k3, n1, n2, n3 FROM stats_agg "
        "WHERE n1 <> 0 OR n2 <> 0 OR n3 <> 0 ORDER BY dim, bucket, k1, k2, k3"
    ).fetchall()
