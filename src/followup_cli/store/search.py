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

from followup_cli.store.search_schema import SEARCH_COLUMNS

MARK, END = "\x02", "\x03"  # around a matched word in a snippet
# BM25 weight of each prospects_fts column (the rest weigh 1): names weigh most
PROSPECT_FIELDS = tuple(SEARCH_COLUMNS)
_HEAVY = {"name": 10.0, "company": 5.0, "email": 5.0, "title": 2.0, "tags": 2.0}
PROSPECT_WEIGHTS = tuple(_HEAVY.get(field, 1.0) for field in PROSPECT_FIELDS)
# BM25 over every match costs ~2 µs a row: a common word in 3M touch notes matches 200k of
# them. So only the newest POOL matching notes are ranked (found from the index in rowid
# order, which is cheap), and snippets are made only for the rows shown.
POOL = 2000


def _newest_floor(conn: sqlite3.Connection, table: str, query: str) -> int:
    """The lowest rowid among the newest ``POOL`` matches (0 when there are fewer)."""
    row = conn.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        [query, POOL - 1],
    ).fetchone()
    return row[0] if row else 0


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
    """At most ``limit`` touches by their note, best first among the newest ``POOL`` that
    match: the prospect's id, name, company and email, snippet, rank, then the touch's id,
    at, channel and outcome."""
    return conn.execute(
        f"""SELECT p.id, p.name, p.company, p.email, f.snippet, f.rank,
                t.id, t.at, t.channel, t.outcome
            FROM (SELECT rowid, rank, snippet(touches_fts, 0, '{MARK}', '{END}', '…', 12) AS snippet
                  FROM touches_fts WHERE touches_fts MATCH ? AND rowid >= ?
                  ORDER BY rank LIMIT ?) f
            JOIN touches t ON t.id = f.rowid
            JOIN prospects p ON p.id = t.prospect_id
            ORDER BY f.rank""",
        [query, _newest_floor(conn, "touches_fts", query), limit],
    )
