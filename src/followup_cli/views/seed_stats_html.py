"""The seeds' own measures (``insight.seed_metrics``) as sections of the HTML report."""

from __future__ import annotations

from html import escape
from typing import Any

from followup_cli.views.stats import count, hours, pct

TOO_FEW = "too few to trust"


def _flag(item: dict[str, Any]) -> str:
    return f" <small>{TOO_FEW}</small>" if item["too_few"] else ""


def _bar(value: float, largest: float, kind: str = "") -> str:
    width = 0.0 if not largest else max(0.0, min(1.0, value / largest)) * 100
    return f'<div class="bar {kind}" style="width:{width:.1f}%"></div>'


def _table(headers: list[str], rows: list[tuple[list[str], str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells)
        + f'<td class="chart">{chart}</td></tr>'
        for cells, chart in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _rate_table(items: list[dict[str, Any]], key: str, first: str, label: Any = str) -> str:
    top = max((item["rate"] or 0 for item in items), default=0)
    return _table(
        [first, "Sent", "Replies", "Rate", ""],
        [
            (
                [label(item[key]), count(item["sent"]), count(item["replies"]), pct(item["rate"])],
                _bar(item["rate"] or 0, top) + _flag(item),
            )
            for item in items
        ],
    )


def sections(data: dict[str, Any]) -> list[str]:
    proposals, close, wins = data["proposal_conversion"], data["close_rate"], data["wins_by_touch"]
    parts = [
        "<h2>The seeds' measures</h2>",
        f"<p><b>Proposals that needed follow-up:</b> {count(proposals['needed_follow_up'])} of "
        f"{count(proposals['proposals'])} proposals, {count(proposals['won'])} won "
        f"({escape(pct(proposals['rate']))}){_flag(proposals)}</p>",
        f"<p><b>Close rate:</b> {escape(pct(close['rate']))}: {count(close['won'])} won of "
        f"{count(close['prospects'])} prospects touched{_flag(close)}</p>",
        "<h2>Wins by touch, against the seeds' table</h2>",
        _table(
            ["Touch", "Deals", "Share", "Seeds", "Share (blue) vs seeds"],
            [
                (
                    [
                        row["touches"],
                        count(row["deals"]),
                        pct(row["share"]),
                        pct(row["seed_share"]),
                    ],
                    _bar(row["share"] or 0, 1) + _bar(row["seed_share"] or 0, 1, "target"),
                )
                for row in wins["buckets"]
            ],
        )
        + (_flag(wins) if wins["deals"] else ""),
        "<h2>Send time, in the prospect's timezone</h2>",
        _rate_table(data["by_part_of_day"], "part", "Part of day", str.capitalize),
        _rate_table(data["by_weekday"], "weekday", "Day", str.capitalize),
        _rate_table(data["by_hour"], "hour", "Hour", lambda h: f"{h:02d}:00"),
        "<h2>Message length (sentences of the template used)</h2>",
        _rate_table(data["by_length"], "length", "Sentences"),
    ]
    if data["response_vs_gaps"]:
        parts.append("<h2>Time to response against each cadence's gaps</h2>")
        parts.append(
            _table(
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
