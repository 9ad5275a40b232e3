"""The numbers of many prospects' histories at once (an import, a mail sync, a migration):
the same ``touches.NUMBERS`` as the window functions of ``touches._numbers`` give, from one
pass in Python over the histories in order. SQLite spends some 2 µs a row on each of the
eleven window functions (about 25 µs a touch, 27 s of CPU for a million); the pass here,
with the read and the write, about a third of that. One prospect's renumber after a
``log`` keeps the SQL (a few rows); ``tests/store/test_numbers_pass.py`` holds the two to
the same numbers on histories varied in everything they read.

A history the pass cannot read as the SQL does (a step that is not a whole number, a time
or cadence that is not text: nothing followup writes) is numbered by the SQL instead.
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
import string
from collections.abc import Iterator
from typing import Any

from followup_cli.core.vocab import ANSWERED, NOT_DELIVERED

_AUTOMATIC = ", ".join(f"'{outcome}'" for outcome in sorted(NOT_DELIVERED))
# The touches the numbers count, as ``touches._numbers`` selects them.
COUNTED = (
    f"NOT (direction = 'out' AND outcome = 'bounced') "
    f"AND NOT (direction = 'in' AND outcome IN ({_AUTOMATIC}))"
)
# LIKE '%proposal%': case-blind for ASCII letters only, as SQLite's LIKE is.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
BATCH = 5_000


# A touch the pass reads as SQLite does: a text time, direction and outcome, a text (or
# no) cadence, a whole (or no) step. Anything else (nothing followup writes) leaves the
# numbers to the SQL.
_PLAIN = (
    "typeof(at) = 'text' AND typeof(direction) = 'text' AND typeof(outcome) = 'text' "
    "AND typeof(cadence) IN ('text', 'null') AND typeof(step) IN ('integer', 'null')"
)
# Which numbers a touch can have (``numbered``'s shapes), so that each row is written with
# only those: binding a value costs more than any other part of the pass.
_SHAPES = {
    (False, False): ("id", "touch_number", "next_at", "replied_at", "p_prev"),
    (True, False): ("id", "touch_number", "next_at", "replied_at", "p_prev",
                    "c_prev", "c_top", "c_fr"),
    (False, True): ("id", "touch_number", "next_at", "replied_at", "p_prev",
                    "q_prev", "q_next", "q_won"),
    (True, True): ("id", "touch_number", "next_at", "replied_at", "p_prev",
                   "c_prev", "c_top", "c_fr", "q_prev", "q_next", "q_won"),
}  # fmt: skip


class Unusual(Exception):
    """A touch holds a value the pass does not read as SQLite would (``_PLAIN``)."""


def write(conn: sqlite3.Connection, where: str, params: list[Any], table: str) -> bool:
    """The numbers of every counted touch of the prospects ``where`` selects into
    ``table`` (id, then ``NUMBERS``), a batch at a time: a million touches are never in
    memory at once. False, with nothing written, when a touch is not ``_PLAIN``."""
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(
        f"""SELECT id, prospect_id, at, direction, outcome, cadence, step, {_PLAIN}
            FROM touches WHERE ({where}) AND ({COUNTED}) ORDER BY prospect_id, at, id""",
        params,
    )
    statements = {
        shape: f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        for shape, names in _SHAPES.items()
    }
    batches: dict[tuple[bool, bool], list[tuple[Any, ...]]] = {shape: [] for shape in _SHAPES}
    written = 0
    try:
        for _prospect, history in itertools.groupby(rows, operator.itemgetter(1)):
            for shape, numbers in numbered(list(history)):
                batch = batches[shape]
                batch.append(numbers)
                if len(batch) >= BATCH:
                    conn.executemany(statements[shape], batch)
                    written += len(batch)
                    batch.clear()
    except Unusual:
        cursor.close()
        if written:
            conn.execute(f"DELETE FROM {table}")
        return False
    for shape, batch in batches.items():
        if batch:
            conn.executemany(statements[shape], batch)
    return True


def numbered(history: list[tuple[Any, ...]]) -> Iterator[tuple[tuple[bool, bool], tuple]]:
    """The numbers of each touch of one prospect's counted history, given as (id,
    prospect_id, at, direction, outcome, cadence, step, plain) in (at, id) order: (shape,
    values), the values being those of ``_SHAPES[shape]`` (the others are NULL)."""
    answered = ANSWERED
    count = len(history)
    if not all(row[7] for row in history):
        raise Unusual
    reply = [
        direction == "in" or outcome in answered for _, _, _, direction, outcome, _, _, _ in history
    ]
    proposal = [
        direction == "out" and cadence is not None and "proposal" in cadence.translate(_ASCII_LOWER)
        for _, _, _, direction, _, cadence, _, _ in history
    ]
    in_cadence = [
        direction == "out" and cadence is not None and step is not None
        for _, _, _, direction, _, cadence, step, _ in history
    ]
    won_at = None  # the last win of the history (max over it)
    for _, _, at, _, outcome, _, _, _ in history:
        if outcome == "won":
            won_at = at
    proposals = sum(proposal)
    # Backwards, per cadence: the furthest step from each touch on, and the first step
    # from it on that got a reply (``c_top``, ``c_fr``).
    top: list[Any] = [None] * count
    first_reply: list[Any] = [None] * count
    highest: dict[str, int] = {}
    lowest: dict[str, int] = {}
    for i in range(count - 1, -1, -1):
        if not in_cadence[i]:
            continue
        _, _, _, _, _, cadence, step, _ = history[i]
        known = highest.get(cadence)
        highest[cadence] = step if known is None or step > known else known
        top[i] = highest[cadence]
        replied = reply[i] or (i + 1 < count and history[i + 1][3] == "in")
        if replied:
            known = lowest.get(cadence)
            lowest[cadence] = step if known is None or step < known else known
        first_reply[i] = lowest.get(cadence)
    zeros = 0  # the non-replies just before this touch
    last_out = last_proposal = None
    proposals_before = 0
    previous_in_cadence: dict[str, str] = {}
    for i, (touch_id, _, at, direction, _, cadence, _, _) in enumerate(history):
        after = history[i + 1] if i + 1 < count else None
        out = direction == "out"
        if out:
            if reply[i]:
                replied_at = at
            elif after is not None and after[3] == "in":
                replied_at = after[2]
            else:
                replied_at = None
            number, next_at, p_prev = 1 + zeros, after and after[2], last_out
        else:
            number = next_at = replied_at = p_prev = None
        c_prev = c_top = c_fr = None
        if in_cadence[i]:
            c_prev = previous_in_cadence.get(cadence)
            previous_in_cadence[cadence] = at
            c_top, c_fr = top[i], first_reply[i]
        q_prev = q_next = q_won = None
        if proposal[i]:
            q_prev = last_proposal
            q_next = int(proposals - proposals_before > 1)
            q_won = int(won_at is not None and won_at >= at)
            last_proposal = at
            proposals_before += 1
        base = (touch_id, number, next_at, replied_at, p_prev)
        if in_cadence[i] and proposal[i]:
            yield (True, True), (*base, c_prev, c_top, c_fr, q_prev, q_next, q_won)
        elif in_cadence[i]:
            yield (True, False), (*base, c_prev, c_top, c_fr)
        elif proposal[i]:
            yield (False, True), (*base, q_prev, q_next, q_won)
        else:
            yield (False, False), base
        if out:
            last_out = at
        zeros = 0 if reply[i] else zeros + 1
