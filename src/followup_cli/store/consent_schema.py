"""Text-message consent as a column of its own (``prospects.texts_ok``), as one migration of
the numbered list in ``store/migrations.py``; never edited once on main, like every
migration. Before it, consent was the tag ``texts-ok``: whoever had the tag has the flag,
and loses the tag (one source of truth, and ``--untag texts-ok`` would otherwise look like
taking consent back while it did nothing)."""

from __future__ import annotations

import json
from typing import Any

CONSENT_TAG = "texts-ok"  # what consent was before the column


def _m018_texts_ok(db: Any) -> None:
    # Seed 000 "Text (only if you have permission)": a flag a step and a draft can ask.
    db.execute("ALTER TABLE prospects ADD COLUMN texts_ok INTEGER NOT NULL DEFAULT 0")
    rows = db.execute(
        "SELECT id, tags FROM prospects WHERE tags LIKE ?", [f'%"{CONSENT_TAG}"%']
    ).fetchall()
    for prospect_id, text in rows:
        try:
            tags = json.loads(text or "[]")
        except json.JSONDecodeError:
            continue  # not a list of tags: leave it as it is
        if not isinstance(tags, list) or CONSENT_TAG not in tags:
            continue
        kept = [tag for tag in tags if tag != CONSENT_TAG]
        db.execute(
            "UPDATE prospects SET texts_ok = 1, tags = ? WHERE id = ?",
            [json.dumps(kept), prospect_id],
        )
