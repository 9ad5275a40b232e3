"""Commands for prospects: `add`, `edit`, `rm`, `list`, `show`."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

from typing import Annotated, Any

import typer

from followup_cli.cli import app as core
from followup_cli.cli.app import DbOption, JsonOption, ProspectArg, Session, YesOption, app, session
from followup_cli.cli.output import FormatOption, QuietOption, pick
from followup_cli.cli.selection import SelCadence, SelDue, SelSearch, SelStage, SelTag, TargetArg
from followup_cli.core.errors import InvalidValue, UsageError
from followup_cli.drafting import shapes

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
    typer.Option(
        "--set",
        help="A custom field for templates: key=value (repeatable). Shapes: "
        + shapes.help_text()
        + ".",
    ),
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
TextsOpt = Annotated[
    bool | None,
    typer.Option(
        "--texts-ok/--no-texts",
        help="They agreed to text messages (a cadence's text steps go only to them) / no longer.",
    ),
]
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
    timezone: TzOpt = None,
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
    texts_ok: TextsOpt = None,
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
    from followup_cli.core.settings import settings
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import enrollment
    from followup_cli.store import journal

    s = session(ctx, db)
    details = _details(locals())
    _resolve_referrer(s, details)
    fields = prospects.parse_fields(set_ or [])
    tags = prospects.parse_tags(tag or [])
    if cadence and no_cadence:
        raise InvalidValue("Give --cadence or --no-cadence, not both.")
    stage_default = settings().cadence_for_stage(details.get("stage", "cold"))
    chosen = None if no_cadence else cadence or stage_default
    start_at = s.when(start) if start is not None else s.now
    from followup_cli.core import hooks

    wanted = {"name": name, **details, "tags": tags, "fields": fields, "cadence": chosen}
    wanted["texts_ok"] = bool(texts_ok)
    hooks.run("on-add", {"prospect": wanted})  # a non-zero exit: nothing is added
    with journal.record(s.conn, "add", f"added {name}", now=s.now) as entry:
        person = prospects.insert(
            s.conn, name, details, tags=tags, fields=fields, texts_ok=bool(texts_ok), now=s.now
        )
        if chosen:
            person = enrollment.enroll(s.conn, person, chosen, start=start_at, user_tz=s.tz)
        else:  # no cadence: the stored reason says so (and how to start one)
            person = enrollment.reschedule(s.conn, person, s.tz)
        entry.summary = f"added #{person.id} {person.name}"
    _show_saved(person, s, json, f"Added #{person.id} {person.name}")


def _resolve_referrer(s: Session, details: dict[str, Any]) -> None:
    """--referred-by that names a prospect is stored as their name (see insight.referrals)."""
    if details.get("referred_by"):
        from followup_cli.insight.referrals import resolve_referrer

        details["referred_by"] = resolve_referrer(s.conn, details["referred_by"])


def _details(given: dict[str, Any]) -> dict[str, Any]:
    """The prospect details among a command's parameters, validated."""
    from followup_cli.pipeline import prospect as prospects

    return prospects.clean_details({key: given[key] for key in prospects.DETAILS})


def _show_saved(person: Any, s: Session, json: bool, message: str) -> None:
    from followup_cli.views import render

    if json:
        render.json_out(person.public())
        return
    render.note(message + (f", in {person.cadence}." if person.cadence else "."), "green")
    render.next_line(person, now=s.now, tz=s.tz)


@app.command()
def edit(
    ctx: typer.Context,
    prospect: TargetArg = None,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    company: CompanyOpt = None,
    title: TitleOpt = None,
    stage: StageOpt = None,
    value: ValueOpt = None,
    priority: PriorityOpt = None,
    timezone: TzOpt = None,
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
    texts_ok: TextsOpt = None,
    do_not_contact: Annotated[
        bool | None,
        typer.Option("--do-not-contact/--contact-ok", help="Never due again / allowed again."),
    ] = None,
    in_stage: Annotated[
        str | None, typer.Option("--in-stage", help="Edit everyone in this stage.")
    ] = None,
    tagged: Annotated[
        str | None, typer.Option("--tagged", help="Edit everyone with this tag.")
    ] = None,
    in_cadence: Annotated[
        str | None, typer.Option("--in-cadence", help="Edit everyone in this cadence.")
    ] = None,
    due: SelDue = None,
    search: SelSearch = None,
    yes: YesOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Change a prospect's details, or a selection's (--in-stage, --tagged, --in-cadence,
    --due, --search, or - for ids on stdin). An empty value clears one; `--set key=`
    removes a field.

    Example: followup edit dana --stage active --set pain_point="renewal churn"
    ·    followup edit --tagged expo --tag q1 --stage interest --yes
    """
    from followup_cli.cli.selection import run_bulk, selection
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import enrollment
    from followup_cli.store import journal

    s = session(ctx, db)
    details = _details(locals())
    _resolve_referrer(s, details)
    add_tags, remove_tags = prospects.parse_tags(tag or []), prospects.parse_tags(untag or [])
    fields = prospects.parse_fields(set_ or [])

    def act(person: Any) -> Any:
        person = prospects.change(
            s.conn,
            person,
            details,
            name=name,
            add_tags=add_tags,
            remove_tags=remove_tags,
            fields=fields,
            do_not_contact=do_not_contact,
            texts_ok=texts_ok,
            now=s.now,
        )
        return enrollment.reschedule(s.conn, person, s.tz)

    chosen = selection(
        s, prospect, stage=in_stage, tag=tagged, cadence=in_cadence, due=due, search=search
    )
    if chosen is None:
        with journal.record(s.conn, "edit", now=s.now) as entry:
            person = prospects.resolve(s.conn, prospect or "")
            entry.summary = f"edited #{person.id} {person.name}"
            person = act(person)
        _show_saved(person, s, json, f"Updated #{person.id} {person.name}")
        return
    if name is not None or "email" in details:
        raise UsageError("--name and --email are one person's: edit them one at a time.")
    people = run_bulk(s, chosen, "edit", "edit", act, yes=yes, json=json)
    _show_many(s, "edit", people, json, "Updated")


def _show_many(s: Session, command: str, people: list[Any], json: bool, verb: str) -> None:
    from followup_cli.views import changes, render

    if json:
        render.json_out(changes.changed(command, people))
        return
    for person in people:
        render.note(f"{verb} #{person.id} {person.name}.", "green")
    if people:
        render.note(f"{len(people)} changed in one step: `followup undo` takes them all back.")


@app.command("rm")
def remove(
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
    """Remove a prospect and their touches, or a selection's (asks first).

    Example: followup rm dana --yes    ·    followup rm --stage lost --tag spam --yes
    """
    from followup_cli.cli.selection import run_bulk, selection
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.store import journal
    from followup_cli.views import changes, render

    s = session(ctx, db)
    chosen = selection(s, prospect, stage=stage, tag=tag, cadence=cadence, due=due, search=search)

    def act(person: Any) -> Any:
        prospects.remove(s.conn, person)
        return person

    if chosen is not None:
        gone = run_bulk(s, chosen, "rm", "remove, with all their touches,", act, yes=yes, json=json)
    else:
        person = prospects.resolve(s.conn, prospect or "")
        if not yes:
            if not core._interactive():
                raise UsageError(f"Removing {person.name} needs confirmation: add --yes.")
            typer.confirm(f"Remove #{person.id} {person.name} and all their touches?", abort=True)
        with journal.record(s.conn, "rm", f"removed #{person.id} {person.name}", now=s.now):
            gone = [act(person)]
    if json:
        render.json_out(changes.removed(gone))
        return
    for person in gone:
        render.note(
            f"Removed #{person.id} {person.name}; `followup undo` brings them back.", "green"
        )
    if chosen is not None and gone:
        render.note(f"{len(gone)} removed in one step: `followup undo` brings them all back.")


LIST_LIMIT = 50  # what `list` shows without --all or --limit


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
    all_: Annotated[
        bool, typer.Option("--all", help=f"Every match, not the first {LIST_LIMIT}.")
    ] = False,
    referred_by: Annotated[
        str | None, typer.Option(help="Only those referred by someone matching NAME.")
    ] = None,
    relationship: Annotated[
        str | None, typer.Option(help="Only this level: transaction, repeat, loyal, advocate.")
    ] = None,
    json: JsonOption = False,
    format_: FormatOption = None,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """List prospects, soonest due first: the first 50 unless --all.

    A table at a terminal, plain lines when piped.

    Example: followup list --stage proposal --tag saas    ·    followup list --stage cold -q
    """
    from followup_cli import store
    from followup_cli.core.vocab import STAGES, choose
    from followup_cli.pipeline import listing as listed

    fmt = pick(format_, json, quiet)
    s = session(ctx, db)
    due_before = None
    if due is not None:
        from datetime import datetime, time

        moment = s.when(due)
        due_before = store.to_text(
            datetime.combine(moment.astimezone(s.tz).date(), time.max, tzinfo=s.tz)
        )
    filters: dict[str, Any] = dict(
        stage=choose(stage, STAGES, "stage") if stage else None,
        tag=tag,
        due_before=due_before,
        text=search,
        referred_by=referred_by,
        relationship=relationship,
    )
    if fmt != "table":  # scripts get every match unless they ask for fewer
        from followup_cli.views import formats

        if fmt == "json":
            rows = listed.search_rows(s.conn, limit=limit, **filters)
            formats.emit((_listing(p) for p in rows), formats.PROSPECTS, fmt, key="id")
            return
        names = tuple(path for path, _ in formats.PROSPECTS)
        found = listed.script_rows(s.conn, names, limit=limit, **filters)
        formats.emit(found, formats.PROSPECTS, fmt, key="id", aligned=True)
        return
    capped = limit is None and not all_
    shown = LIST_LIMIT + 1 if capped else limit
    rows: Any = listed.search_rows(s.conn, limit=shown, brief=True, **filters)
    more = total = 0
    if capped:
        rows = list(rows)
        if len(rows) > LIST_LIMIT:
            total = listed.count_rows(s.conn, **filters)
            more, rows = total - LIST_LIMIT, rows[:LIST_LIMIT]
    from followup_cli.views import listing

    listing.prospect_list(rows, now=s.now, tz=s.tz, more=more, total=total)


def _listing(p: Any) -> dict[str, Any]:
    return {
        **p.public(),
        "next_due_at": p.next_due_at,
        "next_channel": p.next_channel,
        "last_touch_at": p.last_touch_at,
    }


@app.command()
def show(
    ctx: typer.Context,
    prospect: ProspectArg,
    all_: Annotated[
        bool, typer.Option("--all", help="The whole timeline, not the last 10.")
    ] = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A prospect's profile, cadence progress, timeline, and when the next touch is due and why.

    Example: followup show dana
    """
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import agenda

    s = session(ctx, db)
    person = prospects.resolve(s.conn, prospect)
    view = agenda.profile(s.conn, person, now=s.now, user_tz=s.tz)
    if json:
        from followup_cli.views.json_output import print_json

        print_json(view.public())
        return
    from followup_cli.views import profile

    profile.show(view, now=s.now, tz=s.tz, timeline=None if all_ else 10)
