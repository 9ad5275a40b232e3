"""A prospect's place in a cadence: enrol, stop, pause, resume, and keep the stored next
due date right.

The next touch is stored on the prospect row (``next_due_at`` and friends, indexed) and
recomputed here in the same transaction as every write, so ``followup today`` is one
indexed query. When a cadence file changes, every prospect enrolled in it is recomputed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.core.config import zone
from followup_cli.core.errors import FollowupError, InvalidValue
from followup_cli.core.vocab import ANSWERED
from followup_cli.pipeline.prospect import Prospect, country_of, get
from followup_cli.scheduling import cadence as cadences
from followup_cli.scheduling.schedule import Enrollment, Plan, plan, settle
from followup_cli.scheduling.step_conditions import record_facts
from followup_cli.store import enrollments as enrollment_rows

FINGERPRINT_KEY = cadences.FINGERPRINT_KEY
BROKEN_KEY = cadences.BROKEN_KEY


def prospect_zone(prospect: Prospect, user_tz: tzinfo) -> tzinfo:
    return zone(prospect.timezone) if prospect.timezone else user_tz


def enrollment_of(prospect: Prospect, user_tz: tzinfo) -> Enrollment:
    return Enrollment(
        cadence=prospect.cadence,
        anchor=store.from_text(prospect.cadence_anchor),
        steps_done=prospect.steps_done,
        prev_step_at=store.from_text(prospect.prev_step_at),
        prev_step_due=store.from_text(prospect.prev_step_due),
        last_touch_at=store.from_text(prospect.last_touch_at),
        last_touch_holds=prospect.last_touch_outcome not in ANSWERED,
        paused_until=store.from_text(prospect.paused_until),
        status=prospect.cadence_status,
        do_not_contact=prospect.do_not_contact,
        answered=prospect.answered,
        pace=prospect.pace,
        preferred_channel=prospect.channel,
        timezone=prospect_zone(prospect, user_tz),
        country=country_of(prospect),
        facts=record_facts(prospect),
    )


def state_columns(state: Enrollment) -> dict[str, Any]:
    return {
        "cadence": state.cadence,
        "cadence_status": state.status,
        "cadence_anchor": store.to_text(state.anchor),
        "steps_done": state.steps_done,
        "prev_step_at": store.to_text(state.prev_step_at),
        "prev_step_due": store.to_text(state.prev_step_due),
        "paused_until": store.to_text(state.paused_until),
    }


def plan_columns(result: Plan) -> dict[str, Any]:
    touch = result.next
    return {
        "next_due_at": store.to_text(touch.due_at) if touch else None,
        "next_step": touch.step if touch else None,
        "next_steps_total": touch.steps_total if touch else None,
        "next_channel": touch.channel if touch else None,
        "next_purpose": touch.purpose if touch else None,
        "next_template": touch.template if touch else None,
        "next_why": result.why,
    }


def save(conn: sqlite3.Connection, prospect: Prospect, state: Enrollment) -> Prospect:
    """Store ``state`` for the prospect, settled, with its next touch recomputed."""
    state = settle(state, cadences.load_cadence)
    result = plan(state, cadences.load_cadence)
    store.update(conn, "prospects", prospect.id, {**state_columns(state), **plan_columns(result)})
    return get(conn, prospect.id)


def reschedule(conn: sqlite3.Connection, prospect: Prospect, user_tz: tzinfo) -> Prospect:
    return save(conn, prospect, enrollment_of(prospect, user_tz))


def enroll(
    conn: sqlite3.Connection,
    prospect: Prospect,
    cadence_name: str,
    *,
    start: datetime,
    user_tz: tzinfo,
) -> Prospect:
    cadences.load_cadence(cadence_name)  # a clear error for an unknown or broken cadence
    state = enrollment_of(prospect, user_tz)
    # unlike a cadence an outcome starts (Enrollment.start), enroll keeps paused_until as it was
    state = replace(state.start(cadence_name, start), paused_until=state.paused_until)
    return save(conn, prospect, state)


def stop(conn: sqlite3.Connection, prospect: Prospect, user_tz: tzinfo) -> Prospect:
    if not prospect.cadence or prospect.cadence_status not in ("active", "paused"):
        raise InvalidValue(f"{prospect.name} is not in an active cadence: nothing to stop.")
    state = replace(enrollment_of(prospect, user_tz), status="stopped")
    return save(conn, prospect, state)


def pause(
    conn: sqlite3.Connection,
    prospect: Prospect,
    until: datetime | None,
    user_tz: tzinfo,
    *,
    keep_later: bool = False,
) -> Prospect:
    """Pause until a date (the schedule then carries on from there), or until `resume`.

    A snooze says the date: an earlier one than the current snooze moves it earlier.
    ``keep_later`` (a vacation for everyone) leaves a longer pause as it is."""
    if not prospect.cadence or prospect.cadence_status not in ("active", "paused"):
        raise InvalidValue(
            f"{prospect.name} is not in an active cadence: enroll first (followup enroll)."
        )
    state = enrollment_of(prospect, user_tz)
    if until is None:
        state = replace(state, status="paused")
    else:
        latest = until
        if keep_later and state.paused_until:
            latest = max(until, state.paused_until)
        state = replace(state, status="active", paused_until=latest)
    return save(conn, prospect, state)


def resume(conn: sqlite3.Connection, prospect: Prospect, user_tz: tzinfo) -> Prospect:
    if prospect.cadence_status not in ("paused", "active") or not prospect.cadence:
        raise InvalidValue(
            f"{prospect.name} has no paused cadence: start one with followup enroll."
        )
    state = replace(enrollment_of(prospect, user_tz), status="active", paused_until=None)
    return save(conn, prospect, state)


def pause_everyone(conn: sqlite3.Connection, until: datetime, user_tz: tzinfo) -> int:
    """A vacation: every active cadence waits until ``until``; nothing is skipped."""
    rows = enrollment_rows.active_due_before(conn, store.to_text(until))
    for row in rows:
        pause(conn, Prospect.from_row(row), until, user_tz, keep_later=True)
    return len(rows)


def refresh_if_cadences_changed(conn: sqlite3.Connection, user_tz: tzinfo) -> int:
    """Recompute the schedule of everyone in a cadence whose file changed since last time.

    Editing a cadence reaches the prospects already in it. Cheap when nothing changed:
    a stat of each cadence file. A cadence whose file no longer loads (bad YAML, an unknown
    key, a deleted file) is not recomputed: its people keep their last good plan, and the
    file's error is kept (``BROKEN_KEY``) for every command to show.
    """
    current = cadences.fingerprint(cadences.cadence_files())
    known = store.get_meta(conn, FINGERPRINT_KEY)
    broken = store.get_meta(conn, BROKEN_KEY)
    if known == current and broken is not None:
        return 0
    known = known or {}
    changed = {name for name in set(current) | set(known) if current.get(name) != known.get(name)}
    if broken is None:  # never checked (a database from before this was kept): check all
        changed |= set(enrollment_rows.cadences_in_use(conn))
    broken = {name: why for name, why in (broken or {}).items() if name not in changed}
    count = 0
    with store.transaction(conn):
        in_use = enrollment_rows.cadences_in_use(conn)
        for name in sorted(changed & set(in_use)):
            try:
                cadences.load_cadence(name)
            except FollowupError as error:
                broken[name] = str(error)
        if known:  # a brand-new database has nobody to recompute
            for row in enrollment_rows.in_cadences(conn, sorted(changed - set(broken))):
                try:
                    reschedule(conn, Prospect.from_row(row), user_tz)
                except FollowupError:
                    continue
                count += 1
        store.set_meta(conn, FINGERPRINT_KEY, current)
        store.set_meta(conn, BROKEN_KEY, broken)
    return count


def broken_cadences(conn: sqlite3.Connection) -> dict[str, str]:
    """{cadence: why its file does not load}, for cadences people are in (see above)."""
    return store.get_meta(conn, BROKEN_KEY) or {}
