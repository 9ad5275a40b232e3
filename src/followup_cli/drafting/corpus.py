"""The corpus `templates check` drafts every template with: realistic values of each
field shape (short, long, plural, with a company name inside) and sample prospects whose
records differ in what a draft may claim (never spoken to, met, a "not now" with a date,
a customer with results at each relationship level).

Each case is rendered with ``draft_context.build_context`` (the code a real draft uses)
and checked against the follow-up rules and the truth rules. A template that needs what a
case lacks is skipped for that case: a real draft stops there with a message instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from followup_cli.drafting.sender import Sender
from followup_cli.drafting.value import ValueItem
from followup_cli.pipeline.prospect import Prospect

# Values of every shape: short, plural, long, and with a company name inside.
SHAPE_VALUES: dict[str, tuple[str, ...]] = {
    "noun phrase": (
        "churn",
        "patient no-shows",
        "manual invoice matching across three regional warehouses",
        "Koala Health's six-week onboarding",
    ),
    "outcome": (
        "cut renewal churn",
        "close the month in three days",
        "get every new clinic live in under two weeks without extra staff",
        "bring Koala Health's onboarding under a week",
    ),
    "question": (
        "whether invoices can be matched in bulk",
        "how refunds work",
        "whether the Koala Health pilot can run on last year's data before the board meets",
    ),
    "sentence": (
        "Yes: up to 5,000 at a time.",
        "It depends on the plan, and both options are priced in the proposal.",
    ),
    "person": ("Priya Shah", "Jordan Lee at Initech"),
    "title": ("VP of Customer Success", "CFO"),
    "url": ("https://example.com/recording",),
}
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # a Monday, 10:00 in Chicago
SENDER = Sender(
    name="Sam Ortiz",
    company="Northwind",
    title="Account Executive",
    phone="+1 555 0100",
    email="sam@northwind.example",
    signature="Sam Ortiz\nNorthwind",
)
VALUE = ValueItem(
    id=1,
    title="How a clinic group cut no-shows by a third",
    kind="case study",
    url="https://example.com/no-shows",
    tags=["healthcare"],
)


@dataclass(frozen=True)
class Case:
    label: str
    prospect: Prospect
    history: tuple[tuple[int, str, str, str], ...]  # (days ago, channel, direction, outcome)
    referrals: int = 0
    value: ValueItem | None = VALUE
    until_days: int | None = None  # a not_now's agreed revisit date, days from now


def _person(**details: Any) -> Prospect:
    base = dict(
        id=7,
        name="Olivia Grant",
        stage="cold",
        email="olivia@koala.example",
        company="Koala Health",
        title="Head of Growth",
        timezone="America/Chicago",
        tags=["healthcare"],
        created_at="2026-09-01T15:00:00Z",
    )
    base.update(details)
    return Prospect(**base)  # type: ignore[arg-type]


CASES: tuple[Case, ...] = (
    Case("cold, never spoken to", _person(), ()),
    Case(
        "cold, two emails unanswered",
        _person(),
        ((9, "email", "out", "sent"), (3, "email", "out", "sent")),
    ),
    Case("cold, referred", _person(referred_by="Lee Park"), (), value=None),
    Case("met last week", _person(stage="active"), ((6, "meeting", "out", "meeting"),)),
    Case(
        "proposal, replied",
        _person(stage="proposal"),
        ((20, "meeting", "out", "meeting"), (2, "email", "in", "replied")),
    ),
    Case(
        "not now, date agreed",
        _person(stage="nurture"),
        ((1, "call", "out", "not_now"),),
        until_days=14,
    ),
    Case(
        "not now, no date", _person(stage="nurture"), ((1, "call", "out", "not_now"),), value=None
    ),
    Case(
        "lost",
        _person(stage="lost"),
        ((30, "meeting", "out", "meeting"), (1, "email", "in", "lost")),
    ),
    Case("long-lost lead", _person(stage="nurture"), ((185, "call", "out", "replied"),)),
    *(
        Case(
            f"customer 8 weeks, {level}",
            _person(stage="customer", relationship=level),
            ((70, "meeting", "out", "meeting"), (56, "email", "in", "won")),
            referrals=3 if level == "advocate" else 0,
        )
        for level in ("transaction", "repeat", "loyal", "advocate")
    ),
)


def cases_for(template: Any) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(label, context, claims) for every case and every row of shape values."""
    from followup_cli.drafting.draft_context import build_context, meeting_slots
    from followup_cli.drafting.record import facts_of
    from followup_cli.drafting.shapes import shape_of
    from followup_cli.drafting.truth import claims_of

    # Every row of values for the first case; then each case with the next row in turn,
    # so every case meets every shape without drafting cases x rows times.
    rows = max(len(values) for values in SHAPE_VALUES.values())
    for index, case in enumerate(CASES):
        history = _history(case)
        for row in range(rows) if index == 0 else (index % rows,):
            fields = (
                {"result": "a third fewer no-shows"} if case.prospect.stage == "customer" else {}
            )
            for name in template.shapes:
                choices = SHAPE_VALUES[shape_of(name, template.shapes)]
                fields[name] = choices[row % len(choices)]
            prospect = replace(case.prospect, fields=fields)
            facts = facts_of(prospect, history, now=NOW, user_tz=UTC, referrals=case.referrals)
            context, specifics = build_context(
                prospect,
                template,
                sender=SENDER,
                value=case.value,
                history=history,
                extra={},
                now=NOW,
                user_tz=UTC,
                facts=facts,
            )
            claims = claims_of(prospect, template, context, facts, case.value)
            days = tuple(s.date() for s in meeting_slots(prospect, now=NOW, tz=UTC))
            claims = replace(claims, offered_days=days)
            yield f"{case.label}, values #{row + 1}", context | {"_specifics": specifics}, claims


def _history(case: Case) -> list[Any]:
    from followup_cli.pipeline.touch import Touch
    from followup_cli.store.db import to_text

    touches = []
    for number, (days, channel, direction, outcome) in enumerate(case.history, start=1):
        until = None
        if outcome == "not_now" and case.until_days is not None:
            until = to_text(NOW + timedelta(days=case.until_days))
        touches.append(
            Touch(
                id=number,
                prospect_id=case.prospect.id,
                at=to_text(NOW - timedelta(days=days)),
                channel=channel,
                direction=direction,
                outcome=outcome,
                until=until,
            )
        )
    return sorted(touches, key=lambda t: t.at, reverse=True)
