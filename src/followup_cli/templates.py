"""Message templates: Jinja2 files with a YAML front matter block, and the engine that
renders them.

A template file looks like this::

    ---
    name: breakup                 # optional; must match the file name when given
    channel: email                # email, voicemail, video, linkedin, mail or text
    subject: "Should I close the file on {{ prospect.company }}?"   # email only, required
    purpose: Offer an easy way out and ask plainly whether to close the file.
    needs: [prospect.company, pain_point]   # what must be known before drafting
    variants:                     # optional A/B variants; each may override the subject
      a: {}
      b: {subject: "Close the loop on {{ pain_point }}?"}
    ---
    Hi {{ prospect.first_name }},
    ...

``needs`` lists custom fields by name (``pain_point``) and details as ``prospect.title``,
``me.phone`` or ``value.title``: a draft whose prospect lacks one stops with an error
that names the command to set it, instead of rendering a blank.

Shipped templates live in the package; a file of the same name in the user's config
dir (``templates/NAME.j2``) overrides one. Every template renders in Jinja's
``SandboxedEnvironment`` (a template cannot reach Python internals) with a strict
undefined: printing anything that is not set is an error, never an empty string.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followup_cli.errors import FollowupError
from followup_cli.prospect import DETAILS
from followup_cli.sender import DETAILS as SENDER_DETAILS

TEMPLATE_CHANNELS = ("email", "voicemail", "video", "linkedin", "mail", "text")
TEMPLATE_KEYS = ("name", "channel", "subject", "purpose", "needs", "variants")
# What a `needs` entry may name with a dot, and what each root offers: a prospect's
# details (``prospect.py``'s DETAILS), the sender profile, a value item, the last touch.
NEED_ROOTS = {
    "prospect": {*DETAILS, "name", "first_name", "tags", "fields"} - {"pace"},
    "me": {*SENDER_DETAILS, "first_name"},
    "value": {"id", "title", "url", "kind", "tags", "note"},
    "last_touch": {"channel", "outcome", "note", "when", "at"},
}
# The names every draft provides; custom fields are the other top-level names.
CONTEXT_NAMES = (
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
)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class TemplateNotFound(FollowupError):
    pass


class InvalidTemplate(FollowupError):
    """A template file that does not load: the message names the file, line and field."""


class UnsafeTemplate(FollowupError):
    """A template tried to reach Python internals, which the sandbox forbids."""


class TemplateRenderError(FollowupError):
    pass


class MissingValues(FollowupError):
    """Raised by ``render`` with the dotted names that were not set (``pain_point``,
    ``me.phone``); the draft turns it into a message naming the commands to set them."""

    def __init__(self, names: list[str], template: str):
        super().__init__(f"Template {template} needs {', '.join(names)}, which is not set.")
        self.names = names
        self.template = template


@dataclass(frozen=True)
class Template:
    name: str
    channel: str
    purpose: str
    body: str
    subject: str | None = None
    needs: tuple[str, ...] = ()
    variants: dict[str, str | None] = field(default_factory=dict)  # name -> subject override
    path: Path | None = None
    origin: str = "shipped"  # or "yours"
    body_line: int = 1  # the file line the body starts on
    subject_line: int = 1

    @property
    def variant_names(self) -> list[str]:
        """Declared variants, or the one implicit variant ``a``."""
        return sorted(self.variants) or ["a"]

    def subject_for(self, variant: str) -> str | None:
        override = self.variants.get(variant)
        return override if override is not None else self.subject

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "channel": self.channel,
            "subject": self.subject,
            "purpose": self.purpose,
            "needs": list(self.needs),
            "variants": {name: {"subject": s} if s else {} for name, s in self.variants.items()},
            "origin": self.origin,
            "path": str(self.path) if self.path else None,
            "body": self.body,
        }


# --- locating files -------------------------------------------------------------------------


def template_files() -> dict[str, Path]:
    """Every template by name; a user's file overrides the shipped one of the same name."""
    from followup_cli.cadence import shipped_dir, user_dir

    found: dict[str, Path] = {}
    for folder in (shipped_dir("templates"), user_dir("templates")):
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".j2") and entry.is_file():
                found[entry.name[:-3]] = Path(entry.path)
    return found


def origin_of(path: Path) -> str:
    from followup_cli.cadence import user_dir

    return "yours" if path.parent == user_dir("templates") else "shipped"


_cache: dict[Path, tuple[int, Template]] = {}


def load_template(name: str) -> Template:
    files = template_files()
    if name not in files:
        known = ", ".join(sorted(files)) or "none"
        raise TemplateNotFound(
            f"No template named {name!r}. Known templates: {known}. "
            "See them with: followup templates list"
        )
    return load_file(files[name])


def load_all() -> dict[str, Template]:
    """Every template that loads (a broken one is left out; `templates check` names it)."""
    loaded = {}
    for path in template_files().values():
        try:
            template = load_file(path)
        except InvalidTemplate:
            continue
        loaded[template.name] = template
    return loaded


def load_file(path: Path) -> Template:
    mtime = path.stat().st_mtime_ns
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    problems, template = check_file(path)
    if problems:
        more = f" (and {len(problems) - 1} more: followup templates check)" if problems[1:] else ""
        raise InvalidTemplate(problems[0] + more)
    assert template is not None
    _cache[path] = (mtime, template)
    return template


def summaries() -> list[dict[str, Any]]:
    """One line per template, for `templates list` (broken files are listed as such)."""
    items = []
    for name, path in template_files().items():
        try:
            template = load_file(path)
        except InvalidTemplate as error:
            items.append(
                {
                    "name": name,
                    "channel": "?",
                    "purpose": f"BROKEN: {error}",
                    "origin": origin_of(path),
                    "variants": [],
                    "path": str(path),
                }
            )
            continue
        items.append(
            {
                "name": name,
                "channel": template.channel,
                "purpose": template.purpose,
                "origin": template.origin,
                "variants": sorted(template.variants),
                "path": str(path),
            }
        )
    return items


# --- reading and validating a file ----------------------------------------------------------


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
        needs = self.needs(data.get("needs", []))
        variants = self.variants(data.get("variants"), channel == "email")
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
        )

    def needs(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            self.fail("needs", "must be a list, e.g. [pain_point, prospect.company, me.phone]")
            return []
        found = []
        for need in value:
            if not isinstance(need, str) or not need.strip():
                self.fail("needs", f"{need!r} is not a name")
                continue
            need = need.strip()
            root, dot, attribute = need.partition(".")
            if not dot:
                if not _NAME.match(need):
                    self.fail("needs", f"{need!r}: a custom field is lower case, digits and _")
                    continue
                if need in CONTEXT_NAMES:
                    self.fail("needs", f"{need!r} is always provided; list only what may be unset")
                    continue
            elif root not in NEED_ROOTS:
                self.fail(
                    "needs",
                    f"{need!r}: dotted names start with {', '.join(NEED_ROOTS)} "
                    "(a custom field is just its name, e.g. pain_point)",
                )
                continue
            elif attribute not in NEED_ROOTS[root]:
                self.fail(
                    "needs",
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


# --- the engine -----------------------------------------------------------------------------


class Fields:
    """Read-only details for a template (``prospect.company``). An unset detail is left
    out, so using it is an error that names it rather than an empty string."""

    __slots__ = ("_root", "_values")

    def __init__(self, root: str, values: dict[str, Any]):
        self._root = root
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"<{self._root}>"


@functools.lru_cache(maxsize=1)
def environment() -> Any:
    """The sandboxed Jinja environment every template renders in."""
    import jinja2
    from jinja2.exceptions import SecurityError, UndefinedError
    from jinja2.sandbox import SandboxedEnvironment
    from jinja2.utils import missing

    class _Unset(UndefinedError):
        def __init__(self, message: str, path: str | None = None):
            super().__init__(message)
            self.path = path

    class Strict(jinja2.StrictUndefined):
        """StrictUndefined that remembers the dotted name it stands for. A truth test
        (``{% if prospect.title %}``) is allowed and false; printing it is an error."""

        __slots__ = ()

        def __init__(
            self,
            hint: str | None = None,
            obj: Any = missing,
            name: str | None = None,
            exc: type[Exception] = UndefinedError,
        ):
            if exc is UndefinedError and hint is None:
                if obj is missing:
                    path = name
                elif isinstance(obj, Fields):
                    path = f"{obj._root}.{name}"
                else:
                    path = None
                exc = functools.partial(_Unset, path=path)  # type: ignore[assignment]
            super().__init__(hint, obj, name, exc)

        def __bool__(self) -> bool:
            if self._undefined_exception is SecurityError:
                self._fail_with_undefined_error()
            return False

    env = SandboxedEnvironment(
        undefined=Strict, trim_blocks=True, lstrip_blocks=True, autoescape=False
    )
    env.followup_unset = _Unset  # type: ignore[attr-defined]
    return env


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> Any:
    return environment().from_string(source)


def render_text(template: Template, source: str, context: dict[str, Any], where: str) -> str:
    """Render one piece of a template (its body or a subject) in the sandbox."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = environment()
    first = template.body_line if where == "body" else template.subject_line
    try:
        return _compiled(source).render(context)
    except SecurityError as error:
        raise UnsafeTemplate(
            f"{_where(template, first, error)}: template {template.name} tried to reach Python "
            f"internals ({str(error).rstrip('.')}); templates may only use the draft's "
            f"variables (followup templates show {template.name} lists them): fix the template."
        ) from None
    except env.followup_unset as error:
        if error.path:
            raise MissingValues([error.path], template.name) from None
        raise TemplateRenderError(
            f"{_where(template, first, error)}: {where}: {error.message}; guard optional "
            "values with {% if ... %}, or list them in needs."
        ) from None
    except jinja2.TemplateSyntaxError as error:
        line = first + (error.lineno or 1) - 1
        raise InvalidTemplate(
            f"{template.path or template.name}:{line}: {where}: Jinja syntax: {error.message}"
        ) from None
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as error:
        # A user's template can fail in many ways; each becomes one readable line.
        raise TemplateRenderError(
            f"{_where(template, first, error)}: {where}: the template failed: {error}"
        ) from None


def _where(template: Template, first: int, error: BaseException) -> str:
    """``file:line`` of the template line being rendered when ``error`` happened (Jinja
    rewrites tracebacks so that template lines appear as frames of "<template>")."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    location = str(template.path or template.name)
    return f"{location}:{first + line - 1}" if line else location


def tidy(text: str) -> str:
    """Trailing spaces and stray blank lines from conditional blocks removed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    cleaned: list[str] = []
    for line in lines:
        if not line and cleaned and not cleaned[-1]:
            continue
        cleaned.append(line)
    return "\n".join(cleaned).strip("\n")


def render(template: Template, context: dict[str, Any], variant: str) -> tuple[str | None, str]:
    """(subject, body) of one variant of ``template`` for ``context``."""
    context = {**context, "variant": variant}
    source = template.subject_for(variant)
    subject = None
    if source:
        subject = " ".join(render_text(template, source, context, "subject").split())
    body = tidy(render_text(template, template.body, context, "body"))
    return subject, body


# --- the built-in sample, for `templates check` ---------------------------------------------

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
}
SAMPLE_PROSPECT = {
    "id": 1,
    "name": "Dana Reyes",
    "first_name": "Dana",
    "email": "dana@acme.example",
    "phone": "+1 555 0142",
    "company": "Acme",
    "title": "VP Operations",
    "stage": "proposal",
    "timezone": "America/Chicago",
    "country": "US",
    "channel": "email",
    "value": 24000,
    "priority": "normal",
    "tags": ["saas"],
    "referred_by": "Lee Park",
    "relationship": "repeat",
    "birthday": "--04-12",
    "anniversary": "2019-06-03",
    "linkedin": "https://www.linkedin.com/in/dana-reyes-example",
    "key_points": "Needs pricing for 40 seats before the May budget review",
    "competitors": "Globex",
    "decision_makers": "Chris Lowe (CFO)",
    "personal": "Training for the Chicago marathon",
    "notes": "Rolling out a new warehouse system in Q3; budget review in May",
}
SAMPLE_ME = {
    "name": "Sam Ortiz",
    "first_name": "Sam",
    "company": "Northwind",
    "title": "Account Executive",
    "phone": "+1 555 0100",
    "email": "sam@northwind.example",
    "signature": "Sam Ortiz\nAccount Executive, Northwind\n+1 555 0100",
}


def sample_context(template: Template, *, bare: bool = False) -> tuple[dict[str, Any], list[str]]:
    """A context for the built-in sample prospect, and what is specific to her.

    A custom field the template needs that the sample lacks gets a readable stand-in
    ("the budget owner" for ``budget_owner``). ``bare`` leaves out the last touch and,
    unless the template needs it, the value item: optional parts must be guarded.
    """
    fields = dict(SAMPLE_FIELDS)
    for need in template.needs:
        if "." not in need and need not in fields:
            fields[need] = "the " + need.replace("_", " ")
    value = None
    if not bare or any(need.startswith("value.") for need in template.needs):
        value = Fields(
            "value",
            {
                "id": 1,
                "title": "2026 Accounts Payable Benchmark",
                "url": "https://northwind.example/ap-benchmark",
                "kind": "report",
                "tags": ["saas"],
            },
        )
    last_touch = None
    if not bare:
        last_touch = Fields(
            "last_touch",
            {
                "channel": "call",
                "outcome": "replied",
                "note": "wants pricing for 40 seats before the May budget review",
                "when": "three days ago",
                "at": "2026-11-20T16:00:00Z",
            },
        )
    context: dict[str, Any] = {
        **fields,
        "prospect": Fields("prospect", {**SAMPLE_PROSPECT, "fields": dict(fields)}),
        "me": Fields("me", dict(SAMPLE_ME)),
        "last_touch": last_touch,
        "step": Fields("step", {"number": 3, "purpose": template.purpose, "channel": "email"}),
        "cadence": Fields("cadence", {"name": "post-discovery"}),
        "value": value,
        "slots": ["Tuesday 10:00", "Wednesday 14:00"],
        "slots_text": "Tuesday 10:00 or Wednesday 14:00 your time",
        "since_last_conversation": "two weeks",
        "touch_count": 3,
    }
    specifics = [
        str(SAMPLE_PROSPECT[key])
        for key in ("company", "title", "referred_by", "key_points", "competitors", "notes")
    ]
    specifics += list(fields.values())
    return context, specifics


def check_all(names: list[str] | None = None) -> tuple[list[str], int]:
    """Every problem in the templates (default: all): front matter, Jinja syntax, and,
    rendered for the built-in sample prospect in every variant, every follow-up rule."""
    from followup_cli.checks import check_message

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
                findings = check_message(
                    body, channel=template.channel, subject=subject, specifics=specifics
                )
                problems += [f"{label}: {f.code}: {f.message}" for f in findings]
                if re.search(r"\bNone\b", body):
                    problems.append(f"{label}: prints None: guard the optional value")
    return list(dict.fromkeys(problems)), len(targets)
