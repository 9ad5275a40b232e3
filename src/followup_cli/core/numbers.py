"""Numbers as people type them: the one check that a deal value, a pace or a count is a
real, finite number in its range (``inf``, ``nan`` and ``1e309`` are not), so that nothing
downstream (SQLite, JSON export, the scheduler) meets a number it cannot hold."""

from __future__ import annotations

import math
from typing import Any

from followup_cli.core.errors import InvalidValue

LARGEST_ID = 2**63 - 1  # SQLite's INTEGER
LARGEST_AMOUNT = 1e15  # a quadrillion: more than any deal, small enough to add up exactly


def finite(
    number: float,
    what: str,
    example: str,
    *,
    low: float = 0,
    high: float,
    out_of_range: str | None = None,
) -> float:
    """``number`` if it is finite and in [low, high]; else an InvalidValue naming ``what``
    (or saying ``out_of_range``)."""
    if math.isnan(number) or math.isinf(number):
        raise InvalidValue(f"The {what} must be a real number, not {number!r}: use e.g. {example}.")
    if not low <= number <= high:
        if out_of_range:
            raise InvalidValue(out_of_range)
        raise InvalidValue(
            f"The {what} {number:g} is out of range: use a number from {low:g} to {high:g} "
            f"(e.g. {example})."
        )
    return number


def number(
    value: Any,
    what: str,
    example: str,
    *,
    low: float = 0,
    high: float,
    out_of_range: str | None = None,
) -> float:
    """A number typed by a person (``24,000``, ``$24000``, ``1.5``), checked by ``finite``."""
    text = str(value).strip().replace(",", "").replace("$", "").replace("€", "").replace("£", "")
    try:
        parsed = float(text)
    except ValueError:
        raise InvalidValue(f"The {what} {value!r} is not a number: use e.g. {example}.") from None
    return finite(parsed, what, example, low=low, high=high, out_of_range=out_of_range)


def whole(value: Any, what: str, *, low: int = 0, high: int = LARGEST_ID) -> int:
    """A whole number in [low, high] (ids, counts), from text or a number."""
    text = str(value).strip()
    if not text.lstrip("-").isdigit() or len(text) > 30:
        raise InvalidValue(f"The {what} {text[:30]!r} is not a whole number.")
    parsed = int(text)
    if not low <= parsed <= high:
        raise InvalidValue(f"The {what} {parsed:,} is out of range: use {low:,} to {high:,}.")
    return parsed
