"""What kind of message this is: a person writing, an out-of-office, another automatic
reply, a bounce, or a list or newsletter. Headers decide first (RFC 3834, RFC 3464,
RFC 2369); subjects and bodies only when the headers say nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message

from followup_cli.mail.address import addresses_in, normalise
from followup_cli.mail.message import Mail

# Out-of-office subjects, as mail clients and servers write them, in English, German,
# French, Spanish, Portuguese, Dutch and Italian (matched at the start of the subject).
_OOO_WORDS = (
    # en
    r"out of (the )?office|automatic reply|auto[- ]?reply|auto[- ]?response|autoresponse"
    r"|away from (the |my )?(office|desk)|on (vacation|holiday|leave)|annual leave"
    r"|vacation (reply|notice|message)|holiday notice|ooo\b|i am away|i'?m away"
    r"|away (until|till|through)\b"
    # de
    r"|abwesenheit|abwesend|automatische antwort|au(ss|ß)er haus|nicht im b(ü|ue)ro"
    r"|urlaub|im urlaub"
    # fr
    r"|r(é|e)ponse automatique|absence|absent(e)?\b|en cong(é|e)s?|hors du bureau"
    # es
    r"|respuesta autom(á|a)tica|fuera de (la )?oficina|ausente|ausencia|de vacaciones"
    # pt
    r"|resposta autom(á|a)tica|fora do escrit(ó|o)rio|aus(ê|e)ncia|de f(é|e)rias"
    # nl
    r"|automatisch antwoord|afwezig(heid)?|buiten kantoor|niet aanwezig|met vakantie"
    # it
    r"|risposta automatica|fuori (sede|ufficio|dall'ufficio)|assente|assenza|in ferie"
)
OOO_SUBJECT = re.compile(rf"^\W*({_OOO_WORDS})", re.IGNORECASE)
# The same words anywhere in a short auto-reply's body.
OOO_BODY = re.compile(rf"({_OOO_WORDS})", re.IGNORECASE)

# Non-standard bounces: who sends them and what their subjects say (Gmail, Exchange and
# Office 365, Postfix, Exim, Sendmail, qmail, Courier and others).
_BOUNCE_SENDERS = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|mdaemon|bounce|bounces)@",
    re.IGNORECASE,
)
_BOUNCE_SENDER_NAMES = re.compile(
    r"mailer[- ]daemon|post_?master|mail-daemon|mail delivery|mail deliver system|mdaemon"
    r"|ndr administrator",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered mail|returned mail|mail delivery (failed|failure|system)"
    r"|delivery (status|failure|has failed|failed|problem|notification)"
    r"|failure notice|could not be delivered|wasn'?t delivered|was not delivered"
    r"|non[- ]?delivery|nondeliverable|message not delivered|delivery to the following"
    r"|unzustellbar|nicht zustellbar|(é|e)chec de (la )?(remise|distribution)|non remis"
    r"|no se puede entregar|no entregado|n(ã|a)o (foi )?entregue|onbestelbaar"
    r"|mancata consegna|non recapitabile",
    re.IGNORECASE,
)
_STATUS = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_SMTP_CODE = re.compile(r"(?<!\d)(5[0-5]\d|4[2-5]\d)(?:[ -])")
_PERMANENT_WORDS = re.compile(
    r"user unknown|unknown user|no such (user|recipient|mailbox)|does not exist|doesn'?t exist"
    r"|address not found|recipient address rejected|invalid (recipient|mailbox|address)"
    r"|mailbox (unavailable|not found)|failed permanently|permanent (error|failure)"
    r"|account (is )?(disabled|closed|inactive)|not a valid|unrouteable|user not found",
    re.IGNORECASE,
)
_DELAY_WORDS = re.compile(
    r"delivery (delayed|delay)|delayed mail|will (retry|continue trying)|still trying"
    r"|warning: message .* delayed|temporar(il)?y (failure|deferred)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"(?<![\w.%+'=-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Lines of a returned message's headers whose "addresses" are message ids or checks
# (``smtp.mailfrom=...``), not recipients.
_NOT_RECIPIENTS = re.compile(
    r"^[ \t]*(message-id|references|in-reply-to|authentication-results|dkim-signature"
    r"|arc-[\w-]+|x-ms-[\w-]+|thread-index)[ \t]*:.*(\n[ \t]+.*)*",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Failed:
    """One address a bounce says could not be reached, and the status it gives."""

    address: str
    status: str  # an RFC 3463 status such as 5.1.1 ("" when the bounce gives none)

    @property
    def permanent(self) -> bool:
        return self.status.startswith("5")


@dataclass(frozen=True)
class Verdict:
    kind: str  # message, bounce, delay, out_of_office, auto_reply, automatic, list
    reason: str  # why, in a few words, for --explain
    failed: tuple[Failed, ...] = field(default=())


def classify(mail: Mail) -> Verdict:
    """What ``mail`` is, and which header or phrase shows it."""
    bounce = _bounce(mail)
    if bounce is not None:
        return bounce
    automatic = _automatic(mail)
    if automatic is not None:
        return automatic
    if mail.content_type == "multipart/report":  # not a delivery report: RFC 5965, RFC 8098
        kind = mail.param("report-type")
        if kind in ("feedback-report", "disposition-notification"):
            what = "an abuse report" if kind == "feedback-report" else "a read receipt"
            return Verdict("automatic", f"sent by a machine ({what}, {kind})")
    for name in ("List-Id", "List-Unsubscribe"):
        if mail.get(name):
            return Verdict("list", f"a mailing list or newsletter ({name})")
    precedence = mail.get("Precedence").lower()
    if precedence in ("bulk", "list", "junk"):
        return Verdict("list", f"a mailing list or newsletter (Precedence: {precedence})")
    return Verdict("message", "written by a person")


# --- auto-replies (RFC 3834 and the common non-standard headers) ------------------------------


def _automatic(mail: Mail) -> Verdict | None:
    signs = []
    auto_submitted = mail.get("Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        signs.append(f"Auto-Submitted: {auto_submitted}")
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        if mail.get(name):
            signs.append(name)
    precedence = mail.get("Precedence").lower()
    if precedence == "auto_reply":
        signs.append("Precedence: auto_reply")
    subject_says = OOO_SUBJECT.search(mail.subject)
    if subject_says:
        return Verdict("out_of_office", f"an out-of-office reply (subject: {subject_says[0]!r})")
    if not signs:
        return None
    if auto_submitted.startswith("auto-generated") and not mail.get("X-Autoreply"):
        return Verdict("automatic", f"sent by a machine ({signs[0]})")
    body_says = OOO_BODY.search(mail.text(4000))
    if body_says:
        return Verdict("out_of_office", f"an out-of-office reply ({signs[0]}, {body_says[0]!r})")
    return Verdict("auto_reply", f"an automatic reply, not a person ({signs[0]})")


# --- bounces (RFC 3464 and what Gmail, Exchange, Postfix and others send instead) ------------


def _bounce(mail: Mail) -> Verdict | None:
    report = mail.content_type == "multipart/report"
    if report and mail.param("report-type") == "delivery-status":
        failed, delayed, delivered = _from_delivery_status(mail.full)
        if failed:
            return Verdict("bounce", "a delivery status notification (RFC 3464)", failed)
        if delayed:
            return Verdict("delay", "a delay warning: the mail server is still trying")
        if delivered:
            return Verdict("automatic", "a delivery report saying the mail arrived (RFC 3464)")
    from_bounce_sender = bool(_BOUNCE_SENDER_NAMES.search(mail.get("From")))
    failed_header = addresses_in(mail.get("X-Failed-Recipients"))
    subject_says = _BOUNCE_SUBJECT.search(mail.subject)
    # "From: <>": the null sender of RFC 5321, which only delivery reports use.
    null_sender = mail.sender is None and "<>" in mail.get("From")
    if not (failed_header or from_bounce_sender or (subject_says and (report or null_sender))):
        return None
    text = mail.text(30_000)
    if _DELAY_WORDS.search(mail.subject) or (
        _DELAY_WORDS.search(text[:3000]) and not _PERMANENT_WORDS.search(text)
    ):
        return Verdict("delay", "a delay warning: the mail server is still trying")
    failed, _, _ = _from_delivery_status(mail.full)
    if not failed:
        status = _status_in(text)
        addresses = failed_header or _failed_addresses(mail, text)
        failed = tuple(Failed(address, status) for address in addresses)
    why = "X-Failed-Recipients" if failed_header else f"subject {mail.subject[:40]!r}"
    return Verdict("bounce", f"a bounce ({why})", failed)


def _from_delivery_status(msg: Message) -> tuple[tuple[Failed, ...], bool, bool]:
    """The failed recipients of every message/delivery-status part, whether a part
    reported a delay, and whether one reported a delivery."""
    failed: list[Failed] = []
    delayed = delivered = False
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks: list[Message] = payload if isinstance(payload, list) else []
        for block in blocks:
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
            if not recipient:
                continue
            address = normalise(str(recipient).rpartition(";")[2])
            action = str(block.get("Action", "failed")).strip().lower()
            status = _STATUS.search(str(block.get("Status", "")))
            # "deliverable" (with a 2.x.x status): sendmail's answer to a verify request
            if action in ("delayed", "delivered", "relayed", "expanded", "deliverable") or (
                status and status[0].startswith("2")
            ):
                delayed = delayed or action == "delayed"
                delivered = delivered or action != "delayed"
                continue
            if address:
                code = status[0] if status else _status_in(str(block.get("Diagnostic-Code", "")))
                failed.append(Failed(address, code))
    return tuple(failed), delayed, delivered


def _status_in(text: str) -> str:
    """The RFC 3463 status a bounce's text gives, or one read off its SMTP reply code or
    its wording; "" when it says nothing either way."""
    found = _STATUS.search(text)
    if found:
        return found[0]
    code = _SMTP_CODE.search(text)
    if code:
        return f"{code[1][0]}.0.0"
    return "5.0.0" if _PERMANENT_WORDS.search(text) else ""


def _failed_addresses(mail: Mail, text: str) -> list[str]:
    """The recipients a non-standard bounce names: the addresses in its text, else the
    recipients of the returned message (never the bounce's own sender or recipient)."""
    own = {mail.sender, *mail.recipients}
    found = []
    for raw in _ADDRESS.findall(_NOT_RECIPIENTS.sub("", text[:8000])):
        if _BOUNCE_SENDERS.match(raw):
            continue
        address = normalise(raw)
        if address and address not in own and address not in found:
            found.append(address)
    if found:
        return found[:5]
    for part in mail.full.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                return addresses_in(str(inner.get("To", "")))
    return []
