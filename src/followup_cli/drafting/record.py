"""What the record holds about a prospect, as facts a template may state and the truth
rules check a draft against: whether we ever spoke, how long ago, what was promised and
agreed, the stage and how long in it, the relationship and the referrals.

Templates see these as ``record.*``; an unknown fact is left out, so a template that
prints it without a guard stops instead of inventing it.

* ``spoke``: an answered touch (replied, meeting, not now, won, lost) or one that came in.
* ``last_spoke`` ("three weeks ago") and ``days_since_spoke``: the newest of those.
* ``promised``: the prospect's ``promised`` field (what we said we would send).
* ``agreed_until`` ("Monday 7 December") and ``agreed_date`` (a date): the revisit date a
  "not now" agreed (`log --outcome not_now --until ...`), when that is the latest word.
* ``stage``; ``in_stage`` ("eight weeks") and ``weeks_in_stage``: only when a touch on
  record moved them into it (a won deal, a meeting...); an edited stage has no date.
* ``relationship``, ``referrals`` (prospects whose referred-by names this one) and
  ``results`` (their ``result`` field: what they achieved with us).
* ``text_consent``: they agreed to texts (``--texts-ok``, the prospect's ``texts_ok``; seed
  000: "Text (only if you have permission)").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

# Outcomes that mean we actually spoke (for "since our last conversation").
CONVERSATION_OUTCOMES = frozenset({"replied", "meeting", "not_now", "won", "lost"})
# The stage a touch's outcome moves a prospect into (pipeline.touch applies the same).
_STAGE_OF_OUTCOME = {
    "won": "customer",
    "lost": "lost",
    "not_now": "nurture",
    "meeting": "active",
    "replied": "interest",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Facts:
    """What the record holds about a prospect that a draft may claim."""

    spoke: bool
    last_spoke_at: datetime | None
    promised: str | None
    agreed_date: date | None
    stage: str
    stage_since: datetime | None
    relationship: str | None
    referrals: int
    results: str | None
    now: datetime
    text_consent: bool = False

    @property
    def days_since_spoke(self) -> int | None:
        return (self.now - self.last_spoke_at).days if self.last_spoke_at else None

    def template_values(self) -> dict[str, Any]:
        from followup_cli.core.dates import in_words

        values: dict[str, Any] = {
            "spoke": self.spoke,
            "stage": self.stage,
            "referrals": self.referrals,
            "relationship": self.relationship or "none",
            "promised": self.promised,
            "results": self.results,
            "text_consent": self.text_consent,
        }
        if self.last_spoke_at is not None:
            elapsed = self.now - self.last_spoke_at
            values["days_since_spoke"] = elapsed.days
            values["last_spoke"] = "yesterday" if elapsed.days == 1 else f"{in_words(elapsed)} ago"
            values["since_spoke"] = in_words(elapsed)
        if self.agreed_date is not None:
            values["agreed_date"] = self.agreed_date
            values["agreed_until"] = day_label(self.agreed_date)
        if self.stage_since is not None:
            elapsed = self.now - self.stage_since
            values["in_stage"] = in_words(elapsed)
            values["weeks_in_stage"] = elapsed.days // 7
        return {key: value for key, value in values.items() if value not in (None, "")}


def day_label(day: date) -> str:
    """ "Monday 7 December": how drafts name a date."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def facts_of(
    prospect: Any, history: list[Any], *, now: datetime, user_tz: tzinfo, referrals: int = 0
) -> Facts:
    """The facts for ``prospect`` from their touches (newest first, ``touch.touches_of``)."""
    from followup_cli.store.db import from_text

    spoken = [t for t in history if t.outcome in CONVERSATION_OUTCOMES or t.direction == "in"]
    last = from_text(spoken[0].at) if spoken else None
    agreed = None
    if spoken and spoken[0].outcome == "not_now" and getattr(spoken[0], "until", None):
        until = from_text(spoken[0].until)
        if until is not None:
            from followup_cli.scheduling.enrollment import prospect_zone  # the scheduler: rare

            agreed = until.astimezone(prospect_zone(prospect, user_tz)).date()
    since = None
    for touch in history:
        if _STAGE_OF_OUTCOME.get(touch.outcome) == prospect.stage:
            since = from_text(touch.at)
            break
    fields = prospect.fields or {}
    return Facts(
        spoke=bool(spoken),
        last_spoke_at=last,
        promised=fields.get("promised") or None,
        agreed_date=agreed,
        stage=prospect.stage,
        stage_since=since,
        relationship=prospect.relationship,
        referrals=referrals,
        results=fields.get("result") or None,
        now=now,
        text_consent=prospect.texts_ok,
    )
