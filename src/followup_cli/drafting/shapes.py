"""The grammatical shape of a template field, and whether a value has it.

Templates are written so that any value of a field's shape reads correctly: a noun
phrase after "about" ("what you told me about patient no-shows"), an outcome after
"to" ("help you cut renewal churn"). A value of another shape pasted in verbatim breaks
the sentence ("you told me about onboarding takes 6 weeks"), so ``misfit`` says, as far
as can be told without a language model, when a value is not of its field's shape.

This module is plain data and a few regular expressions: the CLI imports it to show the
shapes in `add`/`edit`/`draft --help`.
"""

from __future__ import annotations

import re

# shape -> (what it is, an example that reads right)
SHAPES: dict[str, tuple[str, str]] = {
    "noun phrase": ("a noun phrase, no verb", "patient no-shows"),
    "outcome": ('a verb phrase that follows "to"', "cut renewal churn"),
    "question": ('an indirect question, as after "you asked"', "whether invoices match in bulk"),
    "sentence": ("one full sentence", "Yes: up to 5,000 at a time."),
    "person": ("a person's name, with their company if useful", "Jordan Lee at Initech"),
    "title": ("a job title", "VP of Customer Success"),
    "url": ("a web address", "https://example.com/recording"),
}
# The shape of each field the shipped templates use (a template may say otherwise in
# its front matter; a field of yours that is in neither is taken as a noun phrase).
FIELD_SHAPES: dict[str, str] = {
    "pain_point": "noun phrase",
    "project": "noun phrase",
    "goal": "outcome",
    "result": "noun phrase",
    "promised": "noun phrase",
    "industry": "noun phrase",
    "competitor": "noun phrase",
    "personal_detail": "noun phrase",
    "proposal_section": "noun phrase",
    "idea": "outcome",
    "question": "question",
    "answer": "sentence",
    "executive": "person",
    "executive_title": "title",
    "referral_target": "person",
    "recording_url": "url",
    "benchmark": "sentence",
    "event_url": "url",
}


# An example of each field that reads right, for --help.
FIELD_EXAMPLES = {
    "project": "the clinic rollout",
    "result": "a third fewer no-shows",
    "goal": "cut renewal churn",
    "pain_point": "patient no-shows",
}


def shape_of(name: str, declared: dict[str, str] | None = None) -> str:
    return (declared or {}).get(name) or FIELD_SHAPES.get(name, "noun phrase")


def describe(name: str, shape: str | None = None) -> str:
    """ "pain_point: a noun phrase, no verb (patient no-shows)"."""
    shape = shape or shape_of(name)
    what, example = SHAPES[shape]
    return f"{name}: {what} ({example})"


def help_text(names: tuple[str, ...] = ("pain_point", "goal", "project", "result")) -> str:
    """The shapes of the common fields, for an option's --help."""
    return "; ".join(
        f"{name} is {SHAPES[shape_of(name)][0]}, e.g. "
        f"'{FIELD_EXAMPLES.get(name, SHAPES[shape_of(name)][1])}'"
        for name in names
    )


# Words that make a clause of a phrase: auxiliaries and the verbs people paste in with
# their pain points ("onboarding takes 6 weeks", "patient no-shows are slowing us").
_FINITE = (
    r"is|are|was|were|am|isn't|aren't|wasn't|weren't|has|have|had|hasn't|haven't|does|do|"
    r"did|doesn't|don't|didn't|can|can't|cannot|could|couldn't|will|won't|would|wouldn't|"
    r"should|shouldn't|must|may|might|takes|took|keeps|kept|costs|slows|makes|gets|needs|"
    r"goes|seems|feels|means|happens|hurts|breaks|eats|drags|loses|wastes|causes|leaves"
)
# A finite verb after a relative word ("the marathon you were training for", "patients
# who are late") belongs to a noun phrase; after anything else it makes a clause.
# (A pattern, compiled by ``re`` on its first use: `show` and `log` import this module for
# the --var help, and never ask whether a value fits its shape.)
_HAS_FINITE_VERB = (
    rf"(?i)(?<!\bwho)(?<!\bthat)(?<!\bwhich)(?<!\byou)(?<!\bwe)(?<!\bthey)(?<!\bi)"
    rf"(?:^|\s)(?:{_FINITE})(?=\s|$)"
)
# Verbs an outcome or an idea starts with; a noun phrase starting with one is an outcome
# ("close the month in 3 days" where "a faster month-end close" belongs).
_BASE_VERBS = frozenset(
    [
        "close",
        "cut",
        "reduce",
        "lower",
        "raise",
        "improve",
        "increase",
        "grow",
        "get",
        "make",
        "stop",
        "fix",
        "hire",
        "launch",
        "build",
        "ship",
        "save",
        "win",
        "move",
        "automate",
        "speed",
        "halve",
        "double",
        "reach",
        "hit",
        "finish",
        "shorten",
        "lift",
        "drive",
        "boost",
        "end",
        "avoid",
        "prevent",
        "replace",
        "migrate",
        "consolidate",
        "scale",
        "onboard",
        "run",
        "publish",
        "start",
        "keep",
        "bring",
        "turn",
        "put",
        "set",
        "track",
        "match",
        "send",
        "find",
        "give",
        "let",
        "check",
        "test",
        "try",
        "ask",
        "call",
        "sell",
        "simplify",
        "standardise",
        "standardize",
        "centralise",
        "centralize",
        "remove",
        "drop",
        "free",
        "spend",
    ]
)
_NOT_A_VERB_START = frozenset(
    [
        "a",
        "an",
        "the",
        "our",
        "your",
        "their",
        "my",
        "his",
        "her",
        "its",
        "this",
        "that",
        "these",
        "those",
        "more",
        "less",
        "fewer",
        "better",
        "faster",
        "some",
        "any",
        "every",
        "each",
        "all",
        "no",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
    ]
)
_VERBS_IN_S = frozenset(
    ["focus", "process", "pass", "access", "address", "discuss", "express", "bypass"]
)
_DIRECT_QUESTION = (
    r"(?i)^(?:can|could|do|does|did|is|are|was|were|will|would|should|shall|may|have|has)\s"
)


def misfit(value: str, shape: str) -> str | None:
    """Why ``value`` is not of ``shape`` (None: it may well be). Heuristic by design:
    it catches the common pastes, and never needs a language model."""
    text = " ".join(str(value).split())
    words = text.lower().split()
    if not words:
        return "it is empty"
    first = words[0].strip("\"'(")
    if shape == "noun phrase":
        if text.endswith((".", "!", "?")):
            return "it is a sentence (it ends with punctuation)"
        verb = re.search(_HAS_FINITE_VERB, text)
        if verb:
            return f'it is a clause (it has the verb "{verb.group().strip()}")'
        if first in _BASE_VERBS and len(words) > 1:
            return f'it starts with the verb "{first}", like an outcome'
        return None
    if shape == "outcome":
        if first in _NOT_A_VERB_START or first[:1].isdigit():
            return f'it starts with "{first}", not with a verb'
        if first.endswith("ing") and first not in _BASE_VERBS:
            return f'it starts with "{first}"; an outcome starts with the verb itself'
        if first.endswith("s") and first not in _VERBS_IN_S and first not in _BASE_VERBS:
            return f'it starts with "{first}", which reads as a noun, not a verb'
        if text.endswith((".", "!", "?")):
            return "it ends with punctuation; an outcome is a phrase, not a sentence"
        return None
    if shape == "question":
        if re.match(_DIRECT_QUESTION, text):
            return f'it is a direct question (starts with "{first}"): use "whether ..."'
        return None
    if shape == "url":
        if not text.lower().startswith(("http://", "https://")):
            return "it is not a web address (https://...)"
        return None
    return None
