"""The prospects `list` shows: filtered, soonest due first, read as they are used."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any, NamedTuple

from followup_cli.core.vocab import RELATIONSHIPS, choose
from followup_cli.pipeline.prospect import Prospect
from followup_cli.store import prospects as prospect_rows


class Listed(NamedTuple):
    """What `list` shows of a prospect: read without building the whole ``Prospect``
    (`list --all` is a line per prospect, and building one costs more than its line)."""

    id: int
    name: str
    company: str | None
    stage: str
    value: float | None
    cadence: str | None
    next_due_at: str | None
    next_channel: str | None
    do_not_contact: int
    last_touch_at: str | None
    last_touch_channel: str | None
    last_touch_outcome: str | None


def search_rows(
    conn: sqlite3.Connection,
    *,
    stage: str | None = None,
    tag: str | None = None,
    due_before: str | None = None,
    text: str | None = None,
    limit: int | None = None,
    referred_by: str | None = None,
    relationship: str | None = None,
    brief: bool = False,
) -> Iterator[Any]:
    """The prospects `list` shows, soonest due first, read as they are used: each a
    ``Prospect``, or with ``brief`` a ``Listed``."""
    filters = _list_filters(stage, tag, due_before, text, referred_by, relationship)
    if brief:
        rows = prospect_rows.search(conn, limit=limit, columns=Listed._fields, **filters)
        return (Listed._make(row) for row in rows)
    return (Prospect.from_row(row) for row in prospect_rows.search(conn, limit=limit, **filters))


# The columns `list --format csv|tsv|plain` and `-q` print (views.formats.PROSPECTS): each
# the table's own column, as Prospect.public() gives it.
SCRIPT_COLUMNS = (
    "id",
    "name",
    "company",
    "email",
    "stage",
    "value",
    "tags",
    "cadence",
    "next_channel",
    "next_due_at",
    "last_touch_at",
)


def script_rows(
    conn: sqlite3.Connection,
    columns: tuple[str, ...],
    *,
    stage: str | None = None,
    tag: str | None = None,
    due_before: str | None = None,
    text: str | None = None,
    limit: int | None = None,
    referred_by: str | None = None,
    relationship: str | None = None,
) -> Iterator[tuple[Any, ...]]:
    """The same prospects as ``search_rows``, each a tuple of only the ``columns`` (of
    ``SCRIPT_COLUMNS``) a script's format prints, the tags as one cell ("saas, smb"): no
    ``Prospect`` is built, so `list --all --format tsv` streams a whole book. Cells come as
    text where SQLite writes them as the formats do (nothing for NULL)."""
    unknown = set(columns) - set(SCRIPT_COLUMNS)
    if unknown:
        raise ValueError(f"not a listing column: {sorted(unknown)}")
    filters = _list_filters(stage, tag, due_before, text, referred_by, relationship)
    yield from prospect_rows.search(
        conn, limit=limit, columns=columns, plain=True, joined_tags=True, as_text=True, **filters
    )


def count_rows(
    conn: sqlite3.Connection,
    *,
    stage: str | None = None,
    tag: str | None = None,
    due_before: str | None = None,
    text: str | None = None,
    referred_by: str | None = None,
    relationship: str | None = None,
) -> int:
    """How many prospects ``search_rows`` gives without a limit."""
    filters = _list_filters(stage, tag, due_before, text, referred_by, relationship)
    return prospect_rows.count(conn, **filters)


def _list_filters(
    stage: str | None,
    tag: str | None,
    due_before: str | None,
    text: str | None,
    referred_by: str | None,
    relationship: str | None,
) -> dict[str, str | None]:
    level = choose(relationship, RELATIONSHIPS, "relationship level") if relationship else None
    return dict(
        stage=stage,
        tag=tag,
        due_before=due_before,
        text=text,
        referred_by=referred_by,
        relationship=level,
    )
