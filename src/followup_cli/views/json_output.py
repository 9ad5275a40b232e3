"""--json output. Kept apart from `render` so that scripts do not pay for importing Rich."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any


def print_json(data: Any) -> None:
    write_bytes(json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n")


def stream_json(items: Iterable[Any]) -> None:
    """A JSON array written an item at a time (the same text as ``print_json`` of the
    list): memory stays flat however long it is."""
    out = utf8_stdout()
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False, default=str, allow_nan=False)
        out.write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")
    out.flush()
    if out is not sys.stdout:
        out.detach()  # leave the real stdout open


def write_bytes(text: str) -> None:
    """Machine-readable output (JSON, CSV, ICS) as UTF-8, whatever the console's encoding."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def utf8_stdout() -> Any:
    """Standard output as a UTF-8 text stream (for CSV and JSON streamed out by rows)."""
    import io

    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return sys.stdout
    sys.stdout.flush()
    return io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
