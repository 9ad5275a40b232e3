"""Writing the files people take away (exports, calendars, backups, drafts, reports,
rejects) without ever destroying what is not ours.

- ``-`` is standard output, everywhere a file is written.
- A symlink is written through: its target gets the new content, the link stays.
- A character device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a pipe) is written
  into, never replaced.
- A regular file is written all at once: a temporary file beside it (owner-only, 0600:
  these files hold people's details), flushed to disk, then renamed over it. A full disk,
  a read-only folder or a file held open by another program (Windows) is one clear line,
  and no half or 0-byte file is left behind.
- ``check`` says everything that can be known before anything is written, so a command
  can check all its outputs before its first change.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from followup_cli.core.errors import FollowupError

STDOUT = "-"


class FileNotWritten(FollowupError):
    """An output file cannot be written where the user asked; nothing was written."""


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def target_of(path: Path | str) -> Path:
    """Where the bytes really go: a symlink's final target (it may not exist yet)."""
    given = Path(path).expanduser()
    real = os.path.realpath(given)
    if not os.path.exists(real) and os.path.exists(given):
        return given  # /dev/stdout on a pipe: /proc's links open but do not resolve to a name
    return Path(real)


def _special(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check(path: Path | str, *, example: str = "export.csv") -> Path:
    """Fail now, with the reason, if ``path`` cannot be written; return its real target."""
    if is_stdout(path):
        return Path(STDOUT)
    given = Path(path).expanduser()
    real = target_of(given)
    if real.is_dir():
        raise FileNotWritten(f"{given} is a directory: give a file name, e.g. {given}/{example}")
    if _special(real):
        if not os.access(real, os.W_OK):
            raise FileNotWritten(f"Cannot write {given}: permission denied.")
        return real
    if not real.parent.is_dir():
        raise FileNotWritten(
            f"The folder {given.parent} does not exist: create it, or pick another."
        )
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise FileNotWritten(
            f"Cannot write in {given.parent}: permission denied (or a read-only disk). "
            "Pick another folder."
        )
    return real


def say(error: OSError, path: Path | str) -> str:
    """One line for an OSError met while writing ``path``."""
    if error.errno == errno.ENOSPC or error.errno == getattr(errno, "EDQUOT", -1):
        return f"The disk is full: {path} was not written. Free some space, or write elsewhere."
    if error.errno == errno.EROFS:
        return f"Cannot write {path}: the disk is read-only. Write elsewhere."
    if isinstance(error, PermissionError):
        return (
            f"Cannot write {path}: permission denied, or the file is open in another program. "
            "Close it, or write elsewhere."
        )
    return f"Cannot write {path}: {error.strerror or error}."


@contextlib.contextmanager
def writing(
    path: Path | str, *, binary: bool = False, newline: str = "", example: str = "export.csv"
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing the whole content (see the module docstring)."""
    if is_stdout(path):
        out = sys.stdout.buffer if binary else sys.stdout
        yield out
        out.flush()
        return
    real = check(path, example=example)
    try:
        if _special(real):
            mode = "wb" if binary else "w"
            kwargs = {} if binary else {"encoding": "utf-8", "newline": newline}
            with open(real, mode, **kwargs) as out:  # noqa: SIM115 - a device: written into
                yield out
            return
        handle, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".partial", dir=real.parent)
    except OSError as error:
        raise FileNotWritten(say(error, path)) from None
    try:
        if binary:
            out = os.fdopen(handle, "wb")
        else:
            out = os.fdopen(handle, "w", encoding="utf-8", newline=newline)
        with out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, real)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise FileNotWritten(say(error, path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_bytes(path: Path | str, data: bytes, *, example: str = "file") -> None:
    with writing(path, binary=True, example=example) as out:
        out.write(data)


def write_text(path: Path | str, text: str, *, example: str = "file", newline: str = "") -> None:
    with writing(path, newline=newline, example=example) as out:
        out.write(text)


def copy_into(source: Path, path: Path | str) -> None:
    """Copy the file ``source`` to ``path`` by the same rules (a backup to a device, ``-``)."""
    with writing(path, binary=True) as out, open(source, "rb") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
