"""`followup demo`: a separate database with ~30 prospects and a realistic history,
built through the same domain code a user's own touches go through. Who they are is
``demo_book``'s; here are the seller, the content to share, and the building."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from followup_cli import store
from followup_cli.data.demo_book import EXTRA_FIELDS, PAIN_POINTS, PEOPLE, Person
from followup_cli.pipeline import prospect as prospects
from followup_cli.pipeline.touch import log_touch
from followup_cli.scheduling import enrollment

SENDER = {
    "name": "Sam Ortiz",
    "company": "Northwind",
    "title": "Account Executive",
    "phone": "+1 303 555 0100",
    "email": "sam@northwind.example",
    "signature": "Sam",
}
VALUE_BANK = (
    ("2026 renewal benchmark report", "report", ("saas", "finance")),
    ("How a dental group cut no-shows by a third", "case study", ("health", "smb")),
    ("Freight cost index, Q3", "report", ("logistics", "manufacturing")),
    ("A checklist for a calmer month-end close", "article", ("finance", "enterprise")),
    ("Five ways retailers forecast stock without a data team", "article", ("retail", "food")),
    ("Introduction to a peer who rolled out the same system", "introduction", ("enterprise",)),
    ("How a studio stopped losing client briefs", "case study", ("design", "agency", "media")),
    ("Site reporting in a day, not a week", "case study", ("construction", "energy", "legal")),
    ("Direct bookings for small hotels", "article", ("travel", "smb")),
)

# Cadences that start after a conversation: the demo records it, so drafts may recall it.
# Cadences that follow a meeting: for a customer's, the meeting that won them.
AFTER_A_CONVERSATION = frozenset(
    {"post-discovery", "post-demo", "post-proposal", "after-first-contact", "thirty-day"}
    | {"customer-onboarding", "stage-customer"}
)
NOTES = {
    "call": [
        "left a voicemail about the open question",
        "no answer, will try again",
        "quick chat, asked for numbers",
        "talked through next steps",
    ],
    "email": [
        "sent as planned",
        "shared the case study",
        "sent the article with a note",
        "answered their question on pricing",
    ],
    "linkedin": ["commented on their post and sent a DM"],
    "video": ["recorded a 60-second walkthrough"],
    "meeting": ["monthly review held"],
}


def build_demo(path: Path, *, now: datetime, user_tz: tzinfo) -> sqlite3.Connection:
    """Create (or recreate) the demo database at ``path``."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = store.open_db(path)
    enrollment.refresh_if_cadences_changed(conn, user_tz)
    rng = random.Random(2026)
    with store.transaction(conn):
        from followup_cli.drafting import sender, value

        sender.update(conn, SENDER)
        for title, kind, tags in VALUE_BANK:
            slug = "-".join(title.lower().split()[:4])
            value.add(
                conn, title, now=now, url=f"https://example.com/{slug}", kind=kind, tags=list(tags)
            )
        for person in PEOPLE:
            _add_with_history(conn, person, now=now, user_tz=user_tz, rng=rng)
    return conn


def _add_with_history(
    conn: sqlite3.Connection, person: Person, *, now: datetime, user_tz: tzinfo, rng: random.Random
) -> None:
    first, last = person.name.lower().split()[0], person.name.lower().split()[-1]
    domain = "".join(ch for ch in person.company.lower() if ch.isalnum())[:14] + ".example"
    details = prospects.clean_details(
        {
            "email": f"{first}.{last.replace(chr(39), '')}@{domain}",
            "company": person.company,
            "title": person.title,
            "stage": person.stage,
            "value": person.value,
            "timezone": person.timezone,
            "priority": person.priority,
            "personal": person.personal,
            "birthday": person.birthday,
            "relationship": person.relationship,
            "referred_by": person.referred_by,
        }
    )
    start = now - timedelta(days=person.started_days_ago)
    p = prospects.insert(
        conn,
        person.name,
        details,
        tags=list(person.tags),
        fields={
            "pain_point": PAIN_POINTS.get(person.name),
            **person.fields,
            **EXTRA_FIELDS.get(person.name, {}),
        },
        now=start,
    )
    if person.cadence in AFTER_A_CONVERSATION:  # the meeting the cadence follows is on record
        log_touch(
            conn,
            p,
            channel="meeting",
            outcome="meeting",
            at=start - timedelta(hours=1),
            now=now,
            user_tz=user_tz,
            note="first meeting",
        )
        p = prospects.get(conn, p.id)
    p = enrollment.enroll(conn, p, person.cadence, start=start, user_tz=user_tz)
    if person.cadence == "six-month-check-in":  # a long-lost lead: one old conversation
        log_touch(
            conn,
            p,
            channel="call",
            outcome="no_answer",
            at=start,
            now=now,
            user_tz=user_tz,
            note="last call before they went quiet",
        )
        return
    cutoff = now - timedelta(days=person.lag_days)
    touches = 0
    while True:
        due = store.from_text(p.next_due_at)
        if person.ending and touches == person.ending_after:
            at = min(due or now, now) - timedelta(hours=1)
            _end(conn, p, person, at, now, user_tz)
            return
        if due is None or due > cutoff or touches >= 12:
            break
        at = min(due + timedelta(minutes=rng.randint(5, 240)), now - timedelta(minutes=1))
        channel = p.next_channel or "email"
        outcome = rng.choice(["no_answer", "voicemail"]) if channel == "call" else "sent"
        if channel == "meeting":
            outcome = "meeting"
        note = rng.choice(NOTES.get(channel, ["sent"]))
        p = log_touch(
            conn,
            p,
            channel=channel,
            outcome=outcome,
            at=at,
            now=now,
            user_tz=user_tz,
            note=note,
            template=p.next_template,
        ).prospect
        touches += 1


def _end(
    conn: sqlite3.Connection,
    p: prospects.Prospect,
    person: Person,
    at: datetime,
    now: datetime,
    user_tz: tzinfo,
) -> None:
    outcome = person.ending or "replied"
    notes = {
        "replied": "replied: wants numbers for the line changeover case",
        "not_now": "budget freeze until spring",
        "won": "signed the annual plan",
        "opted_out": "asked to be taken off the list",
    }
    until = at + timedelta(days=75) if outcome == "not_now" else None
    channel = "email" if outcome != "won" else "meeting"
    log_touch(
        conn,
        p,
        channel=channel,
        outcome=outcome,
        at=at,
        now=now,
        user_tz=user_tz,
        note=notes.get(outcome),
        until=until,
    )
