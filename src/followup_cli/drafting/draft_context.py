"""What a template knows when drafting for a prospect: the render context, what is
specific to this person, the meeting times offered, and the message that says what is
not set and the command that sets it.

``build_context`` takes the prospect's touches as an argument instead of reading them,
so the draft and `templates check` (its built-in sample prospect) build the context
with the same code.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.drafting import sender as senders
from followup_cli.drafting import value as values
from followup_cli.drafting.record import CONVERSATION_OUTCOMES, Facts, facts_of
from followup_cli.drafting.template_model import CONTEXT_NAMES, Fields, Template
from followup_cli.pipeline.prospect import DETAILS, Prospect

# Prospect details that say something about this person (the no-specifics rule).
SPECIFIC_DETAILS = (
    "company",
    "title",
    "referred_by",
    "key_points",
    "competitors",
    "decision_makers",
    "personal",
    "notes",
)
# Fields a template names that the prospect's own details fill when not set by --set:
# `add --competitors` and `--personal` are where a user writes them (seed 000's
# "competitors mentioned", seed 004's "star stalker").
BUILT_IN_FIELDS = {"competitor": "competitors", "personal_detail": "personal"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MEETING_MINUTES = 30


# --- the context ----------------------------------------------------------------------------


def build_context(
    prospect: Prospect,
    template: Template,
    *,
    sender: senders.Sender,
    value: values.ValueItem | None,
    history: list[Any],
    extra: dict[str, str],
    now: datetime,
    user_tz: tzinfo,
    facts: Facts | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The template context for this prospect, and what is specific to them.
    ``history`` is their touches, newest first (``touch.touches_of``); ``facts`` what the
    record holds (``record.facts_of``; computed here, with no referrals, when not given)."""
    from followup_cli.core.dates import in_words
    from followup_cli.pipeline.prospect import first_name_of
    from followup_cli.scheduling.enrollment import prospect_zone

    details = {key: val for key, val in prospect.public().items() if val not in (None, "")}
    if isinstance(details.get("value"), float) and details["value"].is_integer():
        details["value"] = int(details["value"])  # a deal value of 24000, not 24000.0
    custom = {**built_in_fields(prospect), **prospect.fields}
    me = sender.template_values()
    for name, text in extra.items():  # --var: for this draft only
        root, dot, attribute = name.partition(".")
        if not dot:
            custom[name] = text
        elif root == "prospect":
            details[attribute] = text
        else:
            me[attribute] = text
    if "me.name" in extra:
        me["first_name"] = first_name_of(extra["me.name"])
        if not sender.signature and "me.signature" not in extra:
            me["signature"] = extra["me.name"]
    details["fields"] = custom

    zone = prospect_zone(prospect, user_tz)
    slots = meeting_slots(prospect, now=now, tz=zone)
    labels = slot_labels(slots, now=now, tz=zone)
    # "your time" when we know their timezone; otherwise say which one the times are in
    where = "your time" if prospect.timezone else (slots[0].tzname() or "UTC")
    step = {
        "number": prospect.next_step,
        "purpose": prospect.next_purpose or template.purpose,
        "channel": prospect.next_channel,
    }
    context: dict[str, Any] = {
        **{key: text for key, text in custom.items() if key not in CONTEXT_NAMES},
        "prospect": Fields("prospect", details),
        "me": Fields("me", me),
        "last_touch": _last_touch(history, now),
        "step": Fields("step", {key: val for key, val in step.items() if val is not None}),
        "cadence": Fields("cadence", {"name": prospect.cadence} if prospect.cadence else {}),
        "value": Fields("value", value.template_values()) if value else None,
        "slots": labels,
        "slots_text": f"{_join(labels)} {where}",
        "since_last_conversation": in_words(now - _last_conversation(prospect, history)),
        "touch_count": len(history),
        "record": Fields(
            "record",
            (facts or facts_of(prospect, history, now=now, user_tz=user_tz)).template_values(),
        ),
    }
    specifics = specifics_of(prospect)
    specifics += [text for name, text in extra.items() if not name.startswith("me.")]
    return context, specifics


def built_in_fields(prospect: Prospect) -> dict[str, str]:
    """``competitor`` and ``personal_detail`` from the prospect's details: the first line
    of what they said about themselves, the competitors as "A or B"."""
    found = {}
    if prospect.competitors:
        names = [n.strip() for n in prospect.competitors.replace("\n", ",").split(",")]
        names = [n for n in names if n]
        if names:
            found["competitor"] = names[0] if len(names) == 1 else _join(names)
    if prospect.personal and prospect.personal.strip():
        found["personal_detail"] = prospect.personal.strip().splitlines()[0].strip()
    return found


def specifics_of(prospect: Prospect) -> list[str]:
    """What the tracker knows about this person beyond their name: their details,
    custom fields and notes. A draft should use at least one (the no-specifics rule)."""
    found = [str(getattr(prospect, key)) for key in SPECIFIC_DETAILS if getattr(prospect, key)]
    return found + [str(text) for text in prospect.fields.values()]


def _last_touch(history: list[Any], now: datetime) -> Fields | None:
    from followup_cli.core.dates import in_words
    from followup_cli.store.db import from_text

    if not history:
        return None
    last = history[0]
    elapsed = now - (from_text(last.at) or now)
    when = "yesterday" if elapsed.days == 1 else f"{in_words(elapsed)} ago"
    return Fields(
        "last_touch",
        {
            "channel": last.channel,
            "outcome": last.outcome,
            "note": last.note or "",
            "when": when,
            "at": last.at,
        },
    )


def _last_conversation(prospect: Prospect, history: list[Any]) -> datetime:
    """When we last actually spoke: the latest answer or inbound touch; failing that the
    latest touch; failing that the day they were added."""
    from followup_cli.store.db import from_text

    spoke = next(
        (t.at for t in history if t.outcome in CONVERSATION_OUTCOMES or t.direction == "in"),
        history[0].at if history else prospect.created_at,
    )
    moment = from_text(spoke)
    assert moment is not None
    return moment


# --- meeting times --------------------------------------------------------------------------


def meeting_slots(
    prospect: Prospect, *, now: datetime, tz: tzinfo, count: int = 2
) -> list[datetime]:
    """``count`` meeting times on the next business days (from tomorrow), in the send
    window of the prospect's cadence and their timezone: a morning, then an afternoon."""
    from followup_cli.core.settings import settings
    from followup_cli.pipeline.prospect import country_of
    from followup_cli.scheduling import cadence as cadences
    from followup_cli.scheduling.schedule import holidays_of

    chosen = settings()
    start, end = chosen.send_window or (time(9, 0), time(17, 0))
    business_days = True if chosen.business_days is None else chosen.business_days
    if prospect.cadence:
        try:
            found = cadences.load_cadence(prospect.cadence)
            start, end, business_days = found.window_start, found.window_end, found.business_days
        except FollowupError:
            pass  # a broken cadence: the default window still gives sensible times
    country = country_of(prospect)
    first = _minutes(start)
    latest = max(first, _minutes(end) - MEETING_MINUTES)  # the meeting ends in the window
    morning = min(first + 60, latest)
    afternoon = min(max(14 * 60, first), latest)
    if afternoon == morning:
        afternoon = latest
    day = now.astimezone(tz).date()
    found_slots: list[datetime] = []
    for _ in range(60):  # holidays never fill two months; the bound is for safety only
        if len(found_slots) == count:
            break
        day += timedelta(days=1)
        if business_days and (
            day.weekday() >= 5 or (country and day in holidays_of(country, day.year))
        ):
            continue
        minutes = morning if len(found_slots) % 2 == 0 else afternoon
        found_slots.append(datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz))
    return found_slots


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def slot_labels(slots: list[datetime], *, now: datetime, tz: tzinfo) -> list[str]:
    """ "Tuesday 10:00"; with the date when the slot is a week or more away."""
    today = now.astimezone(tz).date()
    labels = []
    for slot in slots:
        day = WEEKDAYS[slot.weekday()]
        if (slot.date() - today).days >= 7:
            day += f" {slot.day} {slot:%b}"
        labels.append(f"{day} {slot:%H:%M}")
    return labels


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " or ".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


# --- what is not set, and how to set it -----------------------------------------------------


def prospect_ref(ref: str, prospect: Prospect) -> str:
    """How to name the prospect in a suggested command: as the user did, if that is a
    plain word, else by id."""
    return ref if ref and shlex.quote(ref) == ref else str(prospect.id)


def _option(detail: str) -> str:
    return {"timezone": "--tz", "tags": "--tag"}.get(detail, "--" + detail.replace("_", "-"))


@dataclass(frozen=True)
class Missing:
    """Says what a draft lacks and the exact command that sets each thing."""

    template: Template
    prospect: Prospect
    ref: str
    item: values.ValueItem | None
    choice: values.Choice | None

    def message(self, names: list[str]) -> str:
        who = prospect_ref(self.ref, self.prospect)
        details = (*DETAILS, "tags")
        custom = [n for n in names if "." not in n]
        detail = [n for n in names if n.startswith("prospect.") and n[9:] in details]
        mine = [n for n in names if n.startswith("me.")]
        value = [n for n in names if n.startswith("value.")]
        record = [n for n in names if n.startswith("record.")]
        other = [n for n in names if n not in (*custom, *detail, *mine, *value, *record)]
        clauses = []
        settable = custom + detail
        if settable:
            sets = [
                f"--{BUILT_IN_FIELDS[n]} ..." if n in BUILT_IN_FIELDS else f"--set {n}=..."
                for n in custom
            ]
            sets += [f"{_option(n[9:])} ..." for n in detail]
            just_now = " ".join(f"--var {n}=..." for n in settable)
            clauses.append(
                f"{_names(settable)} not set: followup edit {who} {' '.join(sets)} "
                f"(or, for this draft only, {just_now})"
            )
        if mine:
            derived = ("me.name", "me.first_name", "me.signature")
            options = dict.fromkeys("--name" if n in derived else f"--{n[3:]}" for n in mine)
            fixes = " ".join(f"{option} ..." for option in options)
            clauses.append(f"{_names(mine)} not set: followup me {fixes}")
        if value:
            clauses.append(self.value_clause(value))
        for name in record:
            clauses.append(_record_clause(name, self.prospect, who))
        if other:
            clauses.append(f"{_names(other)} not set for {self.prospect.name}")
        text = f"Cannot draft {self.template.name} for {self.prospect.name}: {'; '.join(clauses)}"
        return text if text.endswith("...") else text + "."

    def value_clause(self, names: list[str]) -> str:
        tags = self.prospect.tags
        add = 'followup value add "TITLE" --url URL --kind article' + (
            f" --tag {tags[0]}" if tags else ""
        )
        if self.item is None:
            bank = self.choice.bank_size if self.choice else 0
            if bank == 0:
                return f"{_names(names)} not set, and the value bank is empty: {add}"
            if self.choice and self.choice.unfitting:
                known = ", ".join(tags) or "none"
                return (
                    f"no value item fits {self.prospect.name} (tags: {known}). Add one: "
                    f"{add}, or pass --value ID"
                )
            return (
                f"{_names(names)} not set: {self.prospect.name} already received every item "
                f"in the value bank: {add} (or send one again with --value ID)"
            )
        fixes = " ".join(f"--{n[6:]} ..." for n in names)
        return (
            f"{_names(names)} not set on value item #{self.item.id}: "
            f"followup value edit {self.item.id} {fixes}"
        )


def _record_clause(name: str, prospect: Prospect, who: str) -> str:
    """What the record lacks for ``record.NAME``, and how it gets there."""
    fact = name.partition(".")[2]
    if fact in ("spoke", "last_spoke", "since_spoke", "days_since_spoke"):
        return (
            f"no conversation with {prospect.name} is on record, and this template recalls "
            f"one: log it first (followup log {who} --channel meeting --outcome meeting), or "
            "pick a template that introduces you"
        )
    if fact in ("agreed_until", "agreed_date"):
        return (
            f"no revisit date agreed with {prospect.name} is on record: followup log {who} "
            "--outcome not_now --until DATE"
        )
    if fact in ("in_stage", "weeks_in_stage"):
        return f"no touch on record says when {prospect.name} became {prospect.stage}"
    if fact == "promised":
        return f'nothing promised is on record: followup edit {who} --set promised="..."'
    if fact == "text_consent":
        return (
            f"{prospect.name} has not agreed to text messages: once they have, followup edit "
            f"{who} --texts-ok"
        )
    if fact == "results":
        return f'no result is on record: followup edit {who} --set result="..."'
    return f"{name} is not on record for {prospect.name}"


def _names(names: list[str]) -> str:
    verb = "is" if len(names) == 1 else "are"
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{shown} {verb}"


def is_set(context: dict[str, Any], need: str) -> bool:
    root, dot, attribute = need.partition(".")
    if not dot:
        return context.get(need) not in (None, "")
    holder = context.get(root)
    if holder is None:
        return False
    try:
        found = getattr(holder, attribute)
    except AttributeError:
        return False
    if root == "record" and found in (False, 0):
        return False  # a template that needs record.spoke needs a conversation on record
    return found not in (None, "", [], {})
