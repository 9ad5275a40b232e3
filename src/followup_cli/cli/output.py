"""The options every listing shares: ``--format`` and ``-q/--quiet`` (views/formats.py
draws them), declared once. Light: `today` reads them on its hot path."""

# No `from __future__ import annotations` here: Typer reads these annotations at run time.

from typing import Annotated, Any

import typer

FORMAT_NAMES = ("table", "plain", "json", "csv", "tsv")  # views.formats.FORMATS

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="table, plain (aligned text for grep), json, csv or tsv.",
        show_default=False,
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Only the ids (names for files), one a line.")
]


def pick(fmt: str | None, json: bool, quiet: bool, *, default: str = "table") -> str:
    """The one format a listing prints: ``quiet``, or one of ``FORMAT_NAMES``. Two that
    disagree, or a name that is none of them, is a usage error."""
    from followup_cli.core.errors import UsageError

    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in FORMAT_NAMES:
            raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMAT_NAMES)}.")
    if quiet and (json or fmt not in (None, "plain")):
        raise UsageError("-q/--quiet prints ids only: leave out --json and --format.")
    if json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} disagree: give one of them.")
    if quiet:
        return "quiet"
    if json:
        return "json"
    return fmt or default


def journal_list(conn: Any, fmt: str) -> None:
    """`undo --list`: the last 20 entries of the journal, in ``fmt``."""
    from followup_cli.store import journal

    entries = journal.entries(conn, 20)
    if fmt != "table":
        from followup_cli.views import formats

        formats.emit([e.public() for e in entries], formats.JOURNAL, fmt, key="id")
        return
    from followup_cli.views import render

    render.journal(entries, mine=journal.session_id())


def undone(result: Any, fmt: str, foreign: list[Any], *, now: Any, tz: Any) -> None:
    """What `undo` took back, in ``fmt``: the journal entries as rows (``--list``'s columns),
    or the entries and the prospects' new plans as JSON."""
    from followup_cli.views import render

    if fmt == "json":
        render.json_out(
            {
                "undone": [e.public() for e in result.entries],
                "prospects": [p.public() for p in result.prospects],
            }
        )
        return
    if fmt != "table":
        from followup_cli.views import formats

        formats.emit([e.public() for e in result.entries], formats.JOURNAL, fmt, key="id")
        return
    theirs = {entry.id for entry in foreign}
    for done in result.entries:
        by = "" if done.id not in theirs else f" (written by process {done.origin.get('pid')})"
        render.note(f"Undid #{done.id} {done.command}: {done.summary}{by}.", "green")
    for person in result.prospects:
        render.next_line(person, now=now, tz=tz)
