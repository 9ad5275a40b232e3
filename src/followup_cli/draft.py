"""Drafting a message: which template, what it knows about the prospect, which variant
and value item, and the follow-up rules it is checked against.

Which template (``pick_template``):

* ``--template NAME``: that one.
* Neither option: the template of the prospect's next cadence step. A step without a
  template is treated like ``--channel`` with the step's channel (a call step wants a
  voicemail script, a meeting step an email).
* ``--channel C`` (email, voicemail, video, linkedin, mail, text; ``call`` means
  voicemail), in order:

  1. the step's own template, when it is a C template and the step is not a call (a
     call step's template may be notes for a live call, such as ``call-review``;
     asking for a voicemail means a script to leave);
  2. the first row of ``BY_PURPOSE`` whose words appear in the step's purpose or
     template name (for a prospect with no step due: their stage) and that names a
     C template, e.g. "Trial close" -> ``voicemail-trial-close``, "Send the proposal"
     -> ``voicemail-trial-close``, "Check in by phone" -> ``voicemail-initial``,
     "Add value with an article" -> ``voicemail-value-add``;
  3. the channel's default (``CHANNEL_DEFAULT``: a value-add for email and voicemail);
  4. the first C template by name (your own templates included).

Which variant: the one of this template sent least often (across all touches), ties
by name; ``--variant`` overrides. Which value item: see ``value.choose``.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from followup_cli import sender as senders
from followup_cli import value as values
from followup_cli.checks import Finding, check_message
from followup_cli.errors import FollowupError, InvalidValue
from followup_cli.prospect import DETAILS, Prospect
from followup_cli.templates import (
    CONTEXT_NAMES,
    NEED_ROOTS,
    TEMPLATE_CHANNELS,
    Fields,
    MissingValues,
    Template,
    load_all,
    load_template,
    render,
)

# The channel of a template for a cadence step's channel, and of a touch for a template's.
TEMPLATE_CHANNEL_OF_STEP = {
    "call": "voicemail",
    "email": "email",
    "linkedin": "linkedin",
    "video": "video",
    "text": "text",
    "mail": "mail",
    "meeting": "email",
}
TOUCH_CHANNEL_OF_TEMPLATE = {
    "email": "email",
    "voicemail": "call",
    "video": "video",
    "linkedin": "linkedin",
    "mail": "mail",
    "text": "text",
}
BY_PURPOSE: tuple[tuple[tuple[str, ...], dict[str, str]], ...] = (
    (
        ("trial close", "decide", "decision", "ready to move", "sign"),
        {"voicemail": "voicemail-trial-close", "email": "trial-close-email"},
    ),
    (
        ("proposal", "walk through", "walkthrough", "chance to review"),
        {"voicemail": "voicemail-trial-close", "email": "proposal-review"},
    ),
    (("breakup", "close your file", "closing the file"), {"email": "breakup"}),
    (("referral", "introduction"), {"email": "referral-pivot"}),
    (("executive",), {"email": "executive-escalation"}),
    (
        ("new angle", "different angle", "re-engage", "new use case"),
        {"email": "new-angle", "video": "video-walkthrough"},
    ),
    (
        ("recap", "thank", "first", "promised", "discovery", "check in", "welcome"),
        {"voicemail": "voicemail-initial", "email": "thank-you-first-contact"},
    ),
    (
        ("value", "article", "insight", "resource", "case study", "content", "story", "idea"),
        {"voicemail": "voicemail-value-add", "email": "value-add"},
    ),
)
CHANNEL_DEFAULT = {
    "voicemail": "voicemail-value-add",
    "email": "value-add",
    "video": "video-walkthrough",
    "linkedin": "linkedin-comment-dm",
    "mail": "handwritten-note",
}
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
# Outcomes that mean we actually spoke (for "since our last conversation").
CONVERSATION_OUTCOMES = frozenset({"replied", "meeting", "not_now", "won", "lost"})
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MEETING_MINUTES = 30


class DraftError(FollowupError):
    """A draft that cannot be made as asked (no step, no email address, ...)."""


class MissingTemplateVariable(FollowupError):
    """The template needs something this prospect (or the sender profile) lacks."""


@dataclass(frozen=True)
class Draft:
    prospect: Prospect
    template: Template
    subject: str | None
    body: str
    variant: str
    value: values.ValueItem | None
    sender: senders.Sender
    specifics: tuple[str, ...] = ()
    warnings: list[Finding] = field(default_factory=list)

    @property
    def channel(self) -> str:
        return self.template.channel

    @property
    def value_id(self) -> int | None:
        return self.value.id if self.value else None

    def text(self) -> str:
        """The draft as plain text: ``Subject: ...``, a blank line, the body."""
        if self.subject is None:
            return self.body + "\n"
        return f"Subject: {self.subject}\n\n{self.body}\n"

    def with_text(self, text: str) -> Draft:
        """The draft after the user edited ``text()``: re-read and re-checked."""
        subject, body = split_subject(text)
        if self.subject is None or subject is None:
            subject = self.subject
        body = body.strip("\n")
        if not body.strip():
            raise DraftError("The draft is empty after editing: nothing was kept or logged.")
        edited = replace(self, subject=subject, body=body)
        if edited.value and not _mentions(edited, edited.value):
            edited = replace(edited, value=None)
        return replace(edited, warnings=edited.check())

    def check(self) -> list[Finding]:
        return check_message(
            self.body, channel=self.channel, subject=self.subject, specifics=self.specifics
        )

    def public(self) -> dict[str, Any]:
        return {
            "template": self.template.name,
            "channel": self.channel,
            "subject": self.subject,
            "body": self.body,
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
            "variant": self.variant,
            "value_id": self.value_id,
        }


def split_subject(text: str) -> tuple[str | None, str]:
    """``Subject: ...`` on the first line, then the body (after one blank line)."""
    text = text.replace("\r\n", "\n").lstrip("\n")
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        return first.split(":", 1)[1].strip(), rest.lstrip("\n")
    return None, text


# --- the command's one call -----------------------------------------------------------------


def prepare(
    conn: sqlite3.Connection,
    prospect: Prospect,
    *,
    ref: str,
    now: datetime,
    user_tz: tzinfo,
    template: str | None = None,
    channel: str | None = None,
    value_id: int | None = None,
    variant: str | None = None,
    extra: dict[str, str] | None = None,
) -> Draft:
    """The draft for ``prospect``'s next step (or the template/channel asked for)."""
    if prospect.do_not_contact:
        raise DraftError(
            f"{prospect.name} asked not to be contacted: no draft. If that changed, clear the "
            f"flag with followup edit {_ref(ref, prospect)} --contact-ok"
        )
    chosen = pick_template(prospect, template=template, channel=channel)
    sender = senders.load(conn)
    variant = _variant(conn, chosen, variant)
    item, choice = _value_for(conn, prospect, chosen, value_id)
    why = _Missing(chosen, prospect, ref, item, choice)
    context, specifics = build_context(
        conn,
        prospect,
        chosen,
        sender=sender,
        value=item,
        extra=extra or {},
        now=now,
        user_tz=user_tz,
    )
    missing = [need for need in chosen.needs if not _is_set(context, need)]
    if _uses(chosen, r"\bme\.") and not _is_set(context, "me.name") and "me.name" not in missing:
        missing.append("me.name")  # every signature needs it: say so before anything else
    if missing:
        raise MissingTemplateVariable(why.message(missing))
    try:
        subject, body = render(chosen, context, variant)
    except MissingValues as error:
        raise MissingTemplateVariable(why.message(error.names)) from None
    draft = Draft(prospect, chosen, subject, body, variant, item, sender, tuple(specifics))
    if item is not None and not _mentions(draft, item):
        draft = replace(draft, value=None)  # this variant did not carry it
    warnings = draft.check()
    if value_id is not None and draft.value is None:
        warnings.append(
            Finding(
                "value-not-used",
                f"{chosen.name} (variant {variant}) does not carry a value item: --value "
                f"{value_id} was left out. Pick a template that does, e.g. --template value-add.",
            )
        )
    elif value_id is not None and item is not None:
        sent = values.sent_to(conn, prospect.id).get(item.id)
        if sent:
            warnings.append(
                Finding(
                    "value-already-sent",
                    f"{prospect.name} already received value item #{item.id} on {sent[:10]}.",
                )
            )
    return replace(draft, warnings=warnings)


def _mentions(draft: Draft, item: values.ValueItem) -> bool:
    return item.title in f"{draft.subject or ''}\n{draft.body}"


def record(conn: sqlite3.Connection, draft: Draft, *, now: datetime, user_tz: tzinfo) -> Any:
    """Log the draft as sent (a voicemail script: a call with a voicemail left), with its
    template, variant and value item, in the caller's transaction."""
    from followup_cli.prospect import get
    from followup_cli.touch import log_touch

    channel = TOUCH_CHANNEL_OF_TEMPLATE[draft.channel]
    return log_touch(
        conn,
        get(conn, draft.prospect.id),
        channel=channel,
        outcome="voicemail" if draft.channel == "voicemail" else "sent",
        at=now,
        now=now,
        user_tz=user_tz,
        note=draft.subject or f"{draft.template.name} ({draft.channel})",
        template=draft.template.name,
        variant=draft.variant,
        value_id=draft.value_id,
    )


# --- which template -------------------------------------------------------------------------


def pick_template(
    prospect: Prospect, *, template: str | None = None, channel: str | None = None
) -> Template:
    """The template for this draft (the rule is in the module docstring)."""
    if template and channel:
        raise InvalidValue("Give --template or --channel, not both.")
    if template:
        return load_template(template)
    if channel:
        return _by_channel(prospect, template_channel(channel))
    if prospect.next_template:
        return load_template(prospect.next_template)
    if prospect.next_channel:
        return _by_channel(prospect, TEMPLATE_CHANNEL_OF_STEP[prospect.next_channel])
    why = f" ({prospect.next_why})" if prospect.next_why else ""
    raise DraftError(
        f"{prospect.name} has no next step to draft{why}: pick a template with --template NAME "
        "or a channel with --channel email (see followup templates list)."
    )


def template_channel(channel: str) -> str:
    normal = channel.strip().lower()
    normal = {"call": "voicemail", "phone": "voicemail"}.get(normal, normal)
    if normal not in TEMPLATE_CHANNELS:
        raise InvalidValue(
            f"Unknown channel {channel!r}: use one of {', '.join(TEMPLATE_CHANNELS)}."
        )
    return normal


def _by_channel(prospect: Prospect, channel: str) -> Template:
    available = {name: t for name, t in load_all().items() if t.channel == channel}
    if not available:
        from followup_cli.cadence import user_dir

        raise DraftError(
            f"No {channel} template: write one in {user_dir('templates')}/NAME.j2 "
            f"with `channel: {channel}` in its front matter."
        )
    own = prospect.next_template
    if own in available and prospect.next_channel != "call":
        return available[own]
    if prospect.next_step is not None:
        words = f"{prospect.next_purpose or ''} {(own or '').replace('-', ' ')}".lower()
    else:
        words = prospect.stage
    for keywords, by_channel in BY_PURPOSE:
        name = by_channel.get(channel)
        if name in available and any(word in words for word in keywords):
            return available[name]
    default = CHANNEL_DEFAULT.get(channel)
    if default in available:
        return available[default]
    return available[min(available)]


def _variant(conn: sqlite3.Connection, template: Template, asked: str | None) -> str:
    names = template.variant_names
    if asked is not None:
        if asked not in names:
            raise InvalidValue(
                f"Template {template.name} has no variant {asked!r}: use one of {', '.join(names)}."
            )
        return asked
    counts = dict(
        conn.execute(
            "SELECT variant, count(*) FROM touches WHERE template = ? GROUP BY variant",
            [template.name],
        ).fetchall()
    )
    return min(names, key=lambda name: (counts.get(name, 0), name))


def _value_for(
    conn: sqlite3.Connection, prospect: Prospect, template: Template, value_id: int | None
) -> tuple[values.ValueItem | None, values.Choice | None]:
    if value_id is not None:
        return values.get(conn, value_id), None
    if not _uses_value(template):
        return None, None
    choice = values.choose(conn, prospect.id, prospect.tags)
    return choice.item, choice


def _uses_value(template: Template) -> bool:
    return _uses(template, r"\bvalue\b") or any(n.startswith("value.") for n in template.needs)


def _uses(template: Template, pattern: str) -> bool:
    subjects = [template.subject or "", *(s or "" for s in template.variants.values())]
    return any(re.search(pattern, source) for source in [template.body, *subjects])


# --- what a template knows ------------------------------------------------------------------


def build_context(
    conn: sqlite3.Connection,
    prospect: Prospect,
    template: Template,
    *,
    sender: senders.Sender,
    value: values.ValueItem | None,
    extra: dict[str, str],
    now: datetime,
    user_tz: tzinfo,
) -> tuple[dict[str, Any], list[str]]:
    """The template context for this prospect, and what is specific to them."""
    from followup_cli.dates import in_words
    from followup_cli.enrollment import prospect_zone
    from followup_cli.prospect import first_name_of
    from followup_cli.touch import touches_of

    details = {key: val for key, val in prospect.public().items() if val not in (None, "")}
    if isinstance(details.get("value"), float) and details["value"].is_integer():
        details["value"] = int(details["value"])  # a deal value of 24000, not 24000.0
    custom = dict(prospect.fields)
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

    history = touches_of(conn, prospect.id)
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
    }
    specifics = specifics_of(prospect)
    specifics += [text for name, text in extra.items() if not name.startswith("me.")]
    return context, specifics


def specifics_of(prospect: Prospect) -> list[str]:
    """What the tracker knows about this person beyond their name: their details,
    custom fields and notes. A draft should use at least one (the no-specifics rule)."""
    found = [str(getattr(prospect, key)) for key in SPECIFIC_DETAILS if getattr(prospect, key)]
    return found + [str(text) for text in prospect.fields.values()]


def _last_touch(history: list[Any], now: datetime) -> Fields | None:
    from followup_cli.dates import in_words
    from followup_cli.store import from_text

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
    from followup_cli.store import from_text

    spoke = next(
        (t.at for t in history if t.outcome in CONVERSATION_OUTCOMES or t.direction == "in"),
        history[0].at if history else prospect.created_at,
    )
    moment = from_text(spoke)
    assert moment is not None
    return moment


def meeting_slots(
    prospect: Prospect, *, now: datetime, tz: tzinfo, count: int = 2
) -> list[datetime]:
    """``count`` meeting times on the next business days (from tomorrow), in the send
    window of the prospect's cadence and their timezone: a morning, then an afternoon."""
    from followup_cli import cadence as cadences
    from followup_cli.prospect import country_of
    from followup_cli.schedule import holidays_of

    start, end, business_days = time(9, 0), time(17, 0), True
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


# --- what is missing, and how to set it -----------------------------------------------------


def _is_set(context: dict[str, Any], need: str) -> bool:
    root, dot, attribute = need.partition(".")
    if not dot:
        return context.get(need) not in (None, "")
    holder = context.get(root)
    if holder is None:
        return False
    try:
        return getattr(holder, attribute) not in (None, "", [], {})
    except AttributeError:
        return False


def _ref(ref: str, prospect: Prospect) -> str:
    """How to name the prospect in a suggested command: as the user did, if that is a
    plain word, else by id."""
    return ref if ref and shlex.quote(ref) == ref else str(prospect.id)


def _option(detail: str) -> str:
    return {"timezone": "--tz", "tags": "--tag"}.get(detail, "--" + detail.replace("_", "-"))


@dataclass(frozen=True)
class _Missing:
    """Says what a draft lacks and the exact command that sets each thing."""

    template: Template
    prospect: Prospect
    ref: str
    item: values.ValueItem | None
    choice: values.Choice | None

    def message(self, names: list[str]) -> str:
        who = _ref(self.ref, self.prospect)
        details = (*DETAILS, "tags")
        custom = [n for n in names if "." not in n]
        detail = [n for n in names if n.startswith("prospect.") and n[9:] in details]
        mine = [n for n in names if n.startswith("me.")]
        value = [n for n in names if n.startswith("value.")]
        other = [n for n in names if n not in (*custom, *detail, *mine, *value)]
        clauses = []
        settable = custom + detail
        if settable:
            sets = [f"--set {n}=..." for n in custom]
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
            return (
                f"{_names(names)} not set: {self.prospect.name} already received every item "
                f"in the value bank: {add} (or send one again with --value ID)"
            )
        fixes = " ".join(f"--{n[6:]} ..." for n in names)
        return (
            f"{_names(names)} not set on value item #{self.item.id}: "
            f"followup value edit {self.item.id} {fixes}"
        )


def _names(names: list[str]) -> str:
    verb = "is" if len(names) == 1 else "are"
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{shown} {verb}"


def parse_vars(pairs: list[str]) -> dict[str, str]:
    """``--var key=value`` pairs: a custom field (``pain_point``) or a detail for this
    draft only (``prospect.title``, ``me.phone``)."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().lower().replace("-", "_")
        root, dot, attribute = key.partition(".")
        valid = re.fullmatch(r"[a-z_][a-z0-9_]*", attribute if dot else key) is not None
        if dot and (root not in ("prospect", "me") or attribute not in NEED_ROOTS[root]):
            valid = False
        if not sep or not valid:
            raise InvalidValue(
                f'--var {pair!r} is not name=value: use e.g. --var pain_point="manual renewals" '
                'or --var me.phone="+1 303 555 0100".'
            )
        if not text.strip():
            raise InvalidValue(f"--var {key}= is empty: a draft never has a blank in it.")
        found[key] = text.strip()
    return found
