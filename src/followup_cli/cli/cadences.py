"""Commands for cadences: `cadences list|show|check`, and a prospect's place in one:
`enroll`, `stop`, `pause`, `snooze`, `resume`."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

from pathlib import Path
from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, JsonOption, ProspectArg, Session, app, session
from followup_cli.cli.output import FormatOption, QuietOption, pick
from followup_cli.core import config
from followup_cli.core.errors import FollowupError, UsageError

cadences_app = typer.Typer(help="List, preview and check cadences.", no_args_is_help=True)
app.add_typer(cadences_app, name="cadences")

# --- cadence control --------------------------------------------------------------------------


@app.command()
def enroll(
    ctx: typer.Context,
    prospect: ProspectArg,
    cadence: Annotated[str, typer.Argument(help="Cadence name (see followup cadences list).")],
    start: Annotated[str | None, typer.Option(help="When it starts (default: now).")] = None,
    db: DbOption = None,
) -> None:
    """Start a cadence for a prospect (replacing the one they are in).

    Example: followup enroll dana post-demo --start tomorrow
    """
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import enrollment
    from followup_cli.store import journal
    from followup_cli.views import render

    s = session(ctx, db)
    start_at = s.when(start) if start is not None else s.now
    with journal.record(s.conn, "enroll", now=s.now) as entry:
        person = prospects.resolve(s.conn, prospect)
        person = enrollment.enroll(s.conn, person, cadence, start=start_at, user_tz=s.tz)
        entry.summary = f"enrolled #{person.id} {person.name} in {cadence}"
    render.note(f"{person.name} is now in {person.cadence}.", "green")
    render.next_line(person, now=s.now, tz=s.tz)


@app.command()
def stop(ctx: typer.Context, prospect: ProspectArg, db: DbOption = None) -> None:
    """End a prospect's cadence: no more touches are scheduled.

    Example: followup stop dana
    """
    _control(ctx, db, prospect, "stop")


@app.command()
def resume(ctx: typer.Context, prospect: ProspectArg, db: DbOption = None) -> None:
    """Resume a paused or snoozed cadence where it left off.

    Example: followup resume dana
    """
    _control(ctx, db, prospect, "resume")


@app.command()
def snooze(
    ctx: typer.Context,
    prospect: ProspectArg,
    until: Annotated[str, typer.Option(help="When to pick up again (monday, 2w, 2027-01-05).")],
    db: DbOption = None,
) -> None:
    """Push a prospect's next touch to a later date; the cadence continues from there.

    Example: followup snooze dana --until monday
    """
    _control(ctx, db, prospect, "pause", until)


@app.command()
def pause(
    ctx: typer.Context,
    prospect: Annotated[str | None, typer.Argument(help="Id, email or part of the name.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Everyone (a vacation).")] = False,
    until: Annotated[str | None, typer.Option(help="Until when (default: until resume).")] = None,
    db: DbOption = None,
) -> None:
    """Pause one prospect's cadence, or everyone's with --all --until (a vacation).

    Example: followup pause --all --until 2027-01-04
    """
    if all_ == bool(prospect):
        raise UsageError("Name one prospect, or use --all --until WHEN for everyone.")
    if not all_:
        _control(ctx, db, prospect or "", "pause", until)
        return
    if until is None:
        raise UsageError("pause --all needs --until WHEN: the day you are back.")
    from followup_cli.scheduling import enrollment
    from followup_cli.store import journal
    from followup_cli.views import render

    s = session(ctx, db)
    until_at = s.until(until)
    with journal.record(s.conn, "pause", now=s.now) as entry:
        count = enrollment.pause_everyone(s.conn, until_at, s.tz)
        entry.summary = f"paused {count} prospects until {until_at.date().isoformat()}"
    render.note(
        f"Paused {count} prospect{'s' if count != 1 else ''} until "
        f"{until_at.astimezone(s.tz):%a %d %b %Y}; nothing is skipped, "
        "the schedule carries on from there.",
        "green",
    )


def _control(
    ctx: typer.Context, db: Path | None, prospect: str, action: str, until: str | None = None
) -> None:
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import enrollment
    from followup_cli.store import journal
    from followup_cli.views import render

    s = session(ctx, db)
    until_at = s.until(until) if until is not None else None
    command = "snooze" if action == "pause" and until_at else action
    with journal.record(s.conn, command, now=s.now) as entry:
        person = prospects.resolve(s.conn, prospect)
        entry.summary = f"{command} #{person.id} {person.name}" + (
            f" until {until_at.date().isoformat()}" if until_at else ""
        )
        if action == "stop":
            person = enrollment.stop(s.conn, person, s.tz)
        elif action == "resume":
            person = enrollment.resume(s.conn, person, s.tz)
        else:
            person = enrollment.pause(s.conn, person, until_at, s.tz)
    done = {"stop": "stopped", "resume": "resumed", "pause": "paused"}[action]
    render.note(f"{person.cadence} {done} for {person.name}.", "green")
    render.next_line(person, now=s.now, tz=s.tz)


# --- cadences ---------------------------------------------------------------------------------


@cadences_app.command("list")
def cadences_list(
    json: JsonOption = False, format_: FormatOption = None, quiet: QuietOption = False
) -> None:
    """Every cadence, shipped or yours (yours override shipped ones by name).

    Example: followup cadences list    ·    followup cadences list -q
    """
    from followup_cli.scheduling import cadence
    from followup_cli.views import render

    fmt = pick(format_, json, quiet)
    items = cadence.summaries()
    if fmt != "table":
        from followup_cli.views import formats

        formats.emit(items, formats.CADENCES, fmt, key="name")
        return
    render.cadence_list(items)


@cadences_app.command("show")
def cadences_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Cadence name.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="Preview starting then (default: now).")
    ] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="Preview in this timezone.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Skip this country's public holidays.")
    ] = None,
    json: JsonOption = False,
) -> None:
    """A cadence's rules and its calendar from a start date.

    Example: followup cadences show steli-persistence --from 2026-12-01
    """
    from followup_cli.pipeline.prospect import check_country
    from followup_cli.scheduling import cadence
    from followup_cli.scheduling.schedule import preview
    from followup_cli.views import render

    s = Session(None)
    zone = config.zone(tz) if tz else s.tz
    start = s.when(from_) if from_ is not None else s.now
    found = cadence.load_cadence(name)
    rows = preview(found, start=start, tz=zone, country=check_country(country) if country else None)
    if json:
        render.json_out(cadence.describe(found, rows))
        return
    render.cadence_calendar(found, rows, tz=zone, start=start)


@cadences_app.command("check")
def cadences_check(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Files to check (default: all).")
    ] = None,
) -> None:
    """Check cadence files: every problem with its file, line and field.

    Example: followup cadences check ~/.config/followup/cadences/mine.yaml
    """
    from followup_cli.scheduling import cadence_check
    from followup_cli.views import render

    warnings: list[str] = []
    problems, checked = cadence_check.check_all(files or None, warnings)
    for warning in warnings:  # allowed, but it cannot work as written: exit status stays 0
        render.err.print(warning, soft_wrap=True, markup=False, style="yellow")
    for problem in problems:
        render.err.print(problem, soft_wrap=True, markup=False)
    if problems:
        raise FollowupError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
            f"in {checked} cadence file{'s' if checked != 1 else ''}."
        )
    plural = "s" if len(warnings) != 1 else ""
    warned = f", {len(warnings)} warning{plural} above" if warnings else ""
    render.note(f"{checked} cadence file{'s' if checked != 1 else ''} OK{warned}.", "green")
