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

from pathlib import Path
from typing import Any

from followup_cli.core.library import template_files
from followup_cli.drafting.template_check import check_file

# The template's model and engine, re-exported: `templates` is what drafting code imports.
from followup_cli.drafting.template_engine import environment as environment
from followup_cli.drafting.template_engine import render as render
from followup_cli.drafting.template_engine import render_text as render_text
from followup_cli.drafting.template_engine import tidy as tidy
from followup_cli.drafting.template_model import CONTEXT_NAMES as CONTEXT_NAMES
from followup_cli.drafting.template_model import NEED_ROOTS as NEED_ROOTS
from followup_cli.drafting.template_model import TEMPLATE_CHANNELS as TEMPLATE_CHANNELS
from followup_cli.drafting.template_model import Fields as Fields
from followup_cli.drafting.template_model import FollowupError as FollowupError
from followup_cli.drafting.template_model import (
    InvalidTemplate,
    Template,
    TemplateNotFound,
    origin_of,
)
from followup_cli.drafting.template_model import MissingValues as MissingValues
from followup_cli.drafting.template_model import TemplateRenderError as TemplateRenderError
from followup_cli.drafting.template_model import UnsafeTemplate as UnsafeTemplate

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
