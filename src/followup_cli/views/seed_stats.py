"""The seeds' own measures in `followup stats` (``insight.seed_metrics``), in a terminal.
No numbers are computed here."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from followup_cli.views.render import out
from followup_cli.views.stats import bar, count, hours, pct, titled_table

TOO_FEW = "too few to trust"


def _flag(item: dict[str, Any]) -> str:
    return TOO_FEW if item["too_few"] else ""


def _table(title: str, first: str) -> Table:
    table = titled_table(title)
    for column in (first, "Sent", "Replies", "Rate", "", ""):
        table.add_column(column, justify="left" if column in ("", first) else "right")
    return table


def _rows(table: Table, items: list[dict[str, Any]], key: str, label: Any = str) -> Table:
    top = max((item["rate"] or 0 for item in items), default=0)
    for item in items:
        table.add_row(
            label(item[key]),
            count(item["sent"]),
            count(item["replies"]),
            pct(item["rate"]),
            bar((item["rate"] or 0) / top if top else 0, width=20),
            Text(_flag(item), style="dim"),
        )
    return table


def sections(data: dict[str, Any]) -> None:
    """The seeds' measures, after the dashboard's."""
    proposals = data["proposal_conversion"]
    line = Text("Proposals that needed follow-up ", style="bold")
    line.append(
        f"{count(proposals['needed_follow_up'])} of {count(proposals['proposals'])} proposals, "
        f"{count(proposals['won'])} won ({pct(proposals['rate'])})"
    )
    line.append(f"  {_flag(proposals)}", style="dim")
    out.print(line)
    close = data["close_rate"]
    line = Text("Close rate ", style="bold")
    line.append(f"{pct(close['rate'])}", style="bold green")
    line.append(f"  {count(close['won'])} won of {count(close['prospects'])} prospects touched")
    line.append(f"  {_flag(close)}", style="dim")
    out.print(line)

    wins = data["wins_by_touch"]
    table = titled_table(f"Wins by touch: {count(wins['deals'])} won, against the seeds' table")
    for column in ("Touch", "Deals", "Share", "Seeds", ""):
        table.add_column(column, justify="left" if column == "" else "right")
    for row in wins["buckets"]:
        table.add_row(
            row["touches"],
            count(row["deals"]),
            pct(row["share"]),
            pct(row["seed_share"]),
            bar(row["share"] or 0, width=20),
        )
    out.print(table)
    if wins["deals"] and wins["too_few"]:
        out.print(Text(f"  {TOO_FEW}: under 100 touches behind these deals", style="dim"))

    out.print(_rows(_table("Send time, in the prospect's timezone", "Part"),
                    data["by_part_of_day"], "part", str.capitalize))  # fmt: skip
    out.print(_rows(_table("Day of the week, in the prospect's timezone", "Day"),
                    data["by_weekday"], "weekday", lambda d: d[:3].capitalize()))  # fmt: skip
    sent_hours = [row for row in data["by_hour"] if row["sent"]]
    if sent_hours:
        out.print(_rows(_table("Hour of the day (hours with touches)", "Hour"),
                        sent_hours, "hour", lambda h: f"{h:02d}:00"))  # fmt: skip
    out.print(_rows(_table("Message length (sentences of the template used)", "Sentences"),
                    data["by_length"], "length"))  # fmt: skip

    if data["response_vs_gaps"]:
        out.print(Text("Time to response against each cadence's gaps", style="bold cyan"))
    for row in data["response_vs_gaps"]:
        line = Text(f"  {row['cadence']}: ", style="bold")
        line.append(f"replies come a median {hours(row['median_hours_to_response'])} after a touch")
        if row["shortest_gap_hours"] is not None:
            line.append(
                f"; its touches are {hours(row['shortest_gap_hours'])} to "
                f"{hours(row['longest_gap_hours'])} apart"
            )
            line.append(
                ": the next touch often comes before the usual reply"
                if row["gaps_shorter_than_response"]
                else ": the gaps leave time for the usual reply"
            )
        line.append(f"  {_flag(row)}", style="dim")
        out.print(line)
