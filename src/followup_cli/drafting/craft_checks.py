"""More of the seeds' rules for a message. ``all_rules`` runs them after ``checks``'s, for
drafts, `followup check` and `followup templates check`.

Each is a heuristic over plain text, defined here so a user who disagrees with a finding
can see why it fired (the seed each comes from in brackets):

* no-call-to-action: a follow-up email with no ask at all: no call to action (as
  ``checks`` counts them) and no question [000: "No clear CTA → Make next step
  obvious"]. A template that means to ask for nothing says ``ask: none`` in its front
  matter, and is not held to it.
* long-paragraph: an email paragraph (a line of prose, up to its line break; list items
  apart) of more than three sentences or more than 60 words [000: "Short paragraphs:
  Scannable"].
* about-us: the message talks about the sender: six or more of I/me/my/we/our/us (and I'm,
  we're...), and more than two and a half times as many as of you/your [000: "Talking
  about yourself → Focus on their needs"].
* deflection: an opener that apologises for the message or for their time: "I know you're
  (really) busy", "sorry to bother you", "I hate to bother you", "I don't want to take up
  your time" [003: "Relationship builders start with deflection: 'I know that you are
  really busy…'"].
* no-callback: a voicemail with neither a phone number nor a time to call back [000:
  "Specific callback time"]; a voicemail template with ``ask: none``, and a call script of
  talking points (a list), are exempt.
* unspecific-subject: an email subject with nothing of this person in it (none of their
  details, when known), or, when nothing is known, of fewer than three words: "Hello
  again" and "Proposal" say nothing [000: "Subject lines: Reference previous
  conversation"].

"""

from __future__ import annotations

import re
from collections.abc import Iterable

from followup_cli.drafting.checks import Finding, calls_to_action, check_message
from followup_cli.drafting.message_text import read_message, split_sentences

CRAFT_RULES: dict[str, str] = {
    "no-call-to-action": (
        "A follow-up email asks for one clear next step (a call, a reply, a date); a "
        "template that means to ask nothing says `ask: none` in its front matter."
    ),
    "long-paragraph": (
        "Short paragraphs: at most three sentences or 60 words between line breaks."
    ),
    "about-us": ("About them, not us: at most 2.5 I/we/our to each you/your, once there are six."),
    "deflection": (
        'No apologetic openers ("I know you\'re busy", "sorry to bother you"): say why you write.'
    ),
    "no-callback": "A voicemail gives a number to call back, or a time you will call again.",
    "unspecific-subject": (
        "A subject names something of theirs (company, project, pain point), not only "
        '"Hello again" or "Proposal".'
    ),
}

_LIST_LINE = re.compile(r"^(?:[-*•]|\d+[.)]|[a-z][.)])\s")
PARAGRAPH_MAX_SENTENCES = 3
PARAGRAPH_MAX_WORDS = 60
ABOUT_US_MIN = 6
ABOUT_US_RATIO = 2.5

_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|we|our|ours|us)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
_DEFLECTION = re.compile(
    r"\b(?:i\s+know\s+(?:that\s+)?you(?:['’]re|\s+are)\s+(?:really\s+|very\s+|so\s+|super\s+)?"
    r"(?:busy|slammed|swamped)"
    r"|(?:i['’]m\s+)?sorry\s+to\s+(?:bother|trouble|disturb|pester|bug)"
    r"|i\s+hate\s+to\s+(?:bother|trouble|pester|bug)"
    r"|i\s+(?:don['’]t|do\s+not)\s+want\s+to\s+(?:bother\s+you|take\s+up\s+(?:too\s+much\s+of\s+)?"
    r"your\s+time)"
    r"|apologi[sz]e\s+for\s+(?:bothering|the\s+intrusion|reaching\s+out)"
    r"|(?:if|when)\s+you\s+(?:ever\s+)?(?:get|have|find)\s+a\s+(?:spare\s+)?(?:minute|moment|second)\b"
    r"(?=.{0,15}\bbusy\b))",
    re.IGNORECASE | re.DOTALL,
)
_PHONE = re.compile(r"(?:\+?\d[\d ().-]{6,}\d)")
_CALL_TIME = re.compile(
    r"\b(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|this\s+(?:afternoon|morning|evening)"
    r"|noon)\b",
    re.IGNORECASE,
)


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", text))


def _contains(text: str, value: str) -> bool:
    needle = " ".join(value.split())
    if len(needle) < 3:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text, re.IGNORECASE) is not None


def long_paragraphs(body: str) -> list[str]:
    """Email paragraphs (up to a line break) over three sentences or 60 words."""
    prose = read_message(body).text()  # greeting, sign-off and list items aside
    lines = [line.strip() for line in body.replace("\r\n", "\n").split("\n")]
    return [
        line
        for line in lines
        if line
        and not _LIST_LINE.match(line)
        and line[:40] in prose
        and (
            len(split_sentences(line)) > PARAGRAPH_MAX_SENTENCES
            or _words(line) > PARAGRAPH_MAX_WORDS
        )
    ]


def all_rules(
    body: str,
    *,
    channel: str = "email",
    subject: str | None = None,
    specifics: Iterable[str] = (),
    wants_ask: bool = True,
) -> list[Finding]:
    """``checks.check_message``'s findings, then these rules' (``wants_ask=False``: a
    template with ``ask: none``). A subject already found generic is not judged again."""
    known = [value for value in specifics if value and value.strip()]
    found = check_message(body, channel=channel, subject=subject, specifics=known)
    if any(finding.code == "generic-subject" for finding in found):
        subject = None
    crafted = check_craft(
        body, channel=channel, subject=subject, specifics=known, wants_ask=wants_ask
    )
    return found + [Finding(code, message) for code, message in crafted]


def check_craft(
    body: str,
    *,
    channel: str,
    subject: str | None,
    specifics: Iterable[str],
    wants_ask: bool = True,
) -> list[tuple[str, str]]:
    """(code, message) for each of these rules the message breaks."""
    found: list[tuple[str, str]] = []
    text = read_message(body).text()
    asks = len(calls_to_action(body))
    asks_something = asks > 0 or "?" in text  # a question they can answer is an ask too
    if channel == "email" and wants_ask and not asks_something:
        found.append(
            (
                "no-call-to-action",
                "There is no ask: end with one clear next step (a short call at a given time, "
                "a question they can answer in a line), or mark the template `ask: none`.",
            )
        )
    if channel == "email":
        long = long_paragraphs(body)
        if long:
            start = " ".join(long[0].split()[:6])
            found.append(
                (
                    "long-paragraph",
                    f'The paragraph starting "{start}..." is a wall of text: break it after '
                    f"{PARAGRAPH_MAX_SENTENCES} sentences or {PARAGRAPH_MAX_WORDS} words.",
                )
            )
    ours = len(_FIRST_PERSON.findall(text))  # "I'm", "we're" count once, as I and we
    theirs = len(_SECOND_PERSON.findall(text))
    if ours >= ABOUT_US_MIN and ours > ABOUT_US_RATIO * theirs:
        found.append(
            (
                "about-us",
                f"{ours} I/we/our to {theirs} you/your: the message is about you; turn "
                "sentences round to their problem and what they gain.",
            )
        )
    deflection = _DEFLECTION.search(text.replace("\n", " "))
    if deflection:
        found.append(
            (
                "deflection",
                f'"{deflection.group().strip()}" apologises for writing: open with the reason '
                "you write, with conviction.",
            )
        )
    script = bool(read_message(body).lists)  # talking points for a call, not a voicemail
    callback = _PHONE.search(body) or _CALL_TIME.search(body)
    if channel == "voicemail" and wants_ask and not script and not callback:
        found.append(
            (
                "no-callback",
                "No number and no time: say the number to call back slowly, or when you will "
                "try again (followup me --phone sets yours).",
            )
        )
    if channel == "email" and subject is not None and subject.strip():
        known = [value for value in specifics if value and value.strip()]
        if known:
            vague = not any(_contains(subject, value) for value in known)
        else:
            vague = _words(subject) < 3
        if vague:
            found.append(
                (
                    "unspecific-subject",
                    f'Subject "{subject.strip()}" names nothing of theirs: put in their '
                    "company, project or pain point, or what you send them.",
                )
            )
    return found
