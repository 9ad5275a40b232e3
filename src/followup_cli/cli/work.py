"""`followup work`: the morning's queue, full screen, one keystroke a touch.

The screen (``cli/work_app.py``, prompt_toolkit) is imported only here, when the command
runs, in a thread: no other command pays for it, and until it is loaded
``cli/work_early.py`` paints the screen (``cli/work_frame.py``) and answers the keys.
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
    from followup_cli.cli import work_desk, work_early, work_frame
    from followup_cli.core import config

    terminal = work_frame.Terminal(sys.stdin.fileno(), sys.stdout.fileno())
    try:
        terminal.raw()  # from now on a key is neither echoed nor lost
        # Each action takes the time it is done at (FOLLOWUP_NOW, when set, pins it).
        morning = Morning(
            s.conn, clock=config.now, user_tz=s.tz, channel=picked, days=days, limit=limit
        ).load()
        desk = work_desk.Desk(morning, tz=s.tz)
        desk.columns, desk.rows = terminal.size()
        if morning.current is not None:  # on the first screen: a key pressed at once has it
            desk.make_draft(morning.current)
        early = work_early.Early(desk, terminal, colour=work_frame.colour_wanted())
        early.paint()
        # prompt_toolkit is the slow import: it loads while the early loop waits for keys.
        loader = work_early.Loader().start()
        if early.run(loader.ready, loader) == "handover":
            from followup_cli.cli import work_app

            terminal.handed_over = True
            work_app.run(desk)
    finally:  # everything was written as it was done: the summary is all that is left
        terminal.restore()
    typer.echo(desk.morning.summary().text())
