"""Reading an IMAP account, read-only: folders are opened with EXAMINE and messages fetched
with BODY.PEEK, so no flag is ever set, and nothing is moved or deleted. A sync asks only
for UIDs above the last one read, while the folder's UIDVALIDITY stays the same.

IMAPClient rather than ``imaplib``: it parses the server's responses (folder flags,
FETCH data) into Python values, finds the Sent folder by its special-use flag (RFC 6154),
and raises typed errors; imaplib leaves all of that to the caller.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from followup_cli.core.errors import InvalidValue
from followup_cli.mail.accounts import MailAccount, password
from followup_cli.mail.message import Mail

BATCH = 500  # messages per FETCH


@dataclass
class Folder:
    """What one folder gave: its UIDVALIDITY, the highest UID read, and the new messages."""

    name: str
    uidvalidity: int
    last_uid: int
    mails: list[Mail] = field(default_factory=list)


def read(account: MailAccount, states: dict[str, tuple[int, int]]) -> Iterator[Folder]:
    """The new messages of each folder of ``account`` (``states``: folder → UIDVALIDITY and
    the last UID read before)."""
    from imapclient import IMAPClient
    from imapclient.exceptions import IMAPClientError, LoginError

    if not account.host or not account.user:
        raise InvalidValue(f"mail account {account.name!r}: an imap account needs host and user.")
    port = account.port or (993 if account.tls else 143)
    try:
        client = IMAPClient(account.host, port=port, ssl=account.tls, timeout=60)
    except (OSError, ssl.SSLError) as error:
        raise InvalidValue(
            f"mail account {account.name!r}: cannot reach {account.host}:{port} ({error})."
        ) from None
    try:
        try:
            client.login(account.user, password(account))
        except LoginError:
            raise InvalidValue(
                f"mail account {account.name!r}: {account.host} refused the login for "
                f"{account.user}: check user and password_command."
            ) from None
        for name in account.folders or _default_folders(client):
            yield _folder(client, name, states.get(name))
    except IMAPClientError as error:
        raise InvalidValue(f"mail account {account.name!r}: the server said {error}.") from None
    except OSError as error:
        raise InvalidValue(
            f"mail account {account.name!r}: the connection broke ({error})."
        ) from None
    finally:
        with contextlib.suppress(Exception):  # logging out of a broken connection may fail
            client.logout()


def _default_folders(client) -> list[str]:
    from imapclient.imapclient import SENT

    names = ["INBOX"]
    sent = client.find_special_folder(SENT)
    if sent and sent not in names:
        names.append(sent)
    return names


def _folder(client, name: str, state: tuple[int, int] | None) -> Folder:
    from imapclient.exceptions import IMAPClientError

    try:
        info = client.select_folder(name, readonly=True)  # EXAMINE: read-only
    except IMAPClientError:
        raise InvalidValue(
            f"There is no folder {name!r} on the server: fix folders in config.toml."
        ) from None
    validity = int(info.get(b"UIDVALIDITY", 0))
    after = state[1] if state and state[0] == validity else 0
    found = Folder(name, validity, after)
    uids = sorted(uid for uid in client.search(["UID", f"{after + 1}:*"]) if uid > after)
    for start in range(0, len(uids), BATCH):
        chunk = uids[start : start + BATCH]
        for uid, data in sorted(client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"]).items()):
            raw = data.get(b"BODY[]")
            if raw is None:
                continue
            internal = data.get(b"INTERNALDATE")
            if isinstance(internal, datetime):
                internal = internal.astimezone(UTC)  # IMAPClient gives local time, naive
            found.mails.append(Mail(raw, f"imap:{name}/{uid}", internal))
            found.last_uid = max(found.last_uid, uid)
    return found
