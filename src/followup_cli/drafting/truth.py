"""The truth rules: a draft claims nothing the record does not hold, carries no resource
that fits nobody, and reads every field in the shape the template expects.

Where ``checks`` reads the message alone, these rules read it against the record
(``record.Facts``), the value item and the fields the template used. Like ``checks.RULES``,
``TRUTH_RULES`` maps a stable code to what the rule catches; each rule is a function in
``_RULES``, in that order, so a later rule (or another engineer's) is one more row.

The heuristics, rule by rule:

* claims-prior-conversation: "we talked/spoke/met", "our conversation/call/meeting", "as
  (we) discussed", "you told me/said/mentioned", "thanks for the call/making time",
  "pick up where we left off", "glad we met"... in a draft to someone with no answered
  touch on record (``Facts.spoke`` false).
* claims-promise: "I promised", "as promised" when the record holds no promise (their
  ``promised`` field is empty).
* claims-results: "your results", "the results you've seen/had" with no ``result`` on record.
* claims-referral: "thank you for the referral(s)/introductions/recommending us" when no
  prospect on record was referred by them.
* unrelated-resource: a value item that fits nothing known about them (``value.fit`` 0 and
  not the promised item), unless the user picked it (--value); or a resource presented as
  the promised one that is not what the ``promised`` field names.
* stale-date: with a revisit date agreed on record, a draft naming another date (a day and
  month, or an ISO date, other than that date and the meeting times it offers) or a vague
  "a few months from now" instead of it; and "it has been N weeks/months since ..." when
  the last conversation on record was not about that long ago (off by more than half).
* field-shape: a field pasted in a shape its template does not read (``shapes.misfit``: a
  clause where a noun phrase belongs, a noun where an outcome belongs...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from followup_cli.drafting.checks import Finding
from followup_cli.drafting.record import MONTHS, Facts, day_label
from followup_cli.drafting.shapes import SHAPES, misfit

TRUTH_RULES: dict[str, str] = {
    "claims-prior-conversation": (
        'No "as we discussed", "when we talked", "you told me" to someone we never spoke with '
        "(no answered touch or meeting on record)."
    ),
    "claims-promise": 'No "as promised" unless the record holds a promise (the promised field).',
    "claims-results": 'No "your results" unless a result is on record (the result field).',
    "claims-referral": "No thanks for referrals unless someone on record was referred by them.",
    "unrelated-resource": (
        "A resource fits the person (a tag, their industry or their pain point), or was chosen "
        "with --value; a promised resource is the one promised."
    ),
    "stale-date": (
        "A date in the draft is the one on record (the agreed revisit date, the offered "
        "meeting times); a time since the last conversation matches the record."
    ),
    "field-shape": (
        "Each field reads in the shape its template expects (a noun phrase where a noun phrase "
        "belongs, an outcome after 'to'): no clause pasted in verbatim."
    ),
}


@dataclass(frozen=True)
class Claims:
    """What a draft is checked against: the record, the value item and how it was chosen,
    the fields the template read (name -> (value, shape)), and the dates it may name."""

    facts: Facts
    value_title: str | None = None
    value_fit: int = 0
    value_keeps_promise: bool = False
    value_chosen: bool = False  # picked by the user with --value
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    offered_days: tuple[date, ...] = ()
    who: str = "prospect"


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_CONVERSATION = _rx(
    r"\b(?:we|you and i)\s+(?:last\s+)?(?:talked|spoke|discussed|met|chatted|covered|looked at)\b",
    r"\bour\s+(?:last\s+|recent\s+|first\s+|earlier\s+)?(?:conversation|call|meeting|chat|talk"
    r"|discussion)s?\b",
    r"\bas\s+(?:we\s+)?discussed\b",
    r"\byou\s+(?:told\s+me|said|mentioned|asked|shared|described)\b",
    r"\bthanks?\s+(?:you\s+)?(?:again\s+)?for\s+(?:the\s+(?:call|conversation|meeting|chat|time)"
    r"|making\s+time|taking\s+the\s+time|talking|speaking)\b",
    r"\b(?:great|good|nice)\s+(?:talking|speaking|meeting)\b",
    r"\bwhere\s+we\s+left\s+(?:off|it)\b",
    r"\bglad\s+we\s+met\b",
    r"\bwhen\s+we\s+(?:last\s+)?(?:spoke|talked|met)\b",
)
_PROMISE = _rx(r"\bi\s+promised\b", r"\bas\s+promised\b", r"\bmy\s+promise\b")
_RESULTS = _rx(r"\byour\s+results\b", r"\bthe\s+results\s+you(?:'ve|\s+have)?\s+(?:seen|had|got)\b")
_REFERRAL_THANKS = _rx(
    r"\bthank(?:s|\s+you)\s+(?:again\s+)?for\s+(?:the\s+|your\s+|every\s+)?(?:referrals?"
    r"|introductions?|recommending\s+us|sending\s+\w+(?:\s+\w+)?\s+our\s+way)\b",
)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_SINCE = re.compile(
    r"\b(?:been|over|about|nearly|almost|some)\s+(?:about\s+|over\s+|nearly\s+|almost\s+)?"
    r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+"
    r"(day|week|month|year)s?\s+since\b",
    re.IGNORECASE,
)
_MONTH = "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\b|\b({_MONTH})\s+(\d{{1,2}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_VAGUE_LATER = _rx(
    r"\ba\s+few\s+(?:weeks|months)\s+(?:from\s+now|out|away|time)\b",
    r"\bin\s+a\s+few\s+(?:weeks|months)\b",
    r"\b(?:later\s+this\s+year|next\s+quarter|some\s+time\s+next\s+year)\b",
    r"\bin\s+(?:two|three|four|five|six|\d+)\s+(?:weeks|months)(?:'\s*time)?\b",
)


def _hits(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(m.group().strip() for m in pattern.finditer(text)))


def _quote(phrases: list[str]) -> str:
    return ", ".join(f'"{p}"' for p in phrases)


def _conversation(text: str, claims: Claims) -> Finding | None:
    if claims.facts.spoke:
        return None
    hits = _hits(_CONVERSATION, text)
    if not hits:
        return None
    return Finding(
        "claims-prior-conversation",
        f"{_quote(hits)} recalls a conversation, but no answered touch or meeting with "
        f"{claims.who} is on record: introduce yourself instead, or log the conversation "
        "first (followup log ... --outcome meeting).",
    )


def _promise(text: str, claims: Claims) -> Finding | None:
    if claims.facts.promised:
        return None
    hits = _hits(_PROMISE, text)
    if not hits:
        return None
    return Finding(
        "claims-promise",
        f"{_quote(hits)}, but nothing promised to {claims.who} is on record: drop the claim, "
        'or record it (followup edit ... --set promised="the no-show benchmark").',
    )


def _results(text: str, claims: Claims) -> Finding | None:
    if claims.facts.results:
        return None
    hits = _hits(_RESULTS, text)
    if not hits:
        return None
    return Finding(
        "claims-results",
        f"{_quote(hits)}, but no result of {claims.who}'s is on record: record it "
        '(followup edit ... --set result="a five-day close, down from nine") or drop it.',
    )


def _referral(text: str, claims: Claims) -> Finding | None:
    if claims.facts.referrals:
        return None
    hits = _hits(_REFERRAL_THANKS, text)
    if not hits:
        return None
    return Finding(
        "claims-referral",
        f"{_quote(hits)}, but nobody on record was referred by {claims.who} "
        "(followup add ... --referred-by NAME records one).",
    )


def _resource(text: str, claims: Claims) -> Finding | None:
    title = claims.value_title
    if not title or title not in text:
        return None
    if claims.facts.promised and _PROMISE.search(text) and not claims.value_keeps_promise:
        return Finding(
            "unrelated-resource",
            f'"{title}" is presented as promised, but what was promised is '
            f'"{claims.facts.promised}": add that to the value bank, or drop "as promised".',
        )
    if claims.value_chosen or claims.value_fit > 0 or claims.value_keeps_promise:
        return None
    return Finding(
        "unrelated-resource",
        f'"{title}" fits nothing known about {claims.who} (no tag, industry or pain point in '
        "common): pick one that fits with --value ID, or tag it: followup value edit ID --tag ...",
    )


def _named_days(text: str, year: int) -> list[tuple[str, date | None]]:
    found: list[tuple[str, date | None]] = []
    months = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
    months.update({m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)})
    for match in _DAY_MONTH.finditer(text):
        day_text = match.group(1) or match.group(4)
        month = months[(match.group(2) or match.group(3)).lower()]
        try:
            found.append((match.group(), date(year, month, int(day_text))))
        except ValueError:
            found.append((match.group(), None))
    for match in _ISO.finditer(text):
        try:
            found.append((match.group(), date(*(int(g) for g in match.groups()))))
        except ValueError:
            found.append((match.group(), None))
    return found


def _date(text: str, claims: Claims) -> Finding | None:
    facts = claims.facts
    agreed = facts.agreed_date
    if agreed is not None:
        allowed = {agreed, *claims.offered_days}
        other = [
            shown
            for shown, day in _named_days(text, agreed.year)
            if day is None or (day not in allowed and day.replace(year=day.year + 1) not in allowed)
        ]
        vague = _hits(_VAGUE_LATER, text)
        if other or vague:
            return Finding(
                "stale-date",
                f"{_quote(other + vague)}, but the date agreed with {claims.who} is "
                f"{day_label(agreed)}: name that date.",
            )
    for match in _SINCE.finditer(text):
        number = match.group(1).lower()
        count = _NUMBERS.get(number) or int(number)
        said = count * _UNIT_DAYS[match.group(2).lower()]
        real = facts.days_since_spoke
        if real is None or not (said / 1.5 <= max(real, 1) <= said * 1.5):
            on_record = (
                f"the last conversation on record was {real} days ago"
                if real is not None
                else "no conversation is on record"
            )
            return Finding(
                "stale-date",
                f'"{match.group().strip()}", but {on_record}: say what the record says.',
            )
    return None


def _shapes(text: str, claims: Claims) -> Finding | None:
    bad = []
    for name, (value, shape) in claims.fields.items():
        why = misfit(value, shape)
        if why:
            bad.append(
                f'{name} "{value}": {why}; it should be {SHAPES[shape][0]}, e.g. '
                f'"{SHAPES[shape][1]}"'
            )
    if not bad:
        return None
    return Finding(
        "field-shape",
        "; ".join(bad) + " (followup edit ... --set NAME=..., or --var NAME=... for this draft).",
    )


_RULES: tuple[Callable[[str, Claims], Finding | None], ...] = (
    _conversation,
    _promise,
    _results,
    _referral,
    _resource,
    _date,
    _shapes,
)


def check_truth(body: str, claims: Claims, *, subject: str | None = None) -> list[Finding]:
    """Every truth rule the draft breaks, in the order of TRUTH_RULES."""
    text = " ".join(f"{subject or ''}\n{body}".replace("’", "'").split())
    return [finding for rule in _RULES if (finding := rule(text, claims)) is not None]


def claims_for(
    facts: Facts,
    *,
    value: Any = None,
    value_fit: int = 0,
    keeps_promise: bool = False,
    chosen: bool = False,
    fields: dict[str, tuple[str, str]] | None = None,
    offered: tuple[date, ...] = (),
    who: str = "prospect",
) -> Claims:
    return Claims(
        facts=facts,
        value_title=value.title if value is not None else None,
        value_fit=value_fit,
        value_keeps_promise=keeps_promise,
        value_chosen=chosen,
        fields=dict(fields or {}),
        offered_days=offered,
        who=who,
    )


def claims_of(
    prospect: Any,
    template: Any,
    context: dict[str, Any],
    facts: Any,
    item: Any,
    *,
    chosen_by_user: bool = False,
) -> Claims:
    """What the truth rules check this draft against, from what it was rendered with."""
    from followup_cli.drafting import value as values

    used = {
        name: (str(context[name]), shape)
        for name, shape in template.shapes.items()
        if context.get(name) not in (None, "")
    }
    promised = prospect.fields.get("promised")
    return claims_for(
        facts,
        value=item,
        value_fit=values.fit(item, prospect) if item else 0,
        keeps_promise=values.keeps_promise(item, promised) if item else False,
        chosen=chosen_by_user,
        fields=used,
        who=prospect.name,
    )
