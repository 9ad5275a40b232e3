"""Every shipped template parses, asks only for what it cannot do without, and renders
through the real engine into a message that passes the rules: with everything known
about the prospect, with nothing but what it needs, and with each optional detail
on its own or missing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import pytest
import yaml

from followup_cli.drafting import templates as engine
from followup_cli.drafting.checks import check_message
from followup_cli.drafting.corpus import SAMPLE_FIELDS
from followup_cli.drafting.draft_context import SPECIFIC_DETAILS
from followup_cli.drafting.message_text import count_sentences
from followup_cli.drafting.template_model import MissingValues, TemplateRenderError
from followup_cli.drafting.templates import NEED_ROOTS, Fields

TEMPLATES = Path(__file__).parents[2] / "templates"
TEMPLATE_FILES = sorted(TEMPLATES.glob("*.j2"))

ALLOWED_KEYS = {"name", "channel", "subject", "purpose", "needs", "optional", "variants", "ask"}
ALLOWED_KEYS |= {"stages", "order"}
REQUIRED_KEYS = {"name", "channel", "purpose", "needs"}
CHANNELS = {"email", "voicemail", "video", "linkedin", "mail", "text"}
CONTEXT_NAMES = set(engine.CONTEXT_NAMES)

SHIPPED = {
    "email": [
        "first-meeting-recap",
        "thank-you-first-contact",
        "value-add",
        "value-bomb",
        "new-angle",
        "executive-escalation",
        "breakup",
        "referral-pivot",
        "six-month-check-in",
        "proposal-sent",
        "proposal-review",
        "proposal-walkthrough",
        "proposal-decision",
        "proposal-sections",
        "trial-close-email",
        "not-right-now",
        "lost-deal-feedback",
        "onboarding-welcome",
        "onboarding-check-in",
        "ninety-day-review",
        "referral-ask-direct",
        "referral-ask-specific",
        "referral-ask-educational",
        "annual-re-engagement",
        "persistence-short",
        "case-study",
        "demo-thanks",
        "demo-questions",
        "answer-question",
        "re-engage-questions",
        "nurture-content",
        "quarterly-check-in",
        "closing-file",
        "cold-introduction",
        "milestone-check",
        "early-win",
        "business-review",
        "proposal-received",
        "still-considering",
        "deadline",
        "competitor-mention",
        "trigger-insight",
        "company-milestone",
        "work-anniversary",
        "reference-ask",
        "testimonial-ask",
    ],
    "text": ["text-message"],
    "voicemail": [
        "voicemail-initial",
        "voicemail-value-add",
        "voicemail-trial-close",
        "call-review",
        "onboarding-call",
        "next-steps-call",
        "nurture-call",
    ],
    "video": ["video-walkthrough"],
    "linkedin": ["linkedin-comment-dm"],
    "mail": ["handwritten-note", "birthday-card"],
}

# What each template cannot be written without. pain_point is the standard anchor for
# the sentence about this person; anything else is here only when the message is about
# it (the resource it shares, the idea, the executive, the question, the callback
# number...). A new prospect with a pain point, and a value item for the templates
# that share one, can be drafted with any of them.
NEEDS = {
    "annual-re-engagement": ["pain_point"],
    "answer-question": ["question", "pain_point", "record.spoke"],
    "breakup": ["pain_point"],
    "call-review": ["pain_point"],
    "case-study": ["value.title", "pain_point"],
    "closing-file": ["pain_point"],
    "cold-introduction": ["pain_point"],
    "demo-questions": ["question", "pain_point", "record.spoke"],
    "demo-thanks": ["pain_point", "record.spoke"],
    "executive-escalation": ["executive", "executive_title", "pain_point"],
    "first-meeting-recap": ["pain_point", "record.spoke"],
    "handwritten-note": ["personal_detail"],
    "linkedin-comment-dm": ["pain_point"],
    "lost-deal-feedback": ["pain_point"],
    "new-angle": ["pain_point", "value.title"],
    "ninety-day-review": ["pain_point"],
    "not-right-now": ["pain_point", "record.spoke"],
    "nurture-content": ["value.title", "pain_point"],
    "onboarding-check-in": ["pain_point"],
    "onboarding-welcome": ["pain_point"],
    "persistence-short": ["pain_point"],
    "proposal-decision": ["pain_point"],
    "proposal-review": ["pain_point"],
    "proposal-sections": ["pain_point"],
    "proposal-sent": ["pain_point"],
    "proposal-walkthrough": ["pain_point"],
    "quarterly-check-in": ["pain_point"],
    "re-engage-questions": ["pain_point"],
    "referral-ask-direct": ["result", "pain_point"],
    "referral-ask-educational": ["me.company", "result", "pain_point"],
    "referral-ask-specific": ["referral_target", "pain_point", "result", "record.spoke"],
    "referral-pivot": ["pain_point"],
    "six-month-check-in": ["pain_point"],
    "thank-you-first-contact": ["pain_point", "value.title"],
    "trial-close-email": ["pain_point"],
    "value-add": ["value.title", "pain_point"],
    "value-bomb": ["idea", "pain_point"],
    "video-walkthrough": ["pain_point", "value.title"],
    "voicemail-initial": ["me.phone", "pain_point"],
    "voicemail-trial-close": ["me.phone", "pain_point"],
    "voicemail-value-add": ["value.title", "pain_point"],
    "onboarding-call": ["pain_point"],
    "milestone-check": ["milestone", "pain_point"],
    "early-win": ["pain_point"],
    "business-review": ["pain_point"],
    "next-steps-call": ["pain_point"],
    "nurture-call": ["pain_point"],
    "proposal-received": ["pain_point"],
    "still-considering": ["pain_point"],
    "deadline": ["deadline", "pain_point"],
    "competitor-mention": ["peer_company", "pain_point"],
    "text-message": ["record.text_consent", "pain_point"],
    "trigger-insight": ["event", "pain_point"],
    "company-milestone": ["event", "pain_point"],
    "birthday-card": ["pain_point"],
    "work-anniversary": ["pain_point"],
    "reference-ask": ["result", "pain_point"],
    "testimonial-ask": ["result", "pain_point"],
}
# Nice to have, never required: a template uses them when set and reads well without.
NEVER_NEEDED = {
    "project",
    "goal",
    "competitor",
    "proposal_section",
    "recording_url",
    "answer",
    "prospect.company",
    "prospect.title",
    "me.email",
    "me.title",
}
# The short persistence emails follow seed 003: one or two lines and an ask.
SHORT_BY_DESIGN = {"persistence-short"}

# Custom fields of the sample prospect: top-level names in the render context.
CUSTOM_FIELDS = dict(SAMPLE_FIELDS)  # the same sample as `followup templates check`
PROSPECT_DETAILS = {
    "email": "dana@acme.example",
    "phone": "+1 555 0142",
    "company": "Acme",
    "title": "VP Operations",
    "stage": "proposal",
    "timezone": "America/Chicago",
    "referred_by": "Lee Park",
    "relationship": "repeat",
    "notes": "Rolling out a new warehouse system in Q3; budget review in May",
}
SENDER_DETAILS = {
    "company": "Northwind",
    "title": "Account Executive",
    "phone": "+1 555 0100",
    "email": "sam@northwind.example",
}
VALUE_DETAILS = {"url": "https://northwind.example/ap-benchmark", "kind": "report"}
LAST_TOUCH = {
    "channel": "call",
    "outcome": "replied",
    "when": "3 days ago",
    "at": "2026-11-20T16:00:00Z",
}
LAST_TOUCH_NOTE = "wants pricing for 40 seats before the May budget review"

# What the record holds: a conversation two weeks ago (knob "record.spoke"), or none.
RECORD_NEW = {"spoke": False, "stage": "proposal", "relationship": "none", "referrals": 0}
RECORD_SPOKE = RECORD_NEW | {
    "spoke": True,
    "last_spoke": "two weeks ago",
    "since_spoke": "two weeks",
    "days_since_spoke": 14,
}

# Everything a draft may or may not know, by the name a `needs` entry uses; "value"
# stands for a value item (with its title), "last_touch" for an earlier touch.
KNOBS = [
    *CUSTOM_FIELDS,
    *(f"prospect.{key}" for key in PROSPECT_DETAILS),
    *(f"me.{key}" for key in SENDER_DETAILS),
    "value",
    *(f"value.{key}" for key in VALUE_DETAILS),
    "last_touch",
    "last_touch.note",
    "record.spoke",
]
EVERYTHING = frozenset(KNOBS)


def split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.DOTALL)
    assert match, f"{path.name}: front matter between --- lines is missing"
    front = yaml.safe_load(match.group(1))
    assert isinstance(front, dict), f"{path.name}: front matter is not a mapping"
    return front, match.group(2)


def knobs_of(needs: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The knobs that give a template exactly what it needs."""
    return frozenset("value" if need == "value.title" else need for need in needs)


def build(present: frozenset[str], template: engine.Template) -> tuple[dict[str, Any], list[str]]:
    """A draft context holding the always-set names plus ``present``, the way
    ``draft.build_context`` makes it (an unset detail is absent, not empty), and the
    specifics a draft would check it against."""
    custom = {key: text for key, text in CUSTOM_FIELDS.items() if key in present}
    prospect = {"name": "Dana Reyes", "first_name": "Dana", "fields": dict(custom)}
    prospect |= {k: v for k, v in PROSPECT_DETAILS.items() if f"prospect.{k}" in present}
    me = {"name": "Sam Ortiz", "first_name": "Sam", "signature": "Sam Ortiz"}
    me |= {k: v for k, v in SENDER_DETAILS.items() if f"me.{k}" in present}
    value = None
    if "value" in present:
        details = {k: v for k, v in VALUE_DETAILS.items() if f"value.{k}" in present}
        value = Fields("value", {"id": 1, "title": "2026 Accounts Payable Benchmark", **details})
    last_touch = None
    if "last_touch" in present:
        note = LAST_TOUCH_NOTE if "last_touch.note" in present else ""
        last_touch = Fields("last_touch", {**LAST_TOUCH, "note": note})
    context: dict[str, Any] = {
        **custom,
        "prospect": Fields("prospect", prospect),
        "me": Fields("me", me),
        "last_touch": last_touch,
        "step": Fields("step", {"number": 3, "purpose": template.purpose}),
        "cadence": Fields("cadence", {"name": "post-discovery"}),
        "value": value,
        "slots": ["Tuesday 10:00", "Wednesday 14:00"],
        "slots_text": "Tuesday 10:00 or Wednesday 14:00 your time",
        "since_last_conversation": "two weeks",
        "touch_count": 3,
        "record": Fields("record", RECORD_SPOKE if "record.spoke" in present else RECORD_NEW),
    }
    specifics = [prospect[key] for key in SPECIFIC_DETAILS if key in prospect]
    return context, specifics + list(custom.values())


# Traces of a missing value: "for ." , "at ,", "()", "the the", double spaces.
_DANGLING = re.compile(r"\b(?:a|an|the|at|with|of|about|to|from|by)\s*[.,;!?)]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\w) +[.,;:!?]")
_REPEATED_WORD = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)


def assert_reads_cleanly(text: str, where: str) -> None:
    assert "None" not in text, where
    assert "\n\n\n" not in text.strip(), f"stray blank lines: {where}"
    assert "()" not in text, where
    for line in text.splitlines():
        assert "  " not in line.strip(), f"double space in {line!r}: {where}"
        assert not _SPACE_BEFORE_PUNCTUATION.search(line), f"{line!r}: {where}"
        assert not _DANGLING.search(line), f"dangling word in {line!r}: {where}"
        assert not _REPEATED_WORD.search(line), f"repeated word in {line!r}: {where}"
        # A block tag ending a line eats its newline: two lines run together.
        assert not re.search(r"[\w.,)]- \w", line), f"lines ran together in {line!r}: {where}"


def render_and_check(path: Path, present: frozenset[str], label: str) -> None:
    """Render every variant with ``present`` and assert it passes every rule."""
    template = engine.load_file(path)
    context, specifics = build(present, template)
    for variant in template.variant_names:
        where = f"{template.name} variant {variant} ({label})"
        try:
            subject, body = engine.render(template, context, variant)
        except engine.FollowupError as error:
            pytest.fail(f"{where}: {error}")
        shown = f"{where}:\n{subject}\n\n{body}"
        findings = check_message(
            body, channel=template.channel, subject=subject, specifics=specifics
        )
        assert findings == [], shown
        assert_reads_cleanly(body, shown)
        if subject is not None:
            assert subject.strip(), shown
            assert_reads_cleanly(subject, shown)
        if template.channel == "email":
            low = 1 if template.name in SHORT_BY_DESIGN else 3
            assert low <= count_sentences(body) <= 5, shown
        if template.channel == "voicemail":
            assert "me.phone" not in template.needs or context["me"].phone in body, shown


# --- the files ----------------------------------------------------------------------------


def test_every_shipped_template_exists() -> None:
    names = {path.stem for path in TEMPLATE_FILES}
    missing = [name for group in SHIPPED.values() for name in group if name not in names]
    assert not missing, f"templates missing: {missing}"
    assert names == set(NEEDS), "every template has its needs pinned in NEEDS"


@pytest.mark.parametrize("channel", sorted(SHIPPED))
def test_shipped_templates_use_their_channel(channel: str) -> None:
    for name in SHIPPED[channel]:
        front, _ = split(TEMPLATES / f"{name}.j2")
        assert front["channel"] == channel, name


@pytest.fixture(params=TEMPLATE_FILES, ids=lambda path: path.stem)
def template(request: pytest.FixtureRequest) -> Path:
    return request.param


def test_front_matter(template: Path) -> None:
    front, _ = split(template)
    assert set(front) <= ALLOWED_KEYS, f"unknown keys: {set(front) - ALLOWED_KEYS}"
    assert set(front) >= REQUIRED_KEYS, f"missing keys: {REQUIRED_KEYS - set(front)}"
    assert front["name"] == template.stem
    assert front["channel"] in CHANNELS
    assert ("subject" in front) == (front["channel"] == "email")
    if front["channel"] == "email":
        assert isinstance(front["subject"], str) and front["subject"].strip()
    assert isinstance(front["purpose"], str) and "\n" not in front["purpose"].strip()
    # needs: a mapping of each name to its shape (None for dotted names), or a list
    assert isinstance(front["needs"], (list, dict))
    assert all(isinstance(need, str) and need for need in front["needs"])
    shapes = front["needs"] if isinstance(front["needs"], dict) else {}
    for name, shape in {**shapes, **(front.get("optional") or {})}.items():
        assert (shape is None) == ("." in name), f"{name}: a custom field names its shape"
    for name, override in (front.get("variants") or {"a": {}}).items():
        assert isinstance(name, str)
        assert set(override or {}) <= {"subject"}, f"variant {name} overrides {override}"
    assert engine.check_file(template)[0] == []


def test_needs_only_what_the_message_cannot_do_without(template: Path) -> None:
    front, _ = split(template)
    assert list(front["needs"]) == NEEDS[template.stem]
    assert not set(front["needs"]) & NEVER_NEEDED
    # Without a specific detail, nothing in the message would be about this person.
    _, specifics = build(knobs_of(front["needs"]), engine.load_file(template))
    assert specifics, "needs holds nothing specific to the prospect (pain_point, ...)"


def test_uses_only_known_names(template: Path) -> None:
    front, body = split(template)
    variants = front.get("variants") or {}
    sources = [body, front.get("subject") or ""]
    sources += [(override or {}).get("subject", "") for override in variants.values()]
    env = jinja2.Environment()
    used: set[str] = set()
    for source in sources:
        used |= jinja2.meta.find_undeclared_variables(env.parse(source))
    custom = used - CONTEXT_NAMES
    unknown = custom - set(front["needs"]) - set(CUSTOM_FIELDS)
    assert not unknown, f"custom fields neither needed nor among the known optional: {unknown}"
    text = "\n".join(sources)
    for root, attribute in re.findall(r"\b(prospect|me|value|last_touch)\.(\w+)", text):
        assert attribute in NEED_ROOTS[root], f"{root}.{attribute} does not exist"
    # value may be None unless value.title is needed; then it must be guarded.
    if "value." in text and "value.title" not in front["needs"]:
        assert "{% if value %}" in text, "value used without `needs: [value.title]` or a guard"
    # value.url may be unset: only use it behind a guard.
    if "value.url" in text:
        assert "{% if value.url %}" in text


# --- rendering through the engine ---------------------------------------------------------


def test_renders_with_everything_known(template: Path) -> None:
    render_and_check(template, EVERYTHING, "everything known")


def test_renders_with_only_what_it_needs(template: Path) -> None:
    needs = knobs_of(engine.load_file(template).needs)
    render_and_check(template, needs, f"only {', '.join(sorted(needs))}")


@pytest.mark.parametrize("knob", KNOBS)
def test_renders_with_one_optional_detail(template: Path, knob: str) -> None:
    needs = knobs_of(engine.load_file(template).needs)
    present = needs | {knob}
    if knob.startswith("value."):
        present |= {"value"}
    if knob == "last_touch.note":
        present |= {"last_touch"}
    render_and_check(template, frozenset(present), f"needs plus {knob}")


def _optional_knobs() -> list[tuple[Path, str]]:
    """Every (template, detail) pair where the detail is optional for that template."""
    pairs = []
    for path in TEMPLATE_FILES:
        needs = knobs_of(engine.load_file(path).needs)
        pairs += [(path, knob) for knob in KNOBS if knob not in needs]
    return pairs


@pytest.mark.parametrize(
    ("path", "knob"), _optional_knobs(), ids=lambda value: getattr(value, "stem", value)
)
def test_renders_with_one_optional_detail_missing(path: Path, knob: str) -> None:
    render_and_check(path, EVERYTHING - {knob}, f"everything but {knob}")


def test_a_missing_need_is_named(template: Path) -> None:
    """Printing an unset value is an error naming it, never a blank: each need is used."""
    loaded = engine.load_file(template)
    for need in loaded.needs:
        if need.startswith("record."):
            continue  # a fact the draft checks before rendering (draft._is_set)
        present = knobs_of(loaded.needs) - knobs_of([need])
        context, _ = build(present, loaded)
        with pytest.raises((MissingValues, TemplateRenderError)) as missing:
            for variant in loaded.variant_names:
                engine.render(loaded, context, variant)
        if need == "value.title":  # no item at all: `draft` refuses first, naming the bank
            assert "'None' has no attribute 'title'" in str(missing.value)
        else:
            assert missing.value.names == [need], f"{template.stem} without {need}"
