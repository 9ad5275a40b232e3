"""How long a template's message is, in sentences: `followup stats` groups touches by the
length of the template they used (seed 000 asks to test "Email length").

Read from the template's text, without Jinja (stats must not draft forty templates): each
``{{ field }}`` stands for one word (a field alone on its line, a link or a name, is not a
sentence), and of each ``{% if %}`` only the first branch is kept, which in the shipped
templates is the fuller message (for someone you spoke with, with a value item). For the
shipped templates this is the drafted count, give or take two sentences."""

from __future__ import annotations

import re
from functools import cache

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_TAG = re.compile(r"({%-?.*?-?%}|{#.*?#})", re.DOTALL)
_FIELD = re.compile(r"{{.*?}}", re.DOTALL)
_WORD = "Acme"  # what a field stands for (a word: "X." would read as an initial)


@cache
def sentences_of(name: str) -> int | None:
    """The sentences of template ``name``, or None when there is no such template."""
    from followup_cli.core.library import template_files

    path = template_files().get(name)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return sentences_in(text)


def sentences_in(text: str) -> int:
    """The sentences of a template's body (front matter left out), first branches only."""
    from followup_cli.drafting.message_text import count_sentences

    body = _FRONT.sub("", text, count=1)
    kept: list[str] = []
    keeping = [True]  # one entry per open {% if %}: is this branch kept
    for part in _TAG.split(body):
        if not part.startswith(("{%", "{#")):
            if all(keeping):
                kept.append(_FIELD.sub(_WORD, part))
            continue
        words = part.strip("{}%#- \n").split()
        keyword = words[0] if words else ""
        if keyword == "if":
            keeping.append(True)
        elif keyword in ("elif", "else") and len(keeping) > 1:
            keeping[-1] = False
        elif keyword == "endif" and len(keeping) > 1:
            keeping.pop()
    # a field alone on its line is a link or a name, not a sentence
    lines = [line for line in "".join(kept).splitlines() if line.strip() != _WORD]
    return count_sentences("\n".join(lines))
