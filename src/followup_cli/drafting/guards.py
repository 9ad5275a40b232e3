"""Warnings about *when* a message goes out, not what it says: a draft is checked against
the prospect's record before a person sends it.

* breakup-too-early: a breakup ("should I close your file?") drafted before the fourth
  touch since they last answered [001: "5 touches minimum before giving up"; 000's
  thirty-day sequence sends it on day 24, after eight touches].
* referral-too-early: a referral ask to a customer won less than 30 days ago [001: "Worst
  Time: Immediately after purchase before value delivery"].
* competitor-mention-again: a competitor mention to someone who already got one [000:
  "The Competitor Mention (Use cautiously)"]: once per person.

Both warn and never stop the draft: the person deciding may know better.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from followup_cli.drafting.checks import Finding
from followup_cli.drafting.record import CONVERSATION_OUTCOMES

GUARD_CODES = ("breakup-too-early", "referral-too-early", "competitor-mention-again")
BREAKUP_TEMPLATES = ("breakup", "closing-file")
BREAKUP_AFTER = 3  # touches before it: the breakup is the fourth or later
REFERRAL_AFTER = timedelta(days=30)


def is_breakup(name: str) -> bool:
    return name in BREAKUP_TEMPLATES or "breakup" in name


def is_referral_ask(name: str) -> bool:
    """A referral, reference or testimonial ask: each wants results first."""
    return name.startswith("referral-ask") or name in ("reference-ask", "testimonial-ask")


def touches_since_answer(history: list[Any]) -> int:
    """Outbound touches (bounces aside) since they last answered; ``history`` newest first."""
    count = 0
    for touch in history:
        if touch.outcome in CONVERSATION_OUTCOMES or touch.direction == "in":
            break
        if touch.direction == "out" and touch.outcome != "bounced":
            count += 1
    return count


def timing_warnings(
    template: str, history: list[Any], *, stage: str | None, stage_since: datetime | None,
    now: datetime,
) -> list[Finding]:  # fmt: skip
    found = []
    before = touches_since_answer(history)
    if is_breakup(template) and before < BREAKUP_AFTER:
        found.append(
            Finding(
                "breakup-too-early",
                f"This would be touch {before + 1} since they last answered: a breakup comes "
                f"after at least {BREAKUP_AFTER} (five touches before giving up); send "
                "something of value first.",
            )
        )
    recent = stage_since is not None and now - stage_since < REFERRAL_AFTER
    if is_referral_ask(template) and stage == "customer" and recent:
        assert stage_since is not None
        days = (now - stage_since).days
        found.append(
            Finding(
                "referral-too-early",
                f"They became a customer {days} days ago: ask for a referral once they have "
                "seen results (after 30 days at least), not right after the purchase.",
            )
        )
    if template == "competitor-mention" and any(t.template == template for t in history):
        found.append(
            Finding(
                "competitor-mention-again",
                "They already got a competitor mention: it works once, used with care; "
                "send something of value instead.",
            )
        )
    return found
