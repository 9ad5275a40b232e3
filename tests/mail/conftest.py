"""Mail fixtures: the user's config (their own addresses, accounts) and Maildir folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from messages import ME, Maildir


@pytest.fixture
def config(isolated):
    """Writes config.toml (the user's own addresses first) and returns its path."""
    path = isolated / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(extra: str = "") -> Path:
        path.write_text(
            f'[me]\naddresses = ["{ME}", "sam.lee@gmail.com"]\n\n{extra}', encoding="utf-8"
        )
        return path

    write()
    return write


@pytest.fixture
def inbox(isolated):
    return Maildir(isolated / "Mail" / "INBOX")


@pytest.fixture
def sent(isolated):
    return Maildir(isolated / "Mail" / "Sent")


@pytest.fixture(scope="session")
def dovecot_server():
    """A real Dovecot IMAP server on 127.0.0.1 (`.ci/run` installs dovecot-imapd)."""
    import dovecot

    binary = dovecot.available()
    if binary is None:
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a broken CI
            pytest.fail("dovecot is not installed: .ci/run must apt-get install dovecot-imapd")
        pytest.skip("dovecot is not installed: apt-get install -y dovecot-imapd")
    server = dovecot.start(binary)
    yield server
    dovecot.stop(server)


@pytest.fixture
def imap(dovecot_server):
    """The server with an empty INBOX and Sent for this test."""
    client = dovecot_server.client()
    for folder in ("INBOX", "Sent"):
        client.select_folder(folder)
        uids = client.search(["ALL"])
        if uids:
            client.delete_messages(uids)
            client.expunge()
    client.close_folder()
    client.logout()
    return dovecot_server
