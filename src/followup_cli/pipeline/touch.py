"""Touches: recording a call, an email or a meeting, and what its outcome does to the
prospect's cadence (taking one back is the journal's work: ``pipeline.undo``).

Each outbound touch also carries what `followup stats` counts, kept right on every write
by ``renumber`` (in ``store.touches``), so the dashboard is a few GROUP BYs, not a pass over
every touch's history. Bounced touches never reached anyone and are left out; the rest of a
prospect's touches are taken in time order, touches at the same time in the order they were
logged:

- ``touch_number``: the outbound touches to the prospect since their last reply (or since
  they were added), itself included. A reply is a touch that came in or whose outcome
  means they answered (``vocab.ANSWERED``).
- ``next_at``: when the prospect's next touch was made (NULL: none yet).
- ``replied_at``: when the reply credited to this touch came: its own time when its own
  outcome is a reply, else the time of the next touch when that one came in (NULL: none).

All three are NULL on bounced touches and on touches that came in. An out-of-office or a
bounce that came in (logged from mail) is an automatic message, not a reply: it is left
out of the pass, as an outbound bounce is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from followup_cli import store
from followup_cli.core.errors import FollowupError, InvalidValue
from followup_cli.core.vocab import (
    ANSWERED,
    DEFAULT_ON_OUTCOME,
    DEFAULT_STOP_ON,
    NOT_DELIVERED,
    STAGE_AFTER,
)
from followup_cli.pipeline.prospect import Prospect, get
from followup_cli.store import touches as touch_rows
from followup_cli.store.touches import renumber as renumber
from followup_cli.store.touches import renumber_many as renumber_many  # for data.import_touches

if TYPE_CHECKING:  # the scheduler is loaded only when a touch is logged, not to read them
    from followup_cli.scheduling import cadence as cadences
    from followup_cli.scheduling.schedule import Enrollment


@dataclass(frozen=True)
class Touch:
    """One recorded touch: when, on which channel, which way, and how it went."""

    id: int
    prospect_id: int
    at: str
    channel: str
    direction: str
    outcome: str
    note: str | None = None
    template: str | None = None
    variant: str | None = None
    value_id: int | None = None
    cadence: str | None = None
    step: int | None = None
    logged_at: str = ""
    until: str | None = None  # the revisit date a not_now agreed (log --until)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Touch:
        data = dict(row)
        for column in ("state_before", *touch_rows.NUMBERS):
            data.pop(column, None)
        return cls(**data)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "channel": self.channel,
            "direction": self.direction,
            "outcome": self.outcome,
            "note": self.note,
            "template": self.template,
            "variant": self.variant,
            "value_id": self.value_id,
            "cadence": self.cadence,
            "step": self.step,
            "until": self.until,
        }


@dataclass(frozen=True)
class Logged:
    """What `followup log` did: the touch, the prospect after it, and the outcome's effect."""

    touch: Touch
    prospect: Prospect  # after the touch, with its next due date recomputed
    effect: str  # what the outcome did, in a sentence ("" when it just advanced the cadence)


class StaleProspect(FollowupError):
    """The prospect changed between planning a touch and writing it: plan again."""


@dataclass(frozen=True)
class PlannedTouch:
    """A touch worked out from the prospect as it was read (``prospect``, the version
    checked when it is written): the touch row and every prospect column it changes."""

    prospect: Prospect
    touch: dict[str, Any]
    changes: dict[str, Any]
    effect: str


def log_touch(
    conn: sqlite3.Connection,
    prospect: Prospect,
    *,
    numbers: bool = True,
    fresh: bool = False,
    **details: Any,
) -> Logged:
    """Record one touch and apply its outcome, in the caller's transaction (the arguments
    are ``plan_touch``'s). ``numbers=False``: a batch (mail sync) renumbers its prospects
    once at the end, with ``renumber_many``. ``fresh=True``: the caller read ``prospect``
    inside this same write transaction, so it cannot be stale and is not read again."""
    return write_touch(conn, plan_touch(prospect, **details), numbers=numbers, checked=fresh)


def record_touch(conn: sqlite3.Connection, find: Callable[[], Prospect], **details: Any) -> Logged:
    """`followup log`: read and plan outside the write lock (resolving the prospect with
    ``find``, running the scheduler), then write in one short journaled transaction that
    first checks the prospect is as it was planned from. If another process changed it
    meanwhile, the touch is planned again there, from the row as it is now: the lock is
    already held, so nothing can change under this second plan, and the writer does not
    queue again."""
    from followup_cli.store import journal

    planned = plan_touch(find(), **details)
    _run_hooks(planned)  # outside the write lock: a slow hook holds up no other writer
    with journal.record(conn, "log", now=details.get("now")) as entry:
        try:
            logged = write_touch(conn, planned)
        except StaleProspect:
            logged = write_touch(conn, plan_touch(get(conn, planned.prospect.id), **details))
        t, p = logged.touch, logged.prospect
        entry.summary = f"{t.channel} ({t.outcome.replace('_', ' ')}) logged for {p.name} at {t.at}"
        if t.outcome == "not_now" and not p.do_not_contact:  # the note that answers it, at once
            from followup_cli.scheduling import triggers

            said = store.from_text(t.at)
            assert said is not None
            note = triggers.after_not_now(conn, p, at=said)
            logged = replace(logged, effect=f"{logged.effect} {triggers.not_now_line(note)}")
    return logged


def _run_hooks(planned: PlannedTouch) -> None:
    """``on-log``, then ``on-stage-change`` when the touch moves the prospect to another
    stage; either one's non-zero exit vetoes the touch (``HookRefused``: nothing written)."""
    from followup_cli.core import hooks

    if hooks.hook_path("on-log") is None and hooks.hook_path("on-stage-change") is None:
        return  # the usual case: nothing to tell anyone
    person = planned.prospect.public()
    hooks.run("on-log", {"prospect": person, "touch": planned.touch})
    stage = planned.changes.get("stage")
    if stage and stage != planned.prospect.stage:
        hooks.run(
            "on-stage-change",
            {
                "prospect": person,
                "from": planned.prospect.stage,
                "to": stage,
                "touch": planned.touch,
            },
        )


def plan_touch(
    prospect: Prospect,
    *,
    channel: str,
    outcome: str,
    at: datetime,
    now: datetime,
    user_tz: tzinfo,
    note: str | None = None,
    template: str | None = None,
    until: datetime | None = None,
    direction: str | None = None,
    variant: str | None = None,
    value_id: int | None = None,
    then: str | None = None,
) -> PlannedTouch:
    """Validate a touch and work out everything it writes, without the database.
    ``then``: the cadence this conversation starts (``log --then``), from the touch itself."""
    from followup_cli.scheduling import cadence as cadences
    from followup_cli.scheduling.enrollment import enrollment_of, plan_columns, state_columns
    from followup_cli.scheduling.schedule import plan, settle
    from followup_cli.scheduling.triggers import ONE_OFF_TEMPLATES

    direction = direction or ("in" if outcome == "replied" else "out")
    if prospect.do_not_contact and direction == "out" and outcome != "opted_out":
        raise InvalidValue(
            f"{prospect.name} asked not to be contacted. If they reached out again, log it with "
            f"--direction in, or clear the flag: followup edit {prospect.id} --contact-ok"
        )
    if at > now + timedelta(minutes=5):
        raise InvalidValue(
            "A touch cannot be logged in the future: leave out --at, or use a past time."
        )
    if then is not None and outcome not in THEN_OUTCOMES:
        raise InvalidValue(
            f"--then starts a cadence from a conversation: use it with --outcome "
            f"{', '.join(THEN_OUTCOMES[:-1])} or {THEN_OUTCOMES[-1]}. After a touch of yours, "
            "use followup enroll."
        )
    current = _current_cadence(prospect)
    agreed = until if outcome == "not_now" else None  # a date both sides named
    if outcome == "not_now" and until is None:
        pause = current.not_now_pause if current else timedelta(days=90)
        until = at + pause
    if until is not None and until <= at:
        raise InvalidValue("--until must be after the touch: use a future date such as 2027-02-01.")

    state = enrollment_of(prospect, user_tz)
    fulfilled = _fulfils_step(prospect, state, channel, outcome, direction, at, user_tz)
    one_off = template in ONE_OFF_TEMPLATES  # a trigger's own touch: the cadence carries on
    fulfilled = fulfilled and not one_off
    step_number = prospect.next_step if fulfilled else None
    if fulfilled and template is None and prospect.next_template:
        # the touch did the step, so it used the step's template: template stats see it
        template = prospect.next_template
    notes = _step_notes(prospect, state, current, channel, direction, outcome, at, fulfilled)
    if one_off and direction == "out":
        notes = [f"A touch of its own ({template}): {prospect.cadence or 'nothing'} carries on."]
    if fulfilled:
        state = replace(
            state,
            steps_done=state.steps_done + 1,
            prev_step_at=at,
            prev_step_due=_due_without_pause(prospect, state),
        )
    newest = prospect.last_touch_at is None or store.to_text(at) >= prospect.last_touch_at
    if newest:  # an answer, or a touch that came in, holds no minimum gap back
        state = replace(state, last_touch_at=at, last_touch_holds=outcome not in ANSWERED)
    if outcome in ANSWERED or (direction == "in" and outcome not in NOT_DELIVERED):
        state = replace(state, answered=True)

    changes: dict[str, Any] = {}
    state, effect = _apply_outcome(prospect, state, current, outcome, at, until, changes, then)
    if prospect.do_not_contact and direction == "in":
        changes.pop("stage", None)  # they opted out: hearing from them moves nothing
    effect = " ".join(part for part in (effect, *notes) if part)
    if newest:
        changes.update(
            last_touch_at=store.to_text(at), last_touch_channel=channel, last_touch_outcome=outcome
        )
    changes["answered"] = int(state.answered)
    changes["updated_at"] = store.to_text(now)
    state = settle(state, cadences.load_cadence)
    changes.update(state_columns(state))
    changes.update(plan_columns(plan(state, cadences.load_cadence)))
    touch = {
        "prospect_id": prospect.id,
        "at": store.to_text(at),
        "channel": channel,
        "direction": direction,
        "outcome": outcome,
        "note": note,
        "template": template,
        "variant": variant,
        "value_id": value_id,
        "cadence": prospect.cadence if fulfilled else None,
        "step": step_number,
        "logged_at": store.to_text(now),
        "until": store.to_text(agreed) if agreed else None,
    }
    return PlannedTouch(prospect, touch, changes, effect)


def write_touch(
    conn: sqlite3.Connection,
    planned: PlannedTouch,
    *,
    numbers: bool = True,
    checked: bool = False,
) -> Logged:
    """Write a planned touch in the caller's transaction, if the prospect is still as it
    was planned from (``StaleProspect`` otherwise: nothing is written; ``checked``: the
    caller knows it is)."""
    prospect_id = planned.prospect.id
    if not checked:
        now = get(conn, prospect_id)
        if now.columns() != planned.prospect.columns():
            raise StaleProspect(f"{now.name} changed meanwhile: plan the touch again.")
    touch_id = store.insert(conn, "touches", planned.touch)
    store.update(conn, "prospects", prospect_id, planned.changes)
    if numbers:
        renumber(conn, prospect_id)  # a backdated touch can land in the middle of the history
    row = touch_rows.by_id(conn, touch_id)
    return Logged(Touch.from_row(row), get(conn, prospect_id), planned.effect)


def _current_cadence(prospect: Prospect) -> cadences.Cadence | None:
    from followup_cli.scheduling import cadence as cadences

    if not prospect.cadence or prospect.cadence_status not in ("active", "paused"):
        return None
    try:
        return cadences.load_cadence(prospect.cadence)
    except FollowupError:  # a broken or deleted cadence must not stop a touch being recorded
        return None


# The outcomes `log --then CADENCE` goes with: a conversation, which starts a cadence from
# itself (won, lost and not_now choose the cadence their outcome moves to).
THEN_OUTCOMES = ("meeting", "replied", "not_now", "won", "lost")

# A touch on the step's channel does the step when the step is due within this many days
# (working a little ahead); any channel does it when the step is due by the end of the day.
STEP_WINDOW_DAYS = 2


def _fulfils_step(
    prospect: Prospect,
    state: Enrollment,
    channel: str,
    outcome: str,
    direction: str,
    at: datetime,
    user_tz: tzinfo,
) -> bool:
    """An outbound touch does the next step when that step is due by the end of the day
    it was made, or, on the step's channel, by the end of ``STEP_WINDOW_DAYS`` days later.
    A touch further ahead is recorded (and counts for the minimum gap); the step stays due."""
    if direction != "out" or outcome in NOT_DELIVERED or state.status != "active":
        return False
    if prospect.next_due_at is None or prospect.next_step is None:
        return False
    local = at.astimezone(user_tz)
    ahead = STEP_WINDOW_DAYS if channel == prospect.next_channel else 0
    end_of_day = datetime.combine(local.date() + timedelta(days=ahead), time.max, tzinfo=user_tz)
    return prospect.next_due_at <= store.to_text(end_of_day)


def _due_without_pause(prospect: Prospect, state: Enrollment) -> datetime | None:
    """When the step just done was due before any pause pushed it: a step done after a
    pause counts as done late, so the later steps keep their gaps after it (a pause shifts
    every later step by its length, instead of squeezing them together)."""
    due = store.from_text(prospect.next_due_at)
    if state.paused_until is None:
        return due
    from followup_cli.scheduling import cadence as cadences
    from followup_cli.scheduling.schedule import plan

    unpaused = plan(replace(state, paused_until=None), cadences.load_cadence).next
    return unpaused.due_at if unpaused else due


def _step_notes(
    prospect: Prospect,
    state: Enrollment,
    current: Any,
    channel: str,
    direction: str,
    outcome: str,
    at: datetime,
    fulfilled: bool,
) -> list[str]:
    """What the user should know about this touch and the cadence: the step it did not do,
    and a touch that came sooner than the cadence's minimum gap."""
    notes = []
    due = store.from_text(prospect.next_due_at)
    if (
        not fulfilled
        and direction == "out"
        and outcome in ("sent", "voicemail", "no_answer")
        and state.status == "active"
        and due is not None
        and prospect.next_step is not None
    ):
        notes.append(
            f"Step {prospect.next_step} ({prospect.next_channel}) is not due until "
            f"{due.astimezone(state.timezone):%a %d %b}: this touch is recorded, "
            "and the step is still due then."
        )
    last = store.from_text(prospect.last_touch_at)
    holds = prospect.last_touch_outcome not in ANSWERED  # after a meeting, no gap to keep
    if current is not None and direction == "out" and last is not None and holds:
        gap = abs(at - last)
        if gap < current.min_gap:
            notes.append(
                f"Warning: this touch came {_span_words(gap)} from the last one; "
                f"{current.name} keeps at least {_span_words(current.min_gap)} between touches."
            )
    return notes


def _span_words(delta: timedelta) -> str:
    """A gap as a person says it: minutes under an hour, hours under two days, then days."""
    hours = delta.total_seconds() / 3600
    if delta < timedelta(minutes=1):
        return "less than a minute"
    if hours < 1:
        count, unit = int(delta.total_seconds() // 60), "minute"
    elif hours < 48:
        count, unit = round(hours), "hour"
    else:
        count, unit = delta.days, "day"
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _local_day(moment: datetime, state: Enrollment) -> str:
    """A pause's end as ``show`` and ``today`` say it: the day in the prospect's zone."""
    return moment.astimezone(state.timezone).date().isoformat()


def _apply_outcome(
    prospect: Prospect,
    state: Enrollment,
    current: cadences.Cadence | None,
    outcome: str,
    at: datetime,
    until: datetime | None,
    changes: dict[str, Any],
    then: str | None = None,
) -> tuple[Enrollment, str]:
    from followup_cli.scheduling import cadence as cadences

    stop_on = current.stop_on if current else frozenset(DEFAULT_STOP_ON)
    next_name = current.next_cadence_on(outcome) if current else DEFAULT_ON_OUTCOME.get(outcome)
    # `log --then` wins; else a cadence's own `on: {meeting: ...}` moves even when the
    # outcome does not stop it (its stop_on), or when it had stopped for another reason
    started = then or (current.on_outcome.get(outcome) if current else None)
    next_name = then or next_name
    if outcome in STAGE_AFTER:
        changes["stage"] = STAGE_AFTER[outcome]
    elif outcome == "replied" and prospect.stage == "cold":
        changes["stage"] = "interest"
    elif outcome == "meeting" and prospect.stage in ("cold", "interest"):
        changes["stage"] = "active"

    if outcome == "opted_out":
        changes["do_not_contact"] = 1
        stopped = replace(state, do_not_contact=True, status="stopped" if state.cadence else None)
        return stopped, "They opted out: they will never be due again unless you clear the flag."
    if outcome == "not_now":
        assert until is not None
        if next_name:
            cadences.load_cadence(next_name)
            moved = replace(state.start(next_name, until), paused_until=until)
            return moved, f"Paused until {_local_day(until, state)}, then {next_name}."
        return replace(state, paused_until=until), f"Paused until {_local_day(until, state)}."
    if outcome in ("won", "lost"):
        stage = STAGE_AFTER[outcome]
        if next_name:
            cadences.load_cadence(next_name)
            return state.start(next_name, at), f"Stage is now {stage}; moved to {next_name}."
        if outcome in stop_on and state.cadence:
            return replace(
                state, status="stopped"
            ), f"Stage is now {stage}; {state.cadence} stopped."
        return state, f"Stage is now {stage}."
    if outcome == "out_of_office":
        if until is not None:
            return (
                replace(state, paused_until=until),
                f"Out of office: {state.cadence or 'follow-up'} resumes on "
                f"{_local_day(until, state)} where it left off.",
            )
        return state, "Out of office: the step stays due; add --until to wait for their return."
    if outcome == "bounced":
        return state, "Bounced: the step stays due. Check the address: followup edit ... --email"
    if started:  # a meeting or a reply that starts the follow-up cadence from itself
        cadences.load_cadence(started)
        label = outcome.replace("_", " ").capitalize()
        return state.start(started, at), f"{label}: {started} starts from this touch."
    if outcome in stop_on and state.cadence and state.status in ("active", "paused"):
        if next_name:
            cadences.load_cadence(next_name)
            label = outcome.replace("_", " ").capitalize()
            return state.start(next_name, at), f"{label}: moved to {next_name}."
        return (
            replace(state, status="stopped"),
            f"{outcome.capitalize()}: {state.cadence} stopped. Decide the next step yourself, "
            f"or enroll them in a cadence{_AFTER_MEETING if outcome == 'meeting' else ''}.",
        )
    if outcome == "meeting" and state.status not in ("active", "paused"):
        return state, f"Start the follow-up: enroll them in a cadence{_AFTER_MEETING}."
    return state, ""


# What to do after a meeting that started nothing: the first hour is the recap's (seed 000).
_AFTER_MEETING = " (post-discovery, post-demo or post-proposal: the recap is due within the hour)"


def touches_of(conn: sqlite3.Connection, prospect_id: int, limit: int | None = None) -> list[Touch]:
    return [Touch.from_row(row) for row in touch_rows.of_prospect(conn, prospect_id, limit)]
