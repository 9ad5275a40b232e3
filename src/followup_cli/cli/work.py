"""`followup work`: the morning's queue, full screen, one keystroke a touch.

The screen (``cli/work_app.py``, prompt_toolkit) is imported only here, when the command
runs: no other command pays for it, and ``cli/work_frame.py`` draws the first screen before
it is loaded.
"""

# No `from __future__ import annotations` here: Typer reads these annotations at run time.

from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, app, session
from followup_cli.core.errors import UsageError


@app.command()
def work(
    ctx: typer.Context,
    channel: Annotated[
        str | None, typer.Option(help="Only this channel (call, email, ...).")
    ] = None,
    days: Annotated[int, typer.Option(min=0, help="Also work what is due in the next N days.")] = 0,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="At most this many per channel, the most urgent (default: today.limit in "
            "config.toml, or 15).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Work through today's queue full screen: the prospect, why they are due, the checked
    draft, and one key a touch (s sent, v voicemail, z snooze, u undo, ? help, q quit).

    Example: followup work    ·    followup work --channel call
    """
    import sys

    from followup_cli.core.vocab import CHANNELS, choose
    from followup_cli.pipeline.morning import Morning

    s = session(ctx, db)
    picked = choose(channel, CHANNELS, "channel") if channel else None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "followup work needs a terminal (it is full screen): run it in one, "
            "or use followup today and followup log in a script."
        )
    if limit is None:
        from followup_cli.core.settings import settings

        limit = settings().today.limit
    from followup_cli.cli import work_frame
    from followup_cli.core import config

    # Each action takes the time it is done at (FOLLOWUP_NOW, when set, pins it).
    morning = Morning(
        s.conn, clock=config.now, user_tz=s.tz, channel=picked, days=days, limit=limit
    ).load()
    # The first screen is drawn before the screen library is imported (the slow part).
    terminal = work_frame.Terminal(sys.stdin.fileno(), sys.stdout.fileno())
    seen = morning.focus(morning.current) if morning.current else None
    columns, rows = terminal.size()
    first = work_frame.frame(morning, seen, tz=s.tz, columns=columns, rows=rows)
    try:
        terminal.show(work_frame.vt100(first, colour=work_frame.colour_wanted()))
        from followup_cli.cli import work_app

        terminal.handed_over = True
        work_app.run(morning, tz=s.tz, seen=seen)
    finally:  # everything was written as it was done: the summary is all that is left
        terminal.restore()
        typer.echo(morning.summary().text())
