"""Mail on the user's own disk: Maildir folders (what mbsync, offlineimap and getmail
keep), mbox files (Thunderbird, mutt), single .eml files and folders of them.

Each message comes with a key that says "this file, already read": a Maildir file's key is
its folder and its unique name without the flags after ``:2,`` (a client that marks it read
renames it), so a second sync skips it without opening it. A Maildir folder whose ``new/``
and ``cur/`` have not changed (their modification times, which every delivery, rename and
removal changes) since it was last read whole is skipped without comparing its names. An
mbox file is read again only when its size or time changed; its messages are then told
apart by Message-ID.
"""

from __future__ import annotations

import mailbox
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from followup_cli.core.errors import InvalidValue
from followup_cli.mail.message import Mail


@dataclass(frozen=True)
class Source:
    """Messages to read: where from, and the key that marks them as read."""

    key: str
    path: str  # a str, not a Path: 50,000 Path objects cost more than the rest of a resync
    kind: str  # file (one message), mbox, or mark (a Maildir folder read whole: no message)


class Seen:
    """What was read before: the folder marks at once (few), every file's key only when a
    folder has changed (50,000 keys take longer to load than an unchanged resync)."""

    def __init__(self, marks: set[str], load: Callable[[], set[str]]) -> None:
        self.marks = marks
        self._load = load
        self._keys: set[str] | None = None

    def __contains__(self, key: str) -> bool:
        if key.startswith(MARK):
            return key in self.marks
        if self._keys is None:
            self._keys = self._load()
        return key in self._keys


MARK = "maildir-read:"
HOT_SECONDS = 2.0


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def find(paths: list[Path], seen: Seen | set[str]) -> tuple[list[Source], int]:
    """The sources under ``paths`` not read before, and how many messages were skipped as
    read."""
    found: list[Source] = []
    skipped = [0]
    for path in paths:
        path = path.expanduser()
        if not path.exists():
            raise InvalidValue(f"{path} does not exist: give a Maildir folder, mbox or .eml file.")
        for source in _under(path, seen, skipped):
            if source.key in seen:
                skipped[0] += source.kind != "mark"
            else:
                found.append(source)
    return found, skipped[0]


def _under(path: Path, seen: Seen | set[str], skipped: list[int]) -> Iterator[Source]:
    if path.is_file():
        yield _file(path)
        return
    if is_maildir(path):
        yield from _maildir(path, seen, skipped)
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.name in ("cur", "new", "tmp") and is_maildir(path):
            continue
        child = Path(entry.path)
        if entry.is_dir():
            yield from _under(child, seen, skipped)
        elif entry.is_file() and entry.name.endswith(".eml"):
            yield Source(f"file:{child.resolve()}", str(child), "file")
        elif entry.is_file() and not is_maildir(path) and _looks_like_mbox(child):
            yield _file(child)


def _maildir(folder: Path, seen: Seen | set[str], skipped: list[int]) -> Iterator[Source]:
    resolved = folder.resolve()
    # Stat before listing: a message delivered meanwhile changes the time, so is found next.
    stats = [os.stat(folder / sub) for sub in ("new", "cur")]
    mark = f"{MARK}{resolved}:{stats[0].st_mtime_ns}:{stats[1].st_mtime_ns}"
    if mark in seen:
        skipped[0] += sum(
            not name.startswith(".") for sub in ("new", "cur") for name in os.listdir(folder / sub)
        )
        return
    # A folder changed in the last seconds may change again within the same clock tick
    # (same time, new file): read it, but do not mark it as read whole.
    if time.time() - max(s.st_mtime for s in stats) > HOT_SECONDS:
        yield Source(mark, str(folder), "mark")
    base = f"maildir:{resolved}/"
    for sub in ("new", "cur"):
        with os.scandir(folder / sub) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                unique = name.split(":2,", 1)[0].split("!2,", 1)[0]
                yield Source(base + unique, entry.path, "file")


def _file(path: Path) -> Source:
    if _looks_like_mbox(path):
        stat = path.stat()
        key = f"mbox:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        return Source(key, str(path), "mbox")
    return Source(f"file:{path.resolve()}", str(path), "file")


def _looks_like_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def messages(source: Source) -> Iterator[Mail]:
    """The messages of one source, each with the file's time for a missing Date."""
    if source.kind == "mark":
        return
    path = Path(source.path)
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        if source.kind == "mbox":
            box = mailbox.mbox(path, create=False)
            try:
                for key in box.iterkeys():
                    yield Mail(box.get_bytes(key), f"{path}#{key}", mtime)
            finally:
                box.close()
        else:
            yield Mail(path.read_bytes(), source.path, mtime)
    except FileNotFoundError:
        return  # a client renamed it while we read (new → cur): found by its key next time
    except (OSError, mailbox.Error) as error:
        raise InvalidValue(f"{source.path} could not be read ({error}).") from None
