"""--json output. Kept apart from `render` so that scripts do not pay for importing Rich."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from json.encoder import encode_basestring as _string  # C, as json uses it
from typing import Any


def print_json(data: Any) -> None:
    write_bytes(json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n")


def stream_json(items: Iterable[Any]) -> None:
    """A JSON array written an item at a time (the same text as ``print_json`` of the
    list): memory stays flat however long it is."""
    out = utf8_stdout()
    first = True
    for item in items:
        out.write(("[\n  " if first else ",\n  ") + indented(item, "  "))
        first = False
    out.write("[]\n" if first else "\n]\n")
    out.flush()
    if out is not sys.stdout:
        out.detach()  # leave the real stdout open


def indented(value: Any, pad: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, default=str, allow_nan=False)``,
    each line after the first starting with ``pad``: the same text, about three times as
    fast for the dicts, lists, strings, numbers and None of a listing (json's indenting
    encoder is pure Python and yields piece by piece). Anything else goes to json itself,
    so its ``default``, its errors and its NaN check apply."""
    scalar = _SCALARS.get(value.__class__)
    if scalar is not None:
        return scalar(value, pad)
    kind = value.__class__
    inner = pad + "  "
    if kind is dict:
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if key.__class__ is not str:
                return _json(value, pad)
            scalar = _SCALARS.get(item.__class__)
            text = indented(item, inner) if scalar is None else scalar(item, inner)
            parts.append(f"{inner}{_string(key)}: {text}")
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        items = ",\n".join([inner + indented(item, inner) for item in value])
        return "[\n" + items + "\n" + pad + "]"
    return _json(value, pad)


def _float(value: float, pad: str) -> str:
    if value - value == 0.0:  # neither inf nor nan
        return float.__repr__(value)
    return _json(value, pad)  # json's own error


_SCALARS: dict[type, Any] = {
    str: lambda value, pad: _string(value),
    int: lambda value, pad: int.__repr__(value),
    float: _float,
    bool: lambda value, pad: "true" if value else "false",
    type(None): lambda value, pad: "null",
}


def _json(value: Any, pad: str) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    return text.replace("\n", "\n" + pad)


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
