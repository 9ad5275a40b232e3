"""Questions about touches: one by id, a prospect's history, the last one logged, how often
each variant of a template went out; and keeping the numbers `followup stats` counts
(``NUMBERS``, see ``pipeline.touch``) right on every write.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from followup_cli.core.vocab import ANSWERED, NOT_DELIVERED

# The columns ``renumber`` keeps up to date on every touch.
NUMBERS = ("touch_number", "next_at", "replied_at")
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


def last_logged(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The touch written most recently, whoever it was for and whenever it happened."""
    return conn.execute("SELECT * FROM touches WHERE id = (SELECT max(id) FROM touches)").fetchone()


def delete(conn: sqlite3.Connection, touch_id: int) -> None:
    conn.execute("DELETE FROM touches WHERE id = ?", [touch_id])


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
    """A SELECT of (id, touch_number, next_at, replied_at) for every touch of the prospects
    that ``where`` (a condition on ``prospect_id``) selects: one window-function pass over
    their histories in order, read from idx_touches_prospect alone.

    The touch number is one plus the run of non-replies just before the touch: the
    trailing zeros of the string of reply flags (0/1) of the touches before it."""
    answered = ", ".join(f"'{outcome}'" for outcome in sorted(ANSWERED))
    automatic = ", ".join(f"'{outcome}'" for outcome in sorted(NOT_DELIVERED))
    return f"""
        SELECT id,
               CASE WHEN direction = 'out'
                    THEN 1 + length(before) - length(rtrim(before, '0')) END AS touch_number,
               CASE WHEN direction = 'out' THEN next_at END AS next_at,
               CASE WHEN direction = 'out' AND reply THEN at
                    WHEN direction = 'out' AND next_direction = 'in' THEN next_at
               END AS replied_at
        FROM (
            SELECT id, at, direction, reply,
                   coalesce(group_concat(reply, '') OVER before, '') AS before,
                   lead(at) OVER later AS next_at,
                   lead(direction) OVER later AS next_direction
            FROM (
                SELECT id, prospect_id, at, direction,
                       direction = 'in' OR outcome IN ({answered}) AS reply
                FROM touches
                WHERE ({where}) AND NOT (direction = 'out' AND outcome = 'bounced')
                  AND NOT (direction = 'in' AND outcome IN ({automatic}))
            )
            WINDOW later AS (PARTITION BY prospect_id ORDER BY at, id),
                   before AS (later ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        )"""


_NEW = (
    "(SELECT touch_number, next_at, replied_at FROM temp.touch_numbers n WHERE n.id = touches.id)"
)


def renumber(conn: sqlite3.Connection, prospect_id: int) -> None:
    """Recompute the numbers of one prospect's touches (a few hundred at most), after a
    touch is logged or taken back: a backdated one changes those after it."""
    _renumber(conn, "prospect_id = ?", [prospect_id])


def renumber_many(conn: sqlite3.Connection, prospects: str) -> None:
    """The same for every prospect that the SQL query ``prospects`` (a SELECT of prospect
    ids, e.g. those of an import) returns, set-based."""
    _renumber(conn, f"prospect_id IN ({prospects})", [])


def _renumber(conn: sqlite3.Connection, where: str, params: list[Any]) -> None:
    """The numbers, computed in one pass into a temporary table in id order; then only
    the rows whose numbers changed are written, in that order (the table's own: a million
    rows written in history order instead take three times as long). Usually that is the
    new touch and the one before it."""
    conn.execute("DROP TABLE IF EXISTS temp.touch_numbers")
    conn.execute(
        "CREATE TEMP TABLE touch_numbers "
        "(id INTEGER PRIMARY KEY, touch_number, next_at, replied_at)"
    )
    conn.execute(f"INSERT INTO temp.touch_numbers {_numbers(where)} ORDER BY id", params)
    conn.execute(
        f"""UPDATE touches SET {_COLUMNS} = {_NEW}
            WHERE id IN (SELECT id FROM temp.touch_numbers) AND {_COLUMNS} IS NOT {_NEW}"""
    )
    conn.execute("DROP TABLE temp.touch_numbers")
