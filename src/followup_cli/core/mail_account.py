"""One ``[[mail.accounts]]`` entry of ``config.toml``, as ``core.settings`` checks it: its own
module, so a command run without mail accounts does not build the class."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MailAccount:
    """One ``[[mail.accounts]]`` entry. ``paths`` gives a local account's files and folders
    (``path`` and ``folders``, with ``~`` expanded); an IMAP account uses ``folders`` as
    mailbox names (empty: find Inbox and Sent by their special-use flags)."""

    name: str
    kind: str
    path: Path | None = None
    folders: tuple[str, ...] = ()
    host: str | None = None
    port: int | None = None
    user: str | None = None
    tls: bool = True
    password_command: str | None = None
    keyring: bool = False
    line: int = 0  # where the account starts in config.toml, for errors found later

    @property
    def paths(self) -> tuple[Path, ...]:
        if self.kind == "imap":
            return ()
        found = [self.path] if self.path else []
        return tuple(found + [Path(folder).expanduser() for folder in self.folders])
