"""Commands for cadences: `cadences list|show|check`, and a prospect's place in one:
`enroll`, `stop`, `pause`, `snooze`, `resume`."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

from pathlib import Path
from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, JsonOption, Session, YesOption, app, session
from followup_cli.cli.output import FormatOption, QuietOption, pick
from followup_cli.cli.selection import SelCadence, SelDue, SelSearch, SelStage, SelTag, TargetArg
from followup_cli.core import config
from followup_cli.core.errors import FollowupError, UsageError

cadences_app = typer.Typer(help="List, preview and check cadences.", no_args_is_help=True)
app.add_typer(cadences_app, name="cadences")

# --- cadence control: one prospect, or a selection (cli/selection.py) ---------------------


@app.command()
def enroll(
    ctx: typer.Context,
    prospect: TargetArg = None,
    cadence: Annotated[
        str | None,
        typer.Argument(help="Cadence name (see followup cadences list).", show_default=False),
    ] = None,
    start: Annotated[str | None, typer.Option(help="When it starts (default: now).")] = None,
    stage: SelStage = None,
    tag: SelTag = None,
    in_cadence: Annotated[
        str | None,
        typer.Option("--in-cadence", help="Act on everyone in this cadence.", show_default=False),
    ] = None,
    due: SelDue = None,
    search: SelSearch = None,
    yes: YesOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Start a cadence for a prospect, or for a selection (replacing the one they are in).

    Example: followup enroll dana post-demo --start tomorrow
    ·    followup enroll --stage cold thirty-day
    ·    followup list --tag expo -q | followup enroll - thirty-day --yes
    """
    from followup_cli.scheduling import enrollment

    selecting = any(x is not None for x in (stage, tag, in_cadence, due, search))
    if cadence is None and prospect != "-" and selecting:  # `enroll --stage cold thirty-day`
        prospect, cadence = None, prospect
    if cadence is None:
        raise UsageError(
            "Missing argument 'cadence'. Name one: followup enroll dana post-demo "
            "(see followup cadences list)."
        )
    s = session(ctx, db)
    start_at = s.when(start) if start is not None else s.now
    _act(
        s,
        (prospect, stage, tag, in_cadence, due, search),
        "enroll",
        f"enroll in {cadence}",
        lambda p: enrollment.enroll(s.conn, p, cadence, start=start_at, user_tz=s.tz),
        yes=yes,
        json=json,
        said=lambda p: f"{p.name} is now in {p.cadence}.",
        summary=lambda p: f"enrolled #{p.id} {p.name} in {cadence}",
    )


@app.command()
def stop(
    ctx: typer.Context,
    prospect: TargetArg = None,
    stage: SelStage = None,
    tag: SelTag = None,
    cadence: SelCadence = None,
    due: SelDue = None,
    search: SelSearch = None,
    yes: YesOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """End a prospect's cadence (or a selection's): no more touches are scheduled.

    Example: followup stop dana    ·    followup stop --tag churned --yes
    """
    _control(ctx, db, (prospect, stage, tag, cadence, due, search), "stop", None, yes, json)


@app.command()
def resume(
    ctx: typer.Context,
    prospect: TargetArg = None,
    stage: SelStage = None,
    tag: SelTag = None,
    cadence: SelCadence = None,
    due: SelDue = None,
    search: SelSearch = None,
    yes: YesOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Resume a paused or snoozed cadence where it left off (one prospect, or a selection).

    Example: followup resume dana    ·    followup resume --stage nurture
    """
    _control(ctx, db, (prospect, stage, tag, cadence, due, search), "resume", None, yes, json)


@app.command()
def snooze(
    ctx: typer.Context,
    until: Annotated[str, typer.Option(help="When to pick up again (monday, 2w, 2027-01-05).")],
    prospect: TargetArg = None,
    stage: SelStage = None,
    tag: SelTag = None,
    cadence: SelCadence = None,
    due: SelDue = None,
    search: SelSearch = None,
    yes: YesOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Push a prospect's (or a selection's) next touch to a later date; the cadence
    continues from there.

    Example: followup snooze dana --until monday    ·    followup snooze --due today --until 2d
    """
    _control(ctx, db, (prospect, stage, tag, cadence, due, search), "pause", until, yes, json)


@app.command()
def pause(
    ctx: typer.Context,
    prospect: TargetArg = None,
    all_: Annotated[bool, typer.Option("--all", help="Everyone (a vacation).")] = False,
    until: Annotated[str | None, typer.Option(help="Until when (default: until resume).")] = None,
    stage: SelStage = None,
    tag: SelTag = None,
    cadence: SelCadence = None,
    due: SelDue = None,
    search: SelSearch = None,
    yes: YesOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Pause one prospect's cadence, a selection's, or everyone's with --all --until (a
    vacation).

    Example: followup pause --all --until 2027-01-04    ·    followup pause --tag trade-show
    """
    selected = (prospect, stage, tag, cadence, due, search)
    everyone = "Name one prospect, or use --all --until WHEN for everyone."
    if not all_:
        if not (prospect or "").strip() and all(part is None for part in selected[1:]):
            raise UsageError(
                f"{everyone} Or select many: --stage, --tag, --cadence, --due, --search, "
                "or - to read ids from stdin."
            )
        _control(ctx, db, selected, "pause", until, yes, json)
        return
    if any(part is not None for part in selected):
        raise UsageError(everyone)
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
    if json:
        render.json_out({"command": "pause", "count": count, "until": store_text(until_at)})
        return
    render.note(
        f"Paused {count} prospect{'s' if count != 1 else ''} until "
        f"{until_at.astimezone(s.tz):%a %d %b %Y}; nothing is skipped, "
        "the schedule carries on from there.",
        "green",
    )


def store_text(moment: object) -> str:
    from followup_cli import store

    return store.to_text(moment)


def _control(
    ctx: typer.Context,
    db: str | None,
    selected: tuple,
    action: str,
    until: str | None,
    yes: bool,
    json: bool,
) -> None:
    from followup_cli.scheduling import enrollment

    s = session(ctx, db)
    until_at = s.until(until) if until is not None else None
    command = "snooze" if action == "pause" and until_at else action
    done = {"stop": "stopped", "resume": "resumed", "pause": "paused"}[action]

    def act(person: object) -> object:
        if action == "stop":
            return enrollment.stop(s.conn, person, s.tz)
        if action == "resume":
            return enrollment.resume(s.conn, person, s.tz)
        return enrollment.pause(s.conn, person, until_at, s.tz)

    later = f" until {until_at.date().isoformat()}" if until_at else ""
    what = {"stop": "stop the cadence of", "resume": "resume the cadence of"}.get(
        action, f"{command} the cadence of"
    )
    _act(
        s,
        selected,
        command,
        what + later if action == "pause" else what,
        act,
        yes=yes,
        json=json,
        said=lambda p: f"{p.cadence} {done} for {p.name}.",
        summary=lambda p: f"{command} #{p.id} {p.name}{later}",
    )


def _act(s, selected, command, what, act, *, yes, json, said, summary) -> None:  # noqa: ANN001
    """One prospect (as always), or a selection in one journal entry; then say what is next."""
    from followup_cli.cli.selection import run_bulk, selection
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.store import journal
    from followup_cli.views import changes, render

    target, stage, tag, cadence, due, search = selected
    chosen = selection(s, target, stage=stage, tag=tag, cadence=cadence, due=due, search=search)
    if chosen is None:
        with journal.record(s.conn, command, now=s.now) as entry:
            person = prospects.resolve(s.conn, target)
            entry.summary = summary(person)
            people = [act(person)]
    else:
        people = run_bulk(s, chosen, command, what, act, yes=yes, json=json)
    if json:
        render.json_out(changes.changed(command, people))
        return
    for person in people:
        render.note(said(person), "green")
        render.next_line(person, now=s.now, tz=s.tz)
    if chosen is not None and people:
        render.note(f"{len(people)} changed in one step: `followup undo` takes them all back.")


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
