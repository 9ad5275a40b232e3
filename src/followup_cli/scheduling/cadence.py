"""Cadences: an ordered plan of touches, loaded from YAML and validated.

A cadence file looks like this (every key but ``steps``/``repeat`` is optional)::

    description: After a proposal went out.
    source: seed 000
    anchor: start            # offsets count from enrolment (start) or from the last touch
    business_days: true      # weekends and the prospect's public holidays are skipped
    send_window: 09:00-17:00 # in the prospect's timezone
    min_gap: 1d              # never sooner than this after the last touch
    max_touches: 12          # stop after this many touches in this cadence
    cold_max_touches: 6      # ... or after this many when the prospect never answered
    stop_on: [replied, meeting, won, lost, opted_out]
    not_now_pause: 90d       # the pause when `log --outcome not_now` has no --until
    on: {won: customer-onboarding, lost: lost-deal, not_now: long-term-nurture}
    then: {cadence: long-term-nurture, after: 30d}
    steps:
      - {hours: 1, channel: email, purpose: Send the proposal, template: proposal-sent}
      - {day: 2, channel: call, purpose: Ask for first reactions, template: call-review}
      - {wait: 3d, channel: email, purpose: ..., template: ...}   # since the previous touch
    repeat: {every: 30d, times: 6, grow: 1.5, max_every: 90d, channel: email, purpose: ...}

Shipped cadences live in the package; a file of the same name in the user's config
dir (``cadences/NAME.yaml``) overrides one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from followup_cli.core.dates import format_duration
from followup_cli.core.errors import CadenceNotFound, InvalidCadence

# Where the files are is `library`'s business; re-exported for the cadence's users.
from followup_cli.core.library import (  # noqa: F401
    BROKEN_KEY,
    FINGERPRINT_KEY,
    cadence_defaults,
    cadence_files,
    fingerprint,
    shipped_dir,
    user_dir,
)
from followup_cli.scheduling.cadence_model import Cadence

_cache: dict[Path, tuple[str, Cadence]] = {}
_pinned: dict[str, Cadence] | None = None  # inside ``pinned()``: each cadence read once


@contextlib.contextmanager
def pinned() -> Iterator[None]:
    """Inside the block each cadence is looked up once: a batch (a mail sync logging
    thousands of touches) does not list and stat the cadence folders for every touch.
    A file edited meanwhile is seen by the next command."""
    global _pinned
    outer = _pinned
    _pinned = {} if outer is None else outer
    try:
        yield
    finally:
        _pinned = outer


def load_cadence(name: str) -> Cadence:
    if _pinned is not None and name in _pinned:
        return _pinned[name]
    files = cadence_files()
    if name not in files:
        known = ", ".join(sorted(files)) or "none"
        raise CadenceNotFound(
            f"No cadence named {name!r}. Known cadences: {known}. "
            "See them with: followup cadences list"
        )
    cadence = load_file(files[name])
    if _pinned is not None:
        _pinned[name] = cadence
    return cadence


def load_file(path: Path) -> Cadence:
    from followup_cli.store import memo

    stat = path.stat()
    signature = f"{stat.st_mtime_ns}:{stat.st_size}:{cadence_defaults()}"
    cached = _cache.get(path)
    if cached and cached[0] == signature:
        return cached[1]
    remembered = memo.get(f"cadence:{path}")
    if remembered and remembered["signature"] == signature:
        from followup_cli.scheduling.cadence_check import from_data

        cadence = from_data(remembered["data"], path)
        if cadence is not None:
            _cache[path] = (signature, cadence)
            return cadence
    from followup_cli.scheduling.cadence_check import check_text

    problems, cadence, data = check_text(path)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidCadence(f"{problems[0]}{more}. See all: followup cadences check")
    assert cadence is not None
    _cache[path] = (signature, cadence)
    memo.put(f"cadence:{path}", {"signature": signature, "data": data})
    return cadence


# --- listing and checking ---------------------------------------------------------------------


def summaries() -> list[dict[str, Any]]:
    """One line per cadence, for `cadences list` (broken files are listed as such)."""
    user = user_dir("cadences")
    items = []
    for name, path in cadence_files().items():
        origin = "yours" if path.parent == user else "shipped"
        try:
            cadence = load_file(path)
        except InvalidCadence as error:
            items.append(
                {
                    "name": name,
                    "touches": "?",
                    "spans": "?",
                    "then": None,
                    "origin": origin,
                    "description": f"BROKEN: {error}",
                    "path": str(path),
                }
            )
            continue
        total = cadence.steps_total
        last = max((s.offset for s in cadence.steps if s.offset is not None), default=None)
        items.append(
            {
                "name": name,
                "touches": "∞" if total is None else str(total),
                "spans": f"{last.days}d" if last is not None and last.days else "",
                "then": cadence.then.cadence if cadence.then else None,
                "origin": origin,
                "description": cadence.description,
                "path": str(path),
            }
        )
    return items


def describe(cadence: Cadence, rows: list[Any]) -> dict[str, Any]:
    """A cadence and its previewed calendar as JSON."""
    from followup_cli.store.db import to_text

    return {
        "name": cadence.name,
        "description": cadence.description,
        "source": cadence.source,
        "anchor": cadence.anchor,
        "business_days": cadence.business_days,
        "send_window": f"{cadence.window_start:%H:%M}-{cadence.window_end:%H:%M}",
        "min_gap": format_duration(cadence.min_gap),
        "max_touches": cadence.max_touches,
        "cold_max_touches": cadence.cold_max_touches,
        "stop_on": sorted(cadence.stop_on),
        "steps_total": cadence.steps_total,
        "then": {"cadence": cadence.then.cadence, "after": format_duration(cadence.then.after)}
        if cadence.then
        else None,
        "repeat": {
            "every": format_duration(cadence.repeat.every),
            "times": cadence.repeat.times,
            "grow": cadence.repeat.grow,
        }
        if cadence.repeat
        else None,
        "calendar": [
            {
                "step": row.touch.step,
                "due_at": to_text(row.touch.due_at),
                "channel": row.touch.channel,
                "purpose": row.touch.purpose,
                "template": row.touch.template,
                "why": row.why,
            }
            for row in rows
        ],
    }
