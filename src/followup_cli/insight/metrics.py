"""The numbers of the dashboard and the A/B report, as values: each knows its --json shape.

``insight.stats`` computes them (the rules they count by are written out there); the
views render them. The weekly review's values, in ``insight.review``, share ``public_fields``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from followup_cli import store

TOUCH_CAP = 12  # touch numbers 12 and up share one bucket
MIN_AB_SENDS = 100
SEED_TOUCHES_TO_CLOSE = (5, 7)
SEED_RESPONSE_GOAL = 0.30


def reply_rate(replies: int, sent: int) -> float | None:
    return round(replies / sent, 4) if sent else None


def touch_label(number: int) -> str:
    return f"{number}+" if number == TOUCH_CAP else str(number)


def public_fields(row: Any, **computed: Any) -> dict[str, Any]:
    """A row's fields, then the computed values, for --json."""
    return {**{f.name: getattr(row, f.name) for f in fields(row)}, **computed}


@dataclass(frozen=True)
class TouchBucket:
    touch: int  # TOUCH_CAP means "TOUCH_CAP or more"
    sent: int
    replies: int

    def public(self) -> dict[str, Any]:
        return public_fields(
            self, label=touch_label(self.touch), rate=reply_rate(self.replies, self.sent)
        )


@dataclass(frozen=True)
class GiveUp:
    touches: int  # TOUCH_CAP means "TOUCH_CAP or more"
    prospects: int

    def public(self) -> dict[str, Any]:
        return public_fields(self, label=touch_label(self.touches))


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    touches: int
    replies: int
    share: float | None  # of all outbound touches counted
    target_share: float

    def public(self) -> dict[str, Any]:
        return public_fields(self, rate=reply_rate(self.replies, self.touches))


@dataclass(frozen=True)
class StepRow:
    step: int
    sent: int
    replies: int

    def public(self) -> dict[str, Any]:
        return public_fields(self, rate=reply_rate(self.replies, self.sent))


@dataclass(frozen=True)
class CadenceRow:
    cadence: str
    active: int  # in it right now
    enrolled: int  # did at least one step in the window
    completed: int | None  # did its final step (None: it repeats forever)
    stopped_by_reply: int  # replied to a step before the final one
    steps: list[StepRow]

    def public(self) -> dict[str, Any]:
        sent = sum(step.sent for step in self.steps)
        replies = sum(step.replies for step in self.steps)
        return {
            **public_fields(self),
            "sent": sent,
            "replies": replies,
            "rate": reply_rate(replies, sent),
            "steps": [step.public() for step in self.steps],
        }


@dataclass(frozen=True)
class TemplateRow:
    template: str
    variant: str | None
    sends: int
    replies: int

    @property
    def too_few(self) -> bool:
        return self.sends < MIN_AB_SENDS

    def public(self) -> dict[str, Any]:
        return public_fields(self, rate=reply_rate(self.replies, self.sends), too_few=self.too_few)


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime

    @property
    def days(self) -> int:
        return (self.until - self.since).days

    def public(self) -> dict[str, Any]:
        return {
            "since": store.to_text(self.since),
            "until": store.to_text(self.until),
            "days": self.days,
        }


@dataclass
class Dashboard:
    window: Window
    cadence: str | None
    sent: int
    replies: int
    response_by_touch: list[TouchBucket]
    give_up_curve: list[GiveUp]
    deal_touches: list[int]  # outbound touches before each deal won in the window
    channels: list[ChannelRow]
    median_hours_to_response: float | None
    responses_timed: int
    revenue_recovered: float
    deals_recovered: int
    cadences: list[CadenceRow]
    templates: list[TemplateRow]
    warnings: list[str] = field(default_factory=list)
    # the relationship pyramid: customers, their referrals against the seeds' 4-6 per
    # happy customer, and what referred deals won in the window brought in
    referrals: dict[str, Any] = field(default_factory=dict)
    seed: Any = None  # insight.seed_metrics.SeedMetrics: the seeds' own measures

    @property
    def response_rate(self) -> float | None:
        return reply_rate(self.replies, self.sent)

    @property
    def touches_to_close(self) -> dict[str, Any]:
        deals = self.deal_touches
        return {
            "mean": round(statistics.fmean(deals), 2) if deals else None,
            "median": statistics.median(deals) if deals else None,
            "deals": len(deals),
            "seed_range": list(SEED_TOUCHES_TO_CLOSE),
        }

    def public(self) -> dict[str, Any]:
        return {
            "window": self.window.public(),
            "cadence": self.cadence,
            "response_rate": {
                "sent": self.sent,
                "replies": self.replies,
                "rate": self.response_rate,
                "seed_goal": SEED_RESPONSE_GOAL,
            },
            "response_by_touch": [bucket.public() for bucket in self.response_by_touch],
            "give_up_curve": [row.public() for row in self.give_up_curve],
            "gave_up": sum(row.prospects for row in self.give_up_curve),
            "touches_to_close": self.touches_to_close,
            "channels": [row.public() for row in self.channels],
            "median_hours_to_response": self.median_hours_to_response,
            "responses_timed": self.responses_timed,
            "revenue_recovered": self.revenue_recovered,
            "deals_recovered": self.deals_recovered,
            "cadences": [row.public() for row in self.cadences],
            "templates": [row.public() for row in self.templates],
            "warnings": self.warnings,
            "referrals": self.referrals,
            **(self.seed.public() if self.seed is not None else {}),
        }


@dataclass
class TemplateReport:
    window: Window
    cadence: str | None
    templates: list[TemplateRow]
    warnings: list[str]

    def public(self) -> dict[str, Any]:
        return {
            "window": self.window.public(),
            "cadence": self.cadence,
            "templates": [row.public() for row in self.templates],
            "warnings": self.warnings,
        }
