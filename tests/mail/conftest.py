"""Mail fixtures: the user's config (their own addresses, accounts) and Maildir folders."""

from __future__ import annotations

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
