"""Drafting a message: which template, what it knows about the prospect (built in
``draft_context``), which variant and value item, and the follow-up rules it is
checked against.

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
by name; for a template with ``order: sequence``, the next after those this prospect
already got (every touch with the template counts), so each person gets a, b, c in turn;
``--variant`` overrides. Which value item: see ``value.choose``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any

from followup_cli.core.errors import FollowupError, InvalidValue
from followup_cli.drafting import guards
from followup_cli.drafting import sender as senders
from followup_cli.drafting import value as values
from followup_cli.drafting.checks import Finding
from followup_cli.drafting.craft_checks import all_rules
from followup_cli.drafting.draft_context import Missing, build_context, prospect_ref
from followup_cli.drafting.draft_context import is_set as _is_set
from followup_cli.drafting.draft_context import specifics_of as specifics_of  # for cli `check`
from followup_cli.drafting.templates import (
    NEED_ROOTS,
    TEMPLATE_CHANNELS,
    MissingValues,
    Template,
    load_all,
    load_template,
    render,
)
from followup_cli.drafting.truth import Claims, check_truth, claims_of
from followup_cli.pipeline.prospect import Prospect
from followup_cli.store import touches as touch_rows

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


class DraftError(FollowupError):
    """A draft that cannot be made as asked (no step, no email address, ...)."""


class MissingTemplateVariable(FollowupError):
    """The template needs something this prospect (or the sender profile) lacks."""


@dataclass(frozen=True)
class Draft:
    """A rendered message for one prospect: subject, body, and what went into it."""

    prospect: Prospect
    template: Template
    subject: str | None
    body: str
    variant: str
    value: values.ValueItem | None
    sender: senders.Sender
    specifics: tuple[str, ...] = ()
    warnings: list[Finding] = field(default_factory=list)
    claims: Claims | None = None  # what the record holds, for the truth rules

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
        """The follow-up rules (``checks``), then the truth rules (``truth``)."""
        found = all_rules(
            self.body,
            channel=self.channel,
            subject=self.subject,
            specifics=self.specifics,
            wants_ask=self.template.ask != "none",
        )
        if self.claims is not None:
            claims = self.claims if self.value else replace(self.claims, value_title=None)
            found += check_truth(self.body, claims, subject=self.subject)
        return found

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
    from followup_cli.pipeline.touch import touches_of

    if prospect.do_not_contact:
        raise DraftError(
            f"{prospect.name} asked not to be contacted: no draft. If that changed, clear the "
            f"flag with followup edit {prospect_ref(ref, prospect)} --contact-ok"
        )
    from followup_cli.drafting.record import facts_of
    from followup_cli.scheduling import triggers
    from followup_cli.store import referrals
    from followup_cli.store import triggers as trigger_rows

    pending = trigger_rows.latest_open(conn, prospect.id)
    if template is None and channel is None and pending is not None:
        template = pending["template"]  # something just happened: that touch comes first
    chosen = pick_template(prospect, template=template, channel=channel)
    extra = {**triggers.open_event(conn, prospect.id, chosen.name), **(extra or {})}
    sender = senders.load(conn)
    variant = _variant(conn, chosen, variant, prospect.id)
    item, choice = _value_for(conn, prospect, chosen, value_id)
    why = Missing(chosen, prospect, ref, item, choice)
    history = touches_of(conn, prospect.id)
    count = referrals.count_for(conn, prospect.name, prospect.email)
    facts = facts_of(prospect, history, now=now, user_tz=user_tz, referrals=count)
    context, specifics = build_context(
        prospect,
        chosen,
        sender=sender,
        value=item,
        history=history,
        extra=extra or {},
        now=now,
        user_tz=user_tz,
        facts=facts,
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
    claims = claims_of(prospect, chosen, context, facts, item, chosen_by_user=value_id is not None)
    claims = replace(claims, offered_days=_offered_days(prospect, now, user_tz))
    draft = Draft(
        prospect, chosen, subject, body, variant, item, sender, tuple(specifics), claims=claims
    )
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
    warnings += guards.timing_warnings(  # when, not what: is it time for this template
        chosen.name, history, stage=facts.stage, stage_since=facts.stage_since, now=now
    )
    return replace(draft, warnings=warnings)


def _offered_days(prospect: Prospect, now: datetime, user_tz: tzinfo) -> tuple[Any, ...]:
    from followup_cli.drafting.draft_context import meeting_slots
    from followup_cli.scheduling.enrollment import prospect_zone

    zone = prospect_zone(prospect, user_tz)
    return tuple(slot.date() for slot in meeting_slots(prospect, now=now, tz=zone))


def _mentions(draft: Draft, item: values.ValueItem) -> bool:
    return item.title in f"{draft.subject or ''}\n{draft.body}"


def record(conn: sqlite3.Connection, draft: Draft, *, now: datetime, user_tz: tzinfo) -> Any:
    """Log the draft as sent (a voicemail script: a call with a voicemail left), with its
    template, variant and value item, in the caller's transaction."""
    from followup_cli.pipeline.prospect import get
    from followup_cli.pipeline.touch import log_touch

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
        from followup_cli.scheduling.cadence import user_dir

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


def _variant(
    conn: sqlite3.Connection, template: Template, asked: str | None, prospect_id: int
) -> str:
    names = template.variant_names
    if asked is not None:
        if asked not in names:
            raise InvalidValue(
                f"Template {template.name} has no variant {asked!r}: use one of {', '.join(names)}."
            )
        return asked
    if template.order == "sequence":  # seed 003's #1, #2, #3: in turn for each person
        sent = sum(touch_rows.variant_counts(conn, template.name, prospect_id).values())
        return names[sent % len(names)]  # touches logged without a draft count too
    counts = touch_rows.variant_counts(conn, template.name)
    return min(names, key=lambda name: (counts.get(name, 0), name))


def _value_for(
    conn: sqlite3.Connection, prospect: Prospect, template: Template, value_id: int | None
) -> tuple[values.ValueItem | None, values.Choice | None]:
    if value_id is not None:
        return values.get(conn, value_id), None
    if not _uses_value(template):
        return None, None
    choice = values.choose(conn, prospect)
    return choice.item, choice


def _uses_value(template: Template) -> bool:
    return _uses(template, r"\bvalue\b") or any(n.startswith("value.") for n in template.needs)


def _uses(template: Template, pattern: str) -> bool:
    subjects = [template.subject or "", *(s or "" for s in template.variants.values())]
    return any(re.search(pattern, source) for source in [template.body, *subjects])


# --- what is missing, and --var -------------------------------------------------------------


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
