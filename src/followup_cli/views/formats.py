"""Listings for scripts and pipes: one formatter behind every listing's ``--format`` and
``-q/--quiet`` (``today``, ``list``, ``search``, ``review``, ``stats``, ``cadences list``,
``templates list``, ``value list``, ``undo --list``).

A listing is the records its ``--json`` prints (the same dicts, so every format is a view of
one result) and the columns the other formats show, each a dotted path into a record
(``prospect.name``). ``table`` is the command's own Rich view, so it is not drawn here; this
module imports neither Rich nor Typer, and streams what it can (json, csv, tsv, quiet write a
row as it comes; plain measures its columns first).

- ``plain``: a header, then one line per row, columns aligned with two spaces, never cut or
  wrapped (a line break or tab in a value becomes a space): what ``grep`` and ``awk`` read.
- ``csv``: RFC 4180 quoting, ``\\n`` line ends, a header row.
- ``tsv``: a header row, fields separated by tabs; a tab or line break inside a value becomes
  a space.
- ``json``: exactly what ``--json`` prints.
- quiet: the key column alone (ids, or names), one per line, each once: for ``xargs``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

FORMATS = ("table", "plain", "json", "csv", "tsv")
Columns = Sequence[tuple[str, str]]  # (dotted path into a record, header)


def cell(record: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` (``prospect.name``) in ``record``; None where it is missing."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def text(value: Any) -> str:
    """A value as one cell of text: nothing for None, lists joined by commas, numbers as
    typed (24000, not 24000.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, list | tuple):
        return ", ".join(text(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """A nested result (a dashboard) as (dotted key, value) pairs: ``channels.0.rate``."""
    if isinstance(data, Mapping):
        if not data and prefix:
            yield prefix, None
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list | tuple) and any(isinstance(v, Mapping | list) for v in data):
        for index, value in enumerate(data):
            yield from flatten(value, f"{prefix}.{index}")
    else:
        yield prefix, data


KEY_VALUE: Columns = (("key", "key"), ("value", "value"))


def as_rows(data: Any) -> list[dict[str, Any]]:
    """A nested result as key/value records, for ``KEY_VALUE`` columns."""
    return [{"key": key, "value": value} for key, value in flatten(data)]


def emit(
    records: Iterable[Mapping[str, Any]],
    columns: Columns,
    fmt: str,
    *,
    key: str | None = None,
    json_data: Any = None,
    aligned: bool = False,
) -> None:
    """Write ``records`` to standard output as ``fmt`` (one of ``FORMATS`` but table, or
    ``quiet``: the ``key`` column alone). ``json_data``, when given, is what json prints
    instead of the records (a dashboard's own shape). With ``aligned``, each record is a
    tuple of the ``columns``' values in their order (plain keys only): tsv writes them as
    they come, a whole book at a time."""
    from followup_cli.views.json_output import print_json, stream_json, utf8_stdout

    if aligned:
        paths = [path for path, _ in columns]
        if fmt == "tsv":
            _aligned_tsv(utf8_stdout(), records, columns)
            return
        records = (dict(zip(paths, row, strict=True)) for row in records)

    if fmt == "json":
        if json_data is not None:
            print_json(json_data)
        else:
            stream_json(records)
        return
    out = utf8_stdout()
    try:
        if fmt == "quiet":
            _quiet(out, records, key or columns[0][0])
        elif fmt == "csv":
            import csv

            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([header for _, header in columns])
            reads = _readers(columns)
            for record in records:
                writer.writerow([text(read(record)) for read in reads])
        elif fmt == "tsv":
            out.write("\t".join(header for _, header in columns) + "\n")
            paths = [path for path, _ in columns]
            if any("." in path for path in paths):
                reads = _readers(columns)
                for record in records:
                    out.write("\t".join([_one_line(read(record)) for read in reads]) + "\n")
            else:  # a flat record (`list`): one dict lookup a cell
                for record in records:
                    get = record.get
                    out.write("\t".join([_one_line(get(path)) for path in paths]) + "\n")
        elif fmt == "plain":
            _plain(out, records, columns)
        else:
            raise ValueError(fmt)
        out.flush()
    finally:
        import sys

        if out is not sys.stdout:
            out.detach()  # leave the real stdout open


def _aligned_tsv(out: Any, rows: Iterable[Any], columns: Columns) -> None:
    import sys

    try:
        out.write("\t".join(header for _, header in columns) + "\n")
        tabs = len(columns) - 1
        for row in rows:
            # Text cells as they are, checked once on the whole line: a tab or line break
            # in a cell (rare) sends the row through _one_line cell by cell.
            try:
                line = "\t".join(row)  # the store's text cells (store.prospects.search)
            except TypeError:  # a number or a NULL among them
                line = "\t".join([c if c.__class__ is str else _one_line(c) for c in row])
            if line.count("\t") != tabs or "\n" in line or "\r" in line:
                line = "\t".join(map(_one_line, row))
            out.write(line + "\n")
        out.flush()
    finally:
        if out is not sys.stdout:
            out.detach()  # leave the real stdout open


def _readers(columns: Columns) -> list[Any]:
    """For each column, what reads its value from a record (a plain key: a dict lookup)."""
    from operator import itemgetter

    def nested(path: str) -> Any:
        return lambda record: cell(record, path)

    def top(path: str) -> Any:
        get = itemgetter(path)
        return lambda record: get(record) if path in record else None

    return [nested(path) if "." in path else top(path) for path, _ in columns]


def _one_line(value: Any) -> str:
    """A cell on one line: line breaks and tabs become spaces."""
    kind = value.__class__
    if kind is str:
        if "\n" not in value and "\r" not in value and "\t" not in value:
            return value
    elif value is None:
        return ""
    elif kind is int:
        return str(value)
    elif kind is float:
        return text(value)
    elif kind is list and all(item.__class__ is str for item in value):
        value = ", ".join(value)
    cleaned = text(value).replace("\r\n", " ")
    return cleaned.translate({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})


def _quiet(out: Any, records: Iterable[Mapping[str, Any]], path: str) -> None:
    seen: set[str] = set()
    for record in records:
        value = _one_line(cell(record, path))
        if value and value not in seen:
            seen.add(value)
            out.write(value + "\n")


def _plain(out: Any, records: Iterable[Mapping[str, Any]], columns: Columns) -> None:
    from followup_cli.core.text import width

    rows = [[_one_line(cell(record, path)) for path, _ in columns] for record in records]
    headers = [header.upper() for _, header in columns]
    widths = [max(width(row[i]) for row in [headers, *rows]) for i in range(len(columns))]
    for row in [headers, *rows]:
        line = "  ".join(
            value + " " * (widths[i] - width(value)) if i < len(row) - 1 else value
            for i, value in enumerate(row)
        )
        out.write(line.rstrip() + "\n")


# --- the columns of each listing (its --json records hold these and more) ------------------

PROSPECTS: Columns = (
    ("id", "id"),
    ("name", "name"),
    ("company", "company"),
    ("email", "email"),
    ("stage", "stage"),
    ("value", "value"),
    ("tags", "tags"),
    ("cadence", "cadence"),
    ("next_channel", "next_channel"),
    ("next_due_at", "next_due_at"),
    ("last_touch_at", "last_touch_at"),
)
DUE: Columns = (
    ("prospect.id", "id"),
    ("prospect.name", "name"),
    ("prospect.company", "company"),
    ("channel", "channel"),
    ("due_at", "due_at"),
    ("overdue_days", "overdue_days"),
    ("cadence", "cadence"),
    ("step", "step"),
    ("purpose", "purpose"),
    ("template", "template"),
    ("urgency", "urgency"),
)
HITS: Columns = (
    ("prospect.id", "id"),
    ("prospect.name", "name"),
    ("prospect.company", "company"),
    ("kind", "kind"),
    ("fields", "fields"),
    ("touch.id", "touch_id"),
    ("snippet", "snippet"),
)
CADENCES: Columns = (
    ("name", "name"),
    ("touches", "touches"),
    ("spans", "spans"),
    ("then", "then"),
    ("origin", "origin"),
    ("description", "description"),
)
TEMPLATES: Columns = (
    ("name", "name"),
    ("channel", "channel"),
    ("origin", "origin"),
    ("variants", "variants"),
    ("purpose", "purpose"),
)
VALUES: Columns = (
    ("id", "id"),
    ("title", "title"),
    ("kind", "kind"),
    ("tags", "tags"),
    ("times_sent", "times_sent"),
    ("last_sent_at", "last_sent_at"),
    ("url", "url"),
)
JOURNAL: Columns = (
    ("id", "id"),
    ("at", "at"),
    ("command", "command"),
    ("summary", "summary"),
    ("undone_at", "undone_at"),
)
