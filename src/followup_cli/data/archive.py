"""Everything a user needs to move to a new machine, as one JSON file: `followup export --all`
writes it, `followup import --all` restores it into an empty database.

The file holds the sender profile (``me``), the value bank, and every prospect, touch and
trigger with every column and its id, so each touch keeps its template variant and the value item it
sent (the value bank's "never the same item twice" reads them), pauses and custom fields
stay, and the schedule comes back as it was. What `undo` took back is simply not there.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from followup_cli import store
from followup_cli.core.text import counted
from followup_cli.data.files import ExportFailed, atomic_text
from followup_cli.store import archive, journal
from followup_cli.store.touches import renumber_all

FORMAT = "followup-all"
VERSION = 1
SENDER_KEY = "me"  # drafting.sender keeps the profile in the meta table under this key


@dataclass(frozen=True)
class Moved:
    path: str
    counts: dict[str, int]  # value_items, prospects, touches, triggers

    def summary(self) -> str:
        c = self.counts
        return (
            f"{counted(c['prospects'], 'prospect')}, {counted(c['touches'], 'touch')}, "
            f"{counted(c['triggers'], 'trigger')}, {counted(c['value_items'], 'value item')} "
            "and the sender profile"
        )


def export_all(conn: sqlite3.Connection, path: Path) -> Moved:
    document = {"format": FORMAT, "version": VERSION, "me": store.get_meta(conn, SENDER_KEY)}
    for table in archive.TABLES:
        document[table] = list(archive.rows(conn, table))
    with atomic_text(path) as out:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return Moved(str(path), {t: len(document[t]) for t in archive.TABLES})


class RestoreFailed(ExportFailed):
    """The file is not a whole export, or the database already holds data."""


def _read(path: Path) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RestoreFailed(f"No such file: {path}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RestoreFailed(
            f"{path} is not JSON ({error}): use a file from export --all."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreFailed(
            f"{path} is not a file from `followup export --all`: import a CSV or JSON export "
            "without --all."
        )
    if document.get("version") != VERSION:
        raise RestoreFailed(
            f"{path} is version {document.get('version')} of export --all; this followup reads "
            f"version {VERSION}: pip install --upgrade followup-cli"
        )
    return document


def import_all(conn: sqlite3.Connection, path: Path, *, now: datetime) -> Moved:
    """Restore an ``export_all`` file into this database, which must be empty: one journaled
    transaction, so `followup undo` takes it back at once."""
    document = _read(path)
    held = archive.counts(conn)
    if any(held.values()):
        raise RestoreFailed(
            "import --all restores into an empty database, and this one holds "
            f"{counted(held['prospects'], 'prospect')} and {counted(held['touches'], 'touch')}: "
            "point --db at a new file."
        )
    for table in archive.TABLES:
        keys = {key for record in document.get(table, []) for key in record}
        unknown = archive.unknown_columns(conn, table, keys)
        if unknown:
            raise RestoreFailed(
                f"{path} has {table} columns this followup does not know "
                f"({', '.join(sorted(unknown))}): pip install --upgrade followup-cli"
            )
    with journal.record(conn, "import", f"restored {Path(path).name}", now=now):
        if document.get("me"):
            store.set_meta(conn, SENDER_KEY, document["me"])
        done = {t: archive.put(conn, t, document.get(t, [])) for t in archive.TABLES}
        # The numbers stats counts by, as this version keeps them (an older file lacks some).
        renumber_all(conn)
    return Moved(str(path), done)
