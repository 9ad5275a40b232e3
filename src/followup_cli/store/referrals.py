"""Questions about the relationship pyramid: who was referred by whom, how many referrals
each customer gave, and what referred deals brought in.

A prospect's ``referred_by`` is free text; it names a referrer when it equals (ignoring
case and surrounding spaces) that person's name or email address.
"""

from __future__ import annotations

import sqlite3

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


def per_customer(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every customer (stage customer, or a relationship level set) with how many
    prospects they referred: (id, name, relationship, referrals)."""
    return conn.execute(
        f"""SELECT p.id, p.name, p.relationship,
                  (SELECT count(*) FROM prospects r WHERE r.referred_by IS NOT NULL
                   AND {_REFERRER}) AS referrals
           FROM prospects p
           WHERE p.stage = 'customer' OR p.relationship IS NOT NULL
           ORDER BY referrals DESC, p.name"""
    ).fetchall()


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
