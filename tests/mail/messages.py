"""Messages built the way mail clients and servers write them, and Maildir folders to put
them in (the message text is ours; the header fields and structure follow the RFCs)."""

from __future__ import annotations

import itertools
import mailbox
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

DENVER = ZoneInfo("America/Denver")
ME = "sam@northwind.example"
_serial = itertools.count(1)


def message(
    *,
    sender: str,
    to: str,
    subject: str,
    at: str,
    body: str = "Thanks, see the attached notes.",
    message_id: str | None = "auto",
    headers: dict[str, str] | None = None,
    in_reply_to: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.fromisoformat(at).replace(tzinfo=DENVER))
    if message_id == "auto":
        message_id = f"<m{next(_serial)}@test.example>"
    if message_id:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg


def dsn(*, recipient: str, status: str, at: str, action: str = "failed") -> EmailMessage:
    """An RFC 3464 delivery status notification, laid out as Postfix sends one."""
    when = format_datetime(datetime.fromisoformat(at).replace(tzinfo=DENVER))
    said = "550 5.1.1 no such mailbox" if status.startswith("5") else "452 4.2.2 over quota"
    raw = f"""From: MAILER-DAEMON@mx.northwind.example (Mail Delivery System)
To: {ME}
Subject: Undelivered Mail Returned to Sender
Date: {when}
Message-ID: <dsn{next(_serial)}@mx.northwind.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

The mail system at mx.northwind.example could not hand your message over.
<{recipient}>: the receiving server answered: {said}

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.northwind.example

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {said}

--B1
Content-Type: text/rfc822-headers

From: {ME}
To: {recipient}
Subject: Proposal

--B1--
"""
    return message_from_bytes(raw.encode(), policy=policy.default)  # type: ignore[return-value]


class Maildir:
    """A Maildir folder on disk, as mbsync or offlineimap keeps one."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(path, create=True)

    def add(self, msg: EmailMessage, *, seen: bool = False) -> str:
        entry = mailbox.MaildirMessage(msg.as_bytes())
        if seen:
            entry.set_subdir("cur")
            entry.add_flag("S")
        return self.box.add(entry)
