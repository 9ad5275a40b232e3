"""Bulk selection, declared once: `--stage`, `--tag`, `--cadence`, `--due`, `--search`, or
`-` for ids and names on standard input, for the commands that act on many prospects
(enroll, stop, pause, snooze, resume, edit, rm). They say what will change and ask first
at a terminal (`--yes` to skip; without a terminal, --yes is required), and the whole batch
is one entry in the undo journal."""

# No `from __future__ import annotations` here: Typer reads these annotations at run time.

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from followup_cli.core.errors import UsageError

SelStage = Annotated[
    str | None, typer.Option("--stage", help="Act on everyone in this stage.", show_default=False)
]
SelTag = Annotated[
    str | None, typer.Option("--tag", help="Act on everyone with this tag.", show_default=False)
]
SelCadence = Annotated[
    str | None,
    typer.Option("--cadence", help="Act on everyone in this cadence.", show_default=False),
]
SelDue = Annotated[
    str | None,
    typer.Option("--due", help="Act on everyone due by then (today, friday).", show_default=False),
]
SelSearch = Annotated[
    str | None,
    typer.Option(
        "--search",
        help="Act on everyone with this text in name, company or email.",
        show_default=False,
    ),
]
TargetArg = Annotated[
    str | None,
    typer.Argument(
        help="Id, email or part of the name; - reads ids or names from stdin, one a line.",
        show_default=False,
    ),
]
SHOWN = 10  # names listed before asking


def selection(
    s: Any,
    target: str | None,
    *,
    stage: str | None = None,
    tag: str | None = None,
    cadence: str | None = None,
    due: str | None = None,
    search: str | None = None,
) -> Any:
    """The selection the options name, or None for one prospect named by ``target``."""
    from followup_cli.pipeline.selection import Selection, names_from

    names = None
    if target == "-":
        names = names_from(sys.stdin)
    elif target is not None:
        if any(x is not None for x in (stage, tag, cadence, due, search)):
            raise UsageError(
                f"Name one prospect ({target!r}) or select many (--stage, --tag, --cadence, "
                "--due, --search, or - for stdin), not both."
            )
        return None
    due_before = None
    if due is not None:
        from datetime import datetime, time

        from followup_cli import store

        moment = s.when(due)
        due_before = store.to_text(
            datetime.combine(moment.astimezone(s.tz).date(), time.max, tzinfo=s.tz)
        )
    chosen = Selection(stage, tag, cadence, due_before, search, names)
    if not chosen.given:
        raise UsageError(
            "Missing argument 'prospect'. Name one, or select many: --stage, --tag, "
            "--cadence, --due, --search, or - to read ids from stdin."
        )
    return chosen


def run_bulk(
    s: Any,
    chosen: Any,
    command: str,
    what: str,
    act: Callable[[Any], Any],
    *,
    yes: bool,
    json: bool,
) -> list[Any]:
    """Select, show what will change, confirm, then ``act`` on each prospect (its fresh
    row) inside one journal entry; the prospects as they are after. ``what`` completes
    "This will ..." ("stop the cadence of")."""
    from followup_cli.pipeline.selection import apply, select
    from followup_cli.store import journal
    from followup_cli.views import render

    people = select(s.conn, chosen)
    if not people:
        if json:
            return []
        render.note("No prospect matches: nothing changed.", "dim")
        return []
    count = f"{len(people)} prospect{'s' if len(people) != 1 else ''}"
    names = ", ".join(f"#{p.id} {p.name}" for p in people[:SHOWN])
    more = f" and {len(people) - SHOWN} more" if len(people) > SHOWN else ""
    if not yes:
        from followup_cli.cli import app as core

        if not core._interactive():
            raise UsageError(
                f"This would {what} {count} ({names}{more}): add --yes to go ahead "
                "(it is asked at a terminal)."
            )
        render.note(f"This will {what} {count}: {names}{more}.")
        typer.confirm("Go ahead?", abort=True)
    with journal.record(s.conn, command, now=s.now) as entry:
        done, skipped = apply(s.conn, people, act)
        changed = ", ".join(f"#{p.id} {p.name}" for p in done[:SHOWN])
        tail = f" and {len(done) - SHOWN} more" if len(done) > SHOWN else ""
        entry.summary = f"{command} {len(done)} prospects: {changed}{tail}"
    if skipped and not json:
        for person, reason in skipped:
            render.note(f"Skipped #{person.id} {person.name}: {reason}", "warning")
    return done
