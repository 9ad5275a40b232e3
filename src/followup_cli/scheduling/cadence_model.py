"""What a cadence is: its steps, its repeating tail, what follows it, and its rules.

Plain data: reading and checking cadence files is ``cadence_check``'s job, finding and
loading them ``cadence``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path

from followup_cli.core.dates import format_duration
from followup_cli.core.vocab import DEFAULT_ON_OUTCOME, DEFAULT_STOP_ON


@dataclass(frozen=True)
class Step:
    """One planned touch. Either ``offset`` (from the anchor) or ``wait`` (since the
    previous touch) is set."""

    channel: str
    purpose: str
    template: str | None = None
    offset: timedelta | None = None
    wait: timedelta | None = None
    by_day: bool = True  # offset given in days (not hours): say "day 5", not "hour 120"
    # Facts the record must hold for this step (``when: [deadline]``), and the step everyone
    # else gets at the same time (``otherwise:``): see ``step_conditions``.
    when: tuple[str, ...] = ()
    otherwise: Step | None = None

    def describe_timing(self) -> str:
        if self.wait is not None:
            return f"{format_duration(self.wait)} after the previous touch"
        assert self.offset is not None
        if self.by_day:
            return f"day {self.offset.days}"
        return f"hour {int(self.offset.total_seconds() // 3600)}"


@dataclass(frozen=True)
class Repeat:
    """The tail that keeps going after the steps: ``every`` N days, ``times`` or forever."""

    every: timedelta
    channel: str
    purpose: str
    template: str | None = None
    times: int | None = None
    grow: float = 1.0
    max_every: timedelta | None = None

    def gap(self, repetition: int) -> timedelta:
        gap = self.every * (self.grow**repetition)
        if self.max_every is not None:
            gap = min(gap, self.max_every)
        return gap


@dataclass(frozen=True)
class Then:
    """The cadence that follows this one, and how long after its last step."""

    cadence: str
    after: timedelta = timedelta(0)


@dataclass(frozen=True)
class Cadence:
    """An ordered list of steps, with the rules for spacing them out."""

    name: str
    steps: tuple[Step, ...]
    repeat: Repeat | None = None
    description: str = ""
    source: str = ""
    stage: str | None = None  # the stage it serves: `templates check` holds its templates to it
    anchor: str = "start"
    business_days: bool = True
    window_start: time = time(9, 0)
    window_end: time = time(17, 0)
    min_gap: timedelta = timedelta(days=1)
    max_touches: int | None = None
    cold_max_touches: int | None = None
    stop_on: frozenset[str] = frozenset(DEFAULT_STOP_ON)
    not_now_pause: timedelta = timedelta(days=90)
    on_outcome: dict[str, str | None] = field(default_factory=dict)
    then: Then | None = None
    path: Path | None = None

    @property
    def steps_total(self) -> int | None:
        """How many touches the cadence has, or None when it repeats forever."""
        if self.repeat is None:
            return len(self.steps)
        if self.repeat.times is None:
            return None
        return len(self.steps) + self.repeat.times

    def step(self, index: int) -> Step | None:
        """The step at 0-based ``index``, counting into the repeating tail; None when done."""
        if index < len(self.steps):
            return self.steps[index]
        if self.repeat is None:
            return None
        repetition = index - len(self.steps)
        if self.repeat.times is not None and repetition >= self.repeat.times:
            return None
        return Step(
            channel=self.repeat.channel,
            purpose=self.repeat.purpose,
            template=self.repeat.template,
            wait=self.repeat.gap(repetition),
        )

    def next_cadence_on(self, outcome: str) -> str | None:
        """The cadence an outcome moves the prospect to (None: none)."""
        if outcome in self.on_outcome:
            return self.on_outcome[outcome]
        return DEFAULT_ON_OUTCOME.get(outcome)
