"""--json output. Kept apart from `render` so that scripts do not pay for importing Rich."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def stream_json(items: Iterable[Any]) -> None:
    """A JSON array written an item at a time (the same text as ``print_json`` of the
    list): memory stays flat however long it is."""
    write = sys.stdout.write
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False, default=str)
        write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")
