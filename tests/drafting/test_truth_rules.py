"""The truth rules one by one: each fires on the claim the record does not hold, and
stays quiet when the record holds it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from followup_cli.drafting.record import Facts
from followup_cli.drafting.shapes import misfit
from followup_cli.drafting.truth import TRUTH_RULES, Claims, check_truth

NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


def facts(**changes) -> Facts:
    base = dict(
        spoke=False,
        last_spoke_at=None,
        promised=None,
        agreed_date=None,
        stage="cold",
        stage_since=None,
        relationship=None,
        referrals=0,
        results=None,
        now=NOW,
    )
    return Facts(**(base | changes))


def codes(body: str, claims: Claims) -> list[str]:
    found = check_truth(body, claims)
    assert all(f.code in TRUTH_RULES for f in found)
    return [f.code for f in found]


@pytest.mark.parametrize(
    "sentence",
    [
        "As we discussed, the plan fits.",
        "Since we talked about produce waste, one idea stuck.",
        "You told me patient no-shows hurt.",
        "Thanks for making time to talk.",
        "Great speaking with you yesterday.",
        "I would love to pick up where we left off.",
        "It brought back our conversation about the rollout.",
    ],
)
def test_a_conversation_claimed_to_someone_never_spoken_to(sentence):
    assert codes(sentence, Claims(facts())) == ["claims-prior-conversation"]
    spoke = facts(spoke=True, last_spoke_at=NOW - timedelta(days=3))
    assert codes(sentence, Claims(spoke)) == []


def test_promises_results_and_referrals_need_the_record():
    text = "Here is the report I promised. Your results speak. Thank you for the referrals."
    assert codes(text, Claims(facts())) == ["claims-promise", "claims-results", "claims-referral"]
    full = facts(promised="the benchmark", results="a five-day close", referrals=2)
    assert codes(text, Claims(full, value_title=None)) == []


def test_an_unrelated_resource_unless_chosen():
    body = 'Here is "2026 freight audit benchmark", which I thought of for you.'
    unrelated = Claims(facts(), value_title="2026 freight audit benchmark", value_fit=0)
    assert codes(body, unrelated) == ["unrelated-resource"]
    chosen = Claims(facts(), value_title="2026 freight audit benchmark", value_chosen=True)
    assert codes(body, chosen) == []
    fits = Claims(facts(), value_title="2026 freight audit benchmark", value_fit=3)
    assert codes(body, fits) == []


def test_a_resource_presented_as_the_promised_one_must_be_it():
    body = 'Here is the report I promised: "2026 freight audit benchmark".'
    promised = facts(spoke=True, promised="the no-show benchmark")
    claims = Claims(promised, value_title="2026 freight audit benchmark", value_fit=2)
    found = check_truth(body, claims)
    assert [f.code for f in found] == ["unrelated-resource"]
    assert '"the no-show benchmark"' in found[0].message
    kept = Claims(promised, value_title="2026 freight audit benchmark", value_keeps_promise=True)
    assert codes(body, kept) == []


def test_a_date_other_than_the_agreed_one():
    agreed = facts(spoke=True, agreed_date=date(2026, 12, 7))
    assert codes("I will call on Monday 7 December, as agreed.", Claims(agreed)) == []
    assert codes("Could we talk on 14 December?", Claims(agreed)) == ["stale-date"]
    assert codes("Shall we speak a few months from now?", Claims(agreed)) == ["stale-date"]
    offered = Claims(agreed, offered_days=(date(2026, 11, 24),))
    assert codes("Does Tuesday 24 November suit you?", offered) == []
    # no date agreed: a vague "later" is not a stale date
    assert codes("Shall we speak a few months from now?", Claims(facts(spoke=True))) == []


def test_a_time_since_that_the_record_does_not_hold():
    two_weeks = facts(spoke=True, last_spoke_at=NOW - timedelta(days=14))
    assert codes("It has been two weeks since we spoke.", Claims(two_weeks)) == []
    assert codes("It has been six months since we spoke.", Claims(two_weeks)) == ["stale-date"]
    never = Claims(facts())
    assert "stale-date" in codes("It has been a year since we talked.", never)


def test_a_field_in_the_wrong_shape():
    claims = Claims(facts(), fields={"pain_point": ("onboarding takes 6 weeks", "noun phrase")})
    found = check_truth("About onboarding takes 6 weeks.", claims)
    assert [f.code for f in found] == ["field-shape"]
    assert 'pain_point "onboarding takes 6 weeks": it is a clause (it has the verb "takes")' in (
        found[0].message
    )
    good = Claims(facts(), fields={"pain_point": ("six-week onboarding", "noun phrase")})
    assert codes("About six-week onboarding.", good) == []


@pytest.mark.parametrize(
    ("value", "shape", "wrong"),
    [
        ("patient no-shows", "noun phrase", False),
        ("the half marathon you were training for", "noun phrase", False),
        ("patients who forget their appointments", "noun phrase", False),
        ("onboarding takes 6 weeks", "noun phrase", True),
        ("patient no-shows was slowing Koala Health down", "noun phrase", True),
        ("close the month in 3 days", "noun phrase", True),
        ("Renewals are late.", "noun phrase", True),
        ("cut renewal churn", "outcome", False),
        ("close the month in 3 days", "outcome", False),
        ("focus on retention", "outcome", False),
        ("renewals on autopilot by Q2", "outcome", True),
        ("a three-day close", "outcome", True),
        ("closing the month faster", "outcome", True),
        ("whether invoices match in bulk", "question", False),
        ("can invoices be matched in bulk?", "question", True),
        ("https://example.com/r", "url", False),
        ("example.com/r", "url", True),
    ],
)
def test_shapes(value, shape, wrong):
    assert (misfit(value, shape) is not None) == wrong
