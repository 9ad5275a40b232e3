"""The follow-up rules a draft is checked against before a person sends it.

Every rule comes from the research behind the product: add value every time (never
"just checking in"), no guilt trips, three to five sentences, one clear call to action,
at least one sentence about this person, voicemails of 30 seconds and videos of two
minutes at most, and a subject line that is about something.

The checks are heuristics over plain text. Each one is documented where it is defined,
so a user who disagrees with a finding can see exactly why it fired.

How a message is read is ``message_text``'s business (greeting and sign-off apart, lists
and P.S. counted their own way).

The heuristics, rule by rule:

* zero-value-phrase: "just checking in / following up / touching base", "touch base"
  (also "touchbase"), "circling back", "stay on your radar", "following up on my last
  email", after folding case, punctuation and spacing. A bare "checking in" fails when
  it is all the sentence says ("checking in.", "checking in to see if..."); "checking in
  on the integration" names something concrete and passes.
* guilt-trip: "you said you'd get back to me" and kin, "(as) per my last email", "as I
  mentioned before", "I haven't heard back (from you)", "you haven't replied", "did you
  get my last email".
* too-many-sentences: more than five, counted as above; follow-up emails only.
* multiple-calls-to-action: more than one sentence that asks: a question opening (in any
  clause) with a request ("Would you", "Can we", "Should I", "Are you free", "Does
  Tuesday work", "15 minutes?") or an imperative ask ("Let me know", "Reply", "Book",
  "Call me", "Let's talk", "Feel free to"). Open questions ("How is the rollout going?")
  are conversation, not asks.
* no-specifics: none of the given specifics (whole words, any case) appears outside the
  greeting and the sign-off; values under three characters never match; with no
  specifics the rule cannot judge and is skipped.
* leftover-placeholder: "[Name]" (not a "[link](url)" or "[1]"), "{{", "{%", "}}",
  "{first_name}", "<NAME>" (not "<a@b.example>" or "<https://...>"), "___", TODO, XXX.
* voicemail-too-long / video-too-long: spoken words over 75 / 300 (150 a minute).
* generic-subject: an email subject that, without "Re:"/"Fwd:" and punctuation, is
  empty or only "follow up", "checking in", "quick question", "hi", "(no subject)"...
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from followup_cli.drafting.message_text import (
    count_sentences,
    read_message,
    split_sentences,
)


@dataclass(frozen=True)
class Finding:
    """One broken rule: a stable code and a one-line message saying what to do."""

    code: str
    message: str


RULES: dict[str, str] = {
    "zero-value-phrase": (
        'No "just checking in", "touching base", "circling back", "stay on your radar" or '
        '"just following up": every touch brings something of value.'
    ),
    "guilt-trip": (
        'No guilt trips ("you said you\'d get back to me", "as per my last email", '
        '"I haven\'t heard back from you", "as I mentioned before").'
    ),
    "too-many-sentences": (
        "A follow-up email body has at most five sentences (greeting, sign-off and P.S. "
        "not counted; a list of up to three items counts as one)."
    ),
    "multiple-calls-to-action": (
        "One clear call to action per message: at most one request such as "
        '"Would you...?", "Can we...?", "Let me know...", "Reply...", "Book...".'
    ),
    "no-specifics": (
        "At least one sentence is about this person: their company, pain point, goal, "
        "project or notes appear in the body (skipped when no specifics are known)."
    ),
    "leftover-placeholder": (
        "No unfilled placeholders: [Name], <NAME>, {{ ... }}, {first_name}, ___, TODO, XXX."
    ),
    "voicemail-too-long": ("A voicemail lasts 30 seconds at most: 75 words at 150 words a minute."),
    "video-too-long": "A video script runs two minutes at most: 300 words at 150 words a minute.",
    "generic-subject": (
        'An email subject refers to the last conversation: not empty, and not "Follow up", '
        '"Checking in", "Quick question", "Hi" and the like.'
    ),
}

VOICEMAIL_MAX_WORDS = 75  # 30 seconds at 150 words a minute
VIDEO_MAX_WORDS = 300  # 2 minutes at 150 words a minute
MAX_SENTENCES = 5


# --- calls to action ---------------------------------------------------------------------

# A question counts as an ask when one of its clauses opens with a request: "Would you",
# "Can we", "Should I", "Are you free", "Does Tuesday work", "Any chance"... Open questions
# ("How is the rollout going?", "Had any good star sightings?") are conversation, not asks.
_QUESTION_ASK = re.compile(
    r"^(?:(?:so|and|but|also|then|or|otherwise|if\s+so|if\s+not|in\s+that\s+case)\s+)?"
    r"(?:(?:would|could|can|will|shall|should|may|might)\s+(?:you|we|i|it|they|that|this)\b"
    r"|(?:are|were)\s+you\s+(?:open|free|available|around|up\s+for|still|ok|okay|happy|able"
    r"|comfortable|ready|keen|willing|interested)\b"
    r"|do\s+you\s+know\s+(?:any|some)(?:one|body)\b|is\s+there\s+(?:any|some)(?:one|body)\b"
    r"|do\s+you\s+have\s+(?:time|a\s+(?:few|minute|moment|spare)|\d+|five|ten|fifteen|twenty"
    r"|thirty)\b"
    r"|do\s+you\s+want\b|is\s+it\s+worth\b|worth\s+a\b|any\s+chance\b|mind\s+if\b"
    r"|how\s+(?:about\b|do(?:es)?\s+.{0,40}\bsound\b)|what\s+time\b|which\s+(?:works|day|time|slot)\b"
    r"|when\s+(?:works|suits|is\s+(?:a\s+)?good|would\s+(?:be|suit|work)|could\s+we|can\s+we"
    r"|are\s+you\s+(?:free|around|available))\b|(?:free|open|up)\s+for\b"
    r"|still\s+good\s+for\b|got\s+(?:time|a\s+few|\d+)\b"
    r"|(?:does|do|is|would)\s+.{0,60}\b(?:work|suit|better|convenient)\b"
    r"|.{0,40}\b(?:\d+|five|ten|fifteen|twenty|thirty)[\s-]*min(?:ute)?s?\b)",
    re.IGNORECASE,
)
# Asks in the imperative, with or without a question mark.
_IMPERATIVE_ASK = re.compile(
    r"^(?:(?:so|and|but|also|then|or|otherwise|just|please|simply|if\s+so|if\s+not)\s+)*"
    r"(?:let\s+me\s+know|reply|respond|write\s+back|hit\s+reply|call\s+me|ring\s+me|"
    r"text\s+me|email\s+me|give\s+me\s+a\s+(?:call|ring|shout)|call\s+(?:me\s+)?back|"
    r"book|schedule|pick|choose|grab|send\s+me|click|sign|forward|drop\s+me|shoot\s+me|"
    r"feel\s+free\s+to|let['’]?s\s+(?:talk|meet|connect|schedule|book|set|find|grab|hop|chat|"
    r"get|walk|put|review|do|plan|pick|lock|speak))\b",
    re.IGNORECASE,
)


def _clauses(sentence: str) -> list[str]:
    # "Dana, would you..." and "If it suits, let me know..." put the ask after a comma.
    parts = re.split(r"[,;—–]|:(?!\d)|\s-\s", sentence)
    return [part.strip().strip("\"'“”‘’()") for part in parts if part.strip()]


def is_call_to_action(sentence: str) -> bool:
    """Whether one sentence asks the reader to do something (see the module docstring)."""
    clauses = _clauses(sentence)
    if any(_IMPERATIVE_ASK.match(clause) for clause in clauses):
        return True
    if sentence.rstrip("\"'”’) ").endswith("?"):
        return any(_QUESTION_ASK.match(clause) for clause in clauses)
    return False


def calls_to_action(body: str) -> list[str]:
    """Sentences of the body (P.S. included, lists excluded) that ask for an action."""
    message = read_message(body)
    sentences = [s for p in [*message.prose, *message.postscript] for s in split_sentences(p)]
    return [sentence for sentence in sentences if is_call_to_action(sentence)]


# --- phrases -----------------------------------------------------------------------------


def _words_only(text: str) -> str:
    """Lower case, apostrophes dropped, every other non-word run a single space."""
    text = text.lower().replace("’", "'").replace("'", "")
    return " " + " ".join(re.findall(r"[a-z0-9]+", text)) + " "


# Matched against _words_only(text): punctuation and spacing do not hide a phrase.
_ZERO_VALUE = [
    re.compile(
        r" just (?:(?:wanted|want|writing|calling|emailing|reaching out|dropping you a line) to"
        r" |a quick |quickly )?(?:follow(?:ing)? up|check(?:ing)? ?in|touch(?:ing)? ?base"
        r"|circl(?:e|ing) back|bump(?:ing)?) "
    ),
    re.compile(r" touch(?:ing|ed)? ?base "),
    re.compile(r" circl(?:e|ing) back "),
    re.compile(r" (?:stay|staying|remain|keep (?:me|us|myself|this)) on your radar "),
    re.compile(
        r" follow(?:ing)? up on my (?:last|previous|earlier|prior) (?:email|message|note"
        r"|voicemail|call) "
    ),
    re.compile(r" bump(?:ing)? (?:this|my (?:email|message|note)) (?:up|to the top) "),
]
# Bare "checking in" is zero-value when checking in is all the message does: at the end
# of a clause, "to see if...", "with you." or "on things". "Checking in on the
# integration" names something concrete and passes; "just checking in" never does.
_CHECKING_IN = re.compile(
    r"\b(?:checking|(?:to|i'll|i will|i'd|let me|i wanted to|i want to) check)[\s-]?in\b"
    r"(?=\s*(?:[.!?,;:]|$)|\s+(?:to\s+(?:see|ask|find\s+out|make\s+sure|hear|know|say)\b"
    r"|with\s+you\s*(?:[.!?,;:]|$)|on\s+(?:things|everything|you|how|where)\b"
    r"|about\s+(?:things|everything|you)\b))",
    re.IGNORECASE,
)
_GUILT = [
    re.compile(
        r" you (?:said|told me|promised) (?:that )?you(?:d|ll| would| were going to| will)"
        r" (?:get back|respond|reply|call|follow up|let me know|send|review|look|come back"
        r"|be in touch) "
    ),
    re.compile(r" you promised "),
    re.compile(
        r" (?:as )?per my (?:last|previous|earlier|prior) (?:email|message|note|voicemail) "
    ),
    re.compile(
        r" (?:as i (?:mentioned|said|noted|wrote|explained)|like i (?:said|mentioned))"
        r" (?:before|earlier|previously|already|last time|in my (?:last|previous) \w+) "
    ),
    re.compile(r" (?:havent|have not|never) heard (?:back )?from you "),
    re.compile(r" (?:i|we) (?:still )?(?:havent|have not|never) heard back (?!from )"),
    re.compile(
        r" you (?:havent|have not|never|still havent) (?:responded|replied|gotten back|got back"
        r"|answered|returned my) "
    ),
    re.compile(
        r" did you (?:get|see|read|receive) my (?:last|previous|earlier|other) (?:email"
        r"|message|note|voicemail) "
    ),
]
_PLACEHOLDERS = [
    re.compile(r"\[[^\[\]\n]*[A-Za-z][^\[\]\n]*\](?!\()"),  # [Name]; not a [link](url)
    re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"),
    re.compile(r"\{\s*[A-Za-z_][\w.]*\s*\}"),  # {first_name}
    re.compile(r"<(?![^<>\n]*(?:@|://))[A-Za-z][A-Za-z _.-]{0,40}>"),  # <NAME>, not <a@b.c>
    re.compile(r"_{3,}"),
    re.compile(r"\b(?:TODO|FIXME|XXX+)\b"),
]
# Compared after dropping "Re:"/"Fwd:", case and punctuation ("(no subject)" -> "no subject").
_GENERIC_SUBJECTS = frozenset(
    ("", "follow up", "followup", "following up", "just following up", "quick follow up")
    + ("checking in", "just checking in", "check in", "quick question", "question")
    + ("touching base", "touch base", "circling back", "hi", "hello", "hey", "hi there")
    + ("update", "quick update", "no subject", "re", "fwd")
)


def _subject_key(subject: str) -> str:
    words = _words_only(subject).split()
    while words and words[0] in {"re", "fw", "fwd"}:
        words.pop(0)
    return " ".join(words)


def _phrase_hits(patterns: list[re.Pattern[str]], text: str) -> list[str]:
    normal = _words_only(text)
    return [m.group().strip() for pattern in patterns for m in pattern.finditer(normal)]


def _contains(text: str, value: str) -> bool:
    needle = " ".join(value.split())
    if len(needle) < 3:
        return False
    haystack = " ".join(text.replace("’", "'").split())
    needle = needle.replace("’", "'")
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, re.IGNORECASE) is not None


def _quote(phrases: Iterable[str]) -> str:
    unique = dict.fromkeys(phrases)
    return ", ".join(f'"{phrase}"' for phrase in unique)


def _shorten(sentence: str, width: int = 40) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 3].rstrip() + "..."


def word_count(text: str) -> int:
    """Words as they would be spoken: runs of letters or digits."""
    return len(re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", text))


# --- the rules ---------------------------------------------------------------------------


def check_message(
    body: str,
    *,
    channel: str = "email",
    subject: str | None = None,
    specifics: Iterable[str] = (),
    is_follow_up: bool = True,
) -> list[Finding]:
    """Every rule ``body`` (and ``subject``, for email) breaks, in the order of RULES.

    ``specifics`` are what is known about this prospect (company, pain point, notes...);
    with none, the no-specifics rule cannot judge and is skipped. The five-sentence limit
    applies to follow-up emails only (``channel == "email"`` and ``is_follow_up``).
    """
    findings: list[Finding] = []
    whole = body if subject is None else f"{subject}\n{body}"

    zero = _phrase_hits(_ZERO_VALUE, whole)
    zero += [m.group() for m in _CHECKING_IN.finditer(whole.replace("’", "'"))]
    if zero:
        findings.append(
            Finding(
                "zero-value-phrase",
                f"{_quote(p.lower() for p in zero)} adds nothing for the reader: say what this "
                "touch brings instead (an insight, a resource, an answer to their question).",
            )
        )

    guilt = _phrase_hits(_GUILT, whole)
    if guilt:
        findings.append(
            Finding(
                "guilt-trip",
                f"{_quote(guilt)} reads as a guilt trip: drop it and lead with something "
                "useful to them; silence usually means busy, not rude.",
            )
        )

    if channel == "email" and is_follow_up:
        sentences = count_sentences(body)
        if sentences > MAX_SENTENCES:
            findings.append(
                Finding(
                    "too-many-sentences",
                    f"{sentences} sentences: a follow-up email keeps to three to five; "
                    "cut to the one point and the one ask that matter.",
                )
            )

    asks = calls_to_action(body)
    if len(asks) > 1:
        findings.append(
            Finding(
                "multiple-calls-to-action",
                f"{len(asks)} calls to action ({_quote(_shorten(a) for a in asks)}): keep the one "
                "next step you most want and drop the others.",
            )
        )

    known = [value for value in specifics if value and value.strip()]
    if known:
        message = read_message(body).text()
        if not any(_contains(message, value) for value in known):
            findings.append(
                Finding(
                    "no-specifics",
                    "Nothing in the message is specific to this person: add one sentence "
                    "about their company, pain point, goal or something from your notes.",
                )
            )

    leftovers = [m.group() for pattern in _PLACEHOLDERS for m in pattern.finditer(whole)]
    if leftovers:
        findings.append(
            Finding(
                "leftover-placeholder",
                f"Unfilled placeholder {_quote(leftovers)}: replace it with the real detail "
                "or remove it.",
            )
        )

    words = word_count(body)
    if channel == "voicemail" and words > VOICEMAIL_MAX_WORDS:
        findings.append(
            Finding(
                "voicemail-too-long",
                f"{words} words is over 30 seconds spoken: keep a voicemail to "
                f"{VOICEMAIL_MAX_WORDS} words (reason for calling, one detail, callback "
                "number).",
            )
        )
    if channel == "video" and words > VIDEO_MAX_WORDS:
        findings.append(
            Finding(
                "video-too-long",
                f"{words} words is over two minutes spoken: keep a video script to "
                f"{VIDEO_MAX_WORDS} words and one point from your last conversation.",
            )
        )

    if channel == "email" and subject is not None and _subject_key(subject) in _GENERIC_SUBJECTS:
        shown = subject.strip() or "(empty)"
        findings.append(
            Finding(
                "generic-subject",
                f'Subject "{shown}" says nothing: refer to your last conversation or the '
                "value inside (their project, pain point, the resource).",
            )
        )
    return findings
