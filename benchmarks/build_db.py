"""Build a realistic followup database for the speed benchmark.

    python benchmarks/build_db.py --db /tmp/bench/big.db --prospects 100000 --touches 1000000

Everything goes through the project's own code: ``store.open_db`` creates the schema,
rows are bulk-inserted inside ``store.transaction``, and every prospect's history is
simulated with the real scheduler (``schedule.settle`` + ``schedule.plan`` on the state
from ``enrollment.enrollment_of``, cadences from ``cadence.load_cadence``): each touch is
made when the scheduler said it was due, outcomes change the cadence the way
``followup log`` does, and the stored next due date is what the scheduler computes
from the final state. Nothing is random about a due date except when the user got to it.
The numbers `stats` reads from each touch are then stored by ``touch.renumber_many``, as
``followup import`` stores them.

What is in it: stages and the shipped cadences that fit them, a year of history, prospects
in a dozen timezones (so public holidays apply), some who replied, some who said "not now",
won or lost, some opted out (do_not_contact=1), some paused or snoozed, some behind
schedule (overdue), some not enrolled at all. The fixed "now" of the database is stored in
its meta table under ``bench_now``; ``benchmarks/run.py`` pins FOLLOWUP_NOW to it.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Only shipped cadences: a developer's own cadences must not leak into the benchmark.
os.environ["FOLLOWUP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="followup-bench-config-")

from followup_cli import store
from followup_cli.core.vocab import ANSWERED, NOT_DELIVERED  # noqa: E402
from followup_cli.pipeline.prospect import Prospect, get  # noqa: E402
from followup_cli.pipeline.touch import _apply_outcome, renumber_many  # noqa: E402  (as `log` does)
from followup_cli.scheduling import cadence as cadences  # noqa: E402
from followup_cli.scheduling import enrollment  # noqa: E402
from followup_cli.scheduling.schedule import Enrollment, Plan, plan, settle  # noqa: E402
from followup_cli.store import aggregates  # noqa: E402

DEFAULT_NOW = "2026-11-23T14:00:00Z"  # a Monday afternoon in UTC, Thanksgiving week
BATCH = 5_000  # prospects per transaction
STORIES = 250_000  # histories simulated; a bigger book tells each by several prospects

# Which shipped cadences a prospect in each stage is plausibly enrolled in.
STAGE_CADENCES = {
    "cold": ["stage-cold", "steli-persistence", "after-first-contact"],
    "interest": [
        "post-discovery",
        "stage-interest",
        "thirty-day",
        "after-first-contact",
        "nurture-after-first-contact",
    ],
    "active": ["post-demo", "stage-active", "service-proposal", "thirty-day"],
    "proposal": ["post-proposal", "proposal-check-ins", "stage-proposal", "service-proposal"],
    "customer": ["customer-onboarding", "stage-customer", "quarterly-nurture"],
    "lost": ["lost-deal", "stage-lost", "six-month-check-in"],
    "nurture": ["long-term-nurture", "quarterly-nurture", "six-month-check-in"],
}
STAGE_WEIGHTS = {
    "cold": 30,
    "interest": 18,
    "active": 10,
    "proposal": 7,
    "customer": 12,
    "lost": 8,
    "nurture": 15,
}
TIMEZONES = [
    ("America/New_York", 22),
    ("America/Chicago", 10),
    ("America/Denver", 5),
    ("America/Los_Angeles", 12),
    ("Europe/London", 10),
    ("Europe/Berlin", 7),
    ("Europe/Paris", 5),
    ("Europe/Madrid", 3),
    ("America/Sao_Paulo", 3),
    ("Asia/Kolkata", 4),
    ("Asia/Singapore", 3),
    ("Asia/Tokyo", 3),
    ("Australia/Sydney", 4),
    ("Africa/Lagos", 2),
    (None, 7),  # no timezone given: the user's own
]
# How a story ends (or pauses), per enrolled prospect; the rest just follow their cadence.
ENDINGS = [
    ("replied", 0.12),
    ("not_now", 0.05),
    ("won", 0.03),
    ("lost", 0.03),
    ("opted_out", 0.03),
    ("out_of_office", 0.02),
]


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = words(
    "Dana Marcus Priya Tom Elena Sam Aisha Jonas Lucia Kenji Grace Oliver Fatima Noah Hannah "
    "Diego Zoe Ravi Chloe Ben Mei Samuel Isabel Liam Nora Ahmed Julia Carlos Emily Peter Ana "
    "Lars Ingrid Yuki Omar Sofia Mateo Amara Felix Leah Hugo Maya Ivan Rosa Theo Nadia Arjun"
)
LAST_NAMES = words(
    "Reyes Chen Natarajan Okafor Rossi Whitfield Bello Berg Fernandez Watanabe Kim Grant Zahra "
    "Levi Muller Alvarez Campbell Mehta Martin Carter Lin Adeyemi Sousa OBrien Svensson Hassan "
    "Novak Mendes Zhang Walsh Silva Johansson Tanaka Haddad Romano Garcia Diallo Wagner Cohen "
    "Dubois Sato Petrov Costa Moreau Ivanova Kapoor Nakamura Schmidt Rahman Larsen"
)
COMPANY_WORDS = words(
    "Acme Brightline Helix Studio Northpeak Greenway Fjord Sora Pinecrest Atlas Quill Kraft "
    "Ruta Maison Carter Jade Porto Harbour Nordlys Nile Lumen Verde Walsh Indus Casa Summit "
    "Cobalt Meridian Orbit Pioneer Granite Willow Beacon Falcon Harvest Vertex Tidal Aurora"
)
COMPANY_KINDS = words(
    "Analytics Logistics Health Capital Foods Systems Robotics Dental Freight Media Labs "
    "Builders Interiors Wines Insurance Energy Textiles Architects Farms Cloud Legal Travel"
)
TITLES = (
    "VP Operations",
    "Head of Sales",
    "CTO",
    "Owner",
    "Founder",
    "COO",
    "Head of Finance",
    "Procurement Lead",
    "Engineering Manager",
    "Marketing Lead",
    "Director",
    "CEO",
)
TAGS = ("saas", "enterprise", "smb", "health", "finance", "retail", "agency", "logistics", "food")
NOTES = {
    "call": (
        "left a voicemail about the open question",
        "no answer, will try again",
        "quick chat, asked for numbers",
        "talked through next steps",
    ),
    "email": (
        "sent as planned",
        "shared the case study",
        "sent the article with a note",
        "answered their question on pricing",
    ),
    "linkedin": ("commented on their post and sent a DM",),
    "video": ("recorded a 60-second walkthrough",),
    "meeting": ("review held, notes in the doc",),
}
ENDING_NOTES = {
    "replied": "replied: wants numbers for their team",
    "not_now": "budget freeze until next quarter",
    "won": "signed the annual plan",
    "lost": "went with a competitor",
    "opted_out": "asked to be taken off the list",
    "out_of_office": "auto-reply: on leave",
}
TOUCH_COLUMNS = (
    "prospect_id",
    "at",
    "channel",
    "direction",
    "outcome",
    "note",
    "template",
    "cadence",
    "step",
    "logged_at",
)


@dataclass
class Built:
    """One simulated prospect: its row and its touches (as TOUCH_COLUMNS tuples)."""

    row: dict[str, Any]
    touches: list[tuple[Any, ...]]
    attempts: int


class Simulator:
    """Plays one prospect's year through the real scheduler, touch by touch."""

    def __init__(self, now: datetime):
        self.now = now
        self.rng = random.Random()
        self.user_tz = UTC  # FOLLOWUP_TZ=UTC in run.py
        self._cadences: dict[str, cadences.Cadence] = {}
        known = cadences.cadence_files()
        self.stage_cadences = {
            stage: [name for name in names if name in known]
            for stage, names in STAGE_CADENCES.items()
        }
        self.plan_calls = 0
        self.checked = False

    def lookup(self, name: str) -> cadences.Cadence:
        # cadence.load_cadence lists the cadence folders on every call (~0.1 ms); a million
        # calls would spend minutes on that, so remember each cadence once.
        found = self._cadences.get(name)
        if found is None:
            found = self._cadences[name] = cadences.load_cadence(name)
        return found

    def settled_plan(self, state: Enrollment) -> tuple[Enrollment, Plan]:
        self.plan_calls += 1
        state = settle(state, self.lookup)
        return state, plan(state, self.lookup)

    # --- one prospect ---------------------------------------------------------------------

    def prospect(self, prospect_id: int, budget: int) -> Built:
        rng, now = self.rng, self.now
        stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        tz_name = rng.choices([t for t, _ in TIMEZONES], weights=[w for _, w in TIMEZONES])[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        domain = company.lower().replace(" ", "") + ".example"
        fields = {"pain_point": "manual reporting"} if rng.random() < 0.3 else {}
        person = Prospect(
            id=prospect_id,
            name=f"{first} {last}",
            stage=stage,
            email=f"{first.lower()}.{last.lower()}.{prospect_id}@{domain}",
            phone=f"+1-555-{prospect_id % 10_000:04d}" if rng.random() < 0.6 else None,
            company=company,
            title=rng.choice(TITLES),
            timezone=tz_name,
            value=float(rng.choice((0, 3000, 6000, 12000, 24000, 50000))) or None,
            priority=rng.choices((1, 2, 3, 4), weights=(15, 60, 20, 5))[0],
            tags=rng.sample(TAGS, k=rng.choice((0, 1, 1, 2))),
            fields=fields,
            pace=1.5 if rng.random() < 0.05 else 1.0,
            birthday=(
                f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if rng.random() < 0.1
                else None
            ),
        )
        choices = self.stage_cadences.get(stage) or []
        cadence_name = rng.choice(choices) if choices and rng.random() < 0.95 else None
        base = enrollment.enrollment_of(person, self.user_tz)

        if cadence_name is None:  # not enrolled: only loose history
            touches = self._history(person, budget, end=now - timedelta(days=rng.uniform(0, 60)))
            state, attempts = base, 1
        else:
            # Start somewhere in the last year; a cadence that would need more touches than
            # this prospect's share is started later instead (so nobody is left far behind).
            age = rng.uniform(1, 365)
            lag = timedelta(days=rng.uniform(0.5, 10)) if rng.random() < 0.02 else timedelta(0)
            ending = self._pick_ending()
            attempts = 0
            while True:
                attempts += 1
                start = now - timedelta(days=age)
                state = replace(
                    base, cadence=cadence_name, anchor=start, status="active", steps_done=0
                )
                done, state, touches = self._follow(person, stage, state, budget, now - lag, ending)
                if done or age < 0.5 or attempts > 12:
                    break
                age /= 2
            earlier = budget - len(touches)
            if earlier > 0:  # what happened before this cadence started
                first_step = min((t[1] for t in touches), default=store.to_text(start))
                end = min(start, store.from_text(first_step)) - timedelta(days=7)
                touches = self._history(person, earlier, end=end) + touches

        if touches:
            newest = max(touches, key=lambda t: t[1])
            person.last_touch_at = newest[1]
            person.last_touch_channel = newest[2]
            person.last_touch_outcome = newest[4]
            state = replace(state, last_touch_at=store.from_text(newest[1]))

        # Some people are paused by hand: indefinitely, or snoozed until a date.
        if state.status == "active" and state.cadence and not state.do_not_contact:
            roll = rng.random()
            if roll < 0.02:
                state = replace(state, status="paused")
            elif roll < 0.05:
                until = now + timedelta(days=rng.uniform(2, 45))
                state = replace(state, paused_until=max(until, state.paused_until or until))

        state, result = self.settled_plan(state)
        first_at = min((t[1] for t in touches), default=None)
        created = min(filter(None, [first_at, store.to_text(state.anchor)]), default=None)
        person.created_at = created or store.to_text(now - timedelta(days=rng.uniform(0, 365)))
        person.updated_at = max(filter(None, [person.last_touch_at, person.created_at]))
        row = self.columns(person)
        row.update(enrollment.state_columns(state))
        row.update(enrollment.plan_columns(result))
        return Built(row, touches, attempts)

    def columns(self, person: Prospect) -> dict[str, Any]:
        """``Prospect.columns()`` without its deep copy (a tenth of the build time); checked
        against the real one on the first prospect each process builds."""
        row = dict(vars(person))
        row["tags"] = json.dumps(person.tags)
        row["fields"] = json.dumps(person.fields, sort_keys=True)
        row["do_not_contact"] = int(person.do_not_contact)
        row["answered"] = int(person.answered)
        if not self.checked:
            assert row == person.columns(), "Prospect.columns() changed: update build_db.py"
            self.checked = True
        return row

    def _pick_ending(self) -> tuple[str, float] | None:
        roll = self.rng.random()
        for outcome, share in ENDINGS:
            if roll < share:
                return outcome, self.rng.random()  # ... after this fraction of the budget
            roll -= share
        return None

    def _follow(
        self,
        person: Prospect,
        stage: str,
        state: Enrollment,
        budget: int,
        cutoff: datetime,
        ending: tuple[str, float] | None,
    ) -> tuple[bool, Enrollment, list[tuple[Any, ...]]]:
        """Make every touch the scheduler asks for until ``cutoff`` (or the budget runs out),
        the way `followup log` records them. True when caught up."""
        rng = self.rng
        touches: list[tuple[Any, ...]] = []
        end_at = int(ending[1] * budget) if ending else -1
        person.stage, person.do_not_contact, person.answered = stage, False, False
        state, result = self.settled_plan(state)
        while True:
            due = result.next
            if due is None or due.due_at > cutoff:
                return True, state, touches
            if len(touches) >= budget:
                return False, state, touches
            current = self._current(state)
            if len(touches) == end_at and ending is not None:
                outcome = ending[0]
                base = state.last_touch_at or state.anchor or self.now
                at = min(base + timedelta(hours=rng.uniform(2, 72)), cutoff)
                channel = "meeting" if outcome == "won" else "email"
                until = None
                if outcome == "not_now":
                    until = at + timedelta(days=rng.uniform(45, 150))
                elif outcome == "out_of_office":
                    until = at + timedelta(days=rng.uniform(5, 21))
                template = None
            else:
                outcome = None
                until = None
                at = min(due.due_at + timedelta(minutes=rng.uniform(5, 240)), cutoff)
                channel = due.channel
                if channel == "call":
                    outcome = rng.choice(("no_answer", "voicemail", "voicemail"))
                elif channel == "meeting":
                    outcome = "meeting"
                else:
                    outcome = "bounced" if rng.random() < 0.01 else "sent"
                template = due.template
            if state.last_touch_at and at < state.last_touch_at:
                at = state.last_touch_at + timedelta(minutes=1)
            direction = "in" if outcome == "replied" else "out"
            # as touch.log_touch: does this touch do the step that is due?
            fulfils = (
                direction == "out"
                and outcome not in NOT_DELIVERED
                and state.status == "active"
                and (channel == due.channel or due.due_at <= at)
            )
            step = due.step if fulfils else None
            step_cadence = state.cadence if fulfils else None
            # as touch.log_touch: an answer holds no minimum gap back, and a step done on a
            # later day than it was due (before any pause) keeps the later steps' gaps after it
            moved: dict[str, Any] = {
                "last_touch_at": at,
                "last_touch_holds": outcome not in ANSWERED,
            }
            if fulfils:
                was_due = due.due_at
                if state.paused_until is not None:
                    unpaused = plan(replace(state, paused_until=None), self.lookup).next
                    was_due = unpaused.due_at if unpaused else was_due
                moved.update(
                    steps_done=state.steps_done + 1, prev_step_at=at, prev_step_due=was_due
                )
            if outcome in ANSWERED or direction == "in":
                moved["answered"] = True
            state = replace(state, **moved)
            changes: dict[str, Any] = {}
            state, _ = _apply_outcome(person, state, current, outcome, at, until, changes)
            person.stage = changes.get("stage", person.stage)
            person.do_not_contact = state.do_not_contact
            person.answered = state.answered
            note = ENDING_NOTES.get(outcome) if outcome not in ("sent", "no_answer") else None
            if note is None and rng.random() < 0.4:
                note = rng.choice(NOTES.get(channel, ("done",)))
            logged = store.to_text(min(at + timedelta(minutes=rng.uniform(1, 90)), self.now))
            touches.append(
                (
                    person.id,
                    store.to_text(at),
                    channel,
                    direction,
                    outcome,
                    note,
                    template,
                    step_cadence,
                    step,
                    logged,
                )
            )
            state, result = self.settled_plan(state)

    def _current(self, state: Enrollment) -> cadences.Cadence | None:
        if not state.cadence or state.status not in ("active", "paused"):
            return None
        return self.lookup(state.cadence)

    def _history(self, person: Prospect, count: int, *, end: datetime) -> list[tuple[Any, ...]]:
        """Older outbound touches outside any cadence, spread over the year before ``end``."""
        rng = self.rng
        start = min(self.now - timedelta(days=365), end - timedelta(days=30))
        span = (end - start).total_seconds()
        touches = []
        for _ in range(count):
            at = start + timedelta(seconds=rng.uniform(0, span))
            channel = rng.choices(("email", "call", "linkedin"), weights=(6, 3, 1))[0]
            outcome = rng.choice(("no_answer", "voicemail")) if channel == "call" else "sent"
            note = rng.choice(NOTES[channel]) if rng.random() < 0.4 else None
            text = store.to_text(at)
            touches.append((person.id, text, channel, "out", outcome, note, None, None, None, text))
        return touches


def budgets(prospects: int, touches: int, rng: random.Random) -> list[int]:
    """Touches per prospect: a skewed spread (a few people get many) adding up to ``touches``."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(prospects)]
    total = sum(weights)
    shares = [math.floor(touches * w / total) for w in weights]
    for index in rng.sample(range(prospects), touches - sum(shares)):
        shares[index] += 1
    return shares


_simulator: Simulator | None = None


def simulate(task: tuple[int, list[int], int, datetime, int]) -> tuple[list[Built], int]:
    """One batch of stories (the first told by prospect ``first_id``, each next one
    ``copies`` ids on), seeded by the batch: the same database comes out whatever the
    number of worker processes."""
    global _simulator
    first_id, shares, seed, now, copies = task
    if _simulator is None:
        _simulator = Simulator(now)
    _simulator.rng = random.Random(f"{seed}:{first_id}")
    calls = _simulator.plan_calls
    built = [_simulator.prospect(first_id + i * copies, share) for i, share in enumerate(shares)]
    return built, _simulator.plan_calls - calls


def retold(story: Built, prospect_id: int, seed: int) -> Built:
    """The same story lived by someone else: their own name, company, email, phone and
    title, the same stage, timezone, pace, cadence, touches and schedule (none of which
    the scheduler reads from who they are, so what is stored is still what it computes)."""
    rng = random.Random(f"{seed}:copy:{prospect_id}")
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
    domain = company.lower().replace(" ", "") + ".example"
    row = dict(story.row)
    row.update(
        id=prospect_id,
        name=f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}.{prospect_id}@{domain}",
        company=company,
        title=rng.choice(TITLES),
    )
    if row.get("phone"):
        row["phone"] = f"+1-555-{prospect_id % 10_000:04d}"
    return Built(row, [(prospect_id, *touch[1:]) for touch in story.touches], 0)


def _indexes(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (name, SQL) of the indexes a bulk load drops and makes again after it, sorted
    once instead of kept row by row (the primary keys and implicit ones stay)."""
    marks = ", ".join("?" for _ in tables)
    return conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        list(tables),
    ).fetchall()


def build(
    path: Path,
    prospects: int,
    touches: int,
    now: datetime,
    seed: int,
    jobs: int,
    check: int,
    stories: int,
) -> None:
    started = time.perf_counter()

    def say(message: str) -> None:
        cpu = time.process_time() + sum(os.times()[2:4])
        print(f"[{time.perf_counter() - started:7.1f}s, cpu {cpu:7.1f}s] {message}", flush=True)

    # Each story is told by `copies` prospects in a row (ids first_id .. first_id+copies-1).
    copies = max(1, math.ceil(prospects / max(1, min(stories, prospects))))
    told = math.ceil(prospects / copies)
    shares = budgets(told, round(touches * told / prospects), random.Random(seed))
    per_task = max(1, BATCH // copies)
    tasks = [
        (first * copies + 1, shares[first : first + per_task], seed, now, copies)
        for first in range(0, told, per_task)
    ]
    pool = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    batches = pool.imap(simulate, tasks) if pool else map(simulate, tasks)

    conn = store.open_db(path)
    # A throwaway file being filled in bulk: no need to wait for the disk on every commit.
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    # The indexes are made once at the end, from the loaded rows; the running totals of
    # `stats` stand aside (store.aggregates' pause) and are built once from the touches.
    indexes = _indexes(conn, ("prospects", "touches"))
    with store.transaction(conn):
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("INSERT INTO stats_paused (since) VALUES (datetime('now'))")
    # Touches are staged, then written sorted by time, as a real history would have them.
    conn.execute(f"CREATE TEMP TABLE staged_touches ({', '.join(TOUCH_COLUMNS)})")
    say(
        f"schema ready in {path}; simulating {told:,} stories for {prospects:,} prospects "
        f"({copies} each) and {touches:,} touches with {jobs} process(es)"
    )
    columns: list[str] | None = None
    made = attempts = calls = done = 0
    for built, batch_calls in batches:
        attempts += sum(b.attempts for b in built)
        everyone = [
            copy
            for story in built
            for n in range(copies)
            if story.row["id"] + n <= prospects
            for copy in [story if n == 0 else retold(story, story.row["id"] + n, seed)]
        ]
        if columns is None:
            columns = list(built[0].row)
        with store.transaction(conn):
            conn.executemany(
                f"INSERT INTO prospects ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [[b.row[c] for c in columns] for b in everyone],
            )
            conn.executemany(
                f"INSERT INTO staged_touches VALUES ({', '.join('?' for _ in TOUCH_COLUMNS)})",
                [t for b in everyone for t in b.touches],
            )
        done += len(everyone)
        made += sum(len(b.touches) for b in everyone)
        calls += batch_calls
        say(f"prospects {done:>9,}/{prospects:,}  touches {made:>10,}  scheduler calls {calls:,}")
    if pool:
        pool.close()
        pool.join()

    say(
        "writing touches in time order (the full-text index fills as they go in), "
        "then their stats numbers"
    )
    with store.transaction(conn):
        conn.execute(
            f"INSERT INTO touches ({', '.join(TOUCH_COLUMNS)}) "
            f"SELECT {', '.join(TOUCH_COLUMNS)} FROM staged_touches ORDER BY at, prospect_id"
        )
        conn.execute("DROP TABLE staged_touches")
        say("touches written; their numbers next")
        # What `log` and `import` store on each touch for `stats`, for all of them at once.
        renumber_many(conn, "SELECT id FROM prospects")
        say("numbers stored; the indexes and the running totals next")
        for _, sql in indexes:
            conn.execute(sql)
        aggregates.rebuild(conn)
        conn.execute("DELETE FROM stats_paused")
        store.set_meta(conn, "bench_now", store.to_text(now))
        store.set_meta(
            conn,
            "bench_build",
            {
                "prospects": prospects,
                "touches": touches,
                "seed": seed,
                "now": store.to_text(now),
                "stories": told,
            },
        )
    say("indexes and totals made")
    refreshed = enrollment.refresh_if_cadences_changed(conn, UTC)
    say(f"cadence fingerprint stored ({refreshed} prospects recomputed)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    summary(conn, now)
    if check:
        mismatches = recheck(conn, min(check, prospects), seed)
        say(
            f"re-planned {min(check, prospects):,} random prospects with enrollment.reschedule: "
            f"{mismatches} differ from what was stored"
        )
    conn.close()
    size = path.stat().st_size / 1e6
    say(f"done: {path} ({size:,.0f} MB), {attempts / told:.2f} simulation runs per story")


def recheck(conn: sqlite3.Connection, count: int, seed: int) -> int:
    """Recompute stored schedules the way `followup` itself does, in a transaction that is
    rolled back: the database must already agree with the project's own code."""
    columns = (
        "cadence",
        "cadence_status",
        "cadence_anchor",
        "steps_done",
        "prev_step_at",
        "paused_until",
        "next_due_at",
        "next_step",
        "next_channel",
        "next_why",
    )
    total = conn.execute("SELECT max(id) FROM prospects").fetchone()[0]
    mismatches = 0
    conn.execute("BEGIN")
    try:
        for prospect_id in random.Random(seed).sample(range(1, total + 1), count):
            stored = get(conn, prospect_id)
            again = enrollment.reschedule(conn, stored, UTC)
            differs = [c for c in columns if getattr(stored, c) != getattr(again, c)]
            if differs:
                mismatches += 1
                if mismatches <= 3:
                    print(
                        f"  #{prospect_id}: "
                        + "; ".join(
                            f"{c} {getattr(stored, c)!r} -> {getattr(again, c)!r}" for c in differs
                        )
                    )
    finally:
        conn.execute("ROLLBACK")
    return mismatches


def summary(conn: sqlite3.Connection, now: datetime) -> None:
    """What `followup today` will find, and the shape of the data."""
    end_today = store.to_text(datetime.combine(now.date(), datetime.max.time(), tzinfo=UTC))
    start_today = store.to_text(datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC))
    week = store.to_text(
        datetime.combine(now.date() + timedelta(days=7), datetime.max.time(), tzinfo=UTC)
    )  # the same windows as `followup today` with FOLLOWUP_TZ=UTC
    one = conn.execute(
        "SELECT count(*), sum(do_not_contact), sum(answered), "
        "sum(cadence_status = 'paused'), sum(paused_until > ?), sum(cadence IS NULL), "
        "sum(next_due_at <= ? AND do_not_contact = 0), "
        "sum(next_due_at < ? AND do_not_contact = 0), "
        "sum(next_due_at > ? AND next_due_at <= ? AND do_not_contact = 0) FROM prospects",
        [store.to_text(now), end_today, start_today, end_today, week],
    ).fetchone()
    total, dnc, answered, paused, snoozed, unenrolled, due, overdue, coming = one
    print(
        f"  prospects {total:,}: opted out {dnc:,}, answered {answered:,}, paused {paused:,}, "
        f"paused until a later date {snoozed:,}, not enrolled {unenrolled:,}"
    )
    print(f"  due by the end of today {due:,} (overdue {overdue:,}); in the coming week {coming:,}")
    stages = Counter(dict(conn.execute("SELECT stage, count(*) FROM prospects GROUP BY 1")))
    print("  stages: " + ", ".join(f"{k} {v:,}" for k, v in stages.most_common()))
    status = Counter(
        dict(
            conn.execute("SELECT coalesce(cadence_status, '-'), count(*) FROM prospects GROUP BY 1")
        )
    )
    print("  cadence status: " + ", ".join(f"{k} {v:,}" for k, v in status.most_common()))
    n, first, last = conn.execute("SELECT count(*), min(at), max(at) FROM touches").fetchone()
    outcomes = Counter(dict(conn.execute("SELECT outcome, count(*) FROM touches GROUP BY 1")))
    print(f"  touches {n:,} from {first} to {last}")
    print("  outcomes: " + ", ".join(f"{k} {v:,}" for k, v in outcomes.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the database file to create")
    parser.add_argument("--prospects", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"the database's now ({DEFAULT_NOW})")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    parser.add_argument(
        "--check",
        type=int,
        default=1000,
        help="re-plan this many prospects with the project's code to verify (default 1000)",
    )
    parser.add_argument(
        "--stories",
        type=int,
        default=STORIES,
        help=f"distinct histories simulated, each told by several prospects ({STORIES:,})",
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="simulating processes (all CPUs)"
    )
    args = parser.parse_args()
    if args.prospects < 1 or args.touches < 0:
        parser.error("--prospects must be 1 or more and --touches 0 or more")
    if args.db.exists():
        if not args.force:
            parser.error(f"{args.db} exists: add --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    now = datetime.fromisoformat(args.now.replace("Z", "+00:00")).astimezone(UTC)
    build(
        args.db,
        args.prospects,
        args.touches,
        now,
        args.seed,
        max(1, args.jobs),
        args.check,
        max(1, args.stories),
    )


if __name__ == "__main__":
    sys.exit(main())
