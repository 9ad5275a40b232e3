"""`followup work`: the morning's queue, worked one prospect at a time.

The queue is `followup today`'s (``scheduling.agenda.queue``: batched by channel, most
urgent first). Every action is the call its own command makes, written at once in its
own journal entry: an outcome is `followup log`'s ``record_touch``, a snooze is
`followup snooze`'s ``enrollment.pause``, a note is `followup edit --notes`'s
``prospect.change``, and undo is `followup undo`'s. Nothing here prints or waits for a
key: the screen (``cli/work_app.py``) asks, this decides and writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.core.errors import FollowupError, InvalidValue
from followup_cli.pipeline import prospect as prospects
from followup_cli.pipeline.prospect import Prospect
from followup_cli.pipeline.touch import Logged, Touch, record_touch, touches_of
from followup_cli.scheduling.agenda import DueTouch

# One key a touch: the outcome each logs (`followup log --outcome`).
OUTCOME_KEYS = {
    "s": "sent",
    "v": "voicemail",
    "n": "no_answer",
    "r": "replied",
    "m": "meeting",
    "w": "won",
    "l": "lost",
    "x": "not_now",
    "o": "opted_out",
}
# The snooze choices offered first (anything `parse_when` reads works too).
SNOOZES = ("1d", "3d", "1w")
LAST_TOUCHES = 3


class NotYours(FollowupError):
    """The newest journal entry is another session's (or older than this one)."""


@dataclass(frozen=True)
class Action:
    """One thing done in this session, newest last: what `u` takes back."""

    entry_id: int
    prospect_id: int
    kind: str  # done, snoozed, noted
    position: int  # where the prospect was in the queue
    summary: str  # the journal's words for it


@dataclass(frozen=True)
class Focus:
    """Everything the screen shows about the prospect in focus (the draft comes apart:
    it is the slow part, and a draft that cannot be made is no reason not to log)."""

    item: DueTouch
    prospect: Prospect
    last_touches: list[Touch]


@dataclass(frozen=True)
class Summary:
    done: int
    snoozed: int
    left: int
    next_day: date | None  # the first day after today with something due
    next_count: int
    today: date

    def text(self) -> str:
        """``9 done, 2 snoozed, 3 left; next due tomorrow: 6``."""
        said = f"{self.done} done, {self.snoozed} snoozed, {self.left} left"
        if self.next_day is None:
            return said + "; nothing else due."
        days = (self.next_day - self.today).days
        when = "tomorrow" if days == 1 else self.next_day.strftime("%a %d %b")
        return f"{said}; next due {when}: {self.next_count}"


@dataclass
class Morning:
    """The queue, where the user is in it, and what was done."""

    conn: sqlite3.Connection
    clock: Callable[[], datetime]
    user_tz: tzinfo
    channel: str | None = None
    days: int = 0
    limit: int | None = None
    queue: list[DueTouch] = field(default_factory=list)
    position: int = 0
    state: dict[int, str] = field(default_factory=dict)  # prospect id -> done/snoozed/skipped
    actions: list[Action] = field(default_factory=list)

    def load(self) -> Morning:
        from followup_cli.scheduling import agenda

        now = self.clock()
        self.queue = agenda.queue(
            self.conn,
            now=now,
            user_tz=self.user_tz,
            days=self.days,
            channel=self.channel,
            limit=self.limit,
        )
        return self

    # --- where we are ---------------------------------------------------------------------

    @property
    def current(self) -> DueTouch | None:
        if 0 <= self.position < len(self.queue):
            return self.queue[self.position]
        return None

    def move(self, step: int) -> None:
        """Up or down the queue (the arrows), staying inside it."""
        if self.queue:
            self.position = max(0, min(len(self.queue) - 1, self.position + step))

    def advance(self) -> None:
        """To the next prospect nothing was done with yet, below the current one; at the
        end of the queue, back to the first one skipped. Past the end when every one has
        been logged or snoozed."""
        open_ = [i for i, item in enumerate(self.queue) if self.status_of(item) is None]
        later = [i for i in open_ if i > self.position]
        skipped = [
            i
            for i, item in enumerate(self.queue)
            if self.status_of(item) == "skipped" and i != self.position
        ]
        for choice in (later, open_, skipped):
            if choice:
                self.position = choice[0]
                return
        if self.current is None or self.status_of(self.current) not in (None, "skipped"):
            self.position = len(self.queue)  # the queue is worked through

    def focus(self, item: DueTouch) -> Focus:
        person = prospects.get(self.conn, item.prospect_id)
        return Focus(item, person, touches_of(self.conn, person.id, LAST_TOUCHES))

    def status_of(self, item: DueTouch) -> str | None:
        return self.state.get(item.prospect_id)

    # --- drafts ---------------------------------------------------------------------------

    def draft(self, item: DueTouch, template: str | None = None) -> Any:
        """`followup draft`'s draft for this step (or ``template``), checked by the rules."""
        from followup_cli.drafting import draft as drafts

        person = prospects.get(self.conn, item.prospect_id)
        now = self.clock()
        return drafts.prepare(
            self.conn, person, ref=str(person.id), now=now, user_tz=self.user_tz, template=template
        )

    def templates(self, item: DueTouch) -> list[Any]:
        """The templates to choose from: the step's channel's first, then the rest."""
        from followup_cli.drafting.draft import TEMPLATE_CHANNEL_OF_STEP
        from followup_cli.drafting.templates import load_all

        wanted = TEMPLATE_CHANNEL_OF_STEP.get(item.channel, "email")
        found = list(load_all().values())
        return sorted(found, key=lambda t: (t.channel != wanted, t.channel, t.name))

    # --- actions: each one command's own call, in its own journal entry --------------------

    def log(
        self,
        item: DueTouch,
        outcome: str,
        *,
        draft: Any = None,
        until: datetime | None = None,
        note: str | None = None,
    ) -> Logged:
        """`followup log PROSPECT --channel STEP'S --outcome OUTCOME`. ``s`` (and ``v``,
        with a voicemail script) logs the draft as `draft --log` does: its template,
        variant and value item, on the draft's channel (the step's, unless another
        template was chosen)."""
        from followup_cli.drafting.draft import TOUCH_CHANNEL_OF_TEMPLATE

        channel = "call" if outcome == "voicemail" else item.channel
        carried: dict[str, Any] = {}
        drafted = TOUCH_CHANNEL_OF_TEMPLATE.get(draft.channel) if draft is not None else None
        if drafted and (outcome == "sent" or (outcome == "voicemail" and drafted == "call")):
            channel = drafted
            carried = {
                "template": draft.template.name,
                "variant": draft.variant,
                "value_id": draft.value_id,
            }
            note = note or draft.subject or f"{draft.template.name} ({draft.channel})"
        if until is not None and outcome not in ("not_now", "out_of_office"):
            raise InvalidValue("A date to pick up again goes with not now.")
        now = self.clock()
        logged = record_touch(
            self.conn,
            lambda: prospects.get(self.conn, item.prospect_id),
            channel=channel,
            outcome=outcome,
            at=now,
            now=now,
            user_tz=self.user_tz,
            note=note,
            until=until,
            **carried,
        )
        self._did(item, "done")
        return logged

    def snooze(self, item: DueTouch, until: datetime) -> Prospect:
        """`followup snooze PROSPECT --until WHEN`."""
        from followup_cli.core.dates import ahead
        from followup_cli.scheduling import enrollment
        from followup_cli.store import journal

        now = self.clock()
        until = ahead(until, now, "snooze", until.date().isoformat())
        with journal.record(self.conn, "snooze", now=now) as entry:
            person = prospects.get(self.conn, item.prospect_id)
            entry.summary = f"snooze #{person.id} {person.name} until {until.date().isoformat()}"
            person = enrollment.pause(self.conn, person, until, self.user_tz)
        self._did(item, "snoozed")
        return person

    def add_note(self, item: DueTouch, text: str) -> Prospect:
        """`followup edit PROSPECT --notes ...`, the new line added under the old notes
        with today's date (a note never replaces what was there)."""
        from followup_cli.scheduling import enrollment
        from followup_cli.store import journal

        text = " ".join(text.split())
        if not text:
            raise InvalidValue("An empty note: nothing was added.")
        now = self.clock()
        with journal.record(self.conn, "edit", now=now) as entry:
            person = prospects.get(self.conn, item.prospect_id)
            entry.summary = f"edited #{person.id} {person.name}"
            day = now.astimezone(self.user_tz).date().isoformat()
            notes = "\n".join(filter(None, [person.notes, f"{day}: {text}"]))
            person = prospects.change(self.conn, person, {"notes": notes}, now=now)
            person = enrollment.reschedule(self.conn, person, self.user_tz)
        self._remember(item, "noted")
        return person

    def skip(self, item: DueTouch) -> None:
        """Leave this one for later in the session: nothing is written."""
        if self.state.get(item.prospect_id) is None:
            self.state[item.prospect_id] = "skipped"

    def undo(self) -> Action:
        """`followup undo` of this session's last action; the prospect comes back into
        focus as it was. Another session's newer change is never taken back from here."""
        from followup_cli.pipeline import undo as undoing

        if not self.actions:
            raise NotYours("Nothing to undo in this session.")
        last = self.actions[-1]
        expected = undoing.pending(self.conn)
        if expected[0].id != last.entry_id or undoing.others(expected[:1]):
            raise NotYours(
                f"The newest change is not this session's ({expected[0].summary}): "
                "nothing was undone. Quit and see followup undo --list."
            )
        undoing.undo(self.conn, expected[:1], None, now=self.clock())
        self.actions.pop()
        if last.kind != "noted" and not any(
            a.prospect_id == last.prospect_id and a.kind != "noted" for a in self.actions
        ):
            self.state.pop(last.prospect_id, None)
        self.position = last.position
        return last

    def _did(self, item: DueTouch, kind: str) -> None:
        self.state[item.prospect_id] = kind
        self._remember(item, kind)

    def _remember(self, item: DueTouch, kind: str) -> None:
        from followup_cli.pipeline import undo as undoing

        newest = undoing.pending(self.conn)[0]
        position = next(
            (i for i, q in enumerate(self.queue) if q.prospect_id == item.prospect_id),
            self.position,
        )
        self.actions.append(Action(newest.id, item.prospect_id, kind, position, newest.summary))

    # --- the end --------------------------------------------------------------------------

    def summary(self) -> Summary:
        """What the session did, what is left of the queue, and the next day's load."""
        from followup_cli.store import agenda as agenda_rows

        states = [self.state.get(item.prospect_id) for item in self.queue]
        done, snoozed = states.count("done"), states.count("snoozed")
        today = self.clock().astimezone(self.user_tz).date()
        end_of_today = datetime.combine(today, time.max, tzinfo=self.user_tz)
        first = agenda_rows.first_due_after(
            self.conn, store.to_text(end_of_today), channel=self.channel
        )
        next_day, count = None, 0
        if first is not None:
            moment = store.from_text(first)
            assert moment is not None
            next_day = moment.astimezone(self.user_tz).date()
            start = datetime.combine(next_day, time.min, tzinfo=self.user_tz)
            end = start + timedelta(days=1) - timedelta(microseconds=1)
            _, count, _ = agenda_rows.due_counts(
                self.conn,
                start=store.to_text(start),
                today=store.to_text(end),
                week=store.to_text(end),
                channel=self.channel,
            )
        left = len(self.queue) - done - snoozed
        return Summary(done, snoozed, left, next_day, count, today)
