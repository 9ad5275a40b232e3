"""Every shipped template parses, declares what it uses, renders, and passes the rules."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import jinja2.meta
import pytest
import yaml

from followup_cli.checks import check_message

TEMPLATES = Path(__file__).parents[1] / "templates"
TEMPLATE_FILES = sorted(TEMPLATES.glob("*.j2"))

ALLOWED_KEYS = {"name", "channel", "subject", "purpose", "needs", "variants"}
REQUIRED_KEYS = {"name", "channel", "purpose", "needs"}
CHANNELS = {"email", "voicemail", "video", "linkedin", "mail", "text"}
CONTEXT_NAMES = {
    "prospect",
    "me",
    "last_touch",
    "step",
    "cadence",
    "value",
    "slots",
    "slots_text",
    "since_last_conversation",
    "touch_count",
    "variant",
}
# Always set by the draft engine; every other prospect.* / me.* field must be in `needs`.
ALWAYS_SET = {"prospect.name", "prospect.first_name", "me.name", "me.first_name", "me.signature"}

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
    ],
    "voicemail": [
        "voicemail-initial",
        "voicemail-value-add",
        "voicemail-trial-close",
        "call-review",
    ],
    "video": ["video-walkthrough"],
    "linkedin": ["linkedin-comment-dm"],
    "mail": ["handwritten-note"],
}

# Custom fields of the sample prospect: top-level names in the render context.
CUSTOM_FIELDS = {
    "pain_point": "manual invoice matching",
    "goal": "a three-day month-end close",
    "project": "the Q3 warehouse rollout",
    "competitor": "Globex",
    "personal_detail": "the marathon you were training for",
    "idea": "run a two-week tally of every invoice that needs a manual match, split by supplier",
    "executive": "Priya Shah",
    "executive_title": "VP of Customer Success",
    "referral_target": "Jordan Lee at Initech",
    "result": "a five-day month-end close, down from nine",
    "recording_url": "https://northwind.example/recordings/acme-demo",
    "question": "whether invoices can be matched in bulk?",
    "answer": "yes: up to 5,000 at a time, with exceptions sent to a review queue.",
    "proposal_section": "the phased pricing",
}


def split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.DOTALL)
    assert match, f"{path.name}: front matter between --- lines is missing"
    front = yaml.safe_load(match.group(1))
    assert isinstance(front, dict), f"{path.name}: front matter is not a mapping"
    return front, match.group(2)


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


def sample_prospect() -> SimpleNamespace:
    return SimpleNamespace(
        name="Dana Reyes",
        first_name="Dana",
        email="dana@acme.example",
        phone="+1 555 0142",
        company="Acme",
        title="VP Operations",
        stage="proposal",
        timezone="America/Chicago",
        referred_by="Lee Park",
        relationship="repeat",
        notes="Rolling out a new warehouse system in Q3; budget review in May",
    )


def sample_context(*, variant: str = "a", **overrides: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "prospect": sample_prospect(),
        "me": SimpleNamespace(
            name="Sam Ortiz",
            first_name="Sam",
            company="Northwind",
            title="Account Executive",
            phone="+1 555 0100",
            email="sam@northwind.example",
            signature="Sam Ortiz\nAccount Executive, Northwind\n+1 555 0100",
        ),
        "last_touch": SimpleNamespace(
            channel="call",
            outcome="replied",
            note="wants pricing for 40 seats before the May budget review",
            when="3 days ago",
        ),
        "step": SimpleNamespace(number=3, purpose="add value"),
        "cadence": SimpleNamespace(name="post-discovery"),
        "value": SimpleNamespace(
            title="2024 Accounts Payable Benchmark",
            url="https://northwind.example/ap-benchmark",
            kind="report",
        ),
        "slots": ["Tuesday 10:00", "Wednesday 14:00"],
        "slots_text": "Tuesday 10:00 or Wednesday 14:00 your time",
        "since_last_conversation": "two weeks",
        "touch_count": 3,
        "variant": variant,
        **CUSTOM_FIELDS,
    }
    context.update(overrides)
    return context


def specifics() -> list[str]:
    """What the tracker knows about Dana beyond her name: what a draft should draw on."""
    prospect = sample_prospect()
    fields = [prospect.company, prospect.title, prospect.referred_by, prospect.notes]
    return [*fields, *CUSTOM_FIELDS.values()]


def variants(front: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    declared = front.get("variants") or {"a": {}}
    return [(name, dict(override or {})) for name, override in declared.items()]


def render_all(path: Path, **overrides: Any) -> list[tuple[str, str | None, str]]:
    """(variant, subject, body) for every variant of the template."""
    front, body = split(path)
    env = environment()
    rendered = []
    for name, override in variants(front):
        context = sample_context(variant=name, **overrides)
        subject_source = override.get("subject", front.get("subject"))
        subject = env.from_string(subject_source).render(context) if subject_source else None
        rendered.append((name, subject, env.from_string(body).render(context)))
    return rendered


def test_every_shipped_template_exists() -> None:
    names = {path.stem for path in TEMPLATE_FILES}
    missing = [name for group in SHIPPED.values() for name in group if name not in names]
    assert not missing, f"templates missing: {missing}"


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
    assert isinstance(front["needs"], list)
    assert all(isinstance(need, str) and need for need in front["needs"])
    for name, override in variants(front):
        assert isinstance(name, str)
        assert set(override) <= {"subject"}, f"variant {name} overrides {set(override)}"


def test_uses_only_known_or_declared_names(template: Path) -> None:
    front, body = split(template)
    sources = [body, front.get("subject") or ""]
    sources += [override.get("subject", "") for _, override in variants(front)]
    env = environment()
    used: set[str] = set()
    for source in sources:
        used |= jinja2.meta.find_undeclared_variables(env.parse(source))
    needs = set(front["needs"])
    top_level_needs = {need for need in needs if "." not in need}
    unknown = used - CONTEXT_NAMES - top_level_needs
    assert not unknown, f"custom fields used but not in needs: {unknown}"

    text = "\n".join(sources)
    fields = set(re.findall(r"\b((?:prospect|me)\.\w+)", text))
    undeclared = fields - ALWAYS_SET - needs
    assert not undeclared, f"optional fields used but not in needs: {undeclared}"
    # value may be None unless value.title is needed; then it must be guarded.
    if "value." in text and "value.title" not in needs:
        assert "{% if value %}" in text, "value used without `needs: [value.title]` or a guard"
    # value.url may be empty: only use it behind a guard.
    if "value.url" in text:
        assert "{% if value.url %}" in text


def test_renders_and_passes_the_rules(template: Path) -> None:
    front, _ = split(template)
    for variant, subject, body in render_all(template):
        findings = check_message(
            body, channel=front["channel"], subject=subject, specifics=specifics()
        )
        assert findings == [], f"variant {variant}:\n{subject}\n\n{body}"
        assert "\n\n\n" not in body.strip(), f"variant {variant} has stray blank lines:\n{body}"
        assert "None" not in body


def test_renders_without_last_touch_or_optional_values(template: Path) -> None:
    front, _ = split(template)
    overrides: dict[str, Any] = {"last_touch": None}
    if "value.title" not in front["needs"]:
        overrides["value"] = None
    for variant, subject, body in render_all(template, **overrides):
        findings = check_message(
            body, channel=front["channel"], subject=subject, specifics=specifics()
        )
        assert findings == [], f"variant {variant}:\n{subject}\n\n{body}"


def test_renders_with_an_empty_value_url(template: Path) -> None:
    front, _ = split(template)
    value = SimpleNamespace(title="2024 Accounts Payable Benchmark", url="", kind="article")
    for variant, _subject, body in render_all(template, value=value):
        assert "()" not in body, f"variant {variant}:\n{body}"
        findings = check_message(body, channel=front["channel"], specifics=specifics())
        assert findings == [], f"variant {variant}:\n{body}"


def test_a_last_touch_without_a_note_is_fine(template: Path) -> None:
    last_touch = SimpleNamespace(channel="email", outcome="sent", note="", when="a week ago")
    for _variant, _subject, body in render_all(template, last_touch=last_touch):
        assert "From my notes: \n" not in body
