"""The seeds' own measures (``insight.seed_metrics``) as sections of the HTML report, drawn
with the report's own captioned tables and bars (``stats_html`` passes them in)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from followup_cli.views.stats import count, hours, pct

TOO_FEW = "too few to trust"
Table = Callable[[str, list[str], list[tuple[list[str], str]]], str]
Bar = Callable[..., str]


def _flag(item: dict[str, Any]) -> str:
    return f" <small>{TOO_FEW}</small>" if item["too_few"] else ""


def _rates(table: Table, bar: Bar, title: str, first: str, items: list[dict[str, Any]],
           key: str, label: Any = str) -> str:  # fmt: skip
    top = max((item["rate"] or 0 for item in items), default=0)
    return table(
        title,
        [first, "Sent", "Replies", "Rate", ""],
        [
            (
                [label(item[key]), count(item["sent"]), count(item["replies"]), pct(item["rate"])],
                bar(item["rate"] or 0, top) + _flag(item),
            )
            for item in items
        ],
    )


def sections(data: dict[str, Any], table: Table, bar: Bar) -> list[str]:
    proposals, close, wins = data["proposal_conversion"], data["close_rate"], data["wins_by_touch"]
    parts = [
        '<section aria-labelledby="s-seeds"><h2 id="s-seeds">The seeds\' measures</h2>',
        f"<p><b>Proposals that needed follow-up:</b> {count(proposals['needed_follow_up'])} of "
        f"{count(proposals['proposals'])} proposals, {count(proposals['won'])} won "
        f"({escape(pct(proposals['rate']))}){_flag(proposals)}</p>",
        f"<p><b>Close rate:</b> {escape(pct(close['rate']))}: {count(close['won'])} won of "
        f"{count(close['prospects'])} prospects touched{_flag(close)}</p></section>",
        table(
            "Wins by touch, against the seeds' table",
            ["Touch", "Deals", "Share", "Seeds", ""],
            [
                (
                    [row["touches"], count(row["deals"])]
                    + [pct(row["share"]), pct(row["seed_share"])],
                    bar(row["share"] or 0, 1) + bar(row["seed_share"] or 0, 1, "target"),
                )
                for row in wins["buckets"]
            ],
        )
        + (_flag(wins) if wins["deals"] else ""),
        _rates(table, bar, "Send time: part of day, in the prospect's timezone", "Part of day",
               data["by_part_of_day"], "part", str.capitalize),
        _rates(table, bar, "Send time: day of the week, in the prospect's timezone", "Day",
               data["by_weekday"], "weekday", str.capitalize),
        _rates(table, bar, "Send time: hour of the day, in the prospect's timezone", "Hour",
               data["by_hour"], "hour", lambda h: f"{h:02d}:00"),
        _rates(table, bar, "Message length (sentences of the template used)", "Sentences",
               data["by_length"], "length"),
    ]  # fmt: skip
    if data["response_vs_gaps"]:
        parts.append(
            table(
                "Time to response against each cadence's gaps",
                ["Cadence", "Median to reply", "Replies", "Shortest gap", "Longest gap", ""],
                [
                    (
                        [
                            row["cadence"],
                            hours(row["median_hours_to_response"]),
                            count(row["replies_timed"]),
                            hours(row["shortest_gap_hours"]),
                            hours(row["longest_gap_hours"]),
                        ],
                        escape(
                            "the next touch often comes before the usual reply"
                            if row["gaps_shorter_than_response"]
                            else "the gaps leave time for the usual reply"
                        )
                        + _flag(row),
                    )
                    for row in data["response_vs_gaps"]
                ],
            )
        )
    return parts
