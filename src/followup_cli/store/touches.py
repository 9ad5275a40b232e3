"""Questions about touches: one by id, a prospect's history, how often
each variant of a template went out; and keeping the numbers `followup stats` counts
(``NUMBERS``, see ``pipeline.touch``) right on every write.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from followup_cli.core.vocab import ANSWERED, NOT_DELIVERED

# The columns ``renumber`` keeps up to date on every touch: the stats numbers, then the
# links of each touch to the previous one of its runs that ``store.aggregates`` counts by.
NUMBERS = (
    "touch_number", "next_at", "replied_at",
    "p_prev", "c_prev", "c_top", "c_fr", "q_prev", "q_next", "q_won",
)  # fmt: skip
_COLUMNS = f"({', '.join(NUMBERS)})"


def by_id(conn: sqlite3.Connection, touch_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM touches WHERE id = ?", [touch_id]).fetchone()


def of_prospect(
    conn: sqlite3.Connection, prospect_id: int, limit: int | None = None
) -> list[sqlite3.Row]:
    """A prospect's touches, newest first (the last logged first among those at one time)."""
    sql = "SELECT * FROM touches WHERE prospect_id = ? ORDER BY at DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return conn.execute(sql, [prospect_id]).fetchall()


def variant_counts(
    conn: sqlite3.Connection, template: str, prospect_id: int | None = None
) -> dict[str, int]:
    """How many touches each variant of ``template`` went out in (variants never sent:
    absent), to everyone or to one prospect."""
    if prospect_id is None:
        sql, args = "WHERE template = ?", [template]
    else:
        sql, args = "WHERE template = ? AND prospect_id = ?", [template, prospect_id]
    return dict(conn.execute(f"SELECT variant, count(*) FROM touches {sql} GROUP BY variant", args))


# --- what stats counts, stored on the touches ------------------------------------------------


def _numbers(where: str) -> str:
    """A SELECT of the ``NUMBERS`` of every touch of the prospects that ``where`` (a
    condition on ``prospect_id``) selects: window-function passes over their histories in
    order.

    The touch number is one plus the run of non-replies just before the touch: the
    trailing zeros of the string of reply flags (0/1) of the touches before it. The links
    (outbound touches only, bounced ones left out, as stats counts them):
    ``p_prev`` the prospect's previous outbound touch; ``c_prev`` the previous step of the
    same cadence, ``c_top`` the furthest step of it from this touch on, ``c_fr`` the first
    step from this touch on that got a reply; ``q_prev`` the previous touch of a proposal
    cadence (its name has "proposal" in it), ``q_next`` whether another follows, ``q_won``
    whether a win follows (at this touch's time or later)."""
    answered = ", ".join(f"'{outcome}'" for outcome in sorted(ANSWERED))
    automatic = ", ".join(f"'{outcome}'" for outcome in sorted(NOT_DELIVERED))
    # Two sorts, whatever the size: every number but the cadence ones comes from one pass
    # over each history in order (the previous outbound or proposal touch as a running
    # max of its time, whether another proposal touch follows from counts before the row
    # and in all), in as few frames as can be (each is a pass); the cadence ones need the
    # touches of each cadence apart.
    replied = "direction = 'out' AND (reply OR next_direction = 'in')"
    return f"""
        SELECT id,
               CASE WHEN direction = 'out'
                    THEN 1 + length(before) - length(rtrim(before, '0')) END AS touch_number,
               CASE WHEN direction = 'out' THEN next_at END AS next_at,
               CASE WHEN direction = 'out' AND reply THEN at
                    WHEN direction = 'out' AND next_direction = 'in' THEN next_at
               END AS replied_at,
               CASE WHEN direction = 'out' THEN p_prev END AS p_prev,
               CASE WHEN cfam THEN lag(at) OVER cf END AS c_prev,
               CASE WHEN cfam THEN max(step) OVER cfs END AS c_top,
               CASE WHEN cfam THEN min(CASE WHEN {replied} THEN step END) OVER cfs END AS c_fr,
               CASE WHEN qfam THEN q_prev END AS q_prev,
               CASE WHEN qfam THEN q_all - q_before > 1 END AS q_next,
               CASE WHEN qfam THEN coalesce(won_at >= at, 0) END AS q_won
        FROM (
            SELECT id, prospect_id, at, direction, cadence, step, reply, cfam, qfam,
                   coalesce(group_concat(reply, '') OVER before, '') AS before,
                   lead(at) OVER later AS next_at,
                   lead(direction) OVER later AS next_direction,
                   max(CASE WHEN direction = 'out' THEN at END) OVER before AS p_prev,
                   max(CASE WHEN qfam THEN at END) OVER before AS q_prev,
                   count(CASE WHEN qfam THEN 1 END) OVER before AS q_before,
                   count(CASE WHEN qfam THEN 1 END) OVER whole AS q_all,
                   max(CASE WHEN outcome = 'won' THEN at END) OVER whole AS won_at
            FROM (
                SELECT id, prospect_id, at, direction, outcome, cadence, step,
                       direction = 'in' OR outcome IN ({answered}) AS reply,
                       direction = 'out' AND cadence IS NOT NULL AND step IS NOT NULL AS cfam,
                       direction = 'out' AND cadence LIKE '%proposal%' AS qfam
                FROM touches
                WHERE ({where}) AND NOT (direction = 'out' AND outcome = 'bounced')
                  AND NOT (direction = 'in' AND outcome IN ({automatic}))
            )
            WINDOW later AS (PARTITION BY prospect_id ORDER BY at, id),
                   before AS (later ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                   whole AS (later ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        )
        WINDOW cf AS (PARTITION BY prospect_id, cfam, cadence ORDER BY at, id),
               cfs AS (cf ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"""


_NEW = f"(SELECT {', '.join(NUMBERS)} FROM temp.touch_numbers n WHERE n.id = touches.id)"


def renumber(conn: sqlite3.Connection, prospect_id: int) -> None:
    """Recompute the numbers of one prospect's touches (a few hundred at most), after a
    touch is logged or taken back: a backdated one changes those after it."""
    _renumber(conn, "prospect_id = ?", [prospect_id])


def renumber_many(conn: sqlite3.Connection, prospects: str) -> None:
    """The same for every prospect that the SQL query ``prospects`` (a SELECT of prospect
    ids, e.g. those of an import) returns, in one pass (``touch_numbers``)."""
    _renumber(conn, f"prospect_id IN ({prospects})", [], many=True)


def renumber_all(conn: sqlite3.Connection) -> None:
    """The same for every touch (a migration that adds a number)."""
    _renumber(conn, "1", [], many=True)


def _renumber(conn: sqlite3.Connection, where: str, params: list[Any], many: bool = False) -> None:
    """The numbers, computed in one pass into a temporary table (``many``: by
    ``touch_numbers``' pass, the same numbers as the window functions give); then only
    the rows whose numbers changed are written, in id order (the table's own: a million
    rows written in history order instead take three times as long). Usually that is the
    new touch and the one before it."""
    conn.execute("DROP TABLE IF EXISTS temp.touch_numbers")
    conn.execute(f"CREATE TEMP TABLE touch_numbers (id INTEGER PRIMARY KEY, {', '.join(NUMBERS)})")
    written = False
    if many:  # one prospect's (a `log`) keeps to the SQL, without importing the pass
        from followup_cli.store import touch_numbers

        written = touch_numbers.write(conn, where, params, "temp.touch_numbers")
    if not written:
        conn.execute(f"INSERT INTO temp.touch_numbers {_numbers(where)} ORDER BY id", params)
    conn.execute(
        f"""UPDATE touches SET {_COLUMNS} = {_NEW}
            WHERE id IN (SELECT id FROM temp.touch_numbers) AND {_COLUMNS} IS NOT {_NEW}"""
    )
    conn.execute("DROP TABLE temp.touch_numbers")
