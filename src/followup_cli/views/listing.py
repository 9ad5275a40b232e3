"""How `followup list` looks: a Rich table at a terminal; piped, one line a prospect in
fixed columns, written as the rows are read.

Piped output is for `grep`, `wc -l` and `less`: Rich would add nothing to it but its own
start-up and a pass over every row to measure the columns, so it is never imported and
`list --all` streams. The note that more prospects matched goes to standard error there, so
the lines on standard output are prospects and nothing else.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.views.agenda import day_label, last_touch_label, money

# (header, columns, right-aligned): the last column takes what it needs
COLUMNS = (
    ("#", 7, True),
    ("Name", 24, False),
    ("Company", 20, False),
    ("Stage", 10, False),
    ("Value", 11, True),
    ("Cadence", 22, False),
    ("Next", 22, False),
    ("Last touch", 0, False),
)


def prospect_list(
    prospects: Iterable[Any], *, now: datetime, tz: tzinfo, more: int = 0, total: int = 0
) -> None:
    """``prospects`` as a table (terminal) or lines (piped); ``more`` matched but are not
    shown (``total`` in all)."""
    if sys.stdout.isatty():
        _table(list(prospects), now=now, tz=tz, more=more, total=total)
        return
    out = sys.stdout
    batch = [_line(header for header, _, _ in COLUMNS)]
    count = 0
    for p in prospects:
        batch.append(_line(cells(p, now, tz)))
        count += 1
        if len(batch) == 1000:  # a write a line costs more than the line (PYTHONUNBUFFERED)
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
    out.flush()
    if not count:
        sys.stderr.write("No prospects match.\n")
    elif more:
        sys.stderr.write(f"{count} of {total:,} prospects: --all to see them all, or --limit N\n")


def cells(p: Any, now: datetime, tz: tzinfo) -> tuple[str, ...]:
    """One prospect's row, as the table shows it."""
    nxt = store.from_text(p.next_due_at)
    next_text = f"{p.next_channel} {day_label(nxt, now, tz)}" if nxt else "—"
    if p.do_not_contact:
        next_text = "do not contact"
    last = last_touch_label(
        store.from_text(p.last_touch_at), p.last_touch_channel, p.last_touch_outcome, now
    )
    return (
        str(p.id),
        p.name,
        p.company or "",
        p.stage,
        money(p.value),
        p.cadence or "",
        next_text,
        last,
    )


def _line(values: Iterable[str]) -> str:
    parts = []
    for (_, width, right), value in zip(COLUMNS, values, strict=True):
        if not width:
            parts.append(value)
        elif right:
            parts.append(value.rjust(width - 2) + "  ")
        elif value.isascii() and len(value) < width:
            parts.append(value.ljust(width))
        else:
            from followup_cli.core.text import fit

            parts.append(fit(value, width))
    return "".join(parts).rstrip() + "\n"


def _table(prospects: list[Any], *, now: datetime, tz: tzinfo, more: int, total: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from followup_cli.views.console import out

    if not prospects:
        out.print(Text("No prospects match.", style="dim"))
        return
    table = Table(show_edge=False)
    for header, _, right in COLUMNS:
        table.add_column(header, justify="right" if right else "left")
    for p in prospects:
        table.add_row(*cells(p, now, tz))
    count = f"{len(prospects)} prospect{'s' if len(prospects) != 1 else ''}"
    if more:
        count = f"{len(prospects)} of {total:,} prospects: --all to see them all, or --limit N"
    if len(prospects) > out.height:  # a long listing at a terminal goes through the pager
        with out.pager():
            out.print(table)
            out.print(Text(count, style="dim"))
        return
    out.print(table)
    out.print(Text(count, style="dim"))
