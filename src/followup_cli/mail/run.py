"""A sync, start to finish: read what is new (outside the write lock), then decide and log
it in one transaction, recorded as one batch; ``dry_run`` rolls it all back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from pathlib import Path

from followup_cli import store
from followup_cli.core.errors import InvalidValue
from followup_cli.mail import sources
from followup_cli.mail.accounts import MailAccount, MailSettings
from followup_cli.mail.message import Mail
from followup_cli.mail.sync import Book, SyncResult, apply, check_addresses
from followup_cli.scheduling import cadence as cadences
from followup_cli.store import journal
from followup_cli.store import mail as mail_rows

IMPORT_ACCOUNT = "import"  # what `followup mail import PATH...` records its files under


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so nothing it wrote stays."""


def import_paths(
    conn: sqlite3.Connection,
    paths: list[Path],
    settings: MailSettings,
    *,
    now: datetime,
    user_tz: tzinfo,
    dry_run: bool = False,
    account: str = IMPORT_ACCOUNT,
) -> SyncResult:
    """Log what the Maildir folders, mbox files and .eml files under ``paths`` mean."""
    check_addresses(settings.addresses)
    seen = sources.Seen(
        mail_rows.seen_marks(conn, account, sources.MARK),
        lambda: mail_rows.seen_keys(conn, account),
    )
    found, skipped = sources.find(paths, seen)
    result = SyncResult(account, dry_run, skipped=skipped)

    def mails() -> Iterator[Mail]:
        for source in found:
            yield from sources.messages(source)

    def finish(sync_id: int) -> None:
        mail_rows.add_seen(conn, account, (source.key for source in found), sync_id)

    _in_one_batch(conn, result, mails(), settings, now, user_tz, finish)
    return result


def sync_account(
    conn: sqlite3.Connection,
    account: MailAccount,
    settings: MailSettings,
    *,
    now: datetime,
    user_tz: tzinfo,
    dry_run: bool = False,
) -> SyncResult:
    if account.kind in ("maildir", "mbox"):
        if account.path is None:
            raise InvalidValue(f"mail account {account.name!r} needs a path (its Maildir or mbox).")
        # Folders are read under path (an absolute folder stands for itself).
        paths = [account.path / Path(f).expanduser() for f in account.folders] or [account.path]
        return import_paths(
            conn, paths, settings, now=now, user_tz=user_tz, dry_run=dry_run, account=account.name
        )
    from followup_cli.mail import imap

    check_addresses(settings.addresses)
    folders = list(imap.read(account, mail_rows.folder_states(conn, account.name)))
    result = SyncResult(account.name, dry_run)

    def finish(_sync_id: int) -> None:
        for folder in folders:
            mail_rows.set_folder_state(
                conn, account.name, folder.name, folder.uidvalidity, folder.last_uid
            )

    mails = (mail for folder in folders for mail in folder.mails)
    _in_one_batch(conn, result, mails, settings, now, user_tz, finish)
    return result


def _in_one_batch(
    conn: sqlite3.Connection,
    result: SyncResult,
    mails: Iterable[Mail],
    settings: MailSettings,
    now: datetime,
    user_tz: tzinfo,
    finish,
) -> None:
    try:
        with journal.record(conn, "mail sync", f"mail sync of {result.account}", now=now) as entry:
            result.sync_id = mail_rows.start_sync(conn, result.account, store.to_text(now))
            book = Book(conn, settings.addresses, settings.company_domain_pause)
            with cadences.pinned():  # one look at the cadence files for the whole batch
                apply(conn, result, mails, book, now=now, user_tz=user_tz)
            finish(result.sync_id)
            mail_rows.finish_sync(conn, result.sync_id, result.read, result.logged)
            counts = ", ".join(
                f"{n} {o.replace('_', ' ')}" for o, n in sorted(result.counts().items())
            )
            entry.summary = (
                f"{result.account}: {result.read} messages read, "
                f"{result.logged} touches logged" + (f" ({counts})" if counts else "")
            )
            if result.dry_run:
                raise _DryRun
    except _DryRun:
        result.sync_id = None


def status(conn: sqlite3.Connection) -> tuple[list[sqlite3.Row], int]:
    """Per account (last sync, syncs, messages read, touches logged), and how many
    addresses bounced for good."""
    return mail_rows.status(conn), mail_rows.bad_address_count(conn)
