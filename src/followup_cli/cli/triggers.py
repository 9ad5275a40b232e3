"""`followup trigger`: something just happened to a prospect; one touch of its own."""

# No `from __future__ import annotations` here: Typer reads these annotations at run time.

from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, JsonOption, ProspectArg, app, session


@app.command()
def trigger(
    ctx: typer.Context,
    prospect: ProspectArg,
    event: Annotated[str, typer.Argument(help='What happened, e.g. "hired a new VP Sales".')],
    url: Annotated[str | None, typer.Option(help="Where you read about it.")] = None,
    kind: Annotated[
        str,
        typer.Option(help="insight (news to write about) or milestone (to congratulate)."),
    ] = "insight",
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record something that just happened to them, and schedule a personal touch within a
    business day (the cadence carries on after it).

    Example: followup trigger dana "hired a new VP Sales" --url https://acme.example/news
    """
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import triggers
    from followup_cli.store import journal
    from followup_cli.views import render

    s = session(ctx, db)
    person = prospects.resolve(s.conn, prospect)
    with journal.record(s.conn, "trigger", now=s.now) as entry:
        found = triggers.record(s.conn, person, event, url=url, kind=kind, now=s.now, user_tz=s.tz)
        entry.summary = f"trigger for {person.name}: {found.event}"
    if json:
        render.json_out(found.public())
        return
    local = found.due_at.astimezone(s.tz)
    when = "now" if found.due_at <= s.now else f"{local:%a %d %b %H:%M}"
    render.note(
        f"Trigger for {person.name}: {found.event}. An email is due {when}, template "
        f"{found.template}: followup draft {person.id}. The cadence carries on after it."
    )
