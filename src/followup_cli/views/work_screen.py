"""What `followup work` shows: the queue, the prospect in focus and its draft, the keys.

Built as (style, text) fragments, the shape prompt_toolkit paints (style names, not
colours: under ``NO_COLOR`` the marks and words alone still tell everything). Widths are
terminal columns, so CJK names and emoji take the two they use.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from followup_cli.core.text import fit, width
from followup_cli.views.agenda import CHANNEL_TITLES, day_label, due_text, money

Fragment = tuple[str, str]
QUEUE_WIDTH = 30  # at 80 columns, the focus pane keeps 49
DUE_WIDTH = 12  # "18d overdue" and a gap
MARKS = {"done": "✓", "snoozed": "z", "skipped": "·"}
STYLE = {
    "title": "bold",
    "heading": "bold underline",
    "focus": "reverse",
    "overdue": "fg:ansired bold",
    "done": "fg:ansigreen",
    "snoozed": "fg:ansiyellow",
    "dim": "fg:ansibrightblack",
    "warning": "fg:ansiyellow bold",
    "error": "fg:ansired bold",
    "ok": "fg:ansigreen bold",
    "key": "bold",
    "question": "bold",
}
KEYS: tuple[tuple[str, str], ...] = (
    ("s", "sent: log the step's channel, with the draft's template, variant and value item"),
    ("v", "voicemail left (a call)"),
    ("n", "no answer"),
    ("r", "replied (they answered: the cadence stops)"),
    ("m", "meeting booked or held"),
    ("w", "won: onboarding starts"),
    ("l", "lost: the lost-deal cadence starts"),
    ("x", "not now: asks the date to pick up again"),
    ("o", "opted out: asks to confirm, then never due again"),
    ("e", "edit the draft in $VISUAL / $EDITOR"),
    ("t", "choose another template"),
    ("c", "copy the draft to the clipboard"),
    ("M", "open the draft in your mail client (mailto:)"),
    ("z", "snooze: 1d, 3d, 1w or a date"),
    ("k", "skip for now (it comes back at the end)"),
    ("u", "undo this session's last action"),
    ("a", "add a note to the prospect"),
    ("↑ ↓", "move in the queue"),
    ("?", "this help (any key closes it)"),
    ("q", "quit, with a summary"),
)
START = "? for the keys"  # the status line, until a key says something
HINT = "s sent v vm n no-ans r replied m mtg w won l lost x not-now o opt-out"
HINT2 = "e edit t template c copy M mail z snooze k skip u undo a note ? help q quit"


# --- where things go: the prompt_toolkit layout and the first frame (cli/work_frame.py) ---


def queue_width(columns: int) -> int:
    return max(20, min(QUEUE_WIDTH, columns * 2 // 5))


def focus_width(columns: int) -> int:
    return max(20, columns - queue_width(columns) - 1)


def body_rows(rows: int, asking: bool = False) -> int:
    """The rows of the queue and focus panes: the header above, the status line, the
    question (when one is asked) and the two lines of keys below."""
    return max(3, rows - 4 - (1 if asking else 0))


def touches_shown(rows: int) -> int:
    return 2 if rows < 30 else 3  # at 80x24 the draft needs the room


def page(
    fragments: list[Fragment], columns: int, rows: int, scroll: int
) -> tuple[list[Fragment], int]:
    """The focus pane's ``rows`` lines from ``scroll`` on (kept inside the text), with a
    "more" mark on the last one when the text goes on; and the scroll used."""
    lines = wrap(fragments, columns)
    scroll = max(0, min(scroll, len(lines) - rows))
    shown = lines[scroll : scroll + rows]
    if scroll + rows < len(lines):
        shown[-1] = [("class:dim", "  … more: PgDn / space")]
    return [part for line in shown for part in [*line, ("", "\n")]], scroll


# --- what is in them -----------------------------------------------------------------------


def header(morning: Any, now: datetime, tz: tzinfo) -> list[Fragment]:
    states = list(morning.state.values())
    local = now.astimezone(tz)
    text = (
        f" followup work · {local.strftime('%a %d %b')} · {len(morning.queue)} in the queue · "
        f"{states.count('done')} done · {states.count('snoozed')} snoozed"
    )
    return [("class:title", text)]


def queue(morning: Any, columns: int, rows: int, now: datetime, tz: tzinfo) -> list[Fragment]:
    """The queue, a heading per channel, the focus marked with ``›`` and shown in
    reverse; scrolled so the focus stays in view. Only the rows around the focus are
    built, however long the queue."""
    items = morning.queue
    if not items:
        return [("class:dim", "Nothing is due.")]
    here_at = min(morning.position, len(items) - 1)
    low, high = max(0, here_at - rows), min(len(items), here_at + rows + 1)
    lines: list[list[Fragment]] = []
    focus_line = 0
    channel = items[low - 1].channel if low else None
    for index in range(low, high):
        item = items[index]
        if item.channel != channel:
            channel = item.channel
            lines.append([("class:heading", fit(CHANNEL_TITLES.get(channel, channel), columns))])
        state = morning.status_of(item)
        here = index == morning.position
        if here:
            focus_line = len(lines)
        due, kind = due_text(item.due_at, item.overdue_days, now, tz)
        mark = "›" if here else MARKS.get(state or "", " ")
        room = max(4, columns - 2 - DUE_WIDTH)
        name, when = f"{mark} {fit(item.name, room)}", fit(due, DUE_WIDTH)
        if here:
            lines.append([("class:focus", name + when)])
        elif state:
            lines.append([(f"class:{state}", name + when)])
        else:
            lines.append([("", name), ("class:overdue" if kind == "overdue" else "", when)])
    start = max(0, min(focus_line - rows // 2, len(lines) - rows))
    out: list[Fragment] = []
    for line in lines[start : start + rows]:
        out += line + [("", "\n")]
    return out


def focus(
    seen: Any, draft: Any, problem: str | None, now: datetime, tz: tzinfo, touches: int = 3
) -> list[Fragment]:
    """Who they are, why this touch is due, the last ``touches`` touches, and the draft
    with the rules' warnings."""
    person, item = seen.prospect, seen.item
    out: list[Fragment] = []
    works = ", ".join(filter(None, [person.title, person.company]))
    who = " — ".join(filter(None, [person.name, works]))
    out += [("class:title", who), ("", "\n")]
    facts = [person.stage, money(person.value), _priority(person.priority), person.timezone]
    facts += [person.email or person.phone, ", ".join(person.tags)]
    out += [("class:dim", " · ".join(f for f in facts if f)), ("", "\n")]
    due, kind = due_text(item.due_at, item.overdue_days, now, tz)
    step = f" ({item.step}/{item.steps_total})" if item.step and item.steps_total else ""
    out += [("class:key", f"Due {item.channel} ")]
    out += [("class:overdue" if kind == "overdue" else "", due)]
    out += [("", f" — {item.purpose or 'next touch'}{step}\n")]
    if item.why:
        out += [("class:dim", f"Why: {item.why}"), ("", "\n")]
    notes = [line for line in (person.notes or "").splitlines() if line.strip()]
    if notes:
        out += [("class:dim", f"Notes: {notes[-1]}"), ("", "\n")]
    out.append(("", "\n"))
    out += [("class:heading", "Last touches"), ("", "\n")]
    if not seen.last_touches:
        out += [("class:dim", "  none yet"), ("", "\n")]
    for touch in seen.last_touches[:touches]:
        at = datetime.fromisoformat(touch.at.replace("Z", "+00:00"))
        said = f"  {day_label(at, now, tz):<10} {touch.channel} {touch.outcome.replace('_', ' ')}"
        if touch.note:
            said += f" — {touch.note}"
        out += [("", said), ("", "\n")]
    out.append(("", "\n"))
    if problem:
        return out + [("class:heading", "Draft"), ("", "\n"), ("class:error", problem), ("", "\n")]
    if draft is None:
        return out + [("class:heading", "Draft"), ("", "\n"), ("class:dim", "drafting…\n")]
    variant = f", variant {draft.variant}" if len(draft.template.variant_names) > 1 else ""
    out += [("class:heading", f"Draft: {draft.template.name}")]
    out += [("class:dim", f" ({draft.channel}{variant})")]
    out.append(("", "\n"))
    if draft.subject is not None:
        out += [("class:key", "Subject: "), ("", draft.subject), ("", "\n\n")]
    out += [("", draft.body), ("", "\n")]
    if draft.warnings:
        out.append(("", "\n"))
        for warning in draft.warnings:
            out += [("class:warning", f"! {warning.code}: "), ("", warning.message), ("", "\n")]
    else:
        out += [("class:ok", "✓ passes the follow-up rules"), ("", "\n")]
    return out


def finished(summary: Any) -> list[Fragment]:
    return [
        ("class:title", "The queue is worked through.\n\n"),
        ("", summary.text() + "\n\n"),
        ("class:dim", "u takes back the last action; q quits."),
    ]


def help_text() -> list[Fragment]:
    out: list[Fragment] = [("class:heading", "Keys"), ("", "\n")]
    for key, what in KEYS:
        out += [("class:key", f"  {key:<4}"), ("", f"{what}\n")]
    out += [("", "\n"), ("class:dim", "Every action is written at once: quitting loses nothing.\n")]
    return out


def templates(found: list[Any], current: str | None) -> list[Fragment]:
    out: list[Fragment] = [("class:heading", "Templates (type a number or a name)"), ("", "\n")]
    for number, template in enumerate(found, 1):
        mark = "›" if template.name == current else " "
        out.append(("", f"{mark}{number:>3} {template.name} ({template.channel})\n"))
    return out


def keys_line(columns: int) -> list[Fragment]:
    return [("class:dim", fit(HINT, columns)), ("", "\n"), ("class:dim", fit(HINT2, columns))]


def message(text: str, style: str = "") -> list[Fragment]:
    return [(f"class:{style}" if style else "", text)]


def logged(done: Any, now: datetime, tz: tzinfo) -> list[Fragment]:
    """``Logged call to Dana Reyes: voicemail. Next: call tomorrow — Trial close.``"""
    touch, person = done.touch, done.prospect
    said = f"Logged {touch.channel} to {person.name}: {touch.outcome.replace('_', ' ')}."
    return [("class:ok", said), ("", " " + next_text(person, now, tz))]


def snoozed(person: Any, now: datetime, tz: tzinfo) -> list[Fragment]:
    return [("class:ok", f"Snoozed {person.name}."), ("", " " + next_text(person, now, tz))]


def next_text(person: Any, now: datetime, tz: tzinfo) -> str:
    if person.do_not_contact:
        return "Never due again."
    if not person.next_due_at:
        return f"No next touch{f' ({person.next_why})' if person.next_why else ''}."
    at = datetime.fromisoformat(person.next_due_at.replace("Z", "+00:00"))
    purpose = f" — {person.next_purpose}" if person.next_purpose else ""
    return f"Next: {person.next_channel} {day_label(at, now, tz)}{purpose}."


def wrap(fragments: list[Fragment], columns: int) -> list[list[Fragment]]:
    """The fragments cut into screen lines of at most ``columns`` terminal columns, at
    spaces where a word fits (a wide character counts two)."""
    lines: list[list[Fragment]] = [[]]
    used = 0
    for style, text in fragments:
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append([])
                used = 0
            for word in _words(piece):
                size = width(word)
                if used + size > columns and used and word.strip():
                    lines.append([])
                    used = 0
                    word = word.lstrip()
                    size = width(word)
                while size > columns:  # a word longer than the line: cut it
                    head, rest = _cut(word, columns - used)
                    lines[-1].append((style, head))
                    lines.append([])
                    used, word = 0, rest
                    size = width(word)
                if word:
                    lines[-1].append((style, word))
                    used += size
    return lines


def _words(text: str) -> list[str]:
    """``text`` in pieces that each start with the spaces before a word."""
    import re

    return re.findall(r"\s*\S+|\s+$", text)


def _cut(word: str, columns: int) -> tuple[str, str]:
    used = 0
    for index, char in enumerate(word):
        if used + width(char) > max(1, columns):
            return word[:index] or word[0], word[index:] or word[1:]
        used += width(char)
    return word, ""


def _priority(level: int) -> str | None:
    from followup_cli.core.vocab import PRIORITY_NAMES

    name = PRIORITY_NAMES.get(level)
    return None if name in (None, "normal") else f"{name} priority"
