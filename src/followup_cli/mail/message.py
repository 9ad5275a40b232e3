"""One mail message, read with the standard library's ``email`` package: the headers
first (all most messages need), the body only when a rule has to read it.

Both are parsed with ``policy.compat32``, header values decoded with ``email.header`` and
``email.utils`` as the rules ask for them, and text parts with their own charset.
``policy.default`` builds a header object for every header it is asked about (each part's
Content-Type several times while walking a message): measured, 3.5 ms of the 4 ms a
message took in a 1,000-message sync, and most of the time spent on the bounces and
out-of-office replies of a 50,000-message one. Nothing here needs those objects.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parsedate_to_datetime
from functools import cached_property

from followup_cli.mail.address import addresses_in

_HEADERS = BytesHeaderParser(policy=policy.compat32)
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_TAG = re.compile(r"<[^>]*>")
# The headers that identify a message without a Message-ID, for its stand-in key.
_IDENTITY = ("From", "To", "Cc", "Date", "Subject")


_PARAM = re.compile(r';\s*([\w-]+)\s*=\s*"?([^";]*)"?')


def _decoded(value: str) -> str:
    """A raw header value unfolded, with RFC 2047 encoded words decoded."""
    value = value.replace("\r\n", "").replace("\n", "")
    if not value.isascii():  # raw 8-bit (UTF-8) bytes in a header, as many clients send
        value = value.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeError, HeaderParseError):
        return value


def ids_in(text: str) -> list[str]:
    """The ``<...>`` message ids in a References or In-Reply-To value, in order."""
    return _MESSAGE_ID.findall(text or "")


@dataclass
class Mail:
    """A message as found in a mailbox; ``origin`` says where (a file, an IMAP folder)."""

    raw: bytes
    origin: str
    fallback_at: datetime | None = None  # the file's or the server's date, if Date is missing

    def __post_init__(self) -> None:
        end = _BLANK_LINE.search(self.raw)
        block = self.raw[: end.end()] if end else self.raw
        raw: dict[str, str] = {}
        for key, value in _HEADERS.parsebytes(block).raw_items():
            raw.setdefault(key.lower(), str(value))  # the first of a repeated header
        self._raw = raw

    def get(self, name: str) -> str:
        value = self._raw.get(name.lower())
        return _decoded(value).strip() if value else ""

    def _addresses(self, *names: str) -> list[str]:
        # Undecoded: an encoded display name may hold a comma once decoded.
        raw = (self._raw.get(n.lower(), "").replace("\r\n", "").replace("\n", "") for n in names)
        return addresses_in(*raw)

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
        found = self._addresses("From")
        return found[0] if found else None

    @cached_property
    def recipients(self) -> list[str]:
        return self._addresses("To", "Cc", "Bcc")

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
    def full(self) -> Message:
        """The whole message, body and attachments parsed (only when a rule needs them)."""
        return BytesParser(policy=policy.compat32).parsebytes(self.raw)

    @cached_property
    def content_type(self) -> str:
        kind = self.get("Content-Type").split(";", 1)[0].strip().lower()
        return kind if "/" in kind else "text/plain"

    def param(self, name: str) -> str:
        """A parameter of the Content-Type header (``report-type``), lower-cased."""
        for key, value in _PARAM.findall(self.get("Content-Type")):
            if key.lower() == name:
                return value.strip().lower()
        return ""

    def text(self, limit: int = 20_000) -> str:
        """The readable text of the body (plain parts first, else HTML without tags)."""
        plain: list[str] = []
        html: list[str] = []
        for part in self.full.walk():
            if part.is_multipart() or part.get_content_maintype() != "text":
                continue
            if part.get_content_disposition() == "attachment":
                continue
            content = _text_of(part)
            (html if part.get_content_subtype() == "html" else plain).append(content)
            if sum(map(len, plain)) > limit:
                break
        body = "\n".join(plain) or _TAG.sub(" ", "\n".join(html))
        if not body.strip():  # a broken MIME structure (an unindented boundary=, as some
            # SMS gateways send): the body as it stands is the best reading there is
            end = _BLANK_LINE.search(self.raw)
            body = self.raw[end.end() if end else 0 :].decode("utf-8", "replace")
        return body[:limit]


def _text_of(part: Message) -> str:
    """A text part's content: transfer encoding undone, decoded with its charset (UTF-8
    when it names none or one Python does not know)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    charset = str(part.get_content_charset() or "utf-8")
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")
