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


def ask_candidates(
    conn: sqlite3.Connection, templates: tuple[str, ...], *, customer_before: str, asked_since: str
) -> list[sqlite3.Row]:
    """Customers with a result on record who became customers (their latest won touch, or
    when added) before ``customer_before`` and were not asked (a touch with one of
    ``templates``) since ``asked_since``; biggest first."""
    marks = ", ".join("?" * len(templates))
    return conn.execute(
        f"""SELECT * FROM (
              SELECT p.id, p.name, p.company, p.relationship, p.value, p.fields,
                     coalesce((SELECT max(w.at) FROM touches w WHERE w.prospect_id = p.id
                               AND w.outcome = 'won'), p.created_at) AS customer_since,
                     (SELECT max(t.at) FROM touches t WHERE t.prospect_id = p.id
                      AND t.template IN ({marks})) AS asked_at
              FROM prospects p
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


def per_referrer(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every prospect named as someone's referrer, with how many: (id, name, relationship,
    referrals), most first."""
    return conn.execute(
        f"""SELECT p.id, p.name, p.relationship, count(*) AS referrals
           FROM prospects p JOIN prospects r ON r.referred_by IS NOT NULL AND {_REFERRER}
           GROUP BY p.id ORDER BY referrals DESC, p.name"""
    ).fetchall()


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
