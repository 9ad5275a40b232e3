"""One mail message, read with the standard library's ``email`` package (``policy.default``):
the headers first (all most messages need), the body only when a rule has to read it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from functools import cached_property

from followup_cli.mail.address import addresses_in

_HEADERS = BytesParser(policy=policy.default)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_TAG = re.compile(r"<[^>]*>")
# The headers that identify a message without a Message-ID, for its stand-in key.
_IDENTITY = ("From", "To", "Cc", "Date", "Subject")


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):  # a header too broken to parse
        value = msg.get_all(name, failobj=[""])
    return "" if value is None else str(value)


def ids_in(text: str) -> list[str]:
    """The ``<...>`` message ids in a References or In-Reply-To value, in order."""
    return _MESSAGE_ID.findall(text or "")


@dataclass
class Mail:
    """A message as found in a mailbox; ``origin`` says where (a file, an IMAP folder)."""

    raw: bytes
    origin: str
    fallback_at: datetime | None = None  # the file's or the server's date, if Date is missing
    headers: EmailMessage = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.headers = _HEADERS.parsebytes(self.raw, headersonly=True)

    def get(self, name: str) -> str:
        return _header(self.headers, name).strip()

    @cached_property
    def message_id(self) -> str | None:
        found = ids_in(self.get("Message-ID"))
        return found[0] if found else None

    @cached_property
    def key(self) -> str:
        """What makes the message the same message wherever it is found: its Message-ID,
        or a hash of the headers that identify it when it has none."""
        if self.message_id:
            return self.message_id
        identity = "\n".join(self.get(name) for name in _IDENTITY)
        return "sha1:" + hashlib.sha1(identity.encode("utf-8", "replace")).hexdigest()

    @cached_property
    def at(self) -> datetime | None:
        text = self.get("Date")
        try:
            moment = parsedate_to_datetime(text) if text else None
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is None:
            return self.fallback_at
        if moment.tzinfo is None:  # RFC 5322's -0000: the time is UTC, the zone unknown
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    @cached_property
    def sender(self) -> str | None:
        found = addresses_in(self.get("From"))
        return found[0] if found else None

    @cached_property
    def recipients(self) -> list[str]:
        return addresses_in(self.get("To"), self.get("Cc"), self.get("Bcc"))

    @cached_property
    def subject(self) -> str:
        return " ".join(self.get("Subject").split())

    @cached_property
    def references(self) -> list[str]:
        chain = ids_in(self.get("References"))
        for parent in ids_in(self.get("In-Reply-To")):
            if parent not in chain:
                chain.append(parent)
        return chain

    @cached_property
    def full(self) -> EmailMessage:
        """The whole message, body and attachments parsed (only when a rule needs them)."""
        return BytesParser(policy=policy.default).parsebytes(self.raw)

    @cached_property
    def content_type(self) -> str:
        return self.headers.get_content_type()

    def text(self, limit: int = 20_000) -> str:
        """The readable text of the body (plain parts first, else HTML without tags)."""
        plain: list[str] = []
        html: list[str] = []
        for part in self.full.walk():
            if part.is_multipart() or part.get_content_maintype() != "text":
                continue
            if part.get_content_disposition() == "attachment":
                continue
            try:
                content = part.get_content()
            except (LookupError, ValueError, AssertionError, KeyError):
                payload = part.get_payload(decode=True) or b""
                content = payload.decode("utf-8", "replace")
            (html if part.get_content_subtype() == "html" else plain).append(str(content))
            if sum(map(len, plain)) > limit:
                break
        body = "\n".join(plain) or _TAG.sub(" ", "\n".join(html))
        return body[:limit]
