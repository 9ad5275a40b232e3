"""Referrals as an engine: who referred whom, who is ready to be asked, and whether
referred prospects really close better.

Seed 001 (001_f926f856a736bd02.txt): referrals have a "5x higher close rate than cold
leads"; "This week, ask 3 happy customers for referrals"; the best time is "after they've
seen measurable results", the worst "immediately after purchase". Seed 003: "Each
transaction should lead to 4 to 6 referrals".
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from followup_cli import store
from followup_cli.core.errors import AmbiguousProspect, ProspectNotFound
from followup_cli.store import referrals as rows

WEEKLY_TARGET = 3  # seed 001's exercise: ask three happy customers a week
READY_AFTER = timedelta(days=60)  # past day 60 as a customer: results have had time
ASK_AGAIN_AFTER = timedelta(days=90)
SEED_RANGE = (4, 6)
SEED_CLOSE_MULTIPLE = 5
ASK_TEMPLATES = (
    "referral-ask-direct",
    "referral-ask-specific",
    "referral-ask-educational",
    "reference-ask",
    "testimonial-ask",
)


def resolve_referrer(conn: sqlite3.Connection, text: str | None) -> str | None:
    """``--referred-by``: when it names one prospect (id, email, or an unambiguous part of
    the name), that prospect's name, so their referrals count; otherwise the text as typed
    ("a friend at the gym")."""
    from followup_cli.pipeline import prospect as prospects

    if not text or not text.strip():
        return text
    try:
        return prospects.resolve(conn, text.strip()).name
    except (ProspectNotFound, AmbiguousProspect):
        return text


def ask_for(relationship: str | None, fields: dict[str, Any]) -> str:
    """The ask that fits: an advocate is asked to feature their story, a loyal customer to
    be a reference, anyone with a named contact for that introduction, else directly."""
    if relationship == "advocate":
        return "testimonial-ask"
    if relationship == "loyal":
        return "reference-ask"
    if fields.get("referral_target"):
        return "referral-ask-specific"
    return "referral-ask-direct"


def ready_to_ask(conn: sqlite3.Connection, *, now: datetime) -> dict[str, Any]:
    """Customers ready to be asked (past day 60 with a result, not asked in 90 days), and
    the asks of the last 7 days against the weekly target."""
    found = rows.ask_candidates(
        conn,
        ASK_TEMPLATES,
        customer_before=store.to_text(now - READY_AFTER),
        asked_since=store.to_text(now - ASK_AGAIN_AFTER),
    )
    ready = []
    for row in found:
        fields = json.loads(row["fields"] or "{}")
        ready.append(
            {
                "id": row["id"],
                "name": row["name"],
                "company": row["company"],
                "relationship": row["relationship"],
                "result": fields.get("result"),
                "customer_since": row["customer_since"],
                "last_asked": row["asked_at"],
                "template": ask_for(row["relationship"], fields),
            }
        )
    asked = rows.asks_between(
        conn, ASK_TEMPLATES, store.to_text(now - timedelta(days=7)), store.to_text(now)
    )
    return {
        "weekly_target": WEEKLY_TARGET,
        "asked_last_7_days": asked,
        "still_to_ask": max(0, WEEKLY_TARGET - asked),
        "count": len(ready),
        "ready": ready,
    }


def engine_summary(conn: sqlite3.Connection) -> dict[str, Any]:
    """Referrals per referrer against the seeds' 4-6, and the close rate of referred
    prospects against the rest (won touches over prospects, all time)."""
    per = [
        {
            "id": row["id"],
            "name": row["name"],
            "relationship": row["relationship"],
            "referrals": row["referrals"],
            "in_seed_range": SEED_RANGE[0] <= row["referrals"] <= SEED_RANGE[1],
        }
        for row in rows.per_referrer(conn)
    ]
    split = {bool(row["referred"]): row for row in rows.close_split(conn)}

    def rate(referred: bool) -> dict[str, Any]:
        row = split.get(referred)
        prospects, won = (row["prospects"], row["won"] or 0) if row else (0, 0)
        return {
            "prospects": prospects,
            "won": won,
            "rate": round(won / prospects, 4) if prospects else None,
        }

    referred, others = rate(True), rate(False)
    ratio = None
    if referred["rate"] is not None and others["rate"]:
        ratio = round(referred["rate"] / others["rate"], 2)
    return {
        "per_referrer": per,
        "close_rate_referred": referred,
        "close_rate_others": others,
        "referred_vs_others": ratio,
        "seed_close_multiple": SEED_CLOSE_MULTIPLE,
    }
