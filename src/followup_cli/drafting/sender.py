"""The sender profile (`followup me`): who signs the drafts.

Stored as one JSON object in the ``meta`` table under the key ``me``. ``first_name`` is
derived from the name, and the signature defaults to the name.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, fields
from typing import Any

from followup_cli import store
from followup_cli.core.errors import FollowupError
from followup_cli.pipeline.prospect import first_name_of

META_KEY = "me"
# What `followup me` sets, in the order `followup me` shows them.
DETAILS = ("name", "company", "title", "phone", "email", "signature")


class InvalidSender(FollowupError):
    """A sender detail that cannot be stored as given."""


@dataclass(frozen=True)
class Sender:
    """Who signs the drafts (`followup me`)."""

    name: str | None = None
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    signature: str | None = None  # as typed; `signature_text` falls back to the name

    @property
    def first_name(self) -> str | None:
        return first_name_of(self.name) if self.name else None

    @property
    def signature_text(self) -> str | None:
        return self.signature or self.name

    def is_empty(self) -> bool:
        return not any(getattr(self, key) for key in DETAILS)

    def template_values(self) -> dict[str, str]:
        """What templates see as ``me.*``: only details that are set (a missing one is
        an error naming the command to set it, never a blank)."""
        values = {key: getattr(self, key) for key in DETAILS}
        values["signature"] = self.signature_text
        values["first_name"] = self.first_name
        return {key: value for key, value in values.items() if value}

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data["first_name"] = self.first_name
        data["signature"] = self.signature_text
        return data


def load(conn: sqlite3.Connection) -> Sender:
    """The stored profile (an empty one when `followup me` was never run)."""
    data = store.get_meta(conn, META_KEY) or {}
    known = {f.name for f in fields(Sender)}
    return Sender(**{key: value for key, value in data.items() if key in known})


def update(conn: sqlite3.Connection, changes: dict[str, str | None]) -> Sender:
    """Apply the given details (None: unchanged; "": cleared) in the caller's transaction."""
    current = asdict(load(conn))
    for key, value in changes.items():
        if value is None:
            continue
        if key not in DETAILS:
            raise InvalidSender(f"Unknown sender detail {key!r}: use one of {', '.join(DETAILS)}.")
        current[key] = _clean(key, value)
    if not current.get("name") and any(current.values()):
        raise InvalidSender(
            'Your name signs every draft: set it too, e.g. followup me --name "Sam Ortiz".'
        )
    store.set_meta(conn, META_KEY, {key: value for key, value in current.items() if value})
    return load(conn)


def _clean(key: str, value: str) -> str | None:
    if key == "signature":
        # `--signature "Sam Ortiz\nNorthwind"` gives a two-line signature.
        value = value.replace("\\n", "\n")
        lines = [line.rstrip() for line in value.strip().splitlines()]
        return "\n".join(lines) or None
    value = " ".join(value.split())
    if not value:
        return None
    if key == "email":
        value = value.lower()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise InvalidSender(f"{value!r} is not an email address: use e.g. sam@northwind.com.")
    return value
