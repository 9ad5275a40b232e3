"""Commands that measure follow-up: `stats`, `stats templates`, `review`."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, JsonOption, Session, app, session
from followup_cli.cli.output import FormatOption, pick
from followup_cli.core.errors import UsageError

stats_app = typer.Typer()  # its help is the docstring of `stats` below
app.add_typer(stats_app, name="stats")

SinceOption = Annotated[
    str | None,
    typer.Option(
        help="Start of the window: 2026-01-01, 30d, monday (default: 90 days ago).",
        show_default=False,
    ),
]
CadenceOption = Annotated[
    str | None,
    typer.Option(help="Only the touches made as steps of this cadence.", show_default=False),
]


def _since(s: Session, text: str | None) -> datetime | None:
    if text is None:
        return None
    from datetime import time

    from followup_cli.core.dates import parse_when

    return parse_when(text, now=s.now, tz=s.tz, direction="past", default_time=time(0))


@stats_app.callback(invoke_without_command=True)
def stats(
    ctx: typer.Context,
    since: SinceOption = None,
    cadence: CadenceOption = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Write the dashboard to this file instead: one self-contained page.",
        ),
    ] = None,
    json: JsonOption = False,
    format_: FormatOption = None,
    db: DbOption = None,
) -> None:
    """The dashboard: is my follow-up working? (default window: the last 90 days)

    Example: followup stats --since 2026-01-01 --cadence post-proposal --json

    --format plain, csv or tsv prints every figure as a key and a value, the key a dotted
    path into --json (channels.0.rate).

    \b
    Definitions (every number covers the outbound touches made in the window):
    - reply: a touch that came in (direction in), or one whose outcome is replied,
      meeting, not_now, won, lost or opted_out. Bounced touches are left out everywhere.
    - A reply is credited to the latest outbound touch before it (same timestamp:
      the order they were logged); an outbound touch that is itself a reply (a call
      that booked a meeting) is credited with itself.
    - response rate: outbound touches credited with a reply / outbound touches.
    - touch number: outbound touches to the prospect since their last reply (or since
      they were added), this one included; 12 and more share the bucket 12+.
    - give-up curve: prospects whose latest touch is an outbound one without a reply,
      made in the window and 30+ days ago, counted by its touch number; prospects with
      a touch still scheduled in the future are not counted (a planned wait).
    - touches to close: for each win in the window, the outbound touches since the
      prospect's previous win (or since added), the winning touch included.
    - channels: outbound touches, replies and rate per channel; mix = share of all
      outbound touches, next to the seeds' target (email 40%, call 30%, LinkedIn 15%,
      video 10%, mail 5%; other channels 0%).
    - time to response: median hours from an outbound touch to the reply that came in
      after it, before the next outbound touch.
    - revenue recovered: the deal value of wins that came at the 2nd or later
      outbound touch (money you would have lost by stopping after one).
    - cadences: active = in it now; enrolled = did a step in the window; completed =
      did its final step; stopped by reply = a step before the final one got a reply;
      reply rate per step.
    - templates: sends, replies and rate per template and A/B variant; fewer than 100
      sends of a variant is flagged as too few to trust.
    - the seeds' measures: proposals that needed follow-up (2+ touches in a cadence
      named *proposal*) and how many were won; send time by hour, part of day and
      weekday in the prospect's timezone; length by the sentences of the template
      used (1-2, 3-5, 6+); wins by touch against seed 001's 2/10/12/80%; close rate =
      deals won / prospects touched; each cadence's gaps against its median time to
      response. Any of them resting on fewer than 100 sends is too few to trust.
    """
    if ctx.invoked_subcommand is not None:
        # `followup stats --since 30d templates`: the sub-view takes the same options.
        if html is not None:
            raise UsageError("--html is for the dashboard: followup stats --html report.html")
        ctx.meta["stats_options"] = {
            "since": since,
            "cadence": cadence,
            "json": json,
            "format": format_,
            "db": db,
        }
        return
    fmt = pick(format_, json, False)
    from followup_cli.insight import stats as domain

    if html is not None:  # before any work: a bad path fails first, and nothing is written
        from followup_cli.core import safe_files

        safe_files.check(html, example="report.html")
    s = session(ctx, db)
    start = _since(s, since)
    if cadence:
        cadence = domain.check_cadence(s.conn, cadence)
    result = domain.dashboard(s.conn, now=s.now, user_tz=s.tz, since=start, cadence=cadence)
    if html is not None:
        from followup_cli.views.stats_html import write

        html = write(result, html, tz=s.tz)
    if fmt != "table":
        _figures(result.public(), fmt)
    elif html is not None and str(html) != "-":
        from followup_cli.views import render  # Rich: not for --json

        render.note(f"Wrote {html}: open it in a browser, or send it on.", "green")
    else:
        from followup_cli.views import seed_stats
        from followup_cli.views import stats as stats_render

        def draw() -> None:
            stats_render.dashboard(result, tz=s.tz)
            seed_stats.sections(result.public())

        _painted(draw)


@stats_app.command("templates")
def stats_templates(
    ctx: typer.Context,
    since: SinceOption = None,
    cadence: CadenceOption = None,
    json: JsonOption = False,
    format_: FormatOption = None,
    db: DbOption = None,
) -> None:
    """A/B: sends, replies and reply rate per template and variant, with counts.

    An outbound touch logged with a template counts as a send; it got a reply when a
    reply is credited to it (see followup stats --help). A variant with fewer than 100
    sends is flagged: too few to trust the comparison.

    Example: followup stats templates --since 2026-01-01
    """
    from followup_cli.insight import stats as domain

    given = ctx.meta.get("stats_options", {})
    since, cadence = since or given.get("since"), cadence or given.get("cadence")
    json, db = json or given.get("json", False), db or given.get("db")
    fmt = pick(format_ or given.get("format"), json, False)
    s = session(ctx, db)
    start = _since(s, since)
    if cadence:
        cadence = domain.check_cadence(s.conn, cadence)
    report = domain.template_report(s.conn, now=s.now, user_tz=s.tz, since=start, cadence=cadence)
    if fmt != "table":
        _figures(report.public(), fmt)
        return
    from followup_cli.views import stats as stats_render

    _painted(lambda: stats_render.templates(report, tz=s.tz))


@app.command()
def review(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option(
            help="Review the calendar week containing this day (weeks start on Monday, or "
            "config.toml's week_start): monday, 1w, 2026-11-16 (default: the last 7 days).",
            show_default=False,
        ),
    ] = None,
    json: JsonOption = False,
    format_: FormatOption = None,
    db: DbOption = None,
) -> None:
    """The weekly review: what happened, who is slipping, what is next.

    Outbound touches, replies, meetings booked, deals won and lost, against the week
    before; prospects overdue by more than 3 days; open deals (interest, active,
    proposal) with nothing scheduled; the five biggest open deals with their next step.

    Example: followup review --week 1w
    """
    from followup_cli.insight import review as domain

    fmt = pick(format_, json, False)
    s = session(ctx, db)
    start = s.when(week, past=True) if week is not None else None
    result = domain.review(s.conn, now=s.now, user_tz=s.tz, week=start)
    if fmt != "table":
        _figures(result.public(), fmt)
        return
    from followup_cli.views import stats as stats_render

    _painted(lambda: stats_render.review(result, tz=s.tz))


def _painted(draw: Callable[[], None]) -> None:
    """A report as tables at a terminal; into a pipe the same words, a row to a line."""
    from followup_cli.views.console import plain_when_piped

    plain_when_piped(draw)


def _figures(data: object, fmt: str) -> None:
    """A report for scripts: --json as it is, or each figure as a dotted key and a value."""
    from followup_cli.views import formats

    formats.emit(formats.as_rows(data), formats.KEY_VALUE, fmt, json_data=data)
