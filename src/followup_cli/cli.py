"""The `followup` command line: parse, call the domain, render. Nothing is decided here."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from followup_cli import __version__, config
from followup_cli.errors import DatabaseError, FollowupError, InvalidValue, UsageError


class FollowupGroup(TyperGroup):
    """The one boundary where a user's mistake becomes a red line and an exit status."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FollowupError as error:
            from followup_cli import render

            render.error(str(error))
            raise typer.Exit(error.exit_code) from None
        except sqlite3.OperationalError as error:
            from followup_cli import render

            render.error(
                f"The database could not be used ({error}). If another followup is busy, "
                "try again; if the disk is full or read-only, free space or use --db."
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=FollowupGroup,
    help="Follow up with every prospect, on time, with something worth saying.\n\n"
    "The daily loop: `followup today`, then `followup log` after each touch, "
    "and `followup draft` to write the next one.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cadences_app = typer.Typer(help="List, preview and check cadences.", no_args_is_help=True)
app.add_typer(cadences_app, name="cadences")


# --- shared options, declared once ---------------------------------------------------------

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Database file (default: FOLLOWUP_DB, or your user data dir).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys, UTC times).")]
ProspectArg = Annotated[str, typer.Argument(help="Id, email, or an unambiguous part of the name.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


@dataclass
class Session:
    """What every command needs: the database, the time, the user's timezone."""

    db_path: Path | None

    @cached_property
    def now(self) -> datetime:
        return config.now()

    @cached_property
    def tz(self) -> tzinfo:
        return config.user_timezone()

    @cached_property
    def conn(self) -> sqlite3.Connection:
        from followup_cli import enrollment, store

        conn = store.open_db(self.db_path or config.default_db_path())
        enrollment.refresh_if_cadences_changed(conn, self.tz)
        return conn

    def when(self, text: str, *, past: bool = False) -> datetime:
        from followup_cli.dates import parse_when

        return parse_when(text, now=self.now, tz=self.tz, direction="past" if past else "future")


def session(ctx: typer.Context, db: Path | None) -> Session:
    root = ctx.find_root().obj
    return Session(db or (root.db_path if isinstance(root, Session) else None))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"followup {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: DbOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = Session(db)


# --- the daily loop ---------------------------------------------------------------------------


@app.command()
def today(
    ctx: typer.Context,
    channel: Annotated[
        str | None, typer.Option(help="Only this channel (call, email, ...).")
    ] = None,
    days: Annotated[int, typer.Option(min=0, help="Also list what is due in the next N days.")] = 0,
    score: Annotated[bool, typer.Option("--score", help="Show the urgency score.")] = False,
    limit: Annotated[
        int, typer.Option(min=1, help="At most this many rows per channel (the most urgent).")
    ] = 25,
    all_: Annotated[bool, typer.Option("--all", help="Every row, however many.")] = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Who is due or overdue today, batched by channel, most urgent first.

    Example: followup today --channel call
    """
    from followup_cli import agenda
    from followup_cli.vocab import CHANNELS, choose

    s = session(ctx, db)
    picked = choose(channel, CHANNELS, "channel") if channel else None
    result = agenda.build(s.conn, now=s.now, user_tz=s.tz, days=days, channel=picked)
    if json:
        from followup_cli.render import json_out

        items = sorted(result.due, key=lambda i: (-i.score, i.due_at)) + result.upcoming
        json_out([item.public() for item in items])
        return
    from followup_cli import render

    render.agenda(
        result, now=s.now, tz=s.tz, show_score=score, days=days, limit=None if all_ else limit
    )


@app.command()
def log(
    ctx: typer.Context,
    prospect: ProspectArg,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel", "-c", help="call, email, linkedin, video, text, mail or meeting."
        ),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            "-o",
            help="sent, no_answer, voicemail, replied, meeting, not_now, won, lost, "
            "opted_out, bounced or out_of_office.",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="What happened, in a line.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help="When it happened, if not now (2026-11-20T15:00, yesterday, 2d)."),
    ] = None,
    template: Annotated[str | None, typer.Option(help="The template used.")] = None,
    until: Annotated[
        str | None, typer.Option(help="With not_now or out_of_office: when to pick up again.")
    ] = None,
    direction: Annotated[
        str | None, typer.Option(help="out (we reached them) or in (they reached us).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record a touch and its outcome; the cadence moves on and says when the next is due.

    Example: followup log dana --channel call --outcome voicemail --note "left VM re: section 3"
    """
    from followup_cli import prospect as prospects
    from followup_cli import render, store
    from followup_cli.touch import log_touch
    from followup_cli.vocab import CHANNELS, DIRECTIONS, OUTCOMES, choose

    s = session(ctx, db)
    channel = choose(channel or _ask("channel", CHANNELS), CHANNELS, "channel")
    outcome = choose(outcome or _ask("outcome", OUTCOMES), OUTCOMES, "outcome")
    direction = choose(direction, DIRECTIONS, "direction") if direction else None
    moment = s.when(at, past=True) if at else s.now
    until_at = s.when(until) if until else None
    if until_at and outcome not in ("not_now", "out_of_office"):
        raise InvalidValue("--until goes with --outcome not_now or out_of_office.")
    with store.transaction(s.conn):
        person = prospects.resolve(s.conn, prospect)
        result = log_touch(
            s.conn,
            person,
            channel=channel,
            outcome=outcome,
            at=moment,
            now=s.now,
            user_tz=s.tz,
            note=note,
            template=template,
            until=until_at,
            direction=direction,
        )
    render.logged(result, now=s.now, tz=s.tz)


def _interactive() -> bool:
    """Whether a person is at the keyboard to answer a question."""
    return sys.stdin.isatty()


def _ask(what: str, choices: tuple[str, ...]) -> str:
    """A short numbered menu when stdin is a terminal; a usage error otherwise."""
    if not _interactive():
        raise UsageError(f"Missing --{what}: give one of {', '.join(choices)}.")
    for number, choice in enumerate(choices, 1):
        typer.echo(f"  {number}) {choice.replace('_', ' ')}")
    answer = typer.prompt(f"{what.capitalize()} (number or name)")
    if answer.strip().isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    return answer


@app.command()
def undo(ctx: typer.Context, db: DbOption = None) -> None:
    """Take back the last logged touch and restore the schedule exactly as it was.

    Example: followup undo
    """
    from followup_cli import render, store
    from followup_cli.touch import undo_last

    s = session(ctx, db)
    with store.transaction(s.conn):
        touch, person = undo_last(s.conn)
    render.note(
        f"Removed the {touch.channel} ({touch.outcome.replace('_', ' ')}) logged for "
        f"{person.name} at {touch.at}.",
        "green",
    )
    render.next_line(person, now=s.now, tz=s.tz)


# --- prospects --------------------------------------------------------------------------------

EmailOpt = Annotated[str | None, typer.Option(help="Email address.")]
PhoneOpt = Annotated[str | None, typer.Option(help="Phone number.")]
CompanyOpt = Annotated[str | None, typer.Option(help="Company.")]
TitleOpt = Annotated[str | None, typer.Option(help="Job title.")]
StageOpt = Annotated[
    str | None, typer.Option(help="cold, interest, active, proposal, customer, lost or nurture.")
]
ValueOpt = Annotated[str | None, typer.Option(help="Deal value, e.g. 24000.")]
PriorityOpt = Annotated[str | None, typer.Option(help="low, normal, high or urgent.")]
TzOpt = Annotated[
    str | None, typer.Option("--tz", "--timezone", help="IANA timezone, e.g. America/Denver.")
]
CountryOpt = Annotated[
    str | None,
    typer.Option(help="Two-letter country code for public holidays (default: from the timezone)."),
]
ChannelOpt = Annotated[str | None, typer.Option("--channel", help="Preferred channel.")]
TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", help="A tag (repeat, or comma-separate).")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", help="A custom field for templates: key=value (repeatable)."),
]
ReferredOpt = Annotated[str | None, typer.Option(help="Who referred them.")]
RelationshipOpt = Annotated[
    str | None, typer.Option(help="transaction, repeat, loyal or advocate.")
]
BirthdayOpt = Annotated[str | None, typer.Option(help="YYYY-MM-DD or MM-DD.")]
AnniversaryOpt = Annotated[str | None, typer.Option(help="Work anniversary, YYYY-MM-DD or MM-DD.")]
LinkedinOpt = Annotated[str | None, typer.Option(help="LinkedIn profile URL.")]
KeyPointsOpt = Annotated[str | None, typer.Option(help="Key conversation points.")]
CompetitorsOpt = Annotated[str | None, typer.Option(help="Competitors they mentioned.")]
DecisionOpt = Annotated[str | None, typer.Option(help="Who else decides.")]
PersonalOpt = Annotated[str | None, typer.Option(help="Personal details worth remembering.")]
NotesOpt = Annotated[str | None, typer.Option(help="Free notes.")]
PaceOpt = Annotated[
    str | None, typer.Option(help="Stretch every gap for busy people: 1.5 = 50% more time.")
]


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    company: CompanyOpt = None,
    title: TitleOpt = None,
    stage: StageOpt = None,
    value: ValueOpt = None,
    priority: PriorityOpt = None,
    tz: TzOpt = None,
    country: CountryOpt = None,
    channel: ChannelOpt = None,
    tag: TagOpt = None,
    set_: SetOpt = None,
    referred_by: ReferredOpt = None,
    relationship: RelationshipOpt = None,
    birthday: BirthdayOpt = None,
    anniversary: AnniversaryOpt = None,
    linkedin: LinkedinOpt = None,
    key_points: KeyPointsOpt = None,
    competitors: CompetitorsOpt = None,
    decision_makers: DecisionOpt = None,
    personal: PersonalOpt = None,
    notes: NotesOpt = None,
    pace: PaceOpt = None,
    cadence: Annotated[
        str | None, typer.Option(help="Enroll in this cadence (default: the stage's own).")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="When the cadence starts (default: now).")
    ] = None,
    no_cadence: Annotated[
        bool, typer.Option("--no-cadence", help="Do not enroll in any cadence.")
    ] = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Add a prospect and enroll them in a cadence.

    Example: followup add "Dana Reyes" --email dana@acme.io --company Acme --stage proposal
    --value 24000 --tz America/Denver --tag saas --set pain_point="manual renewals"
    --cadence post-proposal
    """
    from followup_cli import enrollment, store
    from followup_cli import prospect as prospects
    from followup_cli.vocab import STAGE_DEFAULT_CADENCE

    s = session(ctx, db)
    details = prospects.clean_details(
        dict(
            email=email,
            phone=phone,
            company=company,
            title=title,
            stage=stage,
            value=value,
            priority=priority,
            timezone=tz,
            country=country,
            channel=channel,
            referred_by=referred_by,
            relationship=relationship,
            birthday=birthday,
            anniversary=anniversary,
            linkedin=linkedin,
            key_points=key_points,
            competitors=competitors,
            decision_makers=decision_makers,
            personal=personal,
            notes=notes,
            pace=pace,
        )
    )
    fields = prospects.parse_fields(set_ or [])
    tags = prospects.parse_tags(tag or [])
    if cadence and no_cadence:
        raise InvalidValue("Give --cadence or --no-cadence, not both.")
    chosen = None if no_cadence else cadence or STAGE_DEFAULT_CADENCE[details.get("stage", "cold")]
    start_at = s.when(start) if start else s.now
    with store.transaction(s.conn):
        person = prospects.insert(s.conn, name, details, tags=tags, fields=fields, now=s.now)
        if chosen:
            person = enrollment.enroll(s.conn, person, chosen, start=start_at, user_tz=s.tz)
    _show_saved(person, s, json, f"Added #{person.id} {person.name}")


def _show_saved(person: Any, s: Session, json: bool, message: str) -> None:
    from followup_cli import render

    if json:
        render.json_out(person.public())
        return
    render.note(message + (f", in {person.cadence}." if person.cadence else "."), "green")
    render.next_line(person, now=s.now, tz=s.tz)


@app.command()
def edit(
    ctx: typer.Context,
    prospect: ProspectArg,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    company: CompanyOpt = None,
    title: TitleOpt = None,
    stage: StageOpt = None,
    value: ValueOpt = None,
    priority: PriorityOpt = None,
    tz: TzOpt = None,
    country: CountryOpt = None,
    channel: ChannelOpt = None,
    tag: TagOpt = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    set_: SetOpt = None,
    referred_by: ReferredOpt = None,
    relationship: RelationshipOpt = None,
    birthday: BirthdayOpt = None,
    anniversary: AnniversaryOpt = None,
    linkedin: LinkedinOpt = None,
    key_points: KeyPointsOpt = None,
    competitors: CompetitorsOpt = None,
    decision_makers: DecisionOpt = None,
    personal: PersonalOpt = None,
    notes: NotesOpt = None,
    pace: PaceOpt = None,
    do_not_contact: Annotated[
        bool | None,
        typer.Option("--do-not-contact/--contact-ok", help="Never due again / allowed again."),
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Change a prospect's details. An empty value clears one; `--set key=` removes a field.

    Example: followup edit dana --stage active --set pain_point="renewal churn"
    """
    from followup_cli import enrollment, store
    from followup_cli import prospect as prospects

    s = session(ctx, db)
    details = prospects.clean_details(
        dict(
            email=email,
            phone=phone,
            company=company,
            title=title,
            stage=stage,
            value=value,
            priority=priority,
            timezone=tz,
            country=country,
            channel=channel,
            referred_by=referred_by,
            relationship=relationship,
            birthday=birthday,
            anniversary=anniversary,
            linkedin=linkedin,
            key_points=key_points,
            competitors=competitors,
            decision_makers=decision_makers,
            personal=personal,
            notes=notes,
            pace=pace,
        )
    )
    with store.transaction(s.conn):
        person = prospects.resolve(s.conn, prospect)
        person = prospects.change(
            s.conn,
            person,
            details,
            name=name,
            add_tags=prospects.parse_tags(tag or []),
            remove_tags=prospects.parse_tags(untag or []),
            fields=prospects.parse_fields(set_ or []),
            do_not_contact=do_not_contact,
            now=s.now,
        )
        person = enrollment.reschedule(s.conn, person, s.tz)
    _show_saved(person, s, json, f"Updated #{person.id} {person.name}")


@app.command("rm")
def remove(
    ctx: typer.Context, prospect: ProspectArg, yes: YesOption = False, db: DbOption = None
) -> None:
    """Remove a prospect and their touches (asks first).

    Example: followup rm dana --yes
    """
    from followup_cli import prospect as prospects
    from followup_cli import render, store

    s = session(ctx, db)
    person = prospects.resolve(s.conn, prospect)
    if not yes:
        if not _interactive():
            raise UsageError(f"Removing {person.name} needs confirmation: add --yes.")
        typer.confirm(f"Remove #{person.id} {person.name} and all their touches?", abort=True)
    with store.transaction(s.conn):
        prospects.remove(s.conn, person)
    render.note(f"Removed #{person.id} {person.name}.", "green")


@app.command("list")
def list_(
    ctx: typer.Context,
    stage: StageOpt = None,
    tag: Annotated[str | None, typer.Option(help="Only prospects with this tag.")] = None,
    due: Annotated[
        str | None, typer.Option(help="Only those due by then (today, friday, 3d).")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Text in the name, company or email.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List prospects, soonest due first.

    Example: followup list --stage proposal --tag saas
    """
    from followup_cli import prospect as prospects
    from followup_cli import render, store
    from followup_cli.vocab import STAGES, choose

    s = session(ctx, db)
    due_before = None
    if due:
        from datetime import datetime, time

        moment = s.when(due)
        due_before = store.to_text(
            datetime.combine(moment.astimezone(s.tz).date(), time.max, tzinfo=s.tz)
        )
    rows = prospects.search_rows(
        s.conn,
        stage=choose(stage, STAGES, "stage") if stage else None,
        tag=tag,
        due_before=due_before,
        text=search,
        limit=limit,
    )
    if json:
        render.json_out([_listing(p) for p in rows])
        return
    render.prospect_list(rows, now=s.now, tz=s.tz)


def _listing(p: Any) -> dict[str, Any]:
    return {
        **p.public(),
        "next_due_at": p.next_due_at,
        "next_channel": p.next_channel,
        "last_touch_at": p.last_touch_at,
    }


@app.command()
def show(
    ctx: typer.Context, prospect: ProspectArg, json: JsonOption = False, db: DbOption = None
) -> None:
    """A prospect's profile, cadence progress, timeline, and when the next touch is due and why.

    Example: followup show dana
    """
    from followup_cli import agenda, render
    from followup_cli import prospect as prospects

    s = session(ctx, db)
    person = prospects.resolve(s.conn, prospect)
    view = agenda.profile(s.conn, person, now=s.now, user_tz=s.tz)
    if json:
        render.json_out(view.public())
        return
    render.prospect_detail(view, now=s.now, tz=s.tz)


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
    from followup_cli import enrollment, render, store
    from followup_cli import prospect as prospects

    s = session(ctx, db)
    start_at = s.when(start) if start else s.now
    with store.transaction(s.conn):
        person = prospects.resolve(s.conn, prospect)
        person = enrollment.enroll(s.conn, person, cadence, start=start_at, user_tz=s.tz)
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
    if not until:
        raise UsageError("pause --all needs --until WHEN: the day you are back.")
    from followup_cli import enrollment, render, store

    s = session(ctx, db)
    until_at = s.when(until)
    with store.transaction(s.conn):
        count = enrollment.pause_everyone(s.conn, until_at, s.tz)
    render.note(
        f"Paused {count} prospect{'s' if count != 1 else ''} until "
        f"{until_at.astimezone(s.tz):%a %d %b %Y}; nothing is skipped, "
        "the schedule carries on from there.",
        "green",
    )


def _control(
    ctx: typer.Context, db: Path | None, prospect: str, action: str, until: str | None = None
) -> None:
    from followup_cli import enrollment, render, store
    from followup_cli import prospect as prospects

    s = session(ctx, db)
    until_at = s.when(until) if until else None
    with store.transaction(s.conn):
        person = prospects.resolve(s.conn, prospect)
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
def cadences_list(json: JsonOption = False) -> None:
    """Every cadence, shipped or yours (yours override shipped ones by name).

    Example: followup cadences list
    """
    from followup_cli import cadence, render

    items = cadence.summaries()
    if json:
        render.json_out(items)
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
    from followup_cli import cadence, render
    from followup_cli.prospect import check_country
    from followup_cli.schedule import preview

    s = Session(None)
    zone = config.zone(tz) if tz else s.tz
    start = s.when(from_) if from_ else s.now
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
    from followup_cli import cadence, render

    problems, checked = cadence.check_all(files or None)
    for problem in problems:
        render.err.print(problem, soft_wrap=True, markup=False)
    if problems:
        raise FollowupError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
            f"in {checked} cadence file{'s' if checked != 1 else ''}."
        )
    render.note(f"{checked} cadence file{'s' if checked != 1 else ''} OK.", "green")


# --- newcomers --------------------------------------------------------------------------------


@app.command()
def demo(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Option(help="Where to write the demo database.")] = None,
) -> None:
    """Fill a separate demo database with ~30 prospects and a realistic history, and show today.

    Your own database is never touched. Example: followup demo
    """
    from followup_cli import agenda, render
    from followup_cli.demo import build_demo

    s = Session(None)
    target = path or config.demo_db_path()
    real = None
    try:
        real = config.default_db_path()
    except Exception:  # noqa: BLE001 - no real database configured is fine here
        real = None
    if real is not None and real.resolve() == target.resolve():
        raise DatabaseError(f"{target} is your real database: give the demo another --path.")
    conn = build_demo(target, now=s.now, user_tz=s.tz)
    render.agenda(
        agenda.build(conn, now=s.now, user_tz=s.tz),
        now=s.now,
        tz=s.tz,
        show_score=False,
        days=0,
        limit=10,
    )
    render.note(f"\nDemo database: {target}", "bold")
    render.note(f"Try it:  export FOLLOWUP_DB={target}   (or add --db {target} to any command)")
    render.note(
        "then:    followup show <name> · followup log <name> -c call -o voicemail · "
        "followup cadences list"
    )


# Commands of other areas register themselves on `app` (each module stays light at import).
from followup_cli import cli_data, cli_draft, cli_stats  # noqa: E402, F401


def main() -> None:
    app()
