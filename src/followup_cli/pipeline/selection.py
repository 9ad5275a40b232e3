"""Acting on many prospects at once: who a selection names (a stage, a tag, a cadence,
a due date, a search, and/or ids and names read from standard input), so bulk commands
say how many will change before they change anything."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from followup_cli.core.errors import AmbiguousProspect, FollowupError, ProspectNotFound
from followup_cli.core.vocab import STAGES, choose
from followup_cli.pipeline import listing
from followup_cli.pipeline import prospect as prospects
from followup_cli.store import transaction


@dataclass(frozen=True)
class Selection:
    """What the user asked for; every given part must hold (they narrow each other)."""

    stage: str | None = None
    tag: str | None = None
    cadence: str | None = None
    due_before: str | None = None  # UTC ISO text, as `list --due` compares
    search: str | None = None  # in the name, company or email, as `list --search`
    names: tuple[str, ...] | None = None  # ids, emails or names, one per line of stdin

    @property
    def given(self) -> bool:
        parts = (self.stage, self.tag, self.cadence, self.due_before, self.search)
        return self.names is not None or any(part is not None for part in parts)


def names_from(lines: Iterable[str]) -> tuple[str, ...]:
    """The non-blank lines of standard input, each stripped: `followup list -q` output."""
    return tuple(line.strip() for line in lines if line.strip())


def select(conn: sqlite3.Connection, selection: Selection) -> list[prospects.Prospect]:
    """The prospects the selection names, each once, in the order `list` shows them (or
    the order read from stdin). A name on stdin that matches nobody, or more than one, is
    an error naming its line: nothing is acted on."""
    stage = choose(selection.stage, STAGES, "stage") if selection.stage else None
    found = list(
        listing.search_rows(
            conn,
            stage=stage,
            tag=selection.tag,
            due_before=selection.due_before,
            text=selection.search,
        )
    )
    if selection.cadence is not None:
        found = [p for p in found if p.cadence == selection.cadence]
    if selection.names is None:
        return found
    allowed = {p.id for p in found}
    picked: list[prospects.Prospect] = []
    seen: set[int] = set()
    for number, name in enumerate(selection.names, 1):
        try:
            person = prospects.resolve(conn, name)
        except (ProspectNotFound, AmbiguousProspect) as error:
            raise type(error)(f"Line {number} of standard input: {error}") from None
        if person.id in allowed and person.id not in seen:
            seen.add(person.id)
            picked.append(person)
    return picked


def apply(
    conn: sqlite3.Connection, people: list[prospects.Prospect], act: Callable[[Any], Any]
) -> tuple[list[Any], list[tuple[prospects.Prospect, str]]]:
    """``act`` on each prospect's fresh row, inside the caller's transaction (one journal
    entry): (what ``act`` returned for each, the ones it refused with why). A refused one
    is left as it was, its own writes rolled back; the others go ahead."""
    done: list[Any] = []
    skipped: list[tuple[prospects.Prospect, str]] = []
    for person in people:
        try:
            with transaction(conn):  # a savepoint inside the entry's transaction
                done.append(act(prospects.get(conn, person.id)))
        except FollowupError as error:
            skipped.append((person, str(error)))
    return done, skipped
