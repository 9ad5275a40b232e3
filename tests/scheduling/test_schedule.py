"""The scheduler as pure functions: examples with known dates, then properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from followup_cli.scheduling.cadence_model import Cadence, Repeat, Step
from followup_cli.scheduling.schedule import Enrollment, fit_to_calendar, plan, preview, settle

DENVER = ZoneInfo("America/Denver")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=DENVER)


def day_steps(*days: int, channel: str = "email") -> tuple[Step, ...]:
    return tuple(
        Step(channel=channel, purpose=f"day {d}", template="value-add", offset=timedelta(days=d))
        for d in days
    )


PROPOSAL = Cadence(name="post-proposal", steps=day_steps(0, 2, 5, 7, 10))


def lookup_for(*cadences: Cadence):
    table = {c.name: c for c in cadences}
    return lambda name: table[name]


def enrolled(cadence: Cadence, start: datetime, **changes) -> Enrollment:
    base = Enrollment(cadence=cadence.name, anchor=start, status="active", timezone=DENVER)
    return replace(base, **changes)


def test_step_offsets_count_from_the_start():
    start = local(2026, 11, 16, 10, 0)  # Monday
    result = plan(enrolled(PROPOSAL, start, steps_done=1, prev_step_at=start), lookup_for(PROPOSAL))
    assert result.next is not None
    assert result.next.due_at == local(2026, 11, 18, 10, 0).astimezone(UTC)
    assert result.next.step == 2 and result.next.steps_total == 5
    assert result.why.startswith("step 2/5 of post-proposal: day 2 after 2026-11-16")


def test_weekend_and_thanksgiving_are_skipped_with_the_reason():
    start = local(2026, 11, 21, 10, 0)  # Saturday; day 5 is Thursday 26 Nov, Thanksgiving
    state = enrolled(
        PROPOSAL, start, steps_done=2, prev_step_at=local(2026, 11, 23, 10, 0), country="US"
    )
    result = plan(state, lookup_for(PROPOSAL))
    assert result.next.due_at.astimezone(DENVER) == local(2026, 11, 27, 9, 0)
    assert "moved past Thanksgiving" in result.why


def test_without_a_country_only_weekends_are_skipped():
    start = local(2026, 11, 21, 10, 0)
    state = enrolled(PROPOSAL, start, steps_done=2, prev_step_at=local(2026, 11, 23, 10, 0))
    assert plan(state, lookup_for(PROPOSAL)).next.due_at.astimezone(DENVER) == local(
        2026, 11, 26, 10, 0
    )


def test_a_late_step_shifts_the_later_ones_instead_of_piling_up():
    start = local(2026, 11, 2, 10, 0)  # Monday
    # Step 2 (day 2) was done a week late, on day 9: step 3 (day 5) keeps its 3-day gap.
    state = enrolled(
        PROPOSAL,
        start,
        steps_done=2,
        prev_step_at=local(2026, 11, 11, 10, 0),
        prev_step_due=local(2026, 11, 4, 10, 0),
        last_touch_at=local(2026, 11, 11, 10, 0),
    )
    result = plan(state, lookup_for(PROPOSAL))
    # 3 days after 11 Nov is Saturday 14 Nov: Monday 16 Nov when the window opens.
    assert result.next.due_at == local(2026, 11, 16, 9, 0).astimezone(UTC)
    assert "kept 3d after step 2, which was done late on 2026-11-11" in result.why
    on_time = plan(replace(state, prev_step_due=state.prev_step_at), lookup_for(PROPOSAL))
    assert on_time.next.due_at == local(2026, 11, 12, 10, 0).astimezone(UTC)  # not shifted


def test_an_overdue_step_stays_due():
    start = local(2026, 10, 1, 10, 0)
    state = enrolled(PROPOSAL, start, steps_done=1, prev_step_at=start, last_touch_at=start)
    result = plan(state, lookup_for(PROPOSAL))
    assert result.next.step == 2
    assert result.next.due_at == local(2026, 10, 5, 9, 0).astimezone(UTC)  # Sat 3 Oct -> Mon


def test_pace_stretches_every_gap():
    start = local(2026, 11, 2, 10, 0)
    state = enrolled(PROPOSAL, start, steps_done=1, prev_step_at=start, pace=2.0)
    result = plan(state, lookup_for(PROPOSAL))
    assert result.next.due_at == local(2026, 11, 6, 10, 0).astimezone(UTC)
    assert "at pace 2" in result.why


def test_min_gap_after_any_touch():
    start = local(2026, 11, 2, 10, 0)
    cadence = replace(PROPOSAL, min_gap=timedelta(days=3))
    touched = local(2026, 11, 3, 15, 0)  # an extra touch the day before step 2
    state = enrolled(cadence, start, steps_done=1, prev_step_at=start, last_touch_at=touched)
    result = plan(state, lookup_for(cadence))
    assert result.next.due_at == local(2026, 11, 6, 15, 0).astimezone(UTC)
    assert "minimum gap" in result.why


def test_pause_holds_the_step_until_the_date():
    start = local(2026, 11, 2, 10, 0)
    state = enrolled(
        PROPOSAL, start, steps_done=1, prev_step_at=start, paused_until=local(2026, 12, 1, 9, 0)
    )
    result = plan(state, lookup_for(PROPOSAL))
    assert result.next.step == 2
    assert result.next.due_at == local(2026, 12, 1, 9, 0).astimezone(UTC)
    assert "paused until 2026-12-01" in result.why


def test_send_window_in_the_prospects_timezone():
    tokyo = ZoneInfo("Asia/Tokyo")
    due, _ = fit_to_calendar(
        datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        tz=tokyo,
        window=(time(9), time(17)),
        business_days=True,
        country=None,
    )
    # 19:00 in Tokyo is after the window: the next morning at 09:00 Tokyo time.
    assert due.astimezone(tokyo) == datetime(2026, 11, 25, 9, 0, tzinfo=tokyo)


def test_opted_out_is_never_due():
    state = enrolled(PROPOSAL, local(2026, 11, 2, 10), do_not_contact=True)
    result = plan(state, lookup_for(PROPOSAL))
    assert result.next is None and "do not contact" in result.why


def test_cold_cap_stops_after_six_unanswered_follow_ups():
    steli = Cadence(
        name="steli",
        steps=day_steps(1, 3, 7, 14, 28, 58),
        cold_max_touches=6,
        repeat=Repeat(every=timedelta(days=30), channel="email", purpose="monthly"),
    )
    state = enrolled(
        steli,
        local(2026, 1, 5, 10),
        steps_done=6,
        prev_step_at=local(2026, 3, 4, 10),
        last_touch_at=local(2026, 3, 4, 10),
    )
    assert plan(state, lookup_for(steli)).next is None
    assert "6 follow-ups without an answer" in plan(state, lookup_for(steli)).why
    warm = plan(replace(state, answered=True), lookup_for(steli))
    assert warm.next is not None and warm.next.step == 7 and warm.next.steps_total is None
    assert warm.next.due_at == local(2026, 4, 3, 10).astimezone(UTC)


def test_repeat_with_growing_gaps():
    growing = Cadence(
        name="g",
        steps=(),
        repeat=Repeat(
            every=timedelta(days=10),
            grow=2.0,
            max_every=timedelta(days=30),
            times=4,
            channel="email",
            purpose="p",
        ),
        business_days=False,
    )
    rows = preview(growing, start=local(2026, 1, 1, 10), tz=DENVER)
    gaps = [(b.touch.due_at - a.touch.due_at).days for a, b in zip(rows, rows[1:], strict=False)]
    assert [row.touch.step for row in rows] == [1, 2, 3]
    assert gaps == [20, 30]  # 10, then 20, then 40 capped at 30


def test_settle_moves_to_the_next_cadence_when_done():
    nurture = Cadence(name="nurture", steps=day_steps(0, 30))
    short = Cadence(name="short", steps=day_steps(1), then=None)
    from followup_cli.scheduling.cadence_model import Then

    short = replace(short, then=Then("nurture", timedelta(days=30)))
    done_at = local(2026, 11, 3, 10)
    state = enrolled(short, local(2026, 11, 2, 10), steps_done=1, prev_step_at=done_at)
    settled = settle(state, lookup_for(short, nurture))
    assert settled.cadence == "nurture" and settled.steps_done == 0
    assert settled.anchor == done_at + timedelta(days=30)
    finished = settle(replace(settled, steps_done=2), lookup_for(short, nurture))
    assert finished.status == "completed"
    assert plan(finished, lookup_for(short, nurture)).next is None


def test_last_touch_anchor_counts_from_the_last_logged_touch():
    six = Cadence(name="six", steps=day_steps(182), anchor="last_touch")
    last = local(2026, 1, 14, 10)
    state = enrolled(six, local(2026, 6, 1, 10), last_touch_at=last)
    assert plan(state, lookup_for(six)).next.due_at == local(2026, 7, 15, 10).astimezone(UTC)


# --- properties ----------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@st.composite
def scenarios(draw):
    offsets = sorted(draw(st.lists(st.integers(0, 60), min_size=1, max_size=8)))
    cadence = Cadence(
        name="c",
        steps=day_steps(*offsets),
        business_days=draw(st.booleans()),
        min_gap=timedelta(days=draw(st.integers(0, 5))),
        anchor=draw(st.sampled_from(["start", "last_touch"])),
        repeat=draw(
            st.none() | st.just(Repeat(every=timedelta(days=30), channel="call", purpose="monthly"))
        ),
    )
    start = draw(moments)
    done = draw(st.integers(0, len(offsets)))
    prev = start + timedelta(hours=draw(st.integers(0, 2000))) if done else None
    last = draw(st.none() | st.just(prev) | moments) if done else draw(st.none() | moments)
    state = Enrollment(
        cadence="c",
        anchor=start,
        steps_done=done,
        prev_step_at=prev,
        last_touch_at=last,
        status="active",
        pace=draw(st.sampled_from([0.5, 1.0, 1.5, 3.0])),
        timezone=ZoneInfo(draw(st.sampled_from(["America/Denver", "Asia/Tokyo", "UTC"]))),
        country=draw(st.sampled_from([None, "US", "GB", "JP"])),
        paused_until=draw(st.none() | moments),
        do_not_contact=draw(st.booleans()),
    )
    return cadence, state


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_never_before_last_touch_plus_min_gap_never_on_a_closed_day(scenario):
    cadence, state = scenario
    result = plan(state, lookup_for(cadence))
    if state.do_not_contact:
        assert result.next is None
        return
    if result.next is None:
        return
    due = result.next.due_at
    if state.last_touch_at is not None:
        assert due >= state.last_touch_at + cadence.min_gap
    if state.paused_until is not None:
        assert due >= state.paused_until
    local_due = due.astimezone(state.timezone)
    assert time(9) <= local_due.time() <= time(17)
    if cadence.business_days:
        assert local_due.weekday() < 5
        if state.country:
            from followup_cli.scheduling.schedule import holidays_of

            assert local_due.date() not in holidays_of(state.country, local_due.year)


@settings(max_examples=200, deadline=None)
@given(scenarios(), moments)
def test_a_pause_shifts_but_never_loses_a_step(scenario, until):
    cadence, state = scenario
    state = replace(state, do_not_contact=False)
    before = plan(state, lookup_for(cadence))
    longest = max(until, state.paused_until) if state.paused_until else until  # as `pause` does
    after = plan(replace(state, paused_until=longest), lookup_for(cadence))
    if before.next is None:
        assert after.next is None
        return
    assert after.next is not None
    assert after.next.step == before.next.step
    assert after.next.due_at >= before.next.due_at
    assert after.next.due_at >= until


# --- starting a cadence, and the calendar `cadences show` prints ------------------------------


def test_starting_a_cadence_forgets_the_last_ones_progress_and_pause():
    before = enrolled(
        PROPOSAL,
        local(2026, 10, 1, 10),
        steps_done=4,
        prev_step_at=local(2026, 10, 8, 10),
        prev_step_due=local(2026, 10, 7, 10),
        last_touch_at=local(2026, 10, 8, 10),
        paused_until=local(2026, 12, 1, 9),
        status="paused",
        answered=True,
        pace=1.5,
    )
    started = before.start("nurture", local(2026, 11, 2, 9))
    assert started == replace(
        before,
        cadence="nurture",
        anchor=local(2026, 11, 2, 9),
        steps_done=0,
        prev_step_at=None,
        prev_step_due=None,
        status="active",
        paused_until=None,
    )  # who they are, their last touch and their pace stay


EVERY_DAY = Cadence(name="every-day", steps=day_steps(0, 2, 5), business_days=False)


def test_preview_shows_each_step_once_in_the_prospects_time():
    start = local(2026, 11, 16, 16, 30)  # in Denver's send window; 23:30 in UTC is not
    rows = preview(EVERY_DAY, start=start, tz=DENVER)
    assert [row.touch.step for row in rows] == [1, 2, 3]  # then the cadence is done
    assert [row.touch.due_at.astimezone(DENVER) for row in rows] == [
        start,
        local(2026, 11, 18, 16, 30),
        local(2026, 11, 21, 16, 30),
    ]


def test_preview_at_a_slower_pace_stretches_every_offset():
    start = local(2026, 11, 16, 10)
    rows = preview(EVERY_DAY, start=start, tz=DENVER, pace=2.0)
    days = [(row.touch.due_at.astimezone(DENVER) - start).days for row in rows]
    assert days == [0, 4, 10]


def test_preview_keeps_the_minimum_gap_after_each_touch():
    close = Cadence(
        name="close",
        steps=(
            Step(channel="call", purpose="call", template=None, offset=timedelta(0)),
            Step(channel="email", purpose="recap", template=None, offset=timedelta(hours=1)),
        ),
        business_days=False,
        min_gap=timedelta(days=1),
    )
    start = local(2026, 11, 16, 10)
    rows = preview(close, start=start, tz=DENVER)
    assert [row.touch.due_at.astimezone(DENVER) for row in rows] == [
        start,
        local(2026, 11, 17, 10),
    ]
    assert "minimum gap" in rows[1].why


def test_why_a_cadence_ended_names_the_cap_it_reached():
    capped = replace(PROPOSAL, max_touches=3, cold_max_touches=2)
    cold = enrolled(capped, local(2026, 11, 2, 10), steps_done=2, prev_step_at=local(2026, 11, 4))
    assert plan(cold, lookup_for(capped)).why == (
        "post-proposal stopped after 2 follow-ups without an answer (the cap for cold prospects)"
    )
    warm = replace(cold, answered=True, steps_done=3)
    assert plan(warm, lookup_for(capped)).next is None
    assert plan(warm, lookup_for(capped)).why == "post-proposal reached its cap of 3 touches"


def test_preview_ends_where_a_short_repeating_tail_ends():
    once_more = replace(
        EVERY_DAY,
        repeat=Repeat(every=timedelta(days=7), times=1, channel="email", purpose="again"),
    )
    rows = preview(once_more, start=local(2026, 11, 16, 10), tz=DENVER, repetitions=3)
    assert [row.touch.step for row in rows] == [1, 2, 3, 4]  # one repetition, not three
