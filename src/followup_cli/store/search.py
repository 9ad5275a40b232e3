"""What `followup search` asks: the prospects and the touches whose full-text index matches an
FTS5 query, best first (BM25), with a snippet and the matched words marked.

The FTS5 tables (``prospects_fts``, ``touches_fts``) are created by migration ``_m003_search``
and kept in sync by triggers on every write; since ``_m011_search_every_field`` the prospects'
index reads every field a user types (tags and custom fields' values as words) through the
view ``prospects_search``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from followup_cli.store.migrations import SEARCH_COLUMNS

MARK, END = "\x02", "\x03"  # around a matched word in a snippet
# BM25 weight of each prospects_fts column (the rest weigh 1): names weigh most
PROSPECT_FIELDS = tuple(SEARCH_COLUMNS)
_HEAVY = {"name": 10.0, "company": 5.0, "email": 5.0, "title": 2.0, "tags": 2.0}
PROSPECT_WEIGHTS = tuple(_HEAVY.get(field, 1.0) for field in PROSPECT_FIELDS)


def prospects_matching(conn: sqlite3.Connection, query: str, limit: int) -> Iterator[sqlite3.Row]:
    """At most ``limit`` prospects, best first: id, name, company, email, snippet, rank, the
    custom fields (JSON), then each of ``PROSPECT_FIELDS`` highlighted (``MARK`` in it where
    it matched)."""
    weights = ", ".join(str(w) for w in PROSPECT_WEIGHTS)
    marks = [
        f"highlight(prospects_fts, {i}, '{MARK}', '{END}')" for i in range(len(PROSPECT_FIELDS))
    ]
    return conn.execute(
        f"""SELECT p.id, p.name, p.company, p.email,
                snippet(prospects_fts, -1, '{MARK}', '{END}', '…', 12) AS snippet,
                bm25(prospects_fts, {weights}) AS rank, p.fields, {", ".join(marks)}
            FROM prospects_fts JOIN prospects p ON p.id = prospects_fts.rowid
            WHERE prospects_fts MATCH ? ORDER BY rank LIMIT ?""",
        [query, limit],
    )


def touches_matching(conn: sqlite3.Connection, query: str, limit: int) -> Iterator[sqlite3.Row]:
    """At most ``limit`` touches by their note, best first: the prospect's id, name, company
    and email, snippet, rank, then the touch's id, at, channel and outcome."""
    return conn.execute(
        f"""SELECT p.id, p.name, p.company, p.email,
                snippet(touches_fts, 0, '{MARK}', '{END}', '…', 12) AS snippet,
                bm25(touches_fts) AS rank, t.id, t.at, t.channel, t.outcome
            FROM touches_fts JOIN touches t ON t.id = touches_fts.rowid
            JOIN prospects p ON p.id = t.prospect_id
            WHERE touches_fts MATCH ? ORDER BY rank LIMIT ?""",
        [query, limit],
    )
