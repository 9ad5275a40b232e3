"""The schedules an import writes: each new or changed prospect's next touch, from the
scheduler itself, planned once for every row alike in what the scheduler reads (the
cadence, its state, and the facts a cadence step asks the record for, ``when:``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

from followup_cli import store
from followup_cli.core.errors import FollowupError

# Columns the scheduler never reads (a test holds ``enrollment_of`` to that): rows that differ
# only in these share one computed schedule.
NOT_SCHEDULING = frozenset(
    ("id", "name", "email", "phone", "company", "title", "linkedin", "notes", "key_points",
     "competitors", "decision_makers", "personal", "referred_by", "relationship", "birthday",
     "anniversary", "tags", "fields", "value", "priority", "created_at", "updated_at")
)  # fmt: skip


def scheduler(now: datetime, user_tz: tzinfo) -> Callable[[dict[str, Any], str | None], dict]:
    """The schedule columns of a prospect row, from the scheduler itself (``enrollment_of``,
    ``settle``, ``plan``); ``enroll`` starts that cadence now. They are pure functions of the
    row, so rows alike in everything else (thousands enrolled at once) are planned once. The
    last touch only counts when it is later than ``last_touch_bound`` says: rows alike in
    all but an earlier last touch share one plan too (a history imported for a whole book)."""
    from followup_cli.pipeline.prospect import Prospect
    from followup_cli.scheduling import cadence as cadences
    from followup_cli.scheduling.enrollment import enrollment_of, plan_columns, state_columns
    from followup_cli.scheduling.schedule import last_touch_bound, plan, settle

    lookup = cache(cadences.load_cadence)  # cadence files are read once per import
    memo: dict[Any, tuple[dict[str, Any], str | None]] = {}
    asked = asked_facts(lookup)  # a row's other details matter only where a step asks
    keyed = [
        name
        for name in Prospect.__dataclass_fields__
        if name not in NOT_SCHEDULING and name != "last_touch_at"
    ]

    def computed(row: dict[str, Any], enroll: str | None) -> tuple[dict[str, Any], Any]:
        state = enrollment_of(Prospect.from_row(row), user_tz)  # type: ignore[arg-type]
        if enroll:
            state = state.start(enroll, now)
        settled = settle(state, lookup)
        columns = {**state_columns(settled), **plan_columns(plan(settled, lookup))}
        return columns, state

    def schedule(
        row: dict[str, Any], enroll: str | None, whole: Callable[[], dict] | None = None
    ) -> dict[str, Any]:
        """``row``: every column, or (with ``whole``, which reads the stored row) at least
        the ``read_columns``; ``whole`` is called only when a plan is computed."""
        key = (enroll, row_facts(row, asked), *[row[name] for name in keyed])
        found = memo.get(key)
        if found is None:
            if len(memo) > 10_000:
                memo.clear()
            full = {**whole(), **row} if whole else row
            columns, state = computed({**full, "last_touch_at": None}, enroll)
            bound = last_touch_bound(state, lookup)
            found = memo[key] = (columns, bound and store.to_text(bound))
        columns, bound = found
        last = row["last_touch_at"]
        if last is None or (bound is not None and last <= bound):
            return columns
        # a touch recent enough to move the next one
        return computed({**whole(), **row} if whole else row, enroll)[0]

    return schedule


def read_columns(columns: list[str]) -> list[str]:
    """Of a prospect row's ``columns``, those the scheduler reads (``scheduler``: the rows
    alike in these share a plan), in order: a row of only these is enough for ``schedule``
    with ``whole``."""
    from followup_cli.pipeline.prospect import Prospect

    read = {name for name in Prospect.__dataclass_fields__ if name not in NOT_SCHEDULING}
    read |= {"id", "fields", *asked_facts()}
    return [name for name in columns if name in read]


def asked_facts(lookup: Callable[[str], Any] | None = None) -> frozenset[str]:
    """The facts any cadence's step asks the record for (``when:``)."""
    from followup_cli.core.library import cadence_files
    from followup_cli.scheduling import cadence as cadences
    from followup_cli.scheduling.step_conditions import asked

    lookup = lookup or cadences.load_cadence
    loaded = []
    for name in cadence_files():
        try:
            loaded.append(lookup(name))
        except FollowupError:
            continue  # a broken cadence plans nothing
    return asked(loaded)


def row_facts(row: dict[str, Any], asked: frozenset[str]) -> frozenset[str]:
    """``step_conditions.record_facts`` of a stored row, for the facts steps ask for."""
    import json

    found = {name for name in asked if name in row and row[name]}
    custom = [name for name in asked if name not in row]
    text = row.get("fields") or "{}"
    if any(f'"{name}"' in text for name in custom):  # parsed only when it may hold one
        fields = json.loads(text)
        found |= {name for name in custom if fields.get(name)}
    return frozenset(found)


def schedule_columns() -> tuple[str, ...]:
    """The columns the scheduler writes (``enrollment.state_columns`` and ``plan_columns``)."""
    from followup_cli.scheduling.enrollment import plan_columns, state_columns
    from followup_cli.scheduling.schedule import Enrollment, Plan

    return (*state_columns(Enrollment()), *plan_columns(Plan(None, "")))
