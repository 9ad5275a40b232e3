"""Hooks, as Taskwarrior has them: an executable in ``<config dir>/hooks/`` named after an
event gets the event as one JSON object on standard input.

- ``on-add``: a prospect is about to be added (``{"event", "prospect"}``).
- ``on-log``: a touch is about to be logged (``{"event", "prospect", "touch"}``).
- ``on-stage-change``: a logged touch is about to move a prospect to another stage
  (``{"event", "prospect", "from", "to", "touch"}``).
- ``on-due``: `followup today` found touches due (``{"event", "due": [...]}``, the shape of
  `today --json`). It runs after the listing and cannot veto anything.

A hook that runs before a write vetoes it by exiting non-zero: nothing is written, and its
standard error is shown. A hook gets ``TIME_LIMIT`` seconds (``FOLLOWUP_HOOK_TIMEOUT``
changes it) and is stopped after that; a hook that cannot start is reported. A missing
file, or one without the executable bit, is no hook. Hooks run outside the database's write
lock, so a slow one never holds up another followup.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.core.places import config_dir

EVENTS = ("on-add", "on-log", "on-stage-change", "on-due")
TIME_LIMIT = 10.0


class HookRefused(FollowupError):
    """A hook said no (or could not say yes): the change was not made."""


def hook_path(event: str) -> Path | None:
    path = config_dir() / "hooks" / event
    return path if path.is_file() and os.access(path, os.X_OK) else None


def time_limit() -> float:
    given = os.environ.get("FOLLOWUP_HOOK_TIMEOUT", "").strip()
    try:
        return float(given) if given else TIME_LIMIT
    except ValueError:
        raise HookRefused(
            f"FOLLOWUP_HOOK_TIMEOUT={given!r} is not a number of seconds: use e.g. 5."
        ) from None


def run(event: str, payload: dict[str, Any], *, veto: bool = True) -> str | None:
    """Run the ``event`` hook, if there is one. With ``veto``, a failure raises
    ``HookRefused``; without, it is returned as a message (None when all went well)."""
    path = hook_path(event)
    if path is None:
        return None
    limit = time_limit()
    data = json.dumps({"event": event, **payload}, ensure_ascii=False, sort_keys=True, default=str)
    then = "nothing was changed" if veto else "it was skipped"
    import subprocess  # only when there is a hook: every `log` asks, few have one

    try:
        done = subprocess.run(
            [str(path)],
            input=data,
            capture_output=True,
            text=True,
            timeout=limit,
            cwd=path.parent,
        )
    except subprocess.TimeoutExpired:
        problem = f"The {event} hook ({path}) took longer than {limit:g} s and was stopped; {then}."
    except OSError as error:
        problem = f"The {event} hook ({path}) could not run ({error.strerror}); {then}."
    else:
        if done.returncode == 0:
            return None
        said = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        problem = f"The {event} hook refused: {said}; {then}."
    if veto:
        raise HookRefused(problem)
    return problem
