"""How results look: Rich tables for people, JSON for scripts. Two views of the same
result objects; no decisions are made here."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from rich.text import Text

from followup_cli.views.agenda import day_label, due_text  # noqa: F401 (render.day_label)
from followup_cli.views.console import err, out
from followup_cli.views.lines import logged, next_line, when_label  # noqa: F401 (render.next_line, ...)


def json_out(data: Any) -> None:
    from followup_cli.views.json_output import print_json

    print_json(data)


def error(message: str) -> None:
    err.print(Text(f"Error: {message}", style="error"), soft_wrap=True)


def note(message: str, style: str = "") -> None:
    out.print(Text(message, style=style), soft_wrap=True)


# --- dates as a person reads them (shared with `today`'s view) ----------------------------


def due_label(moment: datetime, overdue_days: int, now: datetime, tz: tzinfo) -> Text:
    text, style = due_text(moment, overdue_days, now, tz)
    return Text(text, style=style)


# --- today -------------------------------------------------------------------------------------


def agenda(result: Any, *, now: datetime, tz: tzinfo, show_score: bool, days: int) -> None:
    from followup_cli.views.agenda import show

    show(result, now=now, tz=tz, show_score=show_score, days=days)


# --- prospects --------------------------------------------------------------------------------


def cadence_list(items: list[Any]) -> None:
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("Name", "Touches", "Spans", "Then", "Source", "Description"):
        table.add_column(column)
    for c in items:
        table.add_row(
            c["name"], c["touches"], c["spans"], c["then"] or "", c["origin"], c["description"]
        )
    out.print(table)


def cadence_calendar(c: Any, rows: list[Any], *, tz: tzinfo, start: datetime) -> None:
    out.print(Text(f"{c.name}", style="bold") + Text(f" — {c.description}"))
    rules = [
        f"business days {'on' if c.business_days else 'off'}",
        f"send window {c.window_start:%H:%M}-{c.window_end:%H:%M}",
        f"min gap {timedelta_label(c.min_gap)}",
        f"stops on {', '.join(sorted(c.stop_on))}",
    ]
    if c.cold_max_touches:
        rules.append(f"at most {c.cold_max_touches} touches if they never answer")
    if c.max_touches:
        rules.append(f"at most {c.max_touches} touches")
    out.print(Text("; ".join(rules), style="dim"))
    from rich.table import Table

    table = Table(
        show_edge=False,
        title=f"Starting {start.astimezone(tz):%a %d %b %Y %H:%M}",
        title_justify="left",
    )
    for column in ("Step", "Day", "Date", "Channel", "Purpose", "Template", "Note"):
        wraps = column in ("Purpose", "Note")
        table.add_column(column, no_wrap=not wraps, ratio=1 if wraps else None)
    for row in rows:
        touch = row.touch
        local = touch.due_at.astimezone(tz)
        day = (local.date() - start.astimezone(tz).date()).days
        moved = [part for part in row.why.split(", ") if part.startswith(("moved", "kept"))]
        if c.cold_max_touches and touch.step == c.cold_max_touches:
            moved.append("last one if they never answered")
        total = f"/{touch.steps_total}" if touch.steps_total else ""
        when = f"{local:%a %d %b %Y}" + (
            "" if local.time() == c.window_start else f" {local:%H:%M}"
        )
        table.add_row(
            f"{touch.step}{total}",
            f"d{day}",
            when,
            touch.channel,
            touch.purpose,
            touch.template or "",
            "; ".join(moved),
        )
    out.print(table)
    if c.repeat is not None:
        times = "forever" if c.repeat.times is None else f"{c.repeat.times} times"
        grow = f", each gap ×{c.repeat.grow:g}" if c.repeat.grow != 1 else ""
        note(f"…then every {timedelta_label(c.repeat.every)} {times}{grow}.", "dim")
    if c.then is not None:
        after = f" {timedelta_label(c.then.after)} later" if c.then.after else ""
        note(f"When it ends: {c.then.cadence}{after}.", "dim")


def timedelta_label(delta: timedelta) -> str:
    from followup_cli.core.dates import format_duration

    return format_duration(delta)


# --- the journal (undo --list) -----------------------------------------------------------------


def journal(entries: list[Any], *, mine: str) -> None:
    if not entries:
        note("Nothing recorded yet: the journal is empty.")
        return
    for e in entries:
        state = " (undone)" if e.undone_at else ""
        session = e.origin.get("session")
        by = "" if session == mine else f"  [process {e.origin.get('pid')}, {session}]"
        line = f"#{e.id:<5} {e.at}  {e.command:<10} {e.summary}{state}{by}"
        note(line, "dim" if e.undone_at else "")
    note("followup undo takes back the newest not undone; followup undo N, back to #N.")
