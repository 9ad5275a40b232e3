"""The `followup` command line: parse, call the domain, render. Nothing is decided here."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from followup_cli import __version__
from followup_cli.cli.output import FormatOption, QuietOption, journal_list, pick, undone
from followup_cli.core import config
from followup_cli.core.errors import DatabaseError, FollowupError, InvalidValue, UsageError


class FollowupGroup(TyperGroup):
    """Every command runs inside the one error boundary, ``guarded``."""

    def main(self, args: Any = None, *pos: Any, standalone_mode: bool = True, **extra: Any) -> Any:
        from followup_cli.cli import boundary

        return boundary.run_main(super().main, args, pos, standalone_mode, extra)

    def invoke(self, ctx: typer.Context) -> Any:
        return guarded(lambda: super(FollowupGroup, self).invoke(ctx), ctx)

    def list_commands(self, ctx: Any) -> list[str]:
        from followup_cli.cli.boundary import fresh_start_order

        return fresh_start_order(self.commands, __name__, COMMAND_MODULES)


def guarded(run: Any, ctx: Any) -> Any:
    """The one boundary where a user's mistake becomes a red line and an exit status
    (for the Typer app, and for the daily commands' hot path, cli/hotpath.py)."""
    try:
        return run()
    except FollowupError as error:
        from followup_cli.views import render

        render.error(str(error))
        raise typer.Exit(error.exit_code) from None
    except BrokenPipeError:
        from followup_cli.cli import boundary

        raise typer.Exit(boundary.pipe_closed()) from None
    except sqlite3.OperationalError as error:
        from followup_cli.views import render

        if "full" in str(error) or "readonly" in str(error):
            render.error(_write_refused(ctx, str(error)))
            raise typer.Exit(1) from None
        render.error(
            f"The database could not be used ({error}). If another followup is busy, "
            "try again; if the disk is full or read-only, free space or use --db."
        )
        raise typer.Exit(1) from None


def _write_refused(ctx: typer.Context, error: str) -> str:
    obj = ctx.obj
    path = getattr(obj, "db_path", None) or config.default_db_path()
    if "full" in error:
        return f"The disk is full: nothing was changed in {path}. Free some space and try again."
    return (
        f"The database {path} is read-only (a read-only disk or file): it can be read, "
        "but nothing can be changed. Copy it somewhere writable, or use --db."
    )


app = typer.Typer(
    cls=FollowupGroup,
    help="Follow up with every prospect, on time, with something worth saying.\n\n"
    "The daily loop: `followup today`, then `followup log` after each touch, "
    "and `followup draft` to write the next one.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- shared options, declared once ---------------------------------------------------------

DbOption = Annotated[
    str | None,  # text, not Path: a URL's "//" must reach store.target intact
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

    db_path: Path | str | None  # str: the URL of a store registered in store.target

    @cached_property
    def now(self) -> datetime:
        return config.now()

    @cached_property
    def tz(self) -> tzinfo:
        return config.user_timezone()

    @cached_property
    def conn(self) -> sqlite3.Connection:
        from followup_cli.store import memo
        from followup_cli.store.target import connect

        conn = connect(self.db_path or config.default_db_path())
        memo.attach(conn)
        from followup_cli.cli import boundary

        boundary.fresh_schedules(conn, self.tz)
        return conn

    def close(self) -> None:
        if "conn" in self.__dict__:  # opened: close it before the command returns
            from followup_cli.store import memo

            memo.attach(None)
            self.__dict__.pop("conn").close()

    def when(self, text: str, *, past: bool = False) -> datetime:
        from followup_cli.core.dates import parse_when

        return parse_when(text, now=self.now, tz=self.tz, direction="past" if past else "future")

    def until(self, text: str, option: str = "--until") -> datetime:
        """A date to pick up again: later than now."""
        from followup_cli.core.dates import ahead

        return ahead(self.when(text), self.now, option, text)


def session(ctx: typer.Context, db: str | None) -> Session:
    from followup_cli.store.target import db_file

    root = ctx.find_root().obj
    chosen = db or (root.db_path if isinstance(root, Session) else None)
    # --db, or else FOLLOWUP_DB or the default: checked here, before any command runs.
    current = Session(db_file(str(chosen)) if chosen else db_file(config.db_setting()))
    ctx.call_on_close(current.close)
    return current


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
    from followup_cli.store.target import db_file

    ctx.obj = Session(db_file(db) if db else None)


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
        int | None,
        typer.Option(
            min=1,
            help="At most this many rows per channel, the most urgent (default: today.limit "
            "in config.toml, or 15).",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every row, however many.")] = False,
    json: JsonOption = False,
    format_: FormatOption = None,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Who is due or overdue today, batched by channel, most urgent first.

    Example: followup today --channel call    ·    followup today --format csv
    """
    from followup_cli.core.vocab import CHANNELS, choose
    from followup_cli.scheduling import agenda

    fmt = pick(format_, json, quiet)
    s = session(ctx, db)
    picked = choose(channel, CHANNELS, "channel") if channel else None
    if limit is None:
        from followup_cli.core.settings import settings

        limit = settings().today.limit
    if fmt != "table":  # every row due, streamed (as --json always was)
        from followup_cli.views.formats import DUE, emit

        due = agenda.iter_due(s.conn, now=s.now, user_tz=s.tz, days=days, channel=picked)
        emit((item.public() for item in due), DUE, fmt, key="prospect.id")
        _on_due(s, picked)
        return
    cap = None if all_ else limit
    result = agenda.build(s.conn, now=s.now, user_tz=s.tz, days=days, channel=picked, limit=cap)
    from followup_cli.views import agenda as agenda_view

    agenda_view.show(result, now=s.now, tz=s.tz, show_score=score, days=days)
    _on_due(s, picked)


def _on_due(s: Session, channel: str | None) -> None:
    """The ``on-due`` hook, if there is one, gets everything due today (as `today --json`
    lists it). It runs after the listing; a failure is a warning, never a lost agenda."""
    from followup_cli.core import hooks

    if hooks.hook_path("on-due") is None:
        return
    from followup_cli.scheduling import agenda

    due = [
        item.public()
        for item in agenda.iter_due(s.conn, now=s.now, user_tz=s.tz, days=0, channel=channel)
    ]
    if not due:
        return
    problem = hooks.run("on-due", {"due": due}, veto=False)
    if problem:
        typer.echo(f"Warning: {problem}", err=True)


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
    then: Annotated[
        str | None, typer.Option(help="With meeting or replied: start this cadence from it.")
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record a touch and its outcome; the cadence moves on and says when the next is due.

    Example: followup log dana --channel call --outcome voicemail --note "left VM re: section 3"
    """
    from followup_cli.core.vocab import CHANNELS, DIRECTIONS, OUTCOMES, choose
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.pipeline.touch import record_touch
    from followup_cli.views import lines

    s = session(ctx, db)
    channel = choose(channel, CHANNELS, "channel") if channel else None
    outcome = choose(outcome, OUTCOMES, "outcome") if outcome else None
    found = None
    if channel is None or outcome is None:  # who first, then what is missing
        found, channel, outcome, note = _ask(s, prospect, channel, outcome, note)
    direction = choose(direction, DIRECTIONS, "direction") if direction else None
    moment = s.when(at, past=True) if at is not None else s.now
    until_at = s.when(until) if until is not None else None
    if until_at and outcome not in ("not_now", "out_of_office"):
        raise InvalidValue("--until goes with --outcome not_now or out_of_office.")
    result = record_touch(
        s.conn,
        (lambda: found) if found else (lambda: prospects.resolve(s.conn, prospect)),
        channel=channel,
        outcome=outcome,
        at=moment,
        now=s.now,
        user_tz=s.tz,
        note=note,
        template=template,
        until=until_at,
        direction=direction,
        then=then,
    )
    if json:
        from followup_cli.views import changes
        from followup_cli.views.json_output import print_json

        return print_json(changes.logged(result))
    lines.logged(result, now=s.now, tz=s.tz)


def _interactive() -> bool:
    """Whether a person is at the keyboard to answer a question."""
    return sys.stdin.isatty()


def _ask(s: Session, ref: str, channel: Any, outcome: Any, note: Any) -> tuple[Any, ...]:
    """Missing --channel or --outcome: at a terminal, who first, then ask (cli/ask.py)."""
    from followup_cli.cli import ask
    from followup_cli.pipeline import prospect as prospects

    ask.at_a_terminal(_interactive(), channel)
    person = prospects.resolve(s.conn, ref)
    return (person, *ask.touch(person, channel, outcome, note))


@app.command()
def undo(
    ctx: typer.Context,
    entry: Annotated[
        int | None,
        typer.Argument(help="Undo back to this entry of the journal (see --list), it included."),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="Show the last 20 entries of the journal.")
    ] = False,
    yes: YesOption = False,
    json: JsonOption = False,
    format_: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Take back the last command that changed something (log, add, edit, rm, import, ...),
    exactly, and say what was taken back. `forget` is the one thing that cannot be undone.

    Example: followup undo    ·    followup undo --list    ·    followup undo 41
    """
    from followup_cli.pipeline import undo as undoing
    from followup_cli.views import render

    fmt = pick(format_, json, False)  # before anything is undone: a bad --format changes nothing
    s = session(ctx, db)
    if list_:
        if entry is not None:
            raise UsageError("Give an entry number or --list, not both.")
        return journal_list(s.conn, fmt)
    expected = undoing.pending(s.conn, entry)
    foreign = undoing.others(expected)
    if foreign and not yes:
        said = "; ".join(undoing.whose(e) for e in foreign)
        if not _interactive():
            raise UsageError(f"{said}. Undo it anyway with --yes, or see followup undo --list.")
        render.note(said + ".", "yellow")
        typer.confirm("Undo it anyway?", abort=True)
    result = undoing.undo(s.conn, expected, entry, now=s.now)
    undone(result, fmt, foreign, now=s.now, tz=s.tz)


# --- newcomers --------------------------------------------------------------------------------


@app.command()
def demo(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Option(help="Where to write the demo database.")] = None,
) -> None:
    """Fill a separate demo database with ~30 prospects and a realistic history, and show today.

    Your own database is never touched. Example: followup demo
    """
    from followup_cli.data.demo import build_demo
    from followup_cli.scheduling import agenda
    from followup_cli.views import render

    s = Session(None)
    target = path or config.demo_db_path()
    if config.default_db_path().resolve() == target.resolve():
        raise DatabaseError(f"{target} is your real database: give the demo another --path.")
    conn = build_demo(target, now=s.now, user_tz=s.tz)
    try:
        result = agenda.build(conn, now=s.now, user_tz=s.tz, limit=10)
    finally:
        conn.close()
    render.agenda(result, now=s.now, tz=s.tz, show_score=False, days=0)
    render.note(f"\nDemo database: {target}", "bold")
    render.note(f"Try it:  export FOLLOWUP_DB={target}   (or add --db {target} to any command)")
    render.note(
        "then:    followup show <name> · followup log <name> -c call -o voicemail · "
        "followup cadences list"
    )


# Commands of other areas live in their own modules and register themselves on `app` when
# imported. A run imports only the module of the command it runs: Typer builds every
# registered command on each start, so loading all of them would cost every command.
COMMAND_MODULES = {
    "prospects": ("add", "edit", "rm", "list", "show"),
    "cadences": ("cadences", "enroll", "stop", "pause", "snooze", "resume"),
    "draft": ("draft", "check", "me", "templates", "value"),
    "stats": ("stats", "review"),
    "data": ("import", "export", "calendar", "search", "backup", "restore", "forget"),
    "config": ("config",),
    "mail": ("mail",),
    "work": ("work",),
    "triggers": ("trigger",),
}
CORE_COMMANDS = ("today", "log", "undo", "demo")


def load_commands(argv: list[str] | None = None) -> None:
    """Register the commands ``argv`` needs: its own command's module, or every module
    (for --help, no command, or anything unexpected)."""
    from importlib import import_module

    name = _command_name(argv or [])
    wanted = [module for module, names in COMMAND_MODULES.items() if name in names]
    if name in CORE_COMMANDS:
        wanted = []
    elif not wanted:
        wanted = list(COMMAND_MODULES)
    for module in wanted:
        import_module(f"followup_cli.cli.{module}")


def _command_name(argv: list[str]) -> str | None:
    """The first word that is not an option of `followup` itself (--db takes a value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--db":
            skip = True
        elif not word.startswith("-"):
            return word
        elif word in ("--help", "-h"):
            return None
    return None


def expand_argv(argv: list[str]) -> list[str]:
    """Bare `followup` runs config.toml's ``default_command`` (``today``); a word in its
    ``[aliases]`` stands for what it names. A real command always wins over an alias, and
    the config file is read only when neither is plain."""
    name = _command_name(argv)
    if name is not None and name in set(CORE_COMMANDS).union(*COMMAND_MODULES.values()):
        return argv
    import shlex

    from followup_cli.core.settings import settings

    if name is None:
        if any(word in ("--help", "-h", "--version") for word in argv):
            return argv
        return [*argv, *shlex.split(settings().default_command)]
    aliases = settings().aliases
    if name not in aliases:
        return argv
    index = argv.index(name)
    return [*argv[:index], *shlex.split(aliases[name]), *argv[index + 1 :]]


def main() -> None:
    import os

    if "_FOLLOWUP_COMPLETE" in os.environ:  # Typer completes option and command names
        from followup_cli.cli import completion

        shell = completion.shell()
        load_commands(completion.words(shell)[0] if shell else [])
        app(args=[], prog_name="followup")
        return
    try:
        argv = expand_argv(sys.argv[1:])
    except FollowupError as error:  # config.toml does not load
        typer.echo(f"Error: {error}", err=True)
        raise SystemExit(error.exit_code) from None
    load_commands(argv)
    app(args=argv, prog_name="followup")
