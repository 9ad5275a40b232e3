"""How `followup show` looks: the profile, the cadence, the next touch and why, the timeline.

Built as (text, style) pieces, as `today` is. At a terminal Rich paints them; piped, the
same words are written as plain text and Rich is never imported (`show` is on the daily
loop and must start fast). The timeline is aligned by hand rather than by a Rich table.
"""

from __future__ import annotations

import sys
from datetime import datetime, tzinfo
from typing import Any

from followup_cli import store
from followup_cli.views.agenda import day_label, due_text, fit, money

Piece = tuple[str, str]  # text, Rich style
TIMELINE = (("When", 18), ("Channel", 10), ("Dir", 5), ("Outcome", 15), ("Step", 6), ("Note", 0))


def show(view: Any, *, now: datetime, tz: tzinfo, timeline: int | None = 10) -> None:
    pieces = profile_pieces(view, now=now, tz=tz, timeline=timeline)
    if not sys.stdout.isatty():
        sys.stdout.write("".join(text for text, _ in pieces))
        return
    from rich.text import Text

    from followup_cli.views import console

    console.out.print(Text.assemble(*pieces), end="", soft_wrap=True)


def _referrals(count: int) -> str:
    """ "2 people referred (a happy customer gives 4-6)"."""
    people = "person" if count == 1 else "people"
    return f"{count} {people} referred (a happy customer gives 4-6)"


def fact_rows(view: Any) -> list[tuple[str, str]]:
    """The profile's facts that are set, as (label, value)."""
    p = view.prospect
    rows = [
        ("Email", p.email),
        ("Phone", p.phone),
        ("LinkedIn", p.linkedin),
        ("Stage", p.stage),
        ("Value", money(p.value) or None),
        ("Priority", p.priority_name),
        ("Timezone", p.timezone),
        ("Country", p.country),
        ("Prefers", p.channel),
        ("Texts", "agreed to text messages" if p.texts_ok else None),
        ("Tags", ", ".join(p.tags) or None),
        ("Referred by", p.referred_by),
        ("Relationship", p.relationship),
        ("Referrals", _referrals(view.referrals) if view.referrals or p.relationship else None),
        ("Birthday", p.birthday),
        ("Anniversary", p.anniversary),
        ("Pace", f"{p.pace:g}× (more time between touches)" if p.pace != 1 else None),
        ("Key points", p.key_points),
        ("Competitors", p.competitors),
        ("Decision makers", p.decision_makers),
        ("Personal", p.personal),
        ("Notes", p.notes),
    ]
    rows += [(key, value) for key, value in sorted(p.fields.items())]
    return [(label, str(value)) for label, value in rows if value]


def profile_pieces(
    view: Any, *, now: datetime, tz: tzinfo, timeline: int | None = 10
) -> list[Piece]:
    p = view.prospect
    pieces: list[Piece] = [(p.name, "bold")]
    if p.title or p.company:
        pieces.append((f" — {', '.join(x for x in (p.title, p.company) if x)}", ""))
    pieces.append(("\n", ""))
    facts = fact_rows(view)
    if p.do_not_contact:
        facts.append(("Contact", "DO NOT CONTACT"))
    label_w = max((len(label) for label, _ in facts), default=0) + 2
    for label, value in facts:
        style = "bold red" if label == "Contact" and p.do_not_contact else ""
        pieces += [(label.ljust(label_w), "dim"), (value, style), ("\n", "")]
    pieces += [("\n", ""), ("Cadence: ", "bold")]
    if p.cadence:
        done = p.steps_done
        pieces.append(
            (f"{p.cadence} ({p.cadence_status}, {done} step{'s' if done != 1 else ''} done)", "")
        )
    else:
        pieces.append(("none", ""))
    pieces.append(("\n", ""))
    nxt = view.next_due
    if nxt is not None:
        label, style = due_text(nxt.due_at, nxt.overdue_days, now, tz)
        pieces += [("Next: ", "bold"), (f"{nxt.channel} ", ""), (label, style)]
        if label == day_label(nxt.due_at, now, tz) and label[:3].istitle():
            pieces.append((f" {nxt.due_at.astimezone(tz):%H:%M}", "dim"))  # a date: the time
        else:
            pieces.append((f" ({nxt.due_at.astimezone(tz):%a %d %b %H:%M})", "dim"))
        pieces.append((f" — {nxt.purpose}", ""))
        if nxt.template:
            pieces.append((f" [template {nxt.template}]", "template"))
        pieces.append(("\n", ""))
    pieces += [(f"Why: {view.why}", "italic"), ("\n\n", "")]
    if not view.touches:
        pieces.append(("No touches yet.\n", "dim"))
        return pieces
    pieces += _timeline(view.touches, tz, timeline)
    return pieces


def _timeline(touches: list[Any], tz: tzinfo, limit: int | None) -> list[Piece]:
    from followup_cli.core.settings import settings

    day_format = settings().date_format
    pieces: list[Piece] = [(f"Timeline ({len(touches)} touches)\n", "bold")]
    pieces.append(("".join(f"{h:<{w}}" for h, w in TIMELINE).rstrip() + "\n", "muted"))
    shown = touches if limit is None else touches[:limit]
    for t in shown:
        at = store.from_text(t.at)
        assert at is not None
        local = at.astimezone(tz)
        cells = (
            f"{local.strftime(day_format)} {local:%H:%M}",
            t.channel,
            t.direction,
            t.outcome.replace("_", " "),
            str(t.step or ""),
            " ".join((t.note or "").split()),  # a note on one line
        )
        line = "".join(fit(c, w) if w else c for c, (_, w) in zip(cells, TIMELINE, strict=True))
        pieces.append((line.rstrip() + "\n", ""))
    if len(shown) < len(touches):
        earlier = len(touches) - len(shown)
        pieces.append((f"  … and {earlier} earlier: --all to see them\n", "dim"))
    return pieces
