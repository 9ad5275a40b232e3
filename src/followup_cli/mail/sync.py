"""What each message means for the pipeline, and logging it.

- From one of the user's addresses to a prospect: an outbound email touch ``sent``, doing
  the due step exactly as `followup log` would (``pipeline.touch.log_touch``).
- From a prospect: an inbound ``replied`` (the cadence stops per its ``stop_on``).
- An out-of-office from a prospect: ``out_of_office`` until the return date in its text
  (at most 100 days; 14 days when it gives none); the same step resumes then.
- A bounce for a prospect's address: ``bounced``; a permanent failure (5.x.x) marks the
  address as bad, and `today` says to fix it.
- Other automatic replies, delay warnings, lists and newsletters, and mail from or to
  people who are not prospects: nothing is logged, and ``--explain`` says why.

A message is logged once per prospect, keyed by its Message-ID (or a hash of its
headers). One sync is one transaction and one journal entry, which `undo` takes back whole.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from followup_cli import store
from followup_cli.core.errors import FollowupError, InvalidValue
from followup_cli.mail.classify import Verdict, classify
from followup_cli.mail.message import Mail
from followup_cli.mail.return_date import MAX_AWAY, return_date
from followup_cli.store import mail as mail_rows

DEFAULT_AWAY = timedelta(days=14)
COMPANY_PAUSE = timedelta(days=14)  # a colleague answered: give the conversation room


@dataclass(frozen=True)
class Planned:
    """A touch one message means for one prospect."""

    prospect_id: int
    name: str
    outcome: str  # sent, replied, out_of_office, bounced
    direction: str
    until: datetime | None = None
    bad_status: str | None = None  # a permanent bounce: the address is bad
    address: str | None = None  # the bounced address


@dataclass
class Decision:
    """One message, what it is, and what it does (``--explain`` prints these)."""

    origin: str
    at: datetime
    sender: str | None
    subject: str
    kind: str
    reason: str
    touches: list[Planned] = field(default_factory=list)
    pause: list[tuple[int, str]] = field(default_factory=list)  # colleagues to pause

    def public(self) -> dict:
        return {
            "origin": self.origin,
            "at": store.to_text(self.at),
            "from": self.sender,
            "subject": self.subject,
            "kind": self.kind,
            "reason": self.reason,
            "touches": [
                {
                    "prospect_id": t.prospect_id,
                    "prospect": t.name,
                    "outcome": t.outcome,
                    "direction": t.direction,
                    "until": store.to_text(t.until),
                }
                for t in self.touches
            ],
        }


@dataclass
class SyncResult:
    account: str
    dry_run: bool
    read: int = 0  # messages read this time
    skipped: int = 0  # files, messages or UIDs already read before, not opened again
    decisions: list[Decision] = field(default_factory=list)
    logged: int = 0
    bad_addresses: list[str] = field(default_factory=list)
    sync_id: int | None = None
    applied: list[tuple[Planned, str]] = field(default_factory=list)  # in time order
    paused: list[tuple[str, datetime]] = field(default_factory=list)  # colleagues paused

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for decision in self.decisions:
            for touch in decision.touches:
                found[touch.outcome] = found.get(touch.outcome, 0) + 1
        return found

    def public(self) -> dict:
        return {
            "account": self.account,
            "dry_run": self.dry_run,
            "read": self.read,
            "skipped": self.skipped,
            "logged": self.logged,
            "outcomes": self.counts(),
            "bad_addresses": self.bad_addresses,
            "paused": [{"prospect": n, "until": store.to_text(u)} for n, u in self.paused],
            "messages": [d.public() for d in self.decisions],
        }


class Book:
    """Who is who: the user's own addresses and every prospect's, normalised."""

    def __init__(
        self, conn: sqlite3.Connection, mine: Iterable[str], company_pause: bool = False
    ) -> None:
        from followup_cli.mail.address import company_domain, normalise

        self.mine = frozenset(mine)
        self.company_pause = company_pause
        self.prospects: dict[str, tuple[int, str]] = {}
        self.by_domain: dict[str, list[tuple[str, int, str]]] = {}
        for prospect_id, email, name in mail_rows.prospect_addresses(conn):
            address = normalise(email)
            if address:
                self.prospects[address] = (prospect_id, name)
                domain = company_domain(address)
                if domain:
                    self.by_domain.setdefault(domain, []).append((address, prospect_id, name))
        self.logged = mail_rows.logged_keys(conn)

    def colleagues(self, sender: str | None) -> list[tuple[int, str]]:
        """With ``mail.company_domain_pause``: the other prospects at the sender's company
        domain (none for a free-mail address)."""
        from followup_cli.mail.address import company_domain

        domain = company_domain(sender) if sender and self.company_pause else None
        if not domain:
            return []
        return [
            (pid, name)
            for address, pid, name in self.by_domain.get(domain, [])
            if address != sender
        ]


def decide(mail: Mail, book: Book, now: datetime, user_tz: tzinfo) -> Decision:
    """What ``mail`` is and which touches it means (nothing is written)."""
    at = min(mail.at or now, now)
    verdict = classify(mail)
    decision = Decision(mail.origin, at, mail.sender, mail.subject, verdict.kind, verdict.reason)
    sender = mail.sender
    if verdict.kind == "bounce":
        return _bounced(decision, verdict, book)
    if verdict.kind in ("list", "delay", "auto_reply", "automatic"):
        decision.reason = f"ignored: {verdict.reason}"
        return decision
    if verdict.kind == "out_of_office":
        if sender not in book.prospects:
            return _stranger(decision, f"ignored: {verdict.reason} from {sender}, not a prospect")
        back = return_date(mail.subject + "\n" + mail.text(8000), at.astimezone(user_tz).date())
        until = (
            min(datetime.combine(back, time(), tzinfo=user_tz), at + MAX_AWAY)
            if back
            else at + DEFAULT_AWAY
        )
        prospect_id, name = book.prospects[sender]
        decision.reason = f"{verdict.reason}; back {until.astimezone(user_tz):%Y-%m-%d}" + (
            "" if back else " (no date in the text: 14 days)"
        )
        decision.touches.append(Planned(prospect_id, name, "out_of_office", "in", until))
        return decision
    if sender in book.mine:
        prospects = [book.prospects[r] for r in mail.recipients if r in book.prospects]
        if not prospects:
            others = ", ".join(mail.recipients[:3]) or "nobody"
            return _stranger(decision, f"ignored: sent to {others}, not a prospect")
        decision.reason = "sent by you to a prospect"
        decision.touches.extend(Planned(pid, name, "sent", "out") for pid, name in prospects)
        return decision
    decision.pause = book.colleagues(sender)
    if sender in book.prospects:
        prospect_id, name = book.prospects[sender]
        decision.reason = "a reply from a prospect"
        decision.touches.append(Planned(prospect_id, name, "replied", "in"))
        return decision
    if decision.pause:
        decision.kind = "colleague"
        decision.reason = f"from {sender}, not a prospect, at the company of a prospect"
        return decision
    if not book.mine:
        return _stranger(
            decision, "ignored: set me.addresses in config.toml so your own mail is known"
        )
    return _stranger(decision, f"ignored: from {sender or 'an unknown sender'}, not a prospect")


def _stranger(decision: Decision, reason: str) -> Decision:
    decision.kind = "stranger" if decision.kind == "message" else decision.kind
    decision.reason = reason
    return decision


def _bounced(decision: Decision, verdict: Verdict, book: Book) -> Decision:
    hits = [f for f in verdict.failed if f.address in book.prospects]
    if not hits:
        named = ", ".join(f.address for f in verdict.failed[:3]) or "no address we could read"
        decision.reason = f"ignored: {verdict.reason} for {named}, not a prospect"
        return decision
    for failed in hits:
        prospect_id, name = book.prospects[failed.address]
        bad = failed.status if failed.permanent else None
        decision.touches.append(
            Planned(prospect_id, name, "bounced", "in", None, bad, failed.address)
        )
    statuses = ", ".join(f"{f.address} {f.status or 'no status'}" for f in hits)
    decision.reason = f"{verdict.reason}: {statuses}"
    return decision


def apply(
    conn: sqlite3.Connection,
    result: SyncResult,
    mails: Iterable[Mail],
    book: Book,
    *,
    now: datetime,
    user_tz: tzinfo,
) -> None:
    """Decide every message, then log the touches in time order (so each does the step that
    was due when it happened), in the caller's transaction."""
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.pipeline.touch import log_touch, renumber_many

    assert result.sync_id is not None
    planned = []
    pauses: list[Decision] = []
    done_keys: set[tuple[str, int]] = set()
    for mail in mails:
        result.read += 1
        decision = decide(mail, book, now, user_tz)
        result.decisions.append(decision)
        fresh = []
        for touch in decision.touches:
            key = (mail.key, touch.prospect_id)
            if key in book.logged or key in done_keys:
                continue
            done_keys.add(key)
            fresh.append(touch)
        if decision.touches and not fresh:
            decision.reason = f"already logged ({mail.key}); {decision.reason}"
        decision.touches = fresh
        if fresh:
            planned.append((decision.at, mail, decision))
        elif decision.pause:  # a colleague who is not a prospect (pausing twice: no change)
            pauses.append(decision)
    planned.sort(key=lambda item: item[0])
    for at, mail, decision in planned:
        for touch in list(decision.touches):
            try:
                with store.transaction(conn):
                    logged = log_touch(
                        conn,
                        prospects.get(conn, touch.prospect_id),
                        channel="email",
                        outcome=touch.outcome,
                        at=at,
                        now=now,
                        user_tz=user_tz,
                        note=_note(mail, touch),
                        until=touch.until,
                        direction=touch.direction,
                        numbers=False,
                        fresh=True,  # read just now, in this transaction
                    )
                    _record(conn, mail, touch, logged.touch.id, result, at)
            except FollowupError as error:
                decision.touches.remove(touch)
                decision.reason = f"not logged for {touch.name}: {error}"
                continue
            result.logged += 1
            result.applied.append((touch, logged.effect))
    pauses += [decision for _at, _mail, decision in planned if decision.pause]
    for decision in sorted(pauses, key=lambda d: d.at):
        _pause_colleagues(conn, decision, result, user_tz)
    if result.logged:  # what stats counts, for every prospect touched, in one pass
        renumber_many(conn, mail_rows.prospects_of_sync(result.sync_id))


def _pause_colleagues(
    conn: sqlite3.Connection, decision: Decision, result: SyncResult, user_tz: tzinfo
) -> None:
    """A reply from someone at a prospect's company pauses the others there (HubSpot's
    "pause other contacts at the company"), for ``COMPANY_PAUSE``."""
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import enrollment

    until = decision.at + COMPANY_PAUSE
    paused = []
    for prospect_id, name in decision.pause:
        person = prospects.get(conn, prospect_id)
        if person.cadence_status != "active" or (
            person.paused_until and person.paused_until >= store.to_text(until)
        ):
            continue
        enrollment.pause(conn, person, until, user_tz)
        paused.append(name)
        result.paused.append((name, until))
    if paused:
        decision.reason += (
            f"; paused {', '.join(paused)} until {until.astimezone(user_tz):%Y-%m-%d}"
            " (mail.company_domain_pause)"
        )


def _note(mail: Mail, touch: Planned) -> str:
    what = {"sent": "sent", "replied": "reply", "out_of_office": "out of office"}
    label = what.get(touch.outcome, "bounce")
    if touch.bad_status:
        label = f"bounce {touch.bad_status}: fix the address"
    return f"{label} (mail): {mail.subject}"[:300]


def _record(
    conn: sqlite3.Connection,
    mail: Mail,
    touch: Planned,
    touch_id: int,
    result: SyncResult,
    at: datetime,
) -> None:
    assert result.sync_id is not None
    mail_rows.record_message(
        conn,
        {
            "message_key": mail.key,
            "prospect_id": touch.prospect_id,
            "touch_id": touch_id,
            "sync_id": result.sync_id,
            "kind": "message" if touch.outcome in ("sent", "replied") else touch.outcome,
            "at": store.to_text(at),
            "subject": mail.subject[:300],
            "refs": json.dumps(mail.references[-20:]),
        },
    )
    if touch.bad_status and touch.address:
        address = touch.address
        mail_rows.mark_bad(
            conn, address, touch.bad_status, store.to_text(at), mail.key, result.sync_id
        )
        if address not in result.bad_addresses:
            result.bad_addresses.append(address)


def check_addresses(mine: frozenset[str]) -> None:
    if not mine:
        raise InvalidValue(
            "Set your own addresses first, so sent mail can be told from replies: "
            'add  [me] addresses = ["you@example.com"]  to config.toml.'
        )
