"""What `followup mail` prints: a line per account synced, what each touch did, and with
``--explain`` a line per message saying what it was and why it was (not) logged."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from followup_cli.views.render import note

OUTCOME_WORDS = {
    "sent": "sent",
    "replied": "replied",
    "out_of_office": "out of office",
    "bounced": "bounced",
}


def sync_result(result: Any, *, tz: tzinfo, explain: bool) -> None:
    counts = result.counts()
    parts = [f"{n} {OUTCOME_WORDS.get(o, o)}" for o, n in sorted(counts.items())]
    verb = "would log" if result.dry_run else "logged"
    logged = result.logged
    summary = (
        f"{result.account}: read {result.read} message{'s' if result.read != 1 else ''}"
        f" ({result.skipped} already read), {verb} {logged} touch{'es' if logged != 1 else ''}"
    )
    note(summary + (f": {', '.join(parts)}." if parts else "."), "bold")
    # Each group is one print: a first sync can log thousands of touches, and a Rich
    # print per line cost more than reading the mail.
    lines = []
    for touch, effect in result.applied:
        line = f"  {touch.name}: {OUTCOME_WORDS[touch.outcome]}"
        if touch.until is not None:
            line += f" until {touch.until.astimezone(tz):%Y-%m-%d}"
        lines.append(line + (f". {effect}" if effect else "."))
    for name, until in result.paused:
        lines.append(
            f"  {name}: paused until {until.astimezone(tz):%Y-%m-%d}, a colleague answered."
        )
    _lines(lines)
    _lines(
        [
            f"  {address} bounced for good: fix the address (followup edit ... --email)."
            for address in result.bad_addresses
        ],
        "red",
    )
    if explain:
        lines = []
        for decision in sorted(result.decisions, key=lambda d: d.at):
            when = decision.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            who = decision.sender or "?"
            names = ", ".join(f"{t.name} {OUTCOME_WORDS[t.outcome]}" for t in decision.touches)
            target = f"→ {names}: " if names else "→ "
            lines.append(f"  {when}  {who}  {decision.subject[:50]!r}  {target}{decision.reason}")
        _lines(lines)
    if result.dry_run:
        note("Dry run: nothing was written.", "yellow")


def _lines(lines: list[str], style: str = "") -> None:
    if lines:
        note("\n".join(lines), style)


def status(rows: list[Any], bad: int) -> None:
    if not rows:
        note("No mail synced yet: followup mail sync, or followup mail import PATH.")
        return
    note(f"{'account':<16}{'last sync':<22}{'syncs':>6}{'messages':>10}{'touches':>9}", "bold")
    for row in rows:
        note(
            f"{row['account']:<16}{row['last_sync']:<22}{row['syncs']:>6}"
            f"{row['seen']:>10}{row['logged']:>9}"
        )
    if bad:
        plural = "es" if bad != 1 else ""
        note(f"{bad} address{plural} bounced for good: `followup today` shows them.")
