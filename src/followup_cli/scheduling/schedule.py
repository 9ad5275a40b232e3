"""When is the next touch due, and why: pure functions of a cadence and a prospect's state.

The rules, in the order they apply:

1. A step with an offset (``day: 5``) is due that long after the cadence started, stretched
   by the prospect's ``pace``. If the previous step was done late, this one keeps its gap
   from when that step was actually done: an overdue step stays due and later steps shift
   after it, so a week away never produces an avalanche of overdue touches.
2. A step with a ``wait`` (and every step of the repeating tail) is due that long after the
   previous step; cadences with ``anchor: last_touch`` count from the last logged touch.
3. Never sooner than ``min_gap`` after the last touch, unless that touch was an answer
   (a meeting, a reply: ``vocab.ANSWERED``), which holds nothing back.
4. Never during a pause.
5. Inside the send window, in the prospect's timezone; with ``business_days`` on, never on a
   weekend or a public holiday of the prospect's country.

A step that asks the record for something (``when: [deadline]``) is done as its
``otherwise`` step by a record that lacks it, at the same time (``step_conditions``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from followup_cli.core.errors import FollowupError
from followup_cli.scheduling.cadence_model import Cadence, Step
from followup_cli.scheduling.step_conditions import for_record


@dataclass(frozen=True)
class Enrollment:
    """What the scheduler knows about one prospect."""

    cadence: str | None = None
    anchor: datetime | None = None  # when the cadence started (step offsets count from here)
    steps_done: int = 0
    prev_step_at: datetime | None = None  # when the latest step of this cadence was done
    prev_step_due: datetime | None = None  # ... and when it had been due
    last_touch_at: datetime | None = None  # the latest touch of any kind
    # False when that touch was a conversation or came from them (an answer: a meeting, a
    # reply): the next touch is not held back by the minimum gap (the recap goes out in
    # the hour after the meeting, seed 000's "Hour 1").
    last_touch_holds: bool = True
    paused_until: datetime | None = None
    status: str | None = None  # active, paused (indefinitely), stopped, completed
    do_not_contact: bool = False
    answered: bool = False  # the prospect has ever answered (no cold cap then)
    pace: float = 1.0
    preferred_channel: str | None = None  # the prospect's; a step moves to it (``on_channel``)
    timezone: tzinfo = UTC
    country: str | None = None
    # What the record holds that a step may ask for (``step_conditions.record_facts``).
    facts: frozenset[str] = frozenset()

    def start(self, cadence: str, at: datetime) -> Enrollment:
        """This prospect starting ``cadence`` from ``at``: its first step next, not paused."""
        return replace(
            self,
            cadence=cadence,
            anchor=at,
            steps_done=0,
            prev_step_at=None,
            prev_step_due=None,
            status="active",
            paused_until=None,
        )


@dataclass(frozen=True)
class NextTouch:
    """The next touch a cadence asks for: when, which step, how and why."""

    due_at: datetime
    cadence: str
    step: int  # 1-based
    steps_total: int | None
    channel: str
    purpose: str
    template: str | None


@dataclass(frozen=True)
class Plan:
    """The next touch (or None) and one sentence saying why it is due when it is."""

    next: NextTouch | None
    why: str


CadenceLookup = Callable[[str], Cadence]


def settle(state: Enrollment, lookup: CadenceLookup) -> Enrollment:
    """Follow ``then:`` from every finished cadence to the one that comes after it."""
    seen: set[str] = set()
    while state.cadence and state.status == "active" and state.cadence not in seen:
        seen.add(state.cadence)
        try:
            cadence = lookup(state.cadence)
        except FollowupError:
            break  # `plan` explains the missing cadence
        if not _finished(cadence, state):
            break
        if cadence.then is None:
            return replace(state, status="completed")
        start = (state.prev_step_at or state.anchor or state.last_touch_at) + cadence.then.after
        state = replace(
            state,
            cadence=cadence.then.cadence,
            anchor=start,
            steps_done=0,
            prev_step_at=None,
            prev_step_due=None,
        )
    return state


def _finished(cadence: Cadence, state: Enrollment) -> bool:
    if cadence.step(state.steps_done) is None:
        return True
    if cadence.max_touches is not None and state.steps_done >= cadence.max_touches:
        return True
    cold_cap = cadence.cold_max_touches
    return cold_cap is not None and not state.answered and state.steps_done >= cold_cap


def plan(state: Enrollment, lookup: CadenceLookup) -> Plan:
    """The next touch for a prospect whose state has been ``settle``-d."""
    if state.do_not_contact:
        return Plan(None, "do not contact: no touch will be scheduled until you clear the flag")
    if not state.cadence:
        return Plan(None, "not enrolled in a cadence: enroll with `followup enroll`")
    if state.status == "paused":
        return Plan(None, f"{state.cadence} is paused: `followup resume` to continue it")
    if state.status == "stopped":
        return Plan(None, f"{state.cadence} was stopped: `followup enroll` to start one")
    try:
        cadence = lookup(state.cadence)
    except FollowupError as error:
        return Plan(None, str(error))
    if state.status == "completed" or _finished(cadence, state):
        return Plan(None, _finished_why(cadence, state))
    step = cadence.step(state.steps_done)
    assert step is not None
    step, chosen = for_record(step, state.facts)
    due, reasons = _ideal(cadence, step, state)
    if chosen:
        reasons.append(chosen)
    floor_gap = max(cadence.min_gap, cadence.min_gap * state.pace)
    # The minimum gap is real elapsed time, so it is counted in UTC.
    last = state.last_touch_at.astimezone(UTC) if state.last_touch_at else None
    if last is not None and state.last_touch_holds and due < last + floor_gap:
        due = last + floor_gap
        reasons.append(f"kept {_span(floor_gap)} after the last touch (minimum gap)")
    if state.paused_until is not None and due < state.paused_until:
        due = state.paused_until
        reasons.append(f"paused until {_day(state.paused_until, state.timezone)}")
    due, moved = fit_to_calendar(
        due,
        tz=state.timezone,
        window=(cadence.window_start, cadence.window_end),
        business_days=cadence.business_days,
        country=state.country,
    )
    reasons.extend(moved)
    number, total = state.steps_done + 1, cadence.steps_total
    where = f"step {number}/{total}" if total is not None else f"step {number}"
    channel, template = step.channel, step.template
    moved_to = on_channel(step.template, step.channel, state.preferred_channel)
    if moved_to is not None:
        reasons.append(f"by {state.preferred_channel}, their preferred channel")
        channel, template = str(state.preferred_channel), moved_to
    why = f"{where} of {cadence.name}: " + ", ".join(reasons)
    return Plan(
        NextTouch(
            due_at=due.astimezone(UTC),
            cadence=cadence.name,
            step=number,
            steps_total=total,
            channel=channel,
            purpose=step.purpose,
            template=template,
        ),
        why,
    )


# A bound for "a last touch this early or earlier changes nothing".
NO_BOUND = datetime.max.replace(tzinfo=UTC)


def last_touch_bound(state: Enrollment, lookup: CadenceLookup) -> datetime | None:
    """The latest last touch that leaves ``settle`` and ``plan`` of ``state`` as they are
    with no last touch at all (``NO_BOUND``: any), or None when a last touch may change
    them whenever it was. A bulk path (a touch history imported for 100,000 prospects)
    plans each shape of state once without its last touch, and plans only the prospects
    whose last touch is later than this again, with it. The rules are ``plan``'s: a last
    touch counts only through the minimum gap, or as the start of a cadence that counts
    from it (``anchor: last_touch``, or a cadence that has neither start nor step yet)."""
    state = replace(state, last_touch_at=None)
    if state.cadence and state.status == "active" and not (state.anchor or state.prev_step_at):
        return None  # ``settle`` may start the next cadence from the last touch
    state = settle(state, lookup)
    if state.do_not_contact or not state.cadence or state.status in ("paused", "stopped"):
        return NO_BOUND
    try:
        cadence = lookup(state.cadence)
    except FollowupError:
        return NO_BOUND
    if state.status == "completed" or _finished(cadence, state):
        return NO_BOUND
    if cadence.anchor == "last_touch":
        return None
    if not state.last_touch_holds:
        return NO_BOUND  # an answer holds nothing back
    step = cadence.step(state.steps_done)
    assert step is not None
    due, _reasons = _ideal(cadence, step, state)
    # ``plan`` moves the step when due < last + gap: a last touch up to due - gap does not.
    return due.astimezone(UTC) - max(cadence.min_gap, cadence.min_gap * state.pace)


# The template of a step on another channel, by name: value-add by call is voicemail-value-add.
_CHANNEL_PREFIX = {
    "call": "voicemail-",
    "linkedin": "linkedin-",
    "video": "video-",
    "text": "text-",
}


def on_channel(template: str | None, channel: str, preferred: str | None) -> str | None:
    """The template that does this step on the prospect's ``preferred`` channel, when one
    exists (``voicemail-value-add`` for ``value-add`` by call, ``value-add`` back for email);
    None keeps the step as the cadence has it."""
    if not template or not preferred or preferred == channel:
        return None
    from followup_cli.core.library import template_files

    base = template
    for prefix in _CHANNEL_PREFIX.values():
        base = base.removeprefix(prefix)
    if preferred == "email":
        candidates = [base, f"{base}-email"]
    elif preferred in _CHANNEL_PREFIX:
        candidates = [_CHANNEL_PREFIX[preferred] + base]
    else:
        return None
    names = template_files()
    return next((name for name in candidates if name in names and name != template), None)


def _ideal(cadence: Cadence, step: Step, state: Enrollment) -> tuple[datetime, list[str]]:
    """When the step would be due before the calendar has its say, and the words for it."""
    assert state.anchor is not None
    pace = state.pace
    tz = state.timezone
    # Arithmetic on local times keeps the wall clock across DST: "day 30" stays at 09:00.
    state = replace(
        state,
        anchor=state.anchor.astimezone(tz),
        prev_step_at=state.prev_step_at and state.prev_step_at.astimezone(tz),
        last_touch_at=state.last_touch_at and state.last_touch_at.astimezone(tz),
    )
    index = state.steps_done
    previous = cadence.step(index - 1) if index > 0 else None
    if step.offset is not None and cadence.anchor == "start":
        due = state.anchor + step.offset * pace
        reasons = [f"{step.describe_timing()} after {_day(state.anchor, tz)}"]
        if pace != 1:
            reasons[0] += f" at pace {pace:g}"
        if previous is not None and previous.offset is not None and state.prev_step_at:
            was_due = state.prev_step_due or state.prev_step_at
            done_late = state.prev_step_at.astimezone(tz).date() > was_due.astimezone(tz).date()
            shifted = state.prev_step_at + (step.offset - previous.offset) * pace
            if done_late and shifted > due:
                due = shifted
                reasons.append(
                    f"kept {_span(step.offset - previous.offset)} after step {index}, "
                    f"which was done late on {_day(state.prev_step_at, tz)}"
                )
        return due, reasons
    if step.offset is not None:  # anchor: last_touch — offsets become gaps between touches
        before = previous.offset if previous is not None else None
        gap = step.offset - (before or timedelta(0))
    else:
        assert step.wait is not None
        gap = step.wait
    gap *= pace
    if cadence.anchor == "last_touch" and state.last_touch_at is not None:
        base, since = state.last_touch_at, "the last touch"
    elif state.prev_step_at is not None:
        base, since = state.prev_step_at, f"step {index}"
    else:
        base, since = state.anchor, "the start"
    return base + gap, [f"{_span(gap)} after {since} on {_day(base, tz)}"]


def _finished_why(cadence: Cadence, state: Enrollment) -> str:
    cold_cap = cadence.cold_max_touches
    if cold_cap is not None and not state.answered and state.steps_done >= cold_cap:
        return (
            f"{cadence.name} stopped after {cold_cap} follow-ups without an answer "
            "(the cap for cold prospects)"
        )
    if cadence.max_touches is not None and state.steps_done >= cadence.max_touches:
        return f"{cadence.name} reached its cap of {cadence.max_touches} touches"
    return f"{cadence.name} is complete: all {state.steps_done} steps done"


def fit_to_calendar(
    due: datetime,
    *,
    tz: tzinfo,
    window: tuple[time, time],
    business_days: bool,
    country: str | None,
) -> tuple[datetime, list[str]]:
    """Move ``due`` forward into the send window of a working day, saying why it moved."""
    start, end = window
    local = due.astimezone(tz)
    reasons: list[str] = []
    for _ in range(400):
        day = local.date()
        closed = _closed_reason(day, country) if business_days else None
        if closed:
            if closed not in reasons:
                reasons.append(closed)
            local = datetime.combine(day + timedelta(days=1), start, tzinfo=tz)
        elif local.timetz().replace(tzinfo=None) < start:
            local = datetime.combine(day, start, tzinfo=tz)
        elif local.timetz().replace(tzinfo=None) > end:
            local = datetime.combine(day + timedelta(days=1), start, tzinfo=tz)
        else:
            break
    return local.astimezone(UTC), reasons


def _closed_reason(day: date, country: str | None) -> str | None:
    if day.weekday() >= 5:
        return "moved past the weekend"
    if country:
        name = holidays_of(country, day.year).get(day)
        if name:
            return f"moved past {name}"
    return None


_holidays: dict[tuple[str, int], dict[date, str]] = {}


def holidays_of(country: str, year: int) -> dict[date, str]:
    """Public holidays of a country (ISO 3166 code) in a year, by date."""
    key = (country.upper(), year)
    if key not in _holidays:
        from followup_cli.store import memo

        remembered = memo.get(f"holidays:{key[0]}:{year}")
        if remembered is None:
            remembered = {day.isoformat(): name for day, name in _compute_holidays(*key).items()}
            memo.put(f"holidays:{key[0]}:{year}", remembered)
        _holidays[key] = {date.fromisoformat(day): name for day, name in remembered.items()}
    return _holidays[key]


def _compute_holidays(country: str, year: int) -> dict[date, str]:
    import holidays

    try:
        return dict(holidays.country_holidays(country, years=year).items())
    except NotImplementedError:
        return {}


def _day(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).date().isoformat()


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 48 and hours % 24:
        return f"{hours:g}h"
    days = hours / 24
    return f"{days:g}d" if days == int(days) else f"{days:.1f}d"


@dataclass(frozen=True)
class PlannedTouch:
    """One row of a cadence's calendar preview."""

    touch: NextTouch
    why: str


def preview(
    cadence: Cadence,
    *,
    start: datetime,
    tz: tzinfo,
    country: str | None = None,
    pace: float = 1.0,
    repetitions: int = 3,
) -> list[PlannedTouch]:
    """The calendar of a cadence for someone enrolled at ``start`` who gets every touch
    on the day it is due (and never answers). Shows a repeating tail ``repetitions`` times."""
    state = Enrollment(
        cadence=cadence.name,
        anchor=start,
        status="active",
        answered=True,  # show the whole plan; the cold cap is a rule printed beside it
        timezone=tz,
        country=country,
        pace=pace,
    )
    limit = len(cadence.steps) + (repetitions if cadence.repeat else 0)
    rows: list[PlannedTouch] = []
    while len(rows) < limit:
        result = plan(state, lambda _name: cadence)
        if result.next is None:
            break
        rows.append(PlannedTouch(result.next, result.why))
        due = result.next.due_at
        state = replace(
            state,
            steps_done=state.steps_done + 1,
            prev_step_at=due,
            prev_step_due=due,
            last_touch_at=due,
        )
    return rows
