"""`followup undo`: take back the last command (or back to one entry of the journal), and
say whose it was when another session wrote it. The journal itself is ``store.journal``."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime

from followup_cli import store
from followup_cli.core.errors import FollowupError, NothingToUndo
from followup_cli.pipeline.prospect import Prospect
from followup_cli.store import journal
from followup_cli.store import prospects as prospect_rows
from followup_cli.store.journal import Recorded


class ChangedMeanwhile(FollowupError):
    pass


@dataclass(frozen=True)
class Undone:
    entries: list[Recorded]
    prospects: list[Prospect] = field(default_factory=list)  # as they are now, still there


def pending(conn: sqlite3.Connection, entry_id: int | None = None) -> list[Recorded]:
    """What `undo` (or `undo N`) would reverse, newest first."""
    found = journal.pending_from(conn, entry_id)
    if found:
        return found
    if entry_id is None:
        raise NothingToUndo(
            "Nothing to undo: every recorded change is already undone (see followup undo --list)."
            if journal.entries(conn, 1)
            else "Nothing to undo: no change has been recorded yet."
        )
    known = journal.entry(conn, entry_id)
    if known is None:
        raise NothingToUndo(f"There is no entry #{entry_id}: see followup undo --list.")
    raise NothingToUndo(f"Entry #{entry_id} ({known.summary}) was already undone.")


def others(entries: list[Recorded]) -> list[Recorded]:
    """The entries another session (terminal, script, cron job) wrote."""
    mine = journal.session_id()
    return [e for e in entries if e.origin.get("session") != mine]


def whose(entry: Recorded) -> str:
    by = entry.origin
    return (
        f"#{entry.id} `{entry.command}` ({entry.summary}) was written at {entry.at} by "
        f"another session: process {by.get('pid')}, {by.get('session')}, "
        f"{by.get('user')}@{by.get('host')}"
    )


def undo(
    conn: sqlite3.Connection, expected: list[Recorded], entry_id: int | None, *, now: datetime
) -> Undone:
    """Reverse ``expected`` (what ``pending`` said), newest first, in one transaction; if
    another process recorded something in between, nothing is changed."""
    with store.transaction(conn):
        current = journal.pending_from(conn, entry_id)
        if [e.id for e in current] != [e.id for e in expected]:
            raise ChangedMeanwhile(
                "Another followup changed the data while you were asked: nothing was undone. "
                "Run followup undo again."
            )
        touched: list[int] = []
        for entry in current:
            touched += journal.reverse(conn, entry.id, now=now)
        people = []
        for prospect_id in dict.fromkeys(touched):
            row = prospect_rows.by_id(conn, prospect_id)
            if row is not None:
                people.append(Prospect.from_row(row))
    # as the journal now holds them: undone, at ``now``
    done = [replace(entry, undone_at=store.to_text(now)) for entry in current]
    return Undone(done, people)


def undo_latest(conn: sqlite3.Connection, *, now: datetime) -> Undone:
    """Reverse the newest entry, whoever wrote it (for code; the command asks first)."""
    return undo(conn, pending(conn), None, now=now)
