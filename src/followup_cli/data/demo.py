"""`followup demo`: a separate database with ~30 prospects and a realistic history,
built through the same domain code a user's own touches go through."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from followup_cli import store
from followup_cli.pipeline import prospect as prospects
from followup_cli.pipeline.touch import log_touch
from followup_cli.scheduling import enrollment


@dataclass(frozen=True)
class Person:
    name: str
    company: str
    title: str
    stage: str
    cadence: str
    started_days_ago: float
    value: float | None = None
    timezone: str = "America/New_York"
    tags: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    ending: str | None = None  # an outcome that ends the story (replied, not_now, won, ...)
    ending_after: int = 2  # ... after this many touches
    lag_days: float = 0  # stop logging this many days before now: they are overdue
    priority: str = "normal"
    personal: str | None = None
    birthday: str | None = None


PEOPLE = (
    Person(
        "Dana Reyes",
        "Acme Analytics",
        "VP Operations",
        "proposal",
        "post-proposal",
        6,
        24000,
        "America/Denver",
        ("saas",),
        {"pain_point": "manual renewals", "goal": "cut renewal churn"},
        priority="high",
        lag_days=1,
    ),
    Person(
        "Marcus Chen",
        "Brightline Logistics",
        "Head of Sales",
        "active",
        "post-demo",
        5,
        18000,
        "America/Chicago",
        ("logistics",),
        {"pain_point": "quotes take two days"},
    ),
    Person(
        "Priya Natarajan",
        "Helix Health",
        "CTO",
        "interest",
        "post-discovery",
        9,
        42000,
        "America/Los_Angeles",
        ("health", "enterprise"),
        {"pain_point": "audit prep eats a week a quarter"},
        priority="high",
        lag_days=2,
    ),
    Person(
        "Tom Okafor",
        "Okafor & Sons",
        "Owner",
        "cold",
        "steli-persistence",
        20,
        6000,
        "Europe/London",
        ("smb",),
        {"pain_point": "no time for bookkeeping"},
        lag_days=3,
    ),
    Person(
        "Elena Rossi",
        "Studio Vela",
        "Creative Director",
        "interest",
        "thirty-day",
        12,
        9500,
        "Europe/Rome",
        ("agency",),
        {"project": "brand refresh"},
        personal="runs marathons",
    ),
    Person(
        "Sam Whitfield",
        "Northpeak Capital",
        "Partner",
        "proposal",
        "proposal-check-ins",
        3,
        60000,
        "America/New_York",
        ("finance", "enterprise"),
        {"pain_point": "deal memos scattered across inboxes"},
        priority="urgent",
    ),
    Person(
        "Aisha Bello",
        "Greenway Foods",
        "COO",
        "active",
        "service-proposal",
        8,
        15000,
        "Africa/Lagos",
        ("food",),
        {"project": "warehouse rollout"},
        lag_days=1,
    ),
    Person(
        "Jonas Berg",
        "Fjord Systems",
        "Engineering Manager",
        "cold",
        "stage-cold",
        7,
        None,
        "Europe/Oslo",
        ("saas",),
        lag_days=1,
    ),
    Person(
        "Lucia Fernández",
        "Casa Norte",
        "Founder",
        "interest",
        "after-first-contact",
        11,
        7000,
        "Europe/Madrid",
        ("retail",),
        {"goal": "open a second store"},
    ),
    Person(
        "Kenji Watanabe",
        "Sora Robotics",
        "Director of Ops",
        "proposal",
        "post-proposal",
        9,
        38000,
        "Asia/Tokyo",
        ("manufacturing",),
        {"pain_point": "line changeovers"},
        ending="replied",
        ending_after=3,
    ),
    Person(
        "Grace Kim",
        "Pinecrest Dental",
        "Practice Manager",
        "customer",
        "customer-onboarding",
        10,
        4800,
        "America/Los_Angeles",
        ("health", "smb"),
        {"goal": "fewer no-shows"},
    ),
    Person(
        "Oliver Grant",
        "Grant Legal",
        "Managing Partner",
        "lost",
        "lost-deal",
        40,
        22000,
        "Europe/London",
        ("legal",),
        {"pain_point": "billing hours by hand"},
    ),
    Person(
        "Fatima Zahra",
        "Atlas Freight",
        "Procurement Lead",
        "nurture",
        "long-term-nurture",
        70,
        30000,
        "Africa/Casablanca",
        ("logistics",),
    ),
    Person(
        "Noah Levi",
        "Quill Media",
        "Publisher",
        "interest",
        "post-discovery",
        4,
        5000,
        "Asia/Jerusalem",
        ("media",),
        {"pain_point": "ad ops spreadsheets"},
        ending="not_now",
        ending_after=2,
    ),
    Person(
        "Hannah Müller",
        "Kraft & Weise",
        "Head of Finance",
        "proposal",
        "post-proposal",
        12,
        27000,
        "Europe/Berlin",
        ("finance",),
        {"pain_point": "month-end close takes 9 days"},
        ending="won",
        ending_after=4,
    ),
    Person(
        "Diego Alvarez",
        "Ruta Travel",
        "CEO",
        "active",
        "thirty-day",
        16,
        12000,
        "America/Mexico_City",
        ("travel",),
        {"goal": "direct bookings"},
        lag_days=2,
    ),
    Person(
        "Zoe Campbell",
        "Campbell Fitness",
        "Owner",
        "cold",
        "steli-persistence",
        35,
        3000,
        "Australia/Sydney",
        ("smb",),
        ending="opted_out",
        ending_after=4,
    ),
    Person(
        "Ravi Mehta",
        "Indus Cloud",
        "VP Engineering",
        "active",
        "post-demo",
        2,
        51000,
        "Asia/Kolkata",
        ("saas", "enterprise"),
        {"pain_point": "slow incident reviews"},
        priority="high",
    ),
    Person(
        "Chloé Martin",
        "Maison Lumière",
        "Marketing Lead",
        "interest",
        "stage-interest",
        15,
        8000,
        "Europe/Paris",
        ("retail",),
    ),
    Person(
        "Ben Carter",
        "Carter Builders",
        "Director",
        "proposal",
        "service-proposal",
        15,
        33000,
        "America/New_York",
        ("construction",),
        {"project": "site reporting app"},
        lag_days=4,
    ),
    Person(
        "Mei Lin",
        "Jade Interiors",
        "Founder",
        "active",
        "stage-active",
        6,
        11000,
        "Asia/Singapore",
        ("design",),
    ),
    Person(
        "Samuel Adeyemi",
        "Adeyemi Pharma",
        "Head of Quality",
        "lost",
        "lost-deal",
        95,
        45000,
        "Africa/Lagos",
        ("health",),
        {"pain_point": "paper batch records"},
    ),
    Person(
        "Isabel Sousa",
        "Porto Wines",
        "Export Manager",
        "customer",
        "stage-customer",
        20,
        9000,
        "Europe/Lisbon",
        ("food",),
    ),
    Person(
        "Liam O'Brien",
        "Harbour Insurance",
        "Claims Director",
        "proposal",
        "proposal-check-ins",
        8,
        70000,
        "Europe/Dublin",
        ("finance", "enterprise"),
        {"pain_point": "claims backlog"},
        priority="high",
        lag_days=1,
    ),
    Person(
        "Nora Svensson",
        "Nordlys Energy",
        "Sustainability Lead",
        "interest",
        "after-first-contact",
        26,
        19000,
        "Europe/Stockholm",
        ("energy",),
        {"goal": "scope 3 reporting"},
    ),
    Person(
        "Ahmed Hassan",
        "Nile Textiles",
        "General Manager",
        "cold",
        "stage-cold",
        3,
        None,
        "Africa/Cairo",
        ("manufacturing",),
    ),
    Person(
        "Julia Novak",
        "Novak Architects",
        "Principal",
        "active",
        "post-discovery",
        1,
        14000,
        "Europe/Prague",
        ("design",),
        {"pain_point": "tender deadlines"},
        birthday="--11-22",
    ),
    Person(
        "Carlos Mendes",
        "Verde Farms",
        "Owner",
        "nurture",
        "six-month-check-in",
        200,
        8000,
        "America/Sao_Paulo",
        ("food",),
    ),
    Person(
        "Emily Zhang",
        "Lumen Labs",
        "Head of Product",
        "proposal",
        "post-proposal",
        1,
        29000,
        "America/Los_Angeles",
        ("saas",),
        {"pain_point": "feedback lost in Slack"},
    ),
    Person(
        "Peter Walsh",
        "Walsh Dental Group",
        "CFO",
        "active",
        "stage-active",
        9,
        16000,
        "America/Chicago",
        ("health",),
        personal="collects vinyl records",
        priority="high",
        lag_days=3,
    ),
)

# What each demo prospect struggles with, for the drafts (templates need a pain point).
PAIN_POINTS = {
    "Elena Rossi": "client briefs scattered across email threads",
    "Aisha Bello": "stock counts done on paper",
    "Jonas Berg": "release notes written by hand",
    "Lucia Fernández": "reordering stock from memory",
    "Grace Kim": "patients who forget their appointments",
    "Fatima Zahra": "carrier quotes compared in spreadsheets",
    "Diego Alvarez": "commissions paid to booking sites",
    "Zoe Campbell": "members who drop off after a month",
    "Chloé Martin": "campaign results nobody can compare",
    "Ben Carter": "site reports that arrive a week late",
    "Mei Lin": "supplier prices that change every quarter",
    "Isabel Sousa": "export paperwork for each shipment",
    "Nora Svensson": "emissions data from forty suppliers",
    "Ahmed Hassan": "orders tracked on a whiteboard",
    "Carlos Mendes": "harvest forecasts that miss by weeks",
    "Peter Walsh": "insurance claims rejected for small errors",
}
# Details some templates need, so that every due step of the demo can be drafted.
EXTRA_FIELDS = {
    "Ravi Mehta": {
        "question": "whether alerts can reach the on-call engineer by phone",
        "answer": "yes, and the escalation rules are yours to set",
    },
    "Fatima Zahra": {
        "idea": "publish your top ten lanes each month and let carriers bid against them",
    },
}
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
