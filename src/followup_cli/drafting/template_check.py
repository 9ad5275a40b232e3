"""Checking templates: every problem with a template file (``check_file``: front matter
and Jinja syntax; ``templates.load_file`` loads with it) and, for `followup templates
check`, a draft of each template for a built-in sample prospect, in every variant,
against every follow-up rule.

The sample is made of the real dataclasses (a ``Prospect``, a ``Sender``, a
``ValueItem``, her ``Touch`` history) and its context comes from
``draft_context.build_context``, the code a real draft uses, so the check cannot pass
on a context that no draft would get. Nothing here opens the database.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.core.library import template_files
from followup_cli.drafting import template_fit as fit
from followup_cli.drafting.sender import Sender
from followup_cli.drafting.template_engine import environment, render
from followup_cli.drafting.template_model import (
    CONTEXT_NAMES,
    NEED_ROOTS,
    TEMPLATE_CHANNELS,
    MissingValues,
    Template,
    TemplateNotFound,
    origin_of,
)
from followup_cli.drafting.value import ValueItem
from followup_cli.pipeline.prospect import Prospect

TEMPLATE_KEYS = ("name", "channel", "subject", "purpose", "needs", "optional", "variants", "ask")
TEMPLATE_KEYS += fit.KEYS
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# --- one file: front matter and Jinja syntax ------------------------------------------------


def check_file(path: Path) -> tuple[list[str], Template | None]:
    """Every problem with a template file's front matter and Jinja syntax
    (``file:line: field: what``), and the template if there is none."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [f"{path}: cannot read the file ({error})"], None
    text = text.replace("\r\n", "\n")
    match = re.match(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)(.*)\Z", text, re.DOTALL)
    if not match:
        return [
            f"{path}:1: the file must start with front matter between two --- lines "
            "(name, channel, subject, purpose, needs), then the message"
        ], None
    front_text, body = match.group(1) or "", match.group(2)
    body_line = front_text.count("\n") + 3
    try:
        node = yaml.compose(front_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 2}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        return [f"{path}{line}: front matter is not valid YAML: {problem}"], None
    lines: dict[str, int] = {}
    if node is not None and hasattr(node, "value") and isinstance(node.value, list):
        for item in node.value:
            if isinstance(item, tuple):
                lines[str(item[0].value)] = item[0].start_mark.line + 2
    checker = _Checker(path, lines, body_line)
    template = checker.template(data, body)
    return checker.problems, (template if not checker.problems else None)


class _Checker:
    """Builds a Template from its front matter, collecting every problem."""

    def __init__(self, path: Path, lines: dict[str, int], body_line: int):
        self.path = path
        self.lines = lines
        self.body_line = body_line
        self.problems: list[str] = []

    def fail(self, key: str | None, message: str, line: int | None = None) -> None:
        where = line or (self.lines.get(key, 1) if key else 1)
        label = f" {key}:" if key else ""
        self.problems.append(f"{self.path}:{where}:{label} {message}")

    def template(self, data: Any, body: str) -> Template | None:
        if not isinstance(data, dict):
            self.fail(None, "the front matter must be a mapping (name, channel, purpose, ...)")
            return None
        stem = self.path.stem
        if not _FILE_NAME.match(stem):
            self.fail(None, f"name the file in lower case with dashes, e.g. {stem.lower()}.j2")
        for key in data:
            if key not in TEMPLATE_KEYS:
                self.fail(str(key), f"unknown key; valid keys are {', '.join(TEMPLATE_KEYS)}")
        name = data.get("name", stem)
        if name != stem:
            self.fail("name", f"the name {name!r} must match the file name {stem!r}")
        channel = data.get("channel")
        if channel not in TEMPLATE_CHANNELS:
            what = f"{channel!r} is not a channel" if "channel" in data else "channel is required"
            self.fail(
                "channel" if "channel" in data else None,
                f"{what}; use one of {', '.join(TEMPLATE_CHANNELS)}",
            )
        purpose = data.get("purpose")
        if not isinstance(purpose, str) or not purpose.strip():
            self.fail(
                "purpose" if "purpose" in data else None,
                "purpose is required: say in one line what this message is for",
            )
            purpose = ""
        subject = data.get("subject")
        if channel == "email":
            if not isinstance(subject, str) or not subject.strip():
                self.fail(
                    "subject" if "subject" in data else None,
                    "an email template needs a subject (refer to the last conversation)",
                )
                subject = None
        elif "subject" in data:
            self.fail("subject", f"only email templates have a subject, not {channel} ones")
            subject = None
        self.shapes: dict[str, str] = {}
        needs = self.needs(data.get("needs", []))
        self.needs(data.get("optional", {}), key="optional")
        variants = self.variants(data.get("variants"), channel == "email")
        ask = data.get("ask", "one")
        if ask not in ("one", "none"):
            self.fail("ask", "must be none (the message asks for nothing) or one (the default)")
        stages, order = fit.front_matter(data, lambda key, text: self.fail(key, text))
        if not body.strip():
            self.fail(None, "the message after the front matter is empty", self.body_line)
        self.compiles(body, self.body_line, "body")
        if subject:
            self.compiles(subject, self.lines.get("subject", 1), "subject")
        for variant, override in variants.items():
            if override:
                self.compiles(override, self.lines.get("variants", 1), f"variants.{variant}")
        if self.problems:
            return None
        return Template(
            name=stem,
            channel=str(channel),
            purpose=" ".join(str(purpose).split()),
            body=body,
            subject=subject.strip() if subject else None,
            needs=tuple(needs),
            variants=variants,
            ask=str(ask),
            path=self.path,
            origin=origin_of(self.path),
            body_line=self.body_line,
            subject_line=self.lines.get("subject", 1),
            shapes=dict(self.shapes),
            stages=stages,
            order=order,
        )

    def needs(self, value: Any, key: str = "needs") -> list[str]:
        """``needs`` (or ``optional``): a list of names, or a mapping of each custom field
        to its shape (``pain_point: noun phrase``); dotted names take no shape."""
        from followup_cli.drafting.shapes import SHAPES, shape_of

        if isinstance(value, dict):
            value = [{name: shape} for name, shape in value.items()]
        if not isinstance(value, list):
            self.fail(key, "must be a list, e.g. [pain_point, prospect.company, me.phone]")
            return []
        found = []
        for need in value:
            shape = None
            if isinstance(need, dict) and len(need) == 1:
                need, shape = next(iter(need.items()))
                if shape is not None and shape not in SHAPES:
                    self.fail(
                        key, f"{need}: {shape!r} is not a shape; use one of {', '.join(SHAPES)}"
                    )
                    continue
            if not isinstance(need, str) or not need.strip():
                self.fail(key, f"{need!r} is not a name")
                continue
            need = need.strip()
            if "." not in need:
                self.shapes[need] = shape or shape_of(need)
            root, dot, attribute = need.partition(".")
            if not dot:
                if not _NAME.match(need):
                    self.fail(key, f"{need!r}: a custom field is lower case, digits and _")
                    continue
                if need in CONTEXT_NAMES:
                    self.fail(key, f"{need!r} is always provided; list only what may be unset")
                    continue
            elif root not in NEED_ROOTS:
                self.fail(
                    key,
                    f"{need!r}: dotted names start with {', '.join(NEED_ROOTS)} "
                    "(a custom field is just its name, e.g. pain_point)",
                )
                continue
            elif attribute not in NEED_ROOTS[root]:
                self.fail(
                    key,
                    f"{need!r}: {root} has no {attribute!r}; "
                    f"use one of {', '.join(sorted(NEED_ROOTS[root]))}",
                )
                continue
            found.append(need)
        return found

    def variants(self, value: Any, is_email: bool) -> dict[str, str | None]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.fail("variants", "must map variant names to {} or {subject: ...}")
            return {}
        result: dict[str, str | None] = {}
        for name, override in value.items():
            if not isinstance(name, str) or not _NAME.match(name):
                self.fail(
                    "variants", f"{name!r} is not a variant name (use a, b, c or short words)"
                )
                continue
            override = override or {}
            if not isinstance(override, dict) or set(override) - {"subject"}:
                self.fail("variants", f"variant {name}: may only override subject")
                continue
            subject = override.get("subject")
            if subject is not None and (not is_email or not isinstance(subject, str)):
                self.fail("variants", f"variant {name}: only email templates have a subject")
                continue
            result[name] = subject.strip() if isinstance(subject, str) else None
        return result

    def compiles(self, source: str, first_line: int, where: str) -> None:
        import jinja2

        try:
            environment().parse(source)
        except jinja2.TemplateSyntaxError as error:
            line = first_line + (error.lineno or 1) - 1
            self.problems.append(f"{self.path}:{line}: {where}: Jinja syntax: {error.message}")


# --- the built-in sample prospect -----------------------------------------------------------

# A Monday, 10:00 in Chicago: pinned so that the meeting times and "three days ago" the
# sample renders are the same on every day the check runs.
SAMPLE_NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
SAMPLE_FIELDS = {
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
SAMPLE_SENDER = Sender(
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
        sender=SAMPLE_SENDER,
        value=value,
        history=[] if bare else _sample_history(),
        extra={},
        now=SAMPLE_NOW,
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


# --- every template -------------------------------------------------------------------------


def check_all(names: list[str] | None = None) -> tuple[list[str], int]:
    """Every problem in the templates (default: all): front matter, Jinja syntax, and,
    rendered for the built-in sample prospect in every variant, every follow-up rule."""
    from followup_cli.drafting.craft_checks import all_rules

    files = template_files()
    if names:
        targets = []
        for name in names:
            path = Path(name)
            if name in files:
                targets.append(files[name])
            elif path.suffix == ".j2" and path.is_file():
                targets.append(path)
            else:
                raise TemplateNotFound(
                    f"No template named {name!r}: give a name from followup templates list, "
                    "or the path of a .j2 file."
                )
    else:
        targets = list(files.values())
    problems: list[str] = []
    for path in targets:
        found, template = check_file(path)
        problems += found
        if template is None:
            continue
        before = len(problems)
        broken = False
        for bare in (False, True):
            if broken:
                break
            context, specifics = sample_context(template, bare=bare)
            for variant in template.variant_names:
                label = f"{path}: {template.name}" + (
                    f" (variant {variant})" if template.variants else ""
                )
                if bare:
                    label += " without a last touch or value item"
                try:
                    subject, body = render(template, context, variant)
                except MissingValues as error:
                    problems.append(
                        f"{label}: uses {', '.join(error.names)}, which the sample does not "
                        "have: list it in needs, or guard it with {% if ... %}"
                    )
                    continue
                except FollowupError as error:
                    problems.append(str(error))
                    broken = True
                    continue
                findings = all_rules(
                    body,
                    channel=template.channel,
                    subject=subject,
                    specifics=specifics,
                    wants_ask=template.ask != "none",
                )
                problems += [f"{label}: {f.code}: {f.message}" for f in findings]
                if re.search(r"\bNone\b", body):
                    problems.append(f"{label}: prints None: guard the optional value")
        if not broken and len(problems) == before:  # the sample first, then the corpus
            problems += check_corpus(template, str(path))
    return list(dict.fromkeys(problems)), len(targets)


def check_corpus(template: Template, where: str) -> list[str]:
    """``template`` drafted for every case of ``corpus`` (each kind of record, fields of
    every shape), against the follow-up rules and the truth rules."""
    from followup_cli.drafting.corpus import cases_for
    from followup_cli.drafting.craft_checks import all_rules
    from followup_cli.drafting.draft_context import is_set as _is_set
    from followup_cli.drafting.truth import check_truth

    problems: list[str] = []
    seen: dict[str, int] = {}  # each rule once, with how many more cases break it
    for case, context, claims in cases_for(template):
        specifics = context.pop("_specifics")
        if not all(_is_set(context, need) for need in template.needs):
            continue  # a real draft stops here and says what is missing
        for variant in template.variant_names:
            label = (
                f"{where}: {template.name}"
                + (f" (variant {variant})" if template.variants else "")
                + f" for the corpus case {case}"
            )
            try:
                subject, body = render(template, context, variant)
            except MissingValues as error:
                problems.append(
                    f"{label}: uses {', '.join(error.names)}, which this record does not hold: "
                    "guard it with {% if ... %}, or list it in needs"
                )
                continue
            except FollowupError as error:
                problems.append(str(error))
                return problems
            found = all_rules(
                body,
                channel=template.channel,
                subject=subject,
                specifics=specifics,
                wants_ask=template.ask != "none",
            )
            found += check_truth(body, claims, subject=subject)
            for finding in found:
                if finding.code not in seen:
                    seen[finding.code] = len(problems)
                    problems.append(f"{label}: {finding.code}: {finding.message}")
                elif not problems[seen[finding.code]].endswith(")"):
                    problems[seen[finding.code]] += " (and in more corpus cases)"
    return problems
