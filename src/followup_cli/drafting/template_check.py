"""Checking templates: every problem with a template file (``check_file``: front matter
and Jinja syntax; ``templates.load_file`` loads with it) and, for `followup templates
check`, a draft of each template, in every variant, for the built-in sample prospect and
then every case of the corpus (``corpus``), against every follow-up rule and, for the
corpus, the truth rules. Nothing here opens the database.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.core.library import template_files
from followup_cli.drafting import template_fit as fit
from followup_cli.drafting.template_engine import compiled, environment, render
from followup_cli.drafting.template_model import (
    CONTEXT_NAMES,
    NEED_ROOTS,
    TEMPLATE_CHANNELS,
    MissingValues,
    Template,
    TemplateNotFound,
    origin_of,
)

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
    # libyaml's parser when PyYAML has it, composing once (the data is built from the same
    # tree); anything it does not take is read again by the pure-Python one, whose messages
    # are the ones we show.
    node = data = None
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        if fast is None:
            raise yaml.YAMLError("no libyaml")
        node, data = _front_matter(front_text, fast)
    except (RecursionError, yaml.YAMLError):
        fast = None
    try:
        if fast is None:
            node, data = _front_matter(front_text, yaml.SafeLoader)
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


def _front_matter(text: str, loader: Any) -> tuple[Any, Any]:
    """The front matter's node tree and its data, both from one reading with ``loader``."""
    reader = loader(text)
    try:
        node = reader.get_single_node()
        data = reader.construct_document(node) if node is not None else None
    finally:
        reader.dispose()
    return node, data


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
            path=self.path,
            origin=origin_of(self.path),
            body_line=self.body_line,
            subject_line=self.lines.get("subject", 1),
            shapes=dict(self.shapes),
            ask=str(ask),
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
            try:
                compiled(source)  # kept: a draft renders what was checked, not compiling again
            except jinja2.TemplateAssertionError:
                environment().parse(source)  # e.g. an unknown filter: the render says so
        except jinja2.TemplateSyntaxError as error:
            line = first_line + (error.lineno or 1) - 1
            self.problems.append(f"{self.path}:{line}: {where}: Jinja syntax: {error.message}")


# --- every template -------------------------------------------------------------------------


def check_all(names: list[str] | None = None) -> tuple[list[str], int]:
    """Every problem in the templates (default: all): front matter, Jinja syntax, and,
    rendered for the built-in sample prospect in every variant, every follow-up rule; then,
    when the sample is clean, for every case of the corpus."""
    from followup_cli.drafting.corpus import sample_context

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
        where = f"{path}: {template.name}"
        drafts = [
            ("", *sample_context(template), None),
            (" without a last touch or value item", *sample_context(template, bare=True), None),
        ]
        found, broken = _drafted(template, where, drafts, lacks="the sample does not have")
        problems += [line for _, line in found]
        if not broken and not found:  # the sample first, then the corpus
            problems += check_corpus(template, str(path))
    return list(dict.fromkeys(problems)), len(targets)


def check_corpus(template: Template, where: str) -> list[str]:
    """``template`` drafted for every case of ``corpus`` (each kind of record, fields of
    every shape), against the follow-up rules and the truth rules: each rule once, marked
    when more cases break it."""
    from followup_cli.drafting.corpus import cases_for
    from followup_cli.drafting.draft_context import is_set

    drafts = []
    for case, context, claims in cases_for(template):
        specifics = context.pop("_specifics")
        if all(is_set(context, need) for need in template.needs):  # else a draft stops
            drafts.append((f" for the corpus case {case}", context, specifics, claims))
    found, _ = _drafted(
        template, f"{where}: {template.name}", drafts, lacks="this record does not hold"
    )
    problems: list[str] = []
    first: dict[str, int] = {}
    for code, line in found:
        if code not in first:
            first[code] = len(problems)
            problems.append(line)
        elif not problems[first[code]].endswith(")"):
            problems[first[code]] += " (and in more corpus cases)"
    return problems


def _drafted(
    template: Template, where: str, drafts: list[tuple[str, dict, list[str], Any]], *, lacks: str
) -> tuple[list[tuple[str, str]], bool]:
    """Render each (label, context, specifics, claims) in every variant and check it (the
    truth rules too when it has claims). Returns the problems as ``(code, line)`` and
    whether the template broke (a render error no value can fix: it stops there)."""
    from followup_cli.drafting.craft_checks import all_rules
    from followup_cli.drafting.truth import check_truth

    problems: list[tuple[str, str]] = []
    for suffix, context, specifics, claims in drafts:
        for variant in template.variant_names:
            label = where + (f" (variant {variant})" if template.variants else "") + suffix
            try:
                subject, body = render(template, context, variant)
            except MissingValues as error:
                names = ", ".join(error.names)
                problems.append(
                    (
                        "missing",
                        f"{label}: uses {names}, which {lacks}: list it in needs, or "
                        "guard it with {% if ... %}",
                    )
                )
                continue
            except FollowupError as error:
                problems.append(("broken", str(error)))
                return problems, True
            findings = all_rules(
                body,
                channel=template.channel,
                subject=subject,
                specifics=specifics,
                wants_ask=template.ask != "none",
            )
            if claims is not None:
                findings += check_truth(body, claims, subject=subject)
            problems += [(f.code, f"{label}: {f.code}: {f.message}") for f in findings]
            if re.search(r"\bNone\b", body):
                problems.append(("none", f"{label}: prints None: guard the optional value"))
    return problems, False
