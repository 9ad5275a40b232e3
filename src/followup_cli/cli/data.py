"""Commands for data in and out: `import`, `export`, `calendar`, `search`, `backup`,
`restore`, `forget`."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from followup_cli.cli.app import DbOption, JsonOption, ProspectArg, YesOption, app, session
from followup_cli.cli.output import FormatOption, QuietOption, pick
from followup_cli.core.errors import UsageError


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file (a CRM or spreadsheet export), contacts.vcf, JSON from export, or - "
            "to read standard input."
        ),
    ],
    touches: Annotated[
        bool, typer.Option("--touches", help="A touch history: email, at, channel, outcome.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help='Where a column goes: "Org=company", "Header=-" to skip it.'),
    ] = None,
    cadence: Annotated[
        str | None,
        typer.Option(help="Enroll every imported prospect in this cadence (default: by stage)."),
    ] = None,
    no_cadence: Annotated[
        bool, typer.Option("--no-cadence", help="Enroll new prospects in no cadence.")
    ] = False,
    encoding: Annotated[
        str | None, typer.Option(help="The file's encoding, e.g. gbk, cp1251 (default: detected).")
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option(help="mdy (4/12/1979) or dmy (12.4.1979) for this file's dates."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; change nothing.")
    ] = False,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Import the good rows; write the bad ones to a file."),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where --skip-bad writes the bad rows (default: FILE.rejects.csv, or .json)."
        ),
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="csv, json or vcf (default: from FILE's suffix)."),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="Restore a `followup export --all` file into an empty db."),
    ] = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import prospects (or, with --touches, past touches) from a CSV file. All rows or none.

    Headers of HubSpot, Salesforce, Pipedrive, LinkedIn and Google exports are recognised;
    other columns become custom fields. Importing the same file again changes nothing.
    A .json file (a list of records, as `followup export` writes it) imports the same way;
    its bad records are reported by their index, from 0.

    Example: followup import contacts.csv --map "Org=company" --cadence steli-persistence

    Example: curl -s https://crm.example/export.csv | followup import - --dry-run
    """
    from followup_cli.data.import_prospects import import_prospects
    from followup_cli.data.import_touches import import_touches
    from followup_cli.data.importer import BadRows
    from followup_cli.views import render

    if (cadence or no_cadence) and touches:
        raise UsageError("--cadence and --no-cadence go with a prospect import, not --touches.")
    if all_:
        from followup_cli.data import archive

        s = session(ctx, db)
        moved = archive.import_all(s.conn, file, now=s.now)
        render.note(f"Restored {moved.summary()} from {moved.path}.", "green")
        return
    with contextlib.ExitStack() as stack:
        if str(file) == "-":  # standard input, kept as a private temporary file meanwhile
            from followup_cli.data.files import spooled_stdin

            if skip_bad and rejects is None:
                raise UsageError(
                    "With `import -`, --skip-bad needs --rejects FILE for the bad rows."
                )
            file = stack.enter_context(spooled_stdin(sys.stdin.buffer, format_))
        if cadence and no_cadence:
            raise UsageError("--cadence and --no-cadence contradict each other: give one.")
        s = session(ctx, db)
        kwargs: dict[str, Any] = dict(
            now=s.now,
            user_tz=s.tz,
            overrides=map_ or [],
            dry_run=dry_run,
            skip_bad=skip_bad,
            rejects=rejects,
            fmt=format_,
        )
        with _progress(file, enabled=not json) as progress:
            try:
                if touches:
                    report = import_touches(s.conn, file, progress=progress, **kwargs)
                else:
                    report = import_prospects(
                        s.conn,
                        file,
                        cadence=cadence,
                        no_cadence=no_cadence,
                        encoding=encoding,
                        date_order=date_order,
                        progress=progress,
                        **kwargs,
                    )
            except BadRows as error:
                for problem in error.problems:
                    render.err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
                raise
        if json:
            render.json_out(report.public())
            return
        _import_summary(report)


class _progress:
    """A Rich progress bar on stderr, for big files on a terminal only."""

    def __init__(self, file: Path, *, enabled: bool):
        self.bar: Any = None
        try:
            big = file.stat().st_size > 2_000_000
        except OSError:
            big = False
        if enabled and big and sys.stderr.isatty():
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn

            from followup_cli.views import render

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=render.err,
                transient=True,
            )

    def __enter__(self) -> Any:
        if self.bar is None:
            return None
        self.bar.start()
        task = self.bar.add_task("Importing", total=None)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _import_summary(report: Any) -> None:
    from followup_cli.views import render

    would = "Would import" if report.dry_run else "Imported"
    noun = report.noun
    head = (
        f"{Path(report.file).name}: {report.rows:,} {noun}{'s' if report.rows != 1 else ''} "
        f"({report.encoding}, {_delimiter_name(report.delimiter)})."
    )
    render.note(head, "bold")
    if report.dry_run or report.kind == "prospects":
        mapped = ", ".join(f"{column or '(blank)'} → {where}" for column, where in report.mapping)
        render.note(f"{'Columns' if report.delimiter else 'Keys'}: {mapped}.", "dim")
    if report.kind == "touches":
        line = f"{would} {report.added:,} touch{'es' if report.added != 1 else ''} "
        line += f"for {report.prospects:,} prospect{'s' if report.prospects != 1 else ''}"
        if report.duplicates:
            line += f"; {report.duplicates:,} already there, skipped"
    else:
        line = (
            f"{would}: {report.added:,} added, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged"
        )
        if report.merged:
            line += f"; {report.merged:,} repeated {noun}{'s' if report.merged != 1 else ''} merged"
        if report.enrolled:
            where = ", ".join(f"{n:,} in {name}" for name, n in sorted(report.enrolled_in.items()))
            line += f"; {report.enrolled:,} enrolled ({where})"
    render.note(line + ".", "yellow" if report.dry_run else "green")
    if getattr(report, "skipped", None):
        from followup_cli.data.row_rules import spans

        parts = [
            f"{kind} (line{'s' if len(lines) > 1 else ''} {spans(lines)})"
            for kind, lines in report.skipped.items()
        ]
        render.note(f"Skipped lines that are not people: {'; '.join(parts)}.", "dim")
    if getattr(report, "date_order", None):
        order = {"mdy": "month first (M/D/YYYY)", "dmy": "day first (D.M.YYYY)"}
        render.note(f"Dates read {order[report.date_order]}; --date-order to change.", "dim")
    if report.problems:
        count = len(report.problems)
        where = f"; written to {report.rejects}" if report.rejects else ""
        render.note(f"Left out {count:,} bad {noun}{'s' if count != 1 else ''}{where}:", "yellow")
        for problem in report.problems[:20]:
            render.note(f"  {problem}")
        if count > 20:
            render.note(f"  ... and {count - 20:,} more")
    if report.dry_run:
        render.note("Dry run: nothing was changed.", "yellow")


def _delimiter_name(delimiter: str | None) -> str:
    if delimiter is None:
        return "JSON"
    if delimiter == "vcard":
        return "vCard"
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    return f"{names.get(delimiter, repr(delimiter))}-separated"


@app.command()
def export(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="prospects.csv, .json, contacts.vcf, or - for stdout.")
    ],
    touches: Annotated[
        bool, typer.Option("--touches", help="Export the touch history instead.")
    ] = False,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="csv, json, vcf (vCard 3.0) or vcf4 (4.0); default: FILE."),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="Start the CSV with a byte order mark, for Excel."),
    ] = False,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Everything, to move to a new machine: one JSON file with the sender profile, "
            "value bank, prospects and touches (`followup import --all` restores it).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export prospects (all details, tags, custom fields) or touches as CSV or JSON, or
    prospects as vCards for an address book.

    `followup import` reads each back. Example: followup export prospects.csv --excel
    """
    from followup_cli.data import exporter, files
    from followup_cli.views import render

    files.check(file)  # before anything: a bad path fails first
    s = session(ctx, db)
    if all_:
        from followup_cli.data import archive

        moved = archive.export_all(s.conn, file)
        render.note(f"Exported {moved.summary()} to {moved.path}.", "green")
        return
    if str(file) == "-":
        fmt = exporter.format_of(Path("-"), format_ or "csv")
        from followup_cli.views.json_output import utf8_stdout

        stream = utf8_stdout()
        exporter.export_to(s.conn, stream, touches=touches, fmt=fmt, excel=excel)
        stream.flush()
        if stream is not sys.stdout:
            stream.detach()  # leave the real stdout open
        return
    done = exporter.export(s.conn, file, touches=touches, fmt=format_, excel=excel)
    render.note(f"Exported {done.count:,} {done.kind} to {done.path} ({done.format}).", "green")


@app.command()
def calendar(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The .ics file to write, or - for stdout.")],
    days: Annotated[int, typer.Option(min=0, help="Touches due up to N days ahead.")] = 14,
    db: DbOption = None,
) -> None:
    """Write the due touches as calendar events (.ics) to import into any calendar.

    Importing a newer file again updates the events instead of duplicating them.
    Example: followup calendar upcoming.ics --days 14
    """
    from followup_cli.data import exporter, files, ical
    from followup_cli.views import render

    files.check(file, example="upcoming.ics")  # before the calendar's id is first stored
    s = session(ctx, db)
    if str(file) == "-":
        from followup_cli.views.json_output import utf8_stdout

        stream = utf8_stdout()
        try:
            ical.write(s.conn, stream, now=s.now, user_tz=s.tz, days=days)
            stream.flush()
        finally:
            if stream is not sys.stdout:
                stream.detach()  # leave the real stdout open
        return
    with exporter.atomic_text(file, newline="\n") as out:  # streamed: memory stays flat
        count = ical.write(s.conn, out, now=s.now, user_tz=s.tz, days=days)
    render.note(
        f"Wrote {count} event{'s' if count != 1 else ''} (touches due within {days} days) "
        f"to {file}.",
        "green",
    )


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find (every one must match).")],
    limit: Annotated[int, typer.Option(min=1, help="At most this many results.")] = 20,
    json: JsonOption = False,
    format_: FormatOption = None,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Full-text search over every field you typed (custom fields, competitors, decision
    makers, key points, notes, tags, ...) and every touch's note, best first.

    Example: followup search "budget freeze"
    """
    from followup_cli.data import search as finder

    fmt = pick(format_, json, quiet)
    s = session(ctx, db)
    hits = finder.search(s.conn, text, limit=limit)
    if fmt != "table":
        from followup_cli.views import formats

        formats.emit([hit.public() for hit in hits], formats.HITS, fmt, key="prospect.id")
        return
    _show_hits(hits, text)


def _show_hits(hits: list[Any], text: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from followup_cli.data.search import END, MARK
    from followup_cli.views import render

    if not hits:
        render.note(f"Nothing matches {text!r}.", "dim")
        return
    table = Table(show_edge=False)
    for column in ("#", "Who", "Where", "Match"):
        table.add_column(column, justify="right" if column == "#" else "left")
    for hit in hits:
        who = hit.name + (f" ({hit.company})" if hit.company else "")
        where = ", ".join(hit.fields)
        if hit.kind == "touch":
            where = f"{hit.channel} {hit.outcome.replace('_', ' ')} {hit.at[:10]}"
        snippet = Text()
        for index, part in enumerate(hit.snippet.replace(END, MARK).split(MARK)):
            snippet.append(part, style="bold yellow" if index % 2 else "")
        table.add_row(str(hit.prospect_id), who, where, snippet)
    render.out.print(table)
    render.note(f"{len(hits)} match{'es' if len(hits) != 1 else ''}", "dim")


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a file or folder).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    db: DbOption = None,
) -> None:
    """Copy the database, consistently, even while followup is in use elsewhere.

    Example: followup backup ~/followup-2026-11-22.db
    """
    from followup_cli.core import config
    from followup_cli.store import safety
    from followup_cli.views import render

    s = session(ctx, db)
    target = safety.backup(s.conn, s.db_path or config.default_db_path(), file, force=force)
    if str(target) == "-":
        return
    safety.remember_backup(s.db_path or config.default_db_path(), target)  # for `forget`
    render.note(f"Backed up to {target}. Bring it back with: followup restore {target}", "green")


@app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made with followup backup.")],
    yes: YesOption = False,
    db: DbOption = None,
) -> None:
    """Replace the database with a backup; the current one is kept aside (asks first).

    Example: followup restore ~/followup-2026-11-22.db --yes
    """
    from followup_cli.core import config
    from followup_cli.store import safety
    from followup_cli.views import render

    s = session(ctx, db)
    path = s.db_path or config.default_db_path()
    prospects, touches = safety.check_backup(file, path)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"Restoring {file} replaces your database: add --yes.")
        typer.confirm(
            f"Replace {path} with {file} ({prospects} prospects, {touches} touches)? "
            "The current database is kept aside",
            abort=True,
        )
    from followup_cli.core.text import counted

    done = safety.restore(path, file, now=s.now)
    aside = f" The previous database is at {done.aside}." if done.aside else ""
    render.note(
        f"Restored {counted(done.prospects, 'prospect')} and {counted(done.touches, 'touch')} "
        f"from {file}.{aside}",
        "green",
    )


@app.command()
def forget(
    ctx: typer.Context, prospect: ProspectArg, yes: YesOption = False, db: DbOption = None
) -> None:
    """Erase a person entirely: details, touches, search index, no trace left in the file.

    For privacy requests. Example: followup forget dana --yes
    """
    from followup_cli.core import config
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.store import safety
    from followup_cli.views import render

    s = session(ctx, db)
    person = prospects.resolve(s.conn, prospect)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"Erasing {person.name} cannot be undone: add --yes.")
        render.note(
            f"Erasing cannot be undone: followup undo will not bring {person.name} back, "
            "and the journal entries that hold them are erased too.",
            "yellow",
        )
        typer.confirm(
            f"Erase #{person.id} {person.name} and all their touches, for good?", abort=True
        )
    done = safety.forget(
        s.conn,
        s.db_path or config.default_db_path(),
        person.id,
        name=person.name,
        traces=[person.name, person.email],
    )
    render.note(
        f"Erased #{done.prospect_id} {done.name} and {done.touches} "
        f"touch{'es' if done.touches != 1 else ''}; no trace is left in the database.",
        "green",
    )
    if done.wal_busy:
        render.note(
            "Another followup has the database open: their old data leaves the "
            "write-ahead log once it exits.",
            "yellow",
        )
    if done.mentions:
        render.note(f"Other records still mention them: {', '.join(done.mentions)}.", "yellow")
    if done.backups:
        names = ", ".join(str(p) for p in done.backups)
        render.note(f"Older backups still hold them: {names}.", "yellow")
