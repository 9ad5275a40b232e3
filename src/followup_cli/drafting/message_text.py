"""How the message rules read a message: greeting, body, lists, P.S. and sign-off apart,
and the body in sentences.

How a message is read (shared by the sentence, call-to-action and specifics rules):

* The greeting line ("Hi Dana,", "Dana,") is not part of the message.
* The sign-off is cut: the last closing line ("Best,", "Thanks, Sam", "--") among the
  final lines and everything after it; without a closing, a short run of short
  unpunctuated lines at the very end (a bare signature).
* A P.S. paragraph (a line starting "P.S." or "PS") is kept apart: it does not count
  towards the five sentences (the seeds recommend it for a secondary message), but it is
  searched for calls to action, specifics and banned phrases like the rest.
* Lines that hold only a link are not sentences. Wrapped lines of a paragraph are
  joined; an unpunctuated line followed by a capitalised one is a sentence of its own.
* A list (lines starting with "-", "*", "•", "1." or "a)") of up to three items reads
  like one sentence and counts as one; every item beyond the third adds one, and so
  does every extra sentence inside an item. List items are content, not asks: they are
  never counted as calls to action (a call script's talking points, questions to think
  about, next steps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LIST_ITEMS_PER_SENTENCE = 3

_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening))\b[^.!?]*[,:!]?$",
    re.IGNORECASE,
)
# "Dana," or "Dana Reyes," alone on the first line, as in "[Name]," in the seeds.
_NAME_GREETING = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2},$")
# A closing phrase, then at most a name ("Thanks, Sam"): "Thanks for the call." is prose.
_CLOSING = re.compile(
    r"^(?i:best(?:\s+(?:regards|wishes))?|all\s+the\s+best|regards|kind\s+regards|"
    r"warm(?:est)?\s+regards|warmly|thanks(?:\s+again)?|thank\s+you|many\s+thanks|cheers|"
    r"talk\s+soon|speak\s+soon|sincerely|yours(?:\s+truly)?|take\s+care|with\s+thanks|"
    r"gratefully|onward|until\s+then)"
    r"\s*[,!.—–-]?(?:\s+[A-Z][\w'’.-]*){0,3}$"
)
_SIGNATURE_DELIMITER = re.compile(r"^(?:--|—|–)\s*$")
_PS = re.compile(r"^p\.?\s?p?\.?\s?s\b\.?", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)]|[a-zA-Z][)])\s+")
_URL_ONLY = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    ("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "a.m")
    + ("p.m", "u.s", "u.k", "inc", "ltd", "co", "corp", "no", "approx", "dept", "jan", "feb")
    + ("mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue")
    + ("wed", "thu", "fri", "sat", "sun")
)
# How many of the final non-blank lines may hold the closing ("Best,") of a sign-off.
_SIGN_OFF_WINDOW = 8
# A line this short with no sentence punctuation at the very end is a signature line.
_SIGNATURE_LINE_WORDS = 6
_SIGNATURE_RUN = 4
# A line ending in one of these runs on into the next line of its paragraph.
_JOINING = frozenset(".!?:;,-–—(\"'”’)")


@dataclass
class Message:
    """A message split into the parts the rules look at."""

    prose: list[str] = field(default_factory=list)  # paragraphs, wrapped lines joined
    lists: list[list[str]] = field(default_factory=list)  # runs of list items
    postscript: list[str] = field(default_factory=list)  # P.S. paragraphs

    def text(self) -> str:
        items = [item for block in self.lists for item in block]
        return "\n".join([*self.prose, *items, *self.postscript])


def _is_signature_line(line: str) -> bool:
    stripped = line.strip()
    if _CLOSING.match(stripped) or _SIGNATURE_DELIMITER.match(stripped):
        return True
    if _LIST_ITEM.match(line) or stripped.endswith((".", "!", "?", ":")):
        return False
    return len(stripped.split()) <= _SIGNATURE_LINE_WORDS


def read_message(body: str) -> Message:
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]

    # Greeting: the first non-blank line, when it looks like one.
    for index, line in enumerate(lines):
        if line.strip():
            if len(line.split()) <= 6 and (
                _GREETING.match(line.strip()) or _NAME_GREETING.match(line.strip())
            ):
                lines[index] = ""
            break

    # P.S. paragraphs come out first: they usually sit below the signature.
    postscript: list[str] = []
    kept: list[str] = []
    in_ps = False
    for line in lines:
        if _PS.match(line.strip()):
            in_ps = True
            postscript.append(line.strip())
        elif in_ps and line.strip():
            postscript[-1] += " " + line.strip()
        else:
            in_ps = False
            kept.append(line)

    # Sign-off: the last closing line near the end, or a trailing run of signature lines.
    content = [i for i, line in enumerate(kept) if line.strip()]
    cut = len(kept)
    for i in reversed(content[-_SIGN_OFF_WINDOW:]):
        stripped = kept[i].strip()
        if _CLOSING.match(stripped) or _SIGNATURE_DELIMITER.match(stripped):
            cut = i
            break
    if cut == len(kept):  # no closing: a short run of signature lines may end the body
        for i in reversed(content[-_SIGNATURE_RUN:]):
            if not _is_signature_line(kept[i]):
                break
            cut = i
    kept = kept[:cut]

    message = Message(postscript=postscript)
    paragraph: list[str] = []
    items: list[str] = []

    def flush_paragraph() -> None:
        # Wrapped lines are joined; a line with no closing punctuation followed by one
        # starting in upper case is a sentence of its own ("15 minutes this week").
        chunks: list[str] = []
        for line in paragraph:
            if chunks and (chunks[-1][-1] in _JOINING or not line[:1].isupper()):
                chunks[-1] += " " + line
            else:
                chunks.append(line)
        message.prose.extend(chunks)
        paragraph.clear()

    def flush_items() -> None:
        if items:
            message.lists.append(list(items))
            items.clear()

    for line in kept:
        stripped = line.strip()
        if not stripped:
            flush_paragraph()
            flush_items()
        elif _URL_ONLY.match(stripped):
            flush_paragraph()
        elif _LIST_ITEM.match(line):
            flush_paragraph()
            items.append(_LIST_ITEM.sub("", line, count=1).strip())
        elif items and line[:1].isspace():
            items[-1] += " " + stripped  # an indented continuation of the item above
        else:
            flush_items()
            paragraph.append(stripped)
    flush_paragraph()
    flush_items()
    return message


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph: ends at . ! ? before a space, minus abbreviations.

    A full stop ends a sentence only when the next word does not start in lower case and
    the word before it is not an abbreviation ("p.m.", "e.g.") or an initial ("J.").
    Text after the last stop counts as a sentence when it holds a word.
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if "!" not in match.group() and "?" not in match.group():
            following = text[end:].lstrip()
            if following[:1].islower():
                continue
            before = text[start : match.start()].split()
            last = before[-1].lower().strip("\"'(“‘") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        sentence = text[start:end].strip()
        if _WORD.search(sentence):
            sentences.append(sentence)
        start = end
    tail = text[start:].strip()
    if _WORD.search(tail):
        sentences.append(tail)
    return sentences


def count_sentences(body: str) -> int:
    """Sentences in an email body, as the too-many-sentences rule counts them."""
    message = read_message(body)
    total = sum(len(split_sentences(paragraph)) for paragraph in message.prose)
    for block in message.lists:
        total += 1 + max(0, len(block) - LIST_ITEMS_PER_SENTENCE)
        total += sum(max(0, len(split_sentences(item)) - 1) for item in block)
    return total
