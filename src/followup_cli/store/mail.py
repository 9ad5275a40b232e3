"""What mail sync remembers: the messages that became touches (by Message-ID, for
idempotence and threading), the files and IMAP UIDs already read, each sync as one batch,
and the addresses that bounced for good."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from followup_cli.store import journal

journal.track("mail_syncs")
journal.track("mail_messages", "prospect_id")
journal.track("mail_seen")
journal.track("mail_folders")
journal.track("mail_bad_addresses")


def prospect_addresses(conn: sqlite3.Connection) -> Iterator[tuple[int, str, str]]:
    """(id, email, name) of every prospect with an email address."""
    yield from conn.execute("SELECT id, email, name FROM prospects WHERE email IS NOT NULL")


def logged_keys(conn: sqlite3.Connection) -> set[tuple[str, int]]:
    """(message key, prospect id) of every message already logged as a touch."""
    rows = conn.execute("SELECT message_key, prospect_id FROM mail_messages")
    return {(key, prospect_id) for key, prospect_id in rows}


def seen_keys(conn: sqlite3.Connection, account: str) -> set[str]:
    rows = conn.execute("SELECT key FROM mail_seen WHERE account = ?", [account])
    return {key for (key,) in rows}


def seen_marks(conn: sqlite3.Connection, account: str, prefix: str) -> set[str]:
    """The seen keys that start with ``prefix`` (a range of the unique index)."""
    rows = conn.execute(
        "SELECT key FROM mail_seen WHERE account = ? AND key >= ? AND key < ?",
        [account, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)],
    )
    return {key for (key,) in rows}


def add_seen(conn: sqlite3.Connection, account: str, keys: Iterable[str], sync_id: int) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO mail_seen (account, key, sync_id) VALUES (?, ?, ?)",
        [(account, key, sync_id) for key in keys],
    )


def folder_states(conn: sqlite3.Connection, account: str) -> dict[str, tuple[int, int]]:
    """IMAP folder → (UIDVALIDITY, last UID read)."""
    rows = conn.execute(
        "SELECT folder, uidvalidity, last_uid FROM mail_folders WHERE account = ?", [account]
    )
    return {folder: (validity, last) for folder, validity, last in rows}


def set_folder_state(
    conn: sqlite3.Connection, account: str, folder: str, uidvalidity: int, last_uid: int
) -> None:
    conn.execute(
        "INSERT INTO mail_folders (account, folder, uidvalidity, last_uid) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
        "last_uid = excluded.last_uid",
        [account, folder, uidvalidity, last_uid],
    )


def start_sync(conn: sqlite3.Connection, account: str, started_at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO mail_syncs (account, started_at) VALUES (?, ?)", [account, started_at]
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def finish_sync(conn: sqlite3.Connection, sync_id: int, seen: int, logged: int) -> None:
    conn.execute(
        "UPDATE mail_syncs SET messages_seen = ?, touches_logged = ? WHERE id = ?",
        [seen, logged, sync_id],
    )


def record_message(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    conn.execute(f"INSERT INTO mail_messages ({columns}) VALUES ({marks})", list(values.values()))


def mark_bad(
    conn: sqlite3.Connection, address: str, status: str, at: str, message_key: str, sync_id: int
) -> None:
    conn.execute(
        "INSERT INTO mail_bad_addresses (address, status, at, message_key, sync_id) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(address) DO NOTHING",
        [address, status, at, message_key, sync_id],
    )


def thread_of(conn: sqlite3.Connection, prospect_id: int) -> tuple[str, list[str]] | None:
    """The latest message with a Message-ID to or from this prospect, and its References."""
    row = conn.execute(
        "SELECT message_key, refs FROM mail_messages WHERE prospect_id = ? "
        "AND message_key LIKE '<%' AND kind = 'message' ORDER BY at DESC, rowid DESC LIMIT 1",
        [prospect_id],
    ).fetchone()
    return (row[0], json.loads(row[1] or "[]")) if row else None


def prospects_of_sync(sync_id: int) -> str:
    """SQL selecting the prospects a sync logged touches for (for ``renumber_many``)."""
    return f"SELECT DISTINCT prospect_id FROM mail_messages WHERE sync_id = {int(sync_id)}"


def status(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Per account: the last sync, messages read, touches logged."""
    return conn.execute(
        """SELECT account, max(started_at) AS last_sync, sum(messages_seen) AS seen,
                  sum(touches_logged) AS logged, count(*) AS syncs
           FROM mail_syncs GROUP BY account ORDER BY account"""
    ).fetchall()


def bad_address_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM mail_bad_addresses").fetchone()[0]
