"""Questions about the relationship pyramid: who was referred by whom, how many referrals
each customer gave, and what referred deals brought in.

A prospect's ``referred_by`` is free text; it names a referrer when it equals (ignoring
case and surrounding spaces) that person's name or email address.
"""

from __future__ import annotations

import sqlite3
from typing import Any

_REFERRER = "lower(trim(r.referred_by)) IN (lower(p.name), lower(coalesce(p.email, '')))"


def count_for(conn: sqlite3.Connection, name: str, email: str | None) -> int:
    """How many prospects name this person (by name or email) as their referrer."""
    row = conn.execute(
        "SELECT count(*) FROM prospects WHERE referred_by IS NOT NULL "
        "AND lower(trim(referred_by)) IN (lower(?), lower(?))",
        [name.strip(), (email or "").strip()],
    ).fetchone()
    return row[0]


def referred_by(conn: sqlite3.Connection, text: str) -> list[int]:
    """Ids of prospects whose referred-by contains ``text`` (any case)."""
    rows = conn.execute(
        "SELECT id FROM prospects WHERE referred_by LIKE ? ESCAPE '\\' ORDER BY name",
        ["%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
    )
    return [row[0] for row in rows]


def _named(conn: sqlite3.Connection) -> dict[str, int]:
    """How many prospects name each referrer text, lowercased and trimmed as ``_REFERRER``
    compares it: read from idx_prospects_referred_by alone (the referred, not the book)."""
    return dict(
        conn.execute(
            "SELECT lower(trim(referred_by)), count(*) FROM prospects "
            "WHERE referred_by IS NOT NULL GROUP BY 1"
        ).fetchall()
    )


def _referrals(named: dict[str, int], name: str, email: str) -> int:
    """How many prospects name this person, given SQLite's lower() of their name and email
    (``_REFERRER``: a prospect naming both counts once)."""
    return named.get(name, 0) + (named.get(email, 0) if email != name else 0)


def per_customer(conn: sqlite3.Connection) -> list[tuple[str | None, int, int]]:
    """The customers (stage customer, or a relationship level set) grouped by relationship
    level and by how many prospects each referred: (relationship, referrals, customers), in
    the order the customers come by referrals (most first), then name."""
    named = _named(conn)
    customers = "FROM prospects p WHERE p.stage = 'customer' OR p.relationship IS NOT NULL"
    groups: dict[tuple[str | None, int], list] = {}  # -> [customers, first name]
    if not named:  # nobody referred: every customer's count is 0
        rows = conn.execute(
            f"SELECT p.relationship, 0, count(*), min(p.name) {customers} GROUP BY 1"
        )
        groups = {(row[0], row[1]): [row[2], row[3]] for row in rows}
    else:
        lowered = "p.relationship, p.name, lower(p.name), lower(coalesce(p.email, ''))"
        for relationship, name, low_name, low_email in conn.execute(
            f"SELECT {lowered} {customers}"
        ):
            group = groups.setdefault(
                (relationship, _referrals(named, low_name, low_email)), [0, name]
            )
            group[0] += 1
            group[1] = min(group[1], name)
    order = sorted(groups, key=lambda key: (-key[1], groups[key][1]))
    return [
        (relationship, referred, groups[relationship, referred][0])
        for relationship, referred in order
    ]


def referred_wins(conn: sqlite3.Connection, since: str | None = None) -> sqlite3.Row:
    """(deals, revenue) of referred prospects with a won touch (since ``since``, UTC text)."""
    where = "AND t.at >= ?" if since else ""
    params = [since] if since else []
    return conn.execute(
        f"""SELECT count(*) AS deals, coalesce(sum(p.value), 0) AS revenue
           FROM prospects p
           WHERE p.referred_by IS NOT NULL AND trim(p.referred_by) != ''
           AND EXISTS (SELECT 1 FROM touches t WHERE t.prospect_id = p.id
                       AND t.outcome = 'won' {where})""",
        params,
    ).fetchone()


def never_asked(
    conn: sqlite3.Connection, templates: tuple[str, ...], limit: int = -1
) -> list[sqlite3.Row]:
    """Customers with a result on record (their ``result`` field) who never got a
    referral ask (no touch with one of ``templates``) and can be contacted, biggest deal
    first (the first ``limit``, read in the order of their partial index, migration 13)."""
    marks = ", ".join("?" * len(templates))
    return conn.execute(
        f"""SELECT p.* FROM prospects p INDEXED BY idx_prospects_result_customers
           WHERE p.stage = 'customer' AND p.do_not_contact = 0
           AND coalesce(json_extract(p.fields, '$.result'), '') != ''
           AND NOT EXISTS (SELECT 1 FROM touches t WHERE t.prospect_id = p.id
                           AND t.template IN ({marks}))
           ORDER BY p.value DESC, p.name LIMIT ?""",
        [*templates, limit],
    ).fetchall()


def ask_candidates(
    conn: sqlite3.Connection, templates: tuple[str, ...], *, customer_before: str, asked_since: str
) -> list[sqlite3.Row]:
    """Customers with a result on record who became customers (their latest won touch, or
    when added) before ``customer_before`` and were not asked (a touch with one of
    ``templates``) since ``asked_since``; biggest first. They are read from their own
    partial index (not from every customer: 0.1 s of CPU at 300k prospects)."""
    marks = ", ".join("?" * len(templates))
    return conn.execute(
        f"""SELECT * FROM (
              SELECT p.id, p.name, p.company, p.relationship, p.value, p.fields,
                     coalesce((SELECT max(w.at) FROM touches w WHERE w.prospect_id = p.id
                               AND w.outcome = 'won'), p.created_at) AS customer_since,
                     (SELECT max(t.at) FROM touches t WHERE t.prospect_id = p.id
                      AND t.template IN ({marks})) AS asked_at
              FROM prospects p INDEXED BY idx_prospects_result_customers
              WHERE p.stage = 'customer' AND p.do_not_contact = 0
              AND coalesce(json_extract(p.fields, '$.result'), '') != '')
           WHERE customer_since <= ? AND (asked_at IS NULL OR asked_at < ?)
           ORDER BY value DESC, name""",
        [*templates, customer_before, asked_since],
    ).fetchall()


def asks_between(
    conn: sqlite3.Connection, templates: tuple[str, ...], since: str, until: str
) -> int:
    """Outbound touches with one of ``templates`` from ``since`` to ``until``."""
    marks = ", ".join("?" * len(templates))
    return conn.execute(
        f"SELECT count(*) FROM touches WHERE direction = 'out' AND template IN ({marks}) "
        "AND at >= ? AND at <= ?",
        [*templates, since, until],
    ).fetchone()[0]


def per_referrer(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every prospect named as someone's referrer, with how many: (id, name, relationship,
    referrals), most first, then by name. Nobody referred: no pass over the book."""
    named = _named(conn)
    if not named:
        return []
    found = [
        {"id": pid, "name": name, "relationship": relationship, "referrals": count}
        for pid, name, relationship, low_name, low_email in conn.execute(
            "SELECT id, name, relationship, lower(name), lower(coalesce(email, '')) FROM prospects"
        )
        if (count := _referrals(named, low_name, low_email))
    ]
    return sorted(found, key=lambda row: (-row["referrals"], row["name"]))


def close_split(conn: sqlite3.Connection) -> list[dict[str, int]]:
    """(referred, prospects, won) for referred prospects (1) and the rest (0): won means a
    won touch on record. Read from indexes, not a pass over every prospect's touches: the
    book's size from the smallest one, the referred from idx_prospects_referred_by, the
    won from idx_touches_won."""
    total = conn.execute("SELECT count(*) FROM prospects").fetchone()[0]
    referred = conn.execute(
        "SELECT count(*) FROM prospects WHERE referred_by IS NOT NULL "
        "AND lower(trim(referred_by)) != ''"
    ).fetchone()[0]
    won = dict(
        conn.execute(
            """SELECT (coalesce(trim(p.referred_by), '') != '') AS referred,
                      count(DISTINCT t.prospect_id)
               FROM touches t INDEXED BY idx_touches_won JOIN prospects p ON p.id = t.prospect_id
               WHERE t.outcome = 'won' GROUP BY 1"""
        ).fetchall()
    )
    return [
        {"referred": flag, "prospects": count, "won": won.get(flag, 0)}
        for flag, count in ((1, referred), (0, total - referred))
        if count
    ]
