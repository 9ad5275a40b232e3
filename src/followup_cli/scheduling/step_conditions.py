"""Steps that only some records can take: ``when:`` names the facts a step needs on the
record, ``otherwise:`` the step everyone else gets at the same time.

```yaml
- {day: 14, channel: email, purpose: "A real deadline", template: deadline,
   when: [deadline], otherwise: {channel: email, purpose: "Value-add", template: value-add}}
```

A fact is ``texts_ok`` (they agreed to texts: ``--texts-ok``), one of the prospect's
details (``competitors``, ``personal``, ``phone``...), or a custom field (``--set
deadline=...``); it holds when it is set and not empty. A text step must ask for
``texts_ok`` (seed 000: "Text (only if you have permission)"), so nobody who did not agree
is ever due a text. A step that asks needs ``otherwise``: a record that lacks the facts gets
that step instead, so the cadence keeps its touches and its timing, and no step is due that
would draft what the record does not hold (a deadline nobody set, a company nobody named).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Protocol

from followup_cli.scheduling.cadence_model import Step

CONSENT = "texts_ok"
OTHERWISE_KEYS = {"channel", "purpose", "template"}
_FACT = re.compile(r"^[a-z_][a-z0-9_]*$")
# The prospect's details a step may ask for (the rest of a record's facts are custom fields).
DETAIL_FACTS = (
    "email", "phone", "company", "title", "linkedin", "birthday", "anniversary", "referred_by",
    "relationship", "key_points", "competitors", "decision_makers", "personal",
)  # fmt: skip


class _Checks(Protocol):
    def fail(self, at: tuple[Any, ...], message: str) -> None: ...
    def channel(self, value: Any, at: tuple[Any, ...]) -> str: ...
    def text(self, value: Any, at: tuple[Any, ...]) -> str: ...
    def template(self, value: Any, at: tuple[Any, ...]) -> str | None: ...


def with_conditions(checker: _Checks, step: Step, item: dict, at: tuple[Any, ...]) -> Step:
    """``step`` with the ``when`` and ``otherwise`` of its YAML ``item``, checked."""
    when = _facts(checker, item.get("when"), (*at, "when"))
    if step.channel == "text" and CONSENT not in when:
        checker.fail(
            (*at, "channel"),
            "a text goes only to someone who agreed to texts: add `when: [texts_ok]` and an "
            "`otherwise:` step for everyone else",
        )
    otherwise = None
    if "otherwise" in item:
        otherwise = _otherwise(checker, step, item["otherwise"], (*at, "otherwise"))
        if not when:
            checker.fail((*at, "otherwise"), "is the step for records without `when:`: add `when:`")
    elif when:
        checker.fail(
            (*at, "when"),
            "needs `otherwise:`, the step for everyone whose record lacks it, e.g. "
            "otherwise: {channel: email, purpose: ..., template: value-add}",
        )
    return replace(step, when=when, otherwise=otherwise)


def _facts(checker: _Checks, value: Any, at: tuple[Any, ...]) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        checker.fail(at, "must be a fact or a list of them, e.g. [deadline] or [texts_ok]")
        return ()
    for name in names:
        if not _FACT.match(name):
            checker.fail(
                at,
                f"{name!r} is not a fact: use texts_ok, a detail such as competitors, or a "
                "custom field name (letters, digits and _)",
            )
    return tuple(dict.fromkeys(names))


def _otherwise(checker: _Checks, step: Step, value: Any, at: tuple[Any, ...]) -> Step | None:
    if not isinstance(value, dict):
        checker.fail(
            at, "must be a step without timing: {channel: email, purpose: ..., template: ...}"
        )
        return None
    for key in value:
        if key not in OTHERWISE_KEYS:
            checker.fail(
                (*at, key),
                "unknown key; valid keys are channel, purpose, template (it takes the step's time)",
            )
    channel = checker.channel(value.get("channel"), (*at, "channel"))
    if channel == "text":
        checker.fail(
            (*at, "channel"), "cannot be a text: it is the step for those who did not agree"
        )
    return replace(
        step,
        channel=channel,
        purpose=checker.text(value.get("purpose"), (*at, "purpose")),
        template=checker.template(value.get("template"), (*at, "template")),
        when=(),
        otherwise=None,
    )


def for_record(step: Step, facts: frozenset[str]) -> tuple[Step, str | None]:
    """The step this record takes (``step``, or its ``otherwise``), and the words for why
    when it had a choice."""
    if not step.when:
        return step, None
    missing = [name for name in step.when if name not in facts]
    if not missing:
        return step, f"{_listed(step.when)} on record"
    other = step.otherwise
    if other is None:  # cannot happen in a checked cadence; keep the step and say so
        return step, f"no {_listed(missing)} on record"
    instead = f"{other.template or other.channel} instead of {step.template or step.channel}"
    if CONSENT in missing:
        lacking = "no consent to texts (followup edit ... --texts-ok)"
        rest = [name for name in missing if name != CONSENT]
        if rest:
            lacking += f" and no {_listed(rest)}"
    else:
        lacking = f"no {_listed(missing)}"
    return other, f"{lacking} on record: {instead}"


def record_facts(prospect: Any) -> frozenset[str]:
    """The facts a step may ask for that this prospect's record holds."""
    found = {name for name in DETAIL_FACTS if getattr(prospect, name, None)}
    found |= {key for key, value in (prospect.fields or {}).items() if value}
    if prospect.texts_ok:
        found.add(CONSENT)
    return frozenset(found)


def asked(cadences: list[Any]) -> frozenset[str]:
    """Every fact a step of these cadences asks for."""
    return frozenset(name for c in cadences for step in c.steps for name in step.when)


def _listed(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
