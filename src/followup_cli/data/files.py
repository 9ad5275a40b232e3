"""Writing the files people take away (exports, rejects, calendars): all at once, through a
temporary file beside the target renamed into place, readable by the owner only. And the
other way: standard input kept as a file, so `import -` reads it like any other.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from followup_cli.core.errors import FollowupError


class ExportFailed(FollowupError):
    pass


@contextlib.contextmanager
def atomic_text(path: Path, newline: str = "") -> Iterator[IO[str]]:
    """Write ``path`` all at once: a crash never leaves half a file, and only the owner
    can read it (it holds people's details)."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportFailed(f"{path} is a directory: give a file name, e.g. {path}/export.csv")
    if not path.parent.is_dir():
        raise ExportFailed(f"The folder {path.parent} does not exist: create it, or pick another.")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ExportFailed(f"Cannot write in {path.parent}: {error.strerror}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            yield out
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def spooled_stdin(stream: IO[bytes], fmt: str | None) -> Iterator[Path]:
    """Standard input as a private temporary file named ``stdin.csv`` (or ``stdin.json``
    with ``fmt`` json, or when the data starts with ``[`` or ``{``), gone afterwards."""
    data = stream.read()
    kind = fmt or ("json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{") else "csv")
    with tempfile.TemporaryDirectory(prefix="followup-stdin-") as folder:
        path = Path(folder) / f"stdin.{kind}"
        path.write_bytes(data)
        yield path
