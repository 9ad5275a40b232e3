"""The referrals section of the HTML report (``stats --html``): the same numbers as the
terminal's (``views.stats._referrals``), drawn with the report's own table and bars
(``stats_html`` passes them in)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from followup_cli.views.stats import count, money, number, pct


def section(data: dict[str, Any], table: Callable[..., str], bar: Callable[..., str]) -> str:
    low, high = data["seed_range"]
    if not data.get("customers"):
        return (
            '<section aria-labelledby="s-referrals"><h2 id="s-referrals">Referrals</h2>'
            "<p>No customers yet (stage customer, or a relationship level set).</p></section>"
        )
    won = data["referred_deals_won"]
    lines = [
        '<section aria-labelledby="s-referrals"><h2 id="s-referrals">Referrals</h2>',
        f"<p><b>{count(data['referrals'])}</b> from {count(data['customers'])} customers, "
        f"{escape(number(data['per_customer']))} per customer (the seeds: {low}–{high}). "
        f"Referred deals won in this window: {count(won)}"
        + (f", worth {escape(money(data['referred_revenue']))}" if won else "")
        + ".</p>",
    ]
    if "close_rate_referred" in data:
        referred, others = data["close_rate_referred"], data["close_rate_others"]
        lines.append(
            f"<p><b>Close rate:</b> referred {count(referred['won'])} of "
            f"{count(referred['prospects'])} ({escape(pct(referred['rate']))}), the rest "
            f"{count(others['won'])} of {count(others['prospects'])} "
            f"({escape(pct(others['rate']))}); the seeds: {data['seed_close_multiple']}× "
            "better.</p>"
        )
    lines.append("</section>")
    people = data.get("per_referrer") or []
    if people:
        lines.append(
            table(
                f"Referrals per referrer, against the seeds' {low}–{high}",
                ["Referrer", "Referrals", ""],
                [
                    ([row["name"], count(row["referrals"])], bar(row["referrals"], high))
                    for row in people
                ],
            )
        )
    return "\n".join(lines)
