"""The engine that renders a template: Jinja2's sandbox with a strict undefined (printing
anything that is not set is an error, never an empty string), and tidy output.
"""

from __future__ import annotations

import functools
from typing import Any

from followup_cli.drafting.template_model import (
    Fields,
    InvalidTemplate,
    MissingValues,
    Template,
    TemplateRenderError,
    UnsafeTemplate,
)


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

    class Budgeted(SandboxedEnvironment):
        """The sandbox, with ``*``/``**``/``+`` checked so one expression cannot build a
        gigabyte string or a number with a million digits."""

        intercepted_binops = frozenset({"*", "**", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and _big_power(left, right):
                raise TemplateBudget(f"{left!r} ** {right!r} is too large a number")
            if operator == "*" and _too_long(left, right):
                raise TemplateBudget(f"repeating a value {right!r} times is too large")
            result = super().call_binop(context, operator, left, right)
            if isinstance(result, str | list | tuple) and len(result) > MAX_CHARS:
                raise TemplateBudget(f"a value of {len(result):,} characters is too large")
            return result

    env = Budgeted(undefined=Strict, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.globals["range"] = _counted_range
    env.followup_unset = _Unset  # type: ignore[attr-defined]
    return env


# --- the budget: a draft is a few paragraphs, rendered in well under a second ------------------

MAX_CHARS = 100_000  # the longest draft (or value inside one) a template may produce
MAX_LOOPS = 100_000  # iterations of range() in one render
MAX_SECONDS = 2.0  # of this thread's CPU time: a busy machine's neighbours do not count


class TemplateBudget(Exception):
    """A template went over its time or size budget (turned into TemplateRenderError)."""


_spent = {"loops": 0, "started": 0.0}


def _check_time() -> None:
    import time

    if time.thread_time() - _spent["started"] > MAX_SECONDS:
        raise TemplateBudget(f"it ran for more than {MAX_SECONDS:g} seconds")


def _counted_range(*args: int) -> Any:
    """``range`` for templates: every step counts against the render's budget."""
    for number in range(*args):
        _spent["loops"] += 1
        if _spent["loops"] > MAX_LOOPS:
            raise TemplateBudget(f"its loops ran more than {MAX_LOOPS:,} times")
        if _spent["loops"] % 1000 == 0:
            _check_time()
        yield number


def _big_power(left: Any, right: Any) -> bool:
    import math

    if not isinstance(left, int | float) or not isinstance(right, int | float):
        return False
    if abs(left) <= 1 or right <= 0:
        return False
    return right * math.log10(abs(left)) > 300


def _too_long(left: Any, right: Any) -> bool:
    for value, times in ((left, right), (right, left)):
        if isinstance(value, str | list | tuple) and isinstance(times, int):
            return len(value) * times > MAX_CHARS
    return False


def _rendered(compiled: Any, context: dict[str, Any]) -> str:
    """Render chunk by chunk, stopping as soon as the time or size budget is spent."""
    import time

    _spent.update(loops=0, started=time.thread_time())
    pieces: list[str] = []
    size = 0
    for piece in compiled.generate(context):
        pieces.append(piece)
        size += len(piece)
        if size > MAX_CHARS:
            raise TemplateBudget(f"it wrote more than {MAX_CHARS:,} characters")
        _check_time()
    return "".join(pieces)


@functools.lru_cache(maxsize=256)
def compiled(source: str) -> Any:
    """``source`` compiled in the sandbox, once per process (raises TemplateSyntaxError)."""
    return environment().from_string(source)


def render_text(template: Template, source: str, context: dict[str, Any], where: str) -> str:
    """Render one piece of a template (its body or a subject) in the sandbox."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = environment()
    first = template.body_line if where == "body" else template.subject_line
    try:
        return _rendered(compiled(source), context)
    except TemplateBudget as error:
        raise TemplateRenderError(
            f"{_where(template, first, error)}: template {template.name} went over its budget "
            f"({error}); a draft is a short message: fix the template."
        ) from None
    except RecursionError:
        raise TemplateRenderError(
            f"{template.path or template.name}: template {template.name} calls itself without "
            "end (a recursive macro or loop): fix the template."
        ) from None
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
