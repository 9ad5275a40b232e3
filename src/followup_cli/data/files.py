"""Writing the files people take away (exports, rejects, calendars): by the rules of
``core.safe_files`` (all at once, owner-only, ``-`` for standard output, symlinks written
through, devices written into, a full disk said in one line). And the other way: standard
input kept as a file, so `import -` reads it like any other.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO

from followup_cli.core.safe_files import FileNotWritten, check, writing

ExportFailed = FileNotWritten

__all__ = ["ExportFailed", "atomic_text", "check", "spooled_stdin"]


def atomic_text(path: Path, newline: str = "") -> AbstractContextManager[IO[str]]:
    """Write ``path`` all at once; only the owner can read it (it holds people's details)."""
    return writing(path, newline=newline)


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
