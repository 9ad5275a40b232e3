"""Tables that triggers keep from the prospects and touches (running counts such as
``due_slots``), and how a bulk load keeps them right at a fraction of the cost: their
triggers are set aside for the load, the rows it touches are taken out of the counts
before (set-based, one statement) and put back after, as the triggers would have done row
by row (``bulk``).

A table kept by triggers that is not listed in ``DERIVED`` keeps its triggers during a bulk
load: it stays right, only slower. ``tests/data/test_import_bulk.py`` holds every derived
table after a bulk import equal to what the same import writes row by row.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from followup_cli.store.migrations import _SLOT


@dataclass(frozen=True)
class Derived:
    """A table kept by ``triggers`` on ``source``; ``remove`` and ``add`` take the rows of
    ``source`` that an SQL query of ids selects out of it, and put them in, set-based;
    ``rebuild`` counts it again from the whole of ``source``."""

    name: str
    source: str
    triggers: tuple[str, ...]
    remove: Callable[[sqlite3.Connection, str], None]
    add: Callable[[sqlite3.Connection, str], None]
    rebuild: Callable[[sqlite3.Connection], None]


# --- due_slots (m013): who is due, per quarter hour and channel ------------------------------

_DUE = "p.do_not_contact = 0 AND p.next_due_at IS NOT NULL"
_GROUPED = (
    f"SELECT {_SLOT.format(r='p')} AS slot, coalesce(p.next_channel, '') AS channel, "
    "count(*) AS n, max(p.priority) AS hi_priority, max(coalesce(p.value, 0)) AS hi_value "
    f"FROM prospects p WHERE {_DUE} AND p.id IN ({{ids}}) GROUP BY 1, 2"
)


def _slots_remove(conn: sqlite3.Connection, ids: str) -> None:
    conn.execute(
        f"UPDATE due_slots SET n = due_slots.n - g.n FROM ({_GROUPED.format(ids=ids)}) AS g "
        "WHERE due_slots.slot = g.slot AND due_slots.channel = g.channel"
    )
    conn.execute("DELETE FROM due_slots WHERE n <= 0")


def _slots_add(conn: sqlite3.Connection, ids: str) -> None:
    # A slot's highest priority and value only rise as people come, as the triggers keep them.
    conn.execute(
        f"INSERT INTO due_slots SELECT * FROM ({_GROUPED.format(ids=ids)}) WHERE true "
        "ON CONFLICT (slot, channel) DO UPDATE SET n = n + excluded.n, "
        "hi_priority = max(hi_priority, excluded.hi_priority), "
        "hi_value = max(hi_value, excluded.hi_value)"
    )


def _slots_rebuild(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM due_slots")
    _slots_add(conn, "SELECT id FROM prospects")


DERIVED: tuple[Derived, ...] = (
    Derived(
        "due_slots",
        "prospects",
        ("prospects_due_slot_ai", "prospects_due_slot_ad", "prospects_due_slot_au"),
        _slots_remove,
        _slots_add,
        _slots_rebuild,
    ),
)


@contextlib.contextmanager
def bulk(conn: sqlite3.Connection, source: str, ids: str | None = None) -> Iterator[None]:
    """A block of writes to ``source`` with the triggers of its derived tables set aside.
    With ``ids`` (an SQL query of ids, run before and after the block) the block writes
    only those rows and deletes none: they are taken out of the derived tables before it
    and put back after it. Without, the derived tables are counted again from the whole of
    ``source`` after it. Inside the import's transaction, so a failure puts the triggers
    back with everything else."""
    kept = [d for d in DERIVED if d.source == source and _has_triggers(conn, d)]
    saved: list[str] = []
    for derived in kept:
        if ids is not None:
            derived.remove(conn, ids)
        for name in derived.triggers:
            row = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
            ).fetchone()
            saved.append(row[0])
            conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for sql in saved:
        conn.execute(sql)
    for derived in kept:
        if ids is None:
            derived.rebuild(conn)
        else:
            derived.add(conn, ids)


def _has_triggers(conn: sqlite3.Connection, derived: Derived) -> bool:
    marks = ", ".join("?" for _ in derived.triggers)
    found = conn.execute(
        f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        list(derived.triggers),
    ).fetchone()[0]
    return found == len(derived.triggers)


def listed_triggers() -> set[str]:
    """The triggers ``bulk`` sets aside (those of every table in ``DERIVED``)."""
    return {name for derived in DERIVED for name in derived.triggers}
