"""Exporting prospects and touches as CSV or JSON, in a shape `followup import` reads back.

A CSV export opens safely in a spreadsheet: a cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, which import takes off again (``columns.neutralise``/``unescape``). Files are
written to a temporary file beside the target and renamed into place, readable by the owner
only (``files.atomic_text``). The rows come from ``store.exports``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from followup_cli.data.columns import PROSPECT_HEADERS, neutralise, norm
from followup_cli.data.files import ExportFailed, atomic_text
from followup_cli.store import exports

# Columns the scheduler derives from the touches and the cadence: recomputed on import.
DERIVED = ("answered",)
DERIVED_PREFIXES = ("last_touch_", "next_")
TOUCH_FIELDS = (
    "email",
    "prospect",
    "at",
    "channel",
    "direction",
    "outcome",
    "note",
    "template",
    "variant",
    "cadence",
    "step",
    "logged_at",
)


@dataclass(frozen=True)
class Exported:
    kind: str  # prospects | touches
    count: int
    format: str  # csv | json
    path: str


def format_of(path: Path, given: str | None) -> str:
    fmt = (given or Path(path).suffix.lstrip(".") or "csv").lower()
    fmt = {"vcard": "vcf"}.get(fmt, fmt)
    if fmt not in ("csv", "json", "vcf", "vcf4"):
        raise ExportFailed(
            f"Cannot tell the format of {Path(path).name}: name it .csv, .json or .vcf, "
            "or add --format csv|json|vcf|vcf4."
        )
    return fmt


# --- prospects ---------------------------------------------------------------------------------


def prospect_columns(conn: sqlite3.Connection) -> list[str]:
    """The prospect's own columns (not what the scheduler derives), custom fields excluded."""
    return [
        c
        for c in exports.prospect_columns(conn)
        if c != "fields" and c not in DERIVED and not c.startswith(DERIVED_PREFIXES)
    ]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _prospect_record(row: sqlite3.Row, columns: list[str]) -> dict[str, Any]:
    from followup_cli.core.vocab import PRIORITY_NAMES

    record = {c: row[c] for c in columns}
    record["tags"] = json.loads(row["tags"] or "[]")
    record["priority"] = PRIORITY_NAMES.get(row["priority"], row["priority"])
    record["do_not_contact"] = bool(row["do_not_contact"])
    record["texts_ok"] = bool(row["texts_ok"])
    record["fields"] = json.loads(row["fields"] or "{}")
    return record


def _field_header(key: str, taken: set[str]) -> str:
    """A custom field's column: its own name, unless import would read that as a detail."""
    return f"field:{key}" if norm(key) in taken else key


def export_prospects(conn: sqlite3.Connection, out: IO[str], fmt: str) -> int:
    if fmt in ("vcf", "vcf4"):
        from followup_cli.data.vcard import export_vcards  # vobject, on this path only

        return export_vcards(conn, out, "4.0" if fmt == "vcf4" else "3.0")
    columns = prospect_columns(conn)
    rows = exports.prospect_rows(conn, columns)
    if fmt == "json":
        return _json_lines(out, (_prospect_record(row, columns) for row in rows))
    keys = sorted({k for text in exports.custom_fields(conn) for k in json.loads(text)})
    taken = {norm(a) for t, names in PROSPECT_HEADERS.items() for a in (t, *names)}
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*columns, *(_field_header(k, taken) for k in keys)])
    count = 0
    for row in rows:
        record = _prospect_record(row, columns)
        cells = []
        for column in columns:
            value = record[column]
            if column == "tags":
                value = ", ".join(value)
            elif column in ("value", "pace"):
                value = _number(value)
            elif column in ("do_not_contact", "texts_ok"):
                value = "yes" if value else ""
            cells.append("" if value is None else str(value))
        cells += [record["fields"].get(k, "") for k in keys]
        writer.writerow([neutralise(cell) for cell in cells])
        count += 1
    return count


# --- touches -----------------------------------------------------------------------------------


def export_touches(conn: sqlite3.Connection, out: IO[str], fmt: str) -> int:
    if fmt not in ("csv", "json"):
        raise ExportFailed("A touch history is exported as CSV or JSON: name it .csv or .json.")
    rows = exports.touch_rows(conn)
    if fmt == "json":
        fields = ("id", "prospect_id", *TOUCH_FIELDS, "value_id")
        return _json_lines(out, ({f: row[f] for f in fields} for row in rows))
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TOUCH_FIELDS)
    count = 0
    for row in rows:
        cells = ["" if row[f] is None else str(row[f]) for f in TOUCH_FIELDS]
        writer.writerow([neutralise(cell) for cell in cells])
        count += 1
    return count


def _json_lines(out: IO[str], records: Iterator[dict[str, Any]]) -> int:
    """A JSON array written one record at a time: a large export never sits in memory."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


# Excel on Windows reads a UTF-8 CSV as the local code page unless it starts with a byte
# order mark. Not by default: a BOM glues itself to the first header for cut, awk and
# Python's csv module, and our own import reads either.
BOM = "\ufeff"


def export(
    conn: sqlite3.Connection,
    path: Path,
    *,
    touches: bool,
    fmt: str | None = None,
    excel: bool = False,
) -> Exported:
    """Write prospects (or touches) to ``path`` as CSV or JSON; ``excel``: a CSV with a
    byte order mark, which Excel needs to read UTF-8."""
    chosen = format_of(path, fmt)
    if excel and chosen != "csv":
        raise ExportFailed("--excel is for CSV: export to a .csv file, or drop --excel.")
    kind = "touches" if touches else "prospects"
    write = export_touches if touches else export_prospects
    with atomic_text(path) as out:
        if excel:
            out.write(BOM)
        count = write(conn, out, chosen)
    return Exported(kind, count, chosen, str(path))


def export_to(
    conn: sqlite3.Connection, out: IO[str], *, touches: bool, fmt: str, excel: bool = False
) -> int:
    """The same, to an open stream (``followup export -``)."""
    if excel and fmt != "csv":
        raise ExportFailed("--excel is for CSV: add --format csv, or drop --excel.")
    if excel:
        out.write(BOM)
    return (export_touches if touches else export_prospects)(conn, out, fmt)
