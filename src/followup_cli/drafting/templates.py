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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.core.library import template_files
from followup_cli.drafting.sender import DETAILS as SENDER_DETAILS
from followup_cli.pipeline.prospect import DETAILS

TEMPLATE_CHANNELS = ("email", "voicemail", "video", "linkedin", "mail", "text")
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


def origin_of(path: Path) -> str:
    from followup_cli.scheduling.cadence import user_dir

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
    from followup_cli.drafting.template_check import (
        check_file,  # here: that module imports this one
    )

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


# --- moved ----------------------------------------------------------------------------------


def __getattr__(name: str) -> Any:
    """``check_file``, ``check_all`` and ``sample_context`` live in ``template_check``
    now; they are still reachable here for existing callers, imported on first use
    because that module imports this one."""
    if name in ("check_file", "check_all", "sample_context"):
        from followup_cli.drafting import template_check

        return getattr(template_check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
