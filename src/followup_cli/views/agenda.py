"""How `followup today` looks: aligned lines, two per touch.

Built as (text, style) pieces. At a terminal Rich paints them. When the output is piped
(cron, scripts), Rich would add nothing but an 80-column crop, so the plain text is written
directly and Rich is never imported: `today` should start fast. At a terminal, views/paint.py
paints the pieces as Rich would, without Rich, unless a style or the terminal needs Rich.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from followup_cli.core.dates import ago

CHANNEL_TITLES = {
    "trigger": "Triggers",
    "call": "Calls",
    "email": "Emails",
    "linkedin": "LinkedIn",
    "video": "Video",
    "text": "Texts",
    "mail": "Mail",
    "meeting": "Meetings",
}
Piece = tuple[str, str]  # text, Rich style


def day_label(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """``today``, ``tomorrow``, ``Wed 25 Nov``, ``Wed 25 Nov 2027``."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    delta = (local.date() - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    label = local.strftime("%a %d %b")
    return label if local.year == today.year else f"{label} {local.year}"


def due_text(moment: datetime, overdue_days: int, now: datetime, tz: tzinfo) -> Piece:
    if overdue_days > 0:
        return f"{overdue_days}d overdue", "overdue"
    return day_label(moment, now, tz), "due" if moment <= now else "upcoming"


def last_touch_label(
    at: datetime | None, channel: str | None, outcome: str | None, now: datetime
) -> str:
    if at is None:
        return "never"
    return f"{ago(now - at)} · {channel} {(outcome or '').replace('_', ' ')}"


def fit(value: str, width: int) -> str:
    """``value`` padded or cut to exactly ``width`` terminal columns (CJK names take two
    columns a character)."""
    from followup_cli.core.text import fit as fit_columns

    return fit_columns(value, width)


def money(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def show(result: Any, *, now: datetime, tz: tzinfo, show_score: bool, days: int) -> None:
    """Write the agenda a few hundred lines at a time, as they are made: `today --all` of a
    whole book streams (``scheduling.agenda.DueStream``)."""
    pieces = agenda_pieces(result, now=now, tz=tz, show_score=show_score, days=days)
    if not sys.stdout.isatty():
        for chunk in _chunks(pieces):
            sys.stdout.write("".join(text for text, _ in chunk))
        return
    from followup_cli.views import paint

    styles = paint.element_styles() if paint.usable() else None
    width = paint.terminal_width() if styles is not None else 0
    for chunk in _chunks(pieces):
        painted = paint.paint(chunk, styles, width) if styles is not None else None
        if painted is not None:  # plain styles: no need for Rich
            sys.stdout.write(painted)
            continue
        styles = None  # a style or a character is Rich's: Rich paints the rest
        from rich.text import Text

        from followup_cli.views import console

        console.out.print(
            Text.assemble(*chunk), end="", no_wrap=True, overflow="ellipsis", crop=True
        )


CHUNK = 2000  # pieces written at a time (about 150 touches)


def _chunks(pieces: Iterable[Piece]) -> Iterator[list[Piece]]:
    """The pieces in runs of whole lines, about ``CHUNK`` pieces each (each line is cut to
    the terminal's width on its own, so a run paints as it would among the others)."""
    chunk: list[Piece] = []
    for piece in pieces:
        chunk.append(piece)
        if len(chunk) >= CHUNK and piece[0].endswith("\n"):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def agenda_pieces(
    result: Any, *, now: datetime, tz: tzinfo, show_score: bool, days: int
) -> Iterator[Piece]:
    """The agenda as (text, style) pieces, made as they are used."""
    yield from [
        (f"{result.today:%A %d %B %Y}  ", "heading"),
        (f"{result.due_today} due today", "due"),
        (" · ", ""),
        (f"{result.overdue} overdue", "overdue" if result.overdue else ""),
        (f" · {result.coming_week} in the coming week\n", ""),
    ]
    if not result.due:
        yield ("Nothing due today.\n", "muted")
    for channel, items in result.by_channel(result.due):
        total = result.due_by_channel[channel]
        yield from _batch(channel, items, total, now, tz, show_score, result.bad_addresses)
    if days and result.upcoming:
        yield (f"\nComing up in the next {days} days\n", "bold")
        for channel, items in result.by_channel(result.upcoming):
            total = result.upcoming_by_channel[channel]
            yield from _batch(channel, items, total, now, tz, show_score, result.bad_addresses)
    pieces: list[Piece] = []
    if result.needs_attention:
        pieces += _needs_attention(result)
    if result.no_next_step:
        pieces.append(("Open deals with no next step\n", "bold yellow"))
        for row in result.no_next_step[:10]:
            pieces += [
                (f"{row['id']:>5}  ", "muted"),
                (fit(row["name"], 24), "bold"),
                (fit(row["stage"], 10), ""),
                (f"{money(row['value']):>10}\n", ""),
                (" " * 7 + f"{row['next_why'] or ''}\n", "muted"),
            ]
        hidden = result.no_next_step_total - len(result.no_next_step[:10])
        if hidden > 0:
            pieces.append((f"  … and {hidden} more: followup list --stage active\n", "muted"))
    for occasion in result.occasions:
        company = f" ({occasion.company})" if occasion.company else ""
        if occasion.days_away == 0 or occasion.day is None:
            when = "today"
        elif occasion.days_away == 1:
            when = "tomorrow"
        else:
            when = f"in {occasion.days_away} days ({occasion.day:%a %d %b})"
        pieces += [
            (f"🎉 {occasion.name}{company}: {occasion.kind} {when}", "magenta"),
            (f" · template {occasion.template}\n", "muted"),
        ]
    hidden = result.occasions_total - len(result.occasions)
    if hidden > 0:
        pieces.append((f"  … and {hidden} more birthdays and anniversaries: --all\n", "muted"))
    for nudge in result.referral_nudges:
        pieces.append(
            (
                f"Ask {nudge['name']} for a referral: results on record ({nudge['result']}) and "
                f"never asked. followup draft {nudge['id']} -t referral-ask-direct\n",
                "cyan",
            )
        )
    yield from pieces


def _needs_attention(result: Any) -> list[Piece]:
    """People whose cadence file does not load and who have no plan left: listed, with the
    file and line to fix, never hidden."""
    pieces: list[Piece] = [("Needs attention: their cadence file does not load\n", "bold red")]
    for name in sorted({row["cadence"] for row in result.needs_attention}):
        pieces.append((f"  {result.broken_cadences.get(name, name)}\n", "red"))
        for row in (r for r in result.needs_attention if r["cadence"] == name):
            pieces += [
                (f"{row['id']:>5}  ", "muted"),
                (fit(row["name"], 24), "bold"),
                (fit(row["stage"], 10), ""),
                (f"{money(row['value']):>10}", ""),
                (f"  {name}: no next touch until the file loads\n", "muted"),
            ]
    return pieces


def _batch(
    channel: str,
    shown: Iterable[Any],
    total: int,
    now: datetime,
    tz: tzinfo,
    show_score: bool,
    bad_addresses: dict[int, str] | None = None,
) -> Iterator[Piece]:
    """Two lines per touch: who, when and what for; then their company, how the last touch
    went, and the template that fits. (A Rich table costs ~0.5 ms a row.)"""
    name_w, due_w = 24, 13
    score_head = "Urgency  " if show_score else ""
    yield (f"{CHANNEL_TITLES[channel]} ({total})\n", "heading")
    yield (f"{'#':>5}  {'Prospect':<{name_w}}{'Due':<{due_w}}{score_head}For\n", "muted")
    count = 0
    for item in shown:
        count += 1
        pieces: list[Piece] = []
        step = ""
        if item.step:
            step = f" ({item.step}/{item.steps_total})" if item.steps_total else f" ({item.step})"
        due, due_style = due_text(item.due_at, item.overdue_days, now, tz)
        last = last_touch_label(
            item.last_touch_at, item.last_touch_channel, item.last_touch_outcome, now
        )
        pieces += [
            (f"{item.prospect_id:>5}  ", "muted"),
            (fit(item.name, name_w), "bold"),
            (fit(due, due_w), due_style),
        ]
        if show_score:
            pieces.append((f"{item.score:>7.1f}  ", ""))
        pieces += [
            (f"{item.purpose or ''}{step}\n", ""),
            (" " * 7 + fit(item.company or "", name_w), "muted"),
            (f"last: {last}", "muted"),
        ]
        if item.template:
            pieces += [(" · template ", "muted"), (item.template, "template")]
        if bad_addresses and item.prospect_id in bad_addresses:
            status = bad_addresses[item.prospect_id]
            pieces.append((f" · bounced {status}: fix the address", "error"))
        if item.channel == "email" and not item.email:
            pieces.append((" · no address", "warning"))  # an email step with nowhere to go
        pieces.append(("\n", ""))
        yield from pieces
    if count < total:
        yield (f"  … and {total - count} more: --all to see them\n", "muted")
