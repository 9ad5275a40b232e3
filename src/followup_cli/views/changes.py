"""The --json of commands that change prospects (log, enroll, stop, snooze, pause, resume,
rm, and their bulk forms): pinned shapes, documented in the README."""

from __future__ import annotations

from typing import Any


def next_of(p: Any) -> dict[str, Any]:
    """What is next for a prospect: ``due_at`` is null when nothing is, and ``why`` says why."""
    return {
        "due_at": p.next_due_at,
        "channel": p.next_channel if p.next_due_at else None,
        "purpose": p.next_purpose if p.next_due_at else None,
        "why": p.next_why,
    }


def state(p: Any) -> dict[str, Any]:
    """A prospect after a change: their details (as `show --json` has them), where they
    are in their cadence, and what is next."""
    return {
        **p.public(),
        "cadence_status": p.cadence_status,
        "steps_done": p.steps_done,
        "next": next_of(p),
    }


def changed(command: str, people: list[Any]) -> dict[str, Any]:
    """``{"command", "count", "prospects": [state, ...]}``: one prospect or a bulk's many."""
    return {"command": command, "count": len(people), "prospects": [state(p) for p in people]}


def removed(people: list[Any]) -> dict[str, Any]:
    return {
        "command": "rm",
        "count": len(people),
        "prospects": [{"id": p.id, "name": p.name, "email": p.email} for p in people],
    }


def logged(result: Any) -> dict[str, Any]:
    """``log --json``: the touch as stored, the prospect after it, and what the outcome did."""
    return {
        "command": "log",
        "touch": result.touch.public(),
        "prospect": state(result.prospect),
        "effect": result.effect or None,
    }
