"""Exporting prospects and touches as CSV or JSON, in a shape `followup import` reads back.

A CSV export opens safely in a spreadsheet: a cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, which import takes off again (``neutralise``/``unescape``). Files are written to a
temporary file beside the target and renamed into place, readable by the owner only.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from followup_cli.core.errors import FollowupError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


class ExportFailed(FollowupError):
    pass


@dataclass(frozen=True)
class Exported:
    kind: str  # prospects | touches
    count: int
    format: str  # csv | json
    path: str


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (OWASP's CSV injection advice).
    ``unescape`` is the exact inverse, so export then import gives back the same text."""
    if cell[:1] in FORMULA_STARTS or (cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS):
        return "'" + cell
    return cell


def unescape(cell: str) -> str:
    if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS:
        return cell[1:]
    return cell


@contextlib.contextmanager
def atomic_text(path: Path, newline: str = "") -> Iterator[IO[str]]:
    """Write ``path`` all at once: a crash never leaves half a file, and only the owner
    can read it (it holds people's details)."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportFailed(f"{path} is a directory: give a file name, e.g. {path}/export.csv")
    if not path.parent.is_dir():
        raise ExportFailed(f"The folder {path.parent} does not exist: create it, or pick another.")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ExportFailed(f"Cannot write in {path.parent}: {error.strerror}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            yield out
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def format_of(path: Path, given: str | None) -> str:
    fmt = (given or Path(path).suffix.lstrip(".") or "csv").lower()
    if fmt not in ("csv", "json"):
        raise ExportFailed(
            f"Cannot tell the format of {Path(path).name}: name it .csv or .json, "
            "or add --format csv|json."
        )
    return fmt


# --- prospects ---------------------------------------------------------------------------------


def prospect_columns(conn: sqlite3.Connection) -> list[str]:
    """The prospect's own columns (not what the scheduler derives), custom fields excluded."""
    columns = [row[1] for row in conn.execute("PRAGMA table_info(prospects)")]
    return [
        c
        for c in columns
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
    record["fields"] = json.loads(row["fields"] or "{}")
    return record


def _field_header(key: str, taken: set[str]) -> str:
    """A custom field's column: its own name, unless import would read that as a detail."""
    from followup_cli.data.importer import norm

    return f"field:{key}" if norm(key) in taken else key


def export_prospects(conn: sqlite3.Connection, out: IO[str], fmt: str) -> int:
    columns = prospect_columns(conn)
    rows = conn.execute(f"SELECT {', '.join(columns)}, fields FROM prospects ORDER BY id")
    if fmt == "json":
        return _json_lines(out, (_prospect_record(row, columns) for row in rows))
    from followup_cli.data.import_prospects import PROSPECT_HEADERS
    from followup_cli.data.importer import norm

    keys = sorted(
        {k for (text,) in conn.execute("SELECT fields FROM prospects") for k in json.loads(text)}
    )
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
            elif column == "do_not_contact":
                value = "yes" if value else ""
            cells.append("" if value is None else str(value))
        cells += [record["fields"].get(k, "") for k in keys]
        writer.writerow([neutralise(cell) for cell in cells])
        count += 1
    return count


# --- touches -----------------------------------------------------------------------------------


def export_touches(conn: sqlite3.Connection, out: IO[str], fmt: str) -> int:
    rows = conn.execute(
        "SELECT t.*, p.name AS prospect, p.email AS email FROM touches t "
        "JOIN prospects p ON p.id = t.prospect_id ORDER BY t.id"
    )
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


def export(
    conn: sqlite3.Connection, path: Path, *, touches: bool, fmt: str | None = None
) -> Exported:
    """Write prospects (or touches) to ``path`` as CSV or JSON."""
    chosen = format_of(path, fmt)
    kind = "touches" if touches else "prospects"
    write = export_touches if touches else export_prospects
    with atomic_text(path) as out:
        count = write(conn, out, chosen)
    return Exported(kind, count, chosen, str(path))


def export_to(conn: sqlite3.Connection, out: IO[str], *, touches: bool, fmt: str) -> int:
    """The same, to an open stream (``followup export -``)."""
    return (export_touches if touches else export_prospects)(conn, out, fmt)
