"""Where a follow-up email goes in the conversation: under the last message with the
prospect that a mail sync logged (``In-Reply-To`` and ``References``, RFC 5322 3.6.4)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from followup_cli.store import mail as mail_rows


@dataclass(frozen=True)
class Thread:
    in_reply_to: str
    references: tuple[str, ...]  # the whole chain, the parent last


def thread_of(conn: sqlite3.Connection, prospect_id: int) -> Thread | None:
    """The thread to reply in, or None when no mail with this prospect was logged."""
    found = mail_rows.thread_of(conn, prospect_id)
    if found is None:
        return None
    parent, earlier = found
    chain = [ref for ref in earlier if ref != parent] + [parent]
    return Thread(parent, tuple(chain[-20:]))
