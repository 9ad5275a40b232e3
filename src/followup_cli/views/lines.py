"""What `log` (and the commands that end with the next touch) say: a line or three.

At a terminal Rich paints them. Piped (scripts, cron, many writers at once), Rich would add
nothing to a line of text, so the text is written directly and Rich is never imported:
`log` should cost little more than its write.
"""

from __future__ import annotations

import sys
from datetime import datetime, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.views.agenda import day_label


def note(message: str, style: str = "") -> None:
    if not sys.stdout.isatty():
        sys.stdout.write(f"{message}\n")
        return
    from rich.text import Text

    from followup_cli.views.console import out

    out.print(Text(message, style=style), soft_wrap=True)


def logged(result: Any, *, now: datetime, tz: tzinfo) -> None:
    t, p = result.touch, result.prospect
    step = f" (step {t.step} of {t.cadence})" if t.step else ""
    note(
        f"Logged {t.channel} {t.direction}bound to {p.name}: {t.outcome.replace('_', ' ')}{step}.",
        "green",
    )
    if result.effect:
        note(result.effect)
    next_line(p, now=now, tz=tz)


def next_line(p: Any, *, now: datetime, tz: tzinfo) -> None:
    due = store.from_text(p.next_due_at)
    if due is None:
        note(f"No next touch: {p.next_why}", "warning")
        return
    note(f"Next: {p.next_channel} {when_label(due, now, tz)} — {p.next_purpose}. {p.next_why}")


def when_label(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """``today 09:00``, ``tomorrow 09:00``, ``Mon 30 Nov 09:00``: the day once, then the time."""
    day = day_label(moment, now, tz)
    return f"{day} {moment.astimezone(tz):%H:%M}"
