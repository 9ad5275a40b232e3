"""Commands for writing messages: `draft`, `templates`, `value`, `me`, `check`."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

import sys
from pathlib import Path
from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, JsonOption, ProspectArg, YesOption, app, session
from followup_cli.cli.output import FormatOption, QuietOption, pick
from followup_cli.core import config
from followup_cli.core.errors import FollowupError, UsageError
from followup_cli.drafting import shapes

templates_app = typer.Typer(help="List, show and check message templates.", no_args_is_help=True)
value_app = typer.Typer(
    help="The value bank: articles, reports, case studies and ideas worth sending.",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")
app.add_typer(value_app, name="value")

TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", help="A tag (repeat, or comma-separate).")
]
KindOpt = Annotated[
    str | None,
    typer.Option(help="article, report, case study, introduction, insight or tool."),
]
ValueIdArg = Annotated[int, typer.Argument(help="The value item's number (followup value list).")]


class MessageFailsRules(FollowupError):
    pass


# --- draft ----------------------------------------------------------------------------------


@app.command()
def draft(
    ctx: typer.Context,
    prospect: ProspectArg,
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="Use this template (see templates list).")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            help="A template of this channel suited to the step: email, voicemail, "
            "video, linkedin, mail or text."
        ),
    ] = None,
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var",
            help="name=value for this draft only, e.g. pain_point=... "
            "or me.phone=... (repeatable). Shapes: " + shapes.help_text() + ".",
        ),
    ] = None,
    value: Annotated[
        int | None, typer.Option("--value", help="Carry this value item (default: the best fit).")
    ] = None,
    variant: Annotated[
        str | None, typer.Option(help="Use this A/B variant (default: the least used).")
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", help="Open $VISUAL/$EDITOR on the draft.")
    ] = False,
    log: Annotated[
        bool, typer.Option("--log", help="Record it as sent; the cadence moves on.")
    ] = False,
    eml: Annotated[
        Path | None, typer.Option("--eml", help="Write an .eml file your mail client opens.")
    ] = None,
    mailto: Annotated[bool, typer.Option("--mailto", help="Print a mailto: URL.")] = False,
    attach: Annotated[
        list[Path] | None,
        typer.Option("--attach", help="A file to attach to the --eml (repeatable)."),
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Write the message for a prospect's next step, checked against the follow-up rules.

    Example: followup draft dana --channel voicemail
    """
    from followup_cli.drafting import draft as drafts
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.views import draft as draft_render

    if eml:  # before any work, and before --log records anything
        from followup_cli.core import safe_files

        safe_files.check(eml, example="draft.eml")
    s = session(ctx, db)
    person = prospects.resolve(s.conn, prospect)
    result = drafts.prepare(
        s.conn,
        person,
        ref=prospect,
        now=s.now,
        user_tz=s.tz,
        template=template,
        channel=channel,
        value_id=value,
        variant=variant,
        extra=drafts.parse_vars(var or []),
    )
    if edit:
        result = result.with_text(draft_render.edit(result.text()))
    extra: dict[str, object] = {}
    if attach and not eml:
        raise UsageError("--attach adds files to an .eml draft: add --eml FILE.")
    if eml:
        from followup_cli.drafting.thread import thread_of

        thread = thread_of(s.conn, result.prospect.id)
        message = draft_render.email_message(
            result, now=s.now, tz=s.tz, attachments=tuple(attach or ()), thread=thread
        )
        draft_render.write_eml(message, eml)
        extra["eml"] = str(eml)
    if mailto:
        extra["mailto"] = draft_render.mailto(result)
    logged = None
    if log:
        from followup_cli.store import journal

        with journal.record(s.conn, "draft --log", now=s.now) as entry:
            logged = drafts.record(s.conn, result, now=s.now, user_tz=s.tz)
            entry.summary = f"logged the draft {logged.touch.template} for {logged.prospect.name}"
        extra["touch"] = logged.touch.public()
    if json:
        draft_render.draft(result, as_json=True, extra=extra)
        return
    if eml and str(eml) != "-":
        draft_render.status(f"Wrote {eml}: open it in your mail client to review and send.")
        if not result.sender.email:
            draft_render.status(
                "It has no From: line, so your mail client uses your default account "
                "(set yours with followup me --email ...)."
            )
    if mailto:
        typer.echo(extra["mailto"])
    elif not eml:
        draft_render.draft(result, as_json=False)
    draft_render.warnings(result)
    if logged is not None:
        draft_render.logged(logged, now=s.now, tz=s.tz)


# --- check ----------------------------------------------------------------------------------


@app.command()
def check(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A text file, or - to read standard input.")],
    channel: Annotated[
        str, typer.Option(help="email, voicemail, video, linkedin, mail or text.")
    ] = "email",
    subject: Annotated[
        str | None, typer.Option(help="The email subject (default: a 'Subject:' first line).")
    ] = None,
    prospect: Annotated[
        str | None, typer.Option("--prospect", "-p", help="Check it is specific to this person.")
    ] = None,
    specific: Annotated[
        list[str] | None,
        typer.Option("--specific", help="A detail the message should mention (repeatable)."),
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Check a message against the follow-up rules; exit status 1 if any rule fails.

    Example: followup draft dana > msg.txt && followup check msg.txt --prospect dana
    """
    from followup_cli.drafting import draft as drafts
    from followup_cli.drafting.craft_checks import all_rules
    from followup_cli.views import draft as draft_render

    text = _read_message(file)
    found_subject, body = drafts.split_subject(text)
    picked = drafts.template_channel(channel)
    details = list(specific or [])
    if prospect:
        from followup_cli.pipeline import prospect as prospects

        s = session(ctx, db)
        person = prospects.resolve(s.conn, prospect)
        details += drafts.specifics_of(person)
    findings = all_rules(
        body,
        channel=picked,
        subject=subject if subject is not None else found_subject,
        specifics=details,
    )
    draft_render.findings(findings, as_json=json)
    if findings:
        if json:
            raise typer.Exit(1)
        count = len(findings)
        raise MessageFailsRules(f"{count} rule{'s' if count != 1 else ''} failed.")


def _read_message(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FollowupError(
            f"No such file: {file} (give a text file, or - for standard input)."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise FollowupError(f"Cannot read {file}: {error}.") from None


# --- me -------------------------------------------------------------------------------------


@app.command()
def me(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Your full name.")] = None,
    company: Annotated[str | None, typer.Option(help="Your company.")] = None,
    title: Annotated[str | None, typer.Option(help="Your job title.")] = None,
    phone: Annotated[str | None, typer.Option(help="The number voicemails give.")] = None,
    email: Annotated[str | None, typer.Option(help="Your address (From: of --eml).")] = None,
    signature: Annotated[
        str | None,
        typer.Option(help="How drafts are signed (default: your name); \\n for a new line."),
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show or set who signs your drafts. With no options, shows the profile.

    Example: followup me --name "Sam Ortiz" --company Northwind --phone "+1 303 555 0100"
    """
    from followup_cli.drafting import sender as senders
    from followup_cli.store import journal
    from followup_cli.views import draft as draft_render
    from followup_cli.views import render

    s = session(ctx, db)
    changes = dict(
        name=name, company=company, title=title, phone=phone, email=email, signature=signature
    )
    if any(value is not None for value in changes.values()):
        with journal.record(s.conn, "me", "changed your sender profile", now=s.now):
            profile = senders.update(s.conn, changes)
    else:
        profile = senders.load(s.conn)
    zone, source = config.timezone_and_source()
    if json:
        render.json_out({**profile.public(), "timezone": str(zone), "timezone_source": source})
        return
    draft_render.sender(profile, zone=f"{zone} (from {source})")


# --- templates ------------------------------------------------------------------------------


@templates_app.command("list")
def templates_list(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    json: JsonOption = False,
    format_: FormatOption = None,
    quiet: QuietOption = False,
) -> None:
    """Every template, shipped or yours (yours override shipped ones by name).

    Example: followup templates list --channel voicemail
    """
    from followup_cli.drafting import templates as engine
    from followup_cli.views import draft as draft_render

    fmt = pick(format_, json, quiet)
    items = engine.summaries()
    if channel:
        from followup_cli.drafting.draft import template_channel

        picked = template_channel(channel)
        items = [item for item in items if item["channel"] == picked]
    if fmt != "table":
        from followup_cli.views import formats

        formats.emit(items, formats.TEMPLATES, fmt, key="name")
        return
    draft_render.template_list(items)


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="Template name.")], json: JsonOption = False
) -> None:
    """A template's front matter and message, as stored.

    Example: followup templates show breakup
    """
    from followup_cli.drafting import templates as engine
    from followup_cli.views import draft as draft_render
    from followup_cli.views import render

    found = engine.load_template(name)
    if json:
        render.json_out(found.public())
        return
    draft_render.template_show(found)


@templates_app.command("check")
def templates_check(
    names: Annotated[
        list[str] | None, typer.Argument(help="Template names or .j2 files (default: all).")
    ] = None,
) -> None:
    """Check templates: front matter, Jinja syntax, and a sample draft against every rule.

    Example: followup templates check ~/.config/followup/templates/my-note.j2
    """
    from followup_cli.drafting import stage_fit
    from followup_cli.drafting import template_check as engine
    from followup_cli.views import render

    problems, checked = engine.check_all(names or None)
    problems += stage_fit.stage_problems(names or None)  # a step's template fits its stage
    for problem in problems:
        render.err.print(problem, soft_wrap=True, markup=False, highlight=False)
    files = f"{checked} template{'s' if checked != 1 else ''}"
    if problems:
        raise FollowupError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files}."
        )
    render.note(f"{files} OK.", "green")


# --- value bank -----------------------------------------------------------------------------


@value_app.command("add")
def value_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What it is called.")],
    url: Annotated[str | None, typer.Option(help="Where to read it.")] = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    note: Annotated[str | None, typer.Option(help="Why it is worth sending.")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Add something worth sending to the value bank.

    Example: followup value add "2026 renewal benchmark report" --url https://example.com/r
    --kind report --tag saas
    """
    from followup_cli.drafting import value as bank
    from followup_cli.pipeline.prospect import parse_tags
    from followup_cli.store import journal
    from followup_cli.views import draft as draft_render
    from followup_cli.views import render

    s = session(ctx, db)
    with journal.record(s.conn, "value add", f"added value item {title!r}", now=s.now):
        item = bank.add(
            s.conn,
            title,
            now=s.now,
            url=url,
            kind=kind or "article",
            tags=parse_tags(tag or []),
            note=note,
        )
    if json:
        render.json_out(item.public())
        return
    draft_render.value_saved(item, "Added")


@value_app.command("list")
def value_list(
    ctx: typer.Context,
    tag: Annotated[str | None, typer.Option(help="Only items with this tag.")] = None,
    kind: KindOpt = None,
    json: JsonOption = False,
    format_: FormatOption = None,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """The value bank, with how often and when each item was last sent.

    Example: followup value list --tag saas
    """
    from followup_cli.drafting import value as bank
    from followup_cli.views import draft as draft_render

    fmt = pick(format_, json, quiet)
    s = session(ctx, db)
    items = bank.items(s.conn, tag=tag, kind=kind)
    if fmt != "table":
        from followup_cli.views import formats

        formats.emit([item.public() for item in items], formats.VALUES, fmt, key="id")
        return
    draft_render.value_list(items)


@value_app.command("edit")
def value_edit(
    ctx: typer.Context,
    item_id: ValueIdArg,
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    url: Annotated[str | None, typer.Option(help='A new URL ("" clears it).')] = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    note: Annotated[str | None, typer.Option(help='A new note ("" clears it).')] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Change a value item.

    Example: followup value edit 3 --tag fintech --url https://example.com/new
    """
    from followup_cli.drafting import value as bank
    from followup_cli.pipeline.prospect import parse_tags
    from followup_cli.store import journal
    from followup_cli.views import draft as draft_render
    from followup_cli.views import render

    s = session(ctx, db)
    with journal.record(s.conn, "value edit", f"edited value item #{item_id}", now=s.now):
        item = bank.change(
            s.conn,
            bank.get(s.conn, item_id),
            title=title,
            url=url,
            kind=kind,
            add_tags=parse_tags(tag or []),
            remove_tags=parse_tags(untag or []),
            note=note,
        )
    if json:
        render.json_out(item.public())
        return
    draft_render.value_saved(item, "Updated")


@value_app.command("rm")
def value_rm(
    ctx: typer.Context, item_id: ValueIdArg, yes: YesOption = False, db: DbOption = None
) -> None:
    """Remove a value item (touches that carried it keep the record).

    Example: followup value rm 3 --yes
    """
    from followup_cli.drafting import value as bank
    from followup_cli.store import journal
    from followup_cli.views import render

    s = session(ctx, db)
    item = bank.get(s.conn, item_id)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"Removing value item #{item.id} needs confirmation: add --yes.")
        typer.confirm(f"Remove value item #{item.id} {item.title!r}?", abort=True)
    with journal.record(s.conn, "value rm", f"removed value item #{item.id}", now=s.now):
        bank.remove(s.conn, item)
    render.note(f"Removed value item #{item.id}: {item.title}.", "green")
