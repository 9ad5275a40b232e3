"""The one corpus of sample values that `templates check` (and the tests) draft every
template with: the built-in sample prospect (Dana, with every detail and a history), realistic
values of each field shape (short, long, plural, with a company name inside; the sample's
own values among them), and sample records that differ in what a draft may claim (never
spoken to, met, a "not now" with a date, a customer with results at each relationship level).

Each is rendered with ``draft_context.build_context`` (the code a real draft uses), from the
real dataclasses (a ``Prospect``, a ``Sender``, a ``ValueItem``, ``Touch`` history), so the
check cannot pass on a context no draft would get. A template that needs what a case lacks
is skipped for that case: a real draft stops there with a message instead. Nothing here
opens the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from followup_cli.drafting.sender import Sender
from followup_cli.drafting.shapes import shape_of
from followup_cli.drafting.value import ValueItem
from followup_cli.pipeline.prospect import Prospect

if TYPE_CHECKING:
    from followup_cli.drafting.template_model import Template

# --- the built-in sample prospect -----------------------------------------------------------

# A Monday, 10:00 in Chicago: pinned so that the meeting times and "three days ago" a sample
# renders are the same on every day the check runs.
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
SAMPLE_FIELDS = {
    "pain_point": "manual invoice matching",
    "goal": "close the month in three days",
    "project": "the Q3 warehouse rollout",
    "competitor": "Globex",
    "personal_detail": "the marathon you were training for",
    "idea": "run a two-week tally of every invoice that needs a manual match, split by supplier",
    "executive": "Priya Shah",
    "executive_title": "VP of Customer Success",
    "referral_target": "Jordan Lee at Initech",
    "result": "a five-day month-end close, down from nine",
    "recording_url": "https://northwind.example/recordings/acme-demo",
    "question": "whether invoices can be matched in bulk",
    "answer": "Yes: up to 5,000 at a time, with exceptions sent to a review queue.",
    "proposal_section": "the phased pricing",
    "milestone": "the first supplier batch matched",
    "early_win": "your first week with no manual matches",
    "benchmark": "Teams your size close the month in four days.",
    "expansion": "the second warehouse",
    "deadline": "Friday 11 December",
    "start_date": "the January start",
    "peer_company": "a distributor in your region",
    "event": "hired a new VP of Finance",
    "event_url": "https://acme.example/news/new-vp",
}

SAMPLE_PROSPECT = Prospect(
    id=1,
    name="Dana Reyes",
    stage="proposal",
    email="dana@acme.example",
    phone="+1 555 0142",
    company="Acme",
    title="VP Operations",
    timezone="America/Chicago",
    country="US",
    channel="email",
    value=24000,
    priority=2,
    tags=["saas"],
    referred_by="Lee Park",
    relationship="repeat",
    texts_ok=True,
    birthday="--04-12",
    anniversary="2019-06-03",
    linkedin="https://www.linkedin.com/in/dana-reyes-example",
    key_points="Needs pricing for 40 seats before the May budget review",
    competitors="Globex",
    decision_makers="Chris Lowe (CFO)",
    personal="Training for the Chicago marathon",
    notes="Rolling out a new warehouse system in Q3; budget review in May",
    fields=dict(SAMPLE_FIELDS),
    created_at="2026-11-02T15:00:00Z",
    updated_at="2026-11-20T16:00:00Z",
    cadence="post-discovery",
    cadence_status="active",
    steps_done=2,
    next_step=3,
    next_channel="email",
)
SENDER = Sender(
    name="Sam Ortiz",
    company="Northwind",
    title="Account Executive",
    phone="+1 555 0100",
    email="sam@northwind.example",
    signature="Sam Ortiz\nAccount Executive, Northwind\n+1 555 0100",
)
SAMPLE_VALUE = ValueItem(
    id=1,
    title="2026 Accounts Payable Benchmark",
    kind="report",
    url="https://northwind.example/ap-benchmark",
    tags=["saas"],
)


def sample_context(template: Template, *, bare: bool = False) -> tuple[dict[str, Any], list[str]]:
    """A context for the built-in sample prospect, and what is specific to her.

    A custom field the template needs that the sample lacks gets a readable stand-in
    ("the budget owner" for ``budget_owner``). ``bare`` is the sample before any touch
    and, unless the template needs it, without a value item: optional parts must be
    guarded.
    """
    from followup_cli.drafting.draft_context import build_context

    fields = dict(SAMPLE_FIELDS)
    for need in template.needs:
        if "." not in need and need not in fields:
            fields[need] = "the " + need.replace("_", " ")
    value = None
    if not bare or any(need.startswith("value.") for need in template.needs):
        value = SAMPLE_VALUE
    return build_context(
        replace(SAMPLE_PROSPECT, fields=fields),
        template,
        sender=SENDER,
        value=value,
        history=[] if bare else _sample_history(),
        extra={},
        now=NOW,
        user_tz=UTC,
    )


def _sample_history() -> list[Any]:
    """Her touches, newest first as ``touch.touches_of`` returns them. Built on use:
    ``touch`` brings in the scheduler, which validating a file does not need."""
    from followup_cli.pipeline.touch import Touch

    return [
        Touch(
            id=3,
            prospect_id=1,
            at="2026-11-20T16:00:00Z",
            channel="call",
            direction="out",
            outcome="replied",
            note="wants pricing for 40 seats before the May budget review",
        ),
        Touch(
            id=2,
            prospect_id=1,
            at="2026-11-10T15:00:00Z",
            channel="email",
            direction="out",
            outcome="sent",
            note="Recap of the discovery call",
            template="first-meeting-recap",
            variant="a",
        ),
        Touch(
            id=1,
            prospect_id=1,
            at="2026-11-09T17:00:00Z",
            channel="meeting",
            direction="out",
            outcome="meeting",
            note="Discovery call",
        ),
    ]


# --- values of every shape, and records that differ ------------------------------------------

# Values of every shape beyond the sample's own (added below): short, plural, long, and
# with a company name inside.
_MORE_VALUES: dict[str, tuple[str, ...]] = {
    "noun phrase": (
        "churn",
        "patient no-shows",
        "manual invoice matching across three regional warehouses",
        "Koala Health's six-week onboarding",
    ),
    "outcome": (
        "cut renewal churn",
        "get every new clinic live in under two weeks without extra staff",
        "bring Koala Health's onboarding under a week",
    ),
    "question": (
        "how refunds work",
        "whether the Koala Health pilot can run on last year's data before the board meets",
    ),
    "sentence": ("It depends on the plan, and both options are priced in the proposal.",),
    "person": (),
    "title": ("CFO",),
    "url": ("https://example.com/recording",),
}
SHAPE_VALUES: dict[str, tuple[str, ...]] = {
    shape: (
        *values,
        *dict.fromkeys(v for name, v in SAMPLE_FIELDS.items() if shape_of(name) == shape),
    )
    for shape, values in _MORE_VALUES.items()
}
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
        texts_ok=True,  # each record agreed to texts, so the text template is drafted for all
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


def cases_for(template: Template) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(label, context, claims) for every case and every row of shape values."""
    from followup_cli.drafting.draft_context import build_context, meeting_slots
    from followup_cli.drafting.record import facts_of
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
