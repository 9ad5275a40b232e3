"""What a message template is: its front matter as a ``Template``, the names a draft's
context offers, and the errors a template can raise. Reading files is ``templates``'
job, rendering ``template_engine``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.core.library import user_dir
from followup_cli.core.vocab import CONTEXT_NAMES as _CONTEXT_NAMES
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
    "record": {
        "spoke",
        "last_spoke",
        "since_spoke",
        "days_since_spoke",
        "promised",
        "agreed_until",
        "agreed_date",
        "stage",
        "in_stage",
        "weeks_in_stage",
        "relationship",
        "referrals",
        "results",
        "text_consent",
    },
}
# The names every draft provides (in core.vocab: `--set` refuses them as field names).
CONTEXT_NAMES = _CONTEXT_NAMES


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
    """A message template: its channel, purpose, body and the fields it needs."""

    name: str
    channel: str
    purpose: str
    body: str
    subject: str | None = None
    needs: tuple[str, ...] = ()
    variants: dict[str, str | None] = field(default_factory=dict)  # name -> subject override
    ask: str = "one"  # "none": the message means to ask for nothing (front matter `ask: none`)
    path: Path | None = None
    origin: str = "shipped"  # or "yours"
    body_line: int = 1  # the file line the body starts on
    subject_line: int = 1
    # custom field -> its grammatical shape (``shapes.SHAPES``), for needs and optional
    shapes: dict[str, str] = field(default_factory=dict)
    # the stages whose cadences may use it (front matter `stages`; none: any stage)
    stages: tuple[str, ...] = ()
    order: str = "balance"  # variants: "balance" (least sent) or "sequence" (a, b, c per prospect)

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
            "shapes": dict(self.shapes),
            "variants": {name: {"subject": s} if s else {} for name, s in self.variants.items()},
            "stages": list(self.stages),
            "order": self.order,
            "origin": self.origin,
            "path": str(self.path) if self.path else None,
            "body": self.body,
        }


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


def origin_of(path: Path) -> str:
    return "yours" if path.parent == user_dir("templates") else "shipped"
