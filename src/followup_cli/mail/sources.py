"""Mail on the user's own disk: Maildir folders (what mbsync, offlineimap and getmail
keep), mbox files (Thunderbird, mutt), single .eml files and folders of them.

Each message comes with a key that says "this file, already read": a Maildir file's key is
its folder and its unique name without the flags after ``:2,`` (a client that marks it read
renames it), so a second sync skips it without opening it. An mbox file is read again only
when its size or time changed; its messages are then told apart by Message-ID.
"""

from __future__ import annotations

import mailbox
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from followup_cli.core.errors import InvalidValue
from followup_cli.mail.message import Mail


@dataclass(frozen=True)
class Source:
    """Messages to read: where from, and the key that marks them as read."""

    key: str
    path: Path
    kind: str  # file (one message), mbox


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def find(paths: list[Path], seen: set[str]) -> tuple[list[Source], int]:
    """The sources under ``paths`` not read before, and how many were skipped as read."""
    found: list[Source] = []
    skipped = 0
    for path in paths:
        path = path.expanduser()
        if not path.exists():
            raise InvalidValue(f"{path} does not exist: give a Maildir folder, mbox or .eml file.")
        for source in _under(path):
            if source.key in seen:
                skipped += 1
            else:
                found.append(source)
    return found, skipped


def _under(path: Path) -> Iterator[Source]:
    if path.is_file():
        yield _file(path)
        return
    if is_maildir(path):
        yield from _maildir(path)
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.name in ("cur", "new", "tmp") and is_maildir(path):
            continue
        child = Path(entry.path)
        if entry.is_dir():
            yield from _under(child)
        elif entry.is_file() and entry.name.endswith(".eml"):
            yield Source(f"file:{child.resolve()}", child, "file")
        elif entry.is_file() and not is_maildir(path) and _looks_like_mbox(child):
            yield _file(child)


def _maildir(folder: Path) -> Iterator[Source]:
    base = folder.resolve()
    for sub in ("new", "cur"):
        with os.scandir(folder / sub) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                unique = entry.name.split(":2,", 1)[0].split("!2,", 1)[0]
                yield Source(f"maildir:{base}/{unique}", Path(entry.path), "file")


def _file(path: Path) -> Source:
    if _looks_like_mbox(path):
        stat = path.stat()
        return Source(f"mbox:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}", path, "mbox")
    return Source(f"file:{path.resolve()}", path, "file")


def _looks_like_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def messages(source: Source) -> Iterator[Mail]:
    """The messages of one source, each with the file's time for a missing Date."""
    try:
        mtime = datetime.fromtimestamp(source.path.stat().st_mtime, UTC)
        if source.kind == "mbox":
            box = mailbox.mbox(source.path, create=False)
            try:
                for key in box.iterkeys():
                    yield Mail(box.get_bytes(key), f"{source.path}#{key}", mtime)
            finally:
                box.close()
        else:
            yield Mail(source.path.read_bytes(), str(source.path), mtime)
    except FileNotFoundError:
        return  # a client renamed it while we read (new → cur): found by its key next time
    except (OSError, mailbox.Error) as error:
        raise InvalidValue(f"{source.path} could not be read ({error}).") from None
