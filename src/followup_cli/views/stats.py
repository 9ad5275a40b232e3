"""How `followup stats` and `followup review` look in a terminal: Rich tables and
horizontal bars drawn with block characters. No numbers are computed here."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from rich.table import Table
from rich.text import Text

from followup_cli.views.agenda import CHANNEL_TITLES
from followup_cli.views.render import out

BAR_WIDTH = 30
TEMPLATE_ROWS = 10  # the dashboard shows the busiest; `stats templates` shows them all
_EIGHTHS = " ▏▎▍▌▋▊▉"


# --- numbers as a person reads them (shared with the HTML report) -------------------------------


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def count(number: int | None) -> str:
    return "—" if number is None else f"{number:,}"


def money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 48:
        return f"{value:.1f} h ({value / 24:.1f} days)"
    return f"{value:.1f} h"


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def channel_title(channel: str) -> str:
    return CHANNEL_TITLES.get(channel, channel.capitalize())


def period(since: Any, until: Any, tz: tzinfo) -> str:
    start, end = since.astimezone(tz), until.astimezone(tz)
    return f"{start:%a %d %b %Y} – {end:%a %d %b %Y %H:%M}"


# --- bars --------------------------------------------------------------------------------------


def bar(fraction: float | None, width: int = BAR_WIDTH, style: str = "bar") -> Text:
    """A horizontal bar ``fraction`` (0..1) of ``width`` cells, in eighths of a cell."""
    if not fraction or fraction <= 0:
        return Text("")
    eighths = round(min(fraction, 1.0) * width * 8)
    full, rest = divmod(eighths, 8)
    return Text("█" * full + (_EIGHTHS[rest] if rest else ""), style=style)


def _scaled(value: int | float, largest: int | float) -> float:
    return value / largest if largest else 0.0


def titled_table(title: str) -> Table:
    """A table under its title. Bound for a pipe it has no rules (see console.plain_when_piped):
    a row is one line of words and figures that grep can find."""
    from rich import box

    piped = not out.is_terminal
    return Table(
        # wider than its columns, a title would wrap to their width: into a pipe it does not
        title=Text(title, no_wrap=True, overflow="ignore") if piped else title,
        title_justify="left",
        title_style="bold cyan",
        show_edge=False,
        box=None if piped else box.HEAVY_HEAD,
    )


# --- the dashboard ----------------------------------------------------------------------------


def dashboard(result: Any, *, tz: tzinfo) -> None:
    data = result.public()
    header = Text("Follow-up stats", style="bold")
    header.append(f"  {period(result.window.since, result.window.until, tz)}")
    header.append(f" ({result.window.days} days)", style="dim")
    if result.cadence:
        header.append(f" · cadence {result.cadence}", style="bold")
    out.print(header)
    rate = data["response_rate"]
    line = Text("Response rate ", style="bold")
    line.append(pct(rate["rate"]), style="bold green")
    line.append(f"  {count(rate['replies'])} replies to {count(rate['sent'])} outbound touches")
    line.append(f" · the seeds' goal: {pct(rate['seed_goal'])} or more", style="dim")
    out.print(line)
    if not rate["sent"]:
        out.print(Text("No outbound touches in this window yet.", style="dim"))

    by_touch = titled_table("Response by touch number (since their last reply)")
    for column in ("Touch", "Sent", "Replies", "Rate", ""):
        by_touch.add_column(column, justify="left" if column == "" else "right")
    top_rate = max((row["rate"] or 0 for row in data["response_by_touch"]), default=0)
    for row in data["response_by_touch"]:
        by_touch.add_row(
            row["label"],
            count(row["sent"]),
            count(row["replies"]),
            pct(row["rate"]),
            bar(_scaled(row["rate"] or 0, top_rate)),
        )
    out.print(by_touch)

    curve = titled_table(f"Give-up curve: {count(data['gave_up'])} prospects left after n touches")
    for column in ("Touches", "Prospects", ""):
        curve.add_column(column, justify="left" if column == "" else "right")
    most = max((row["prospects"] for row in data["give_up_curve"]), default=0)
    for row in data["give_up_curve"]:
        curve.add_row(
            row["label"],
            count(row["prospects"]),
            bar(_scaled(row["prospects"], most), style="red"),
        )
    out.print(curve)
    out.print(Text("  n outbound touches, then nothing for 30+ days and no reply", style="dim"))

    closing = data["touches_to_close"]
    line = Text("Touches to close ", style="bold")
    if closing["deals"]:
        line.append(f"mean {number(closing['mean'])}, median {number(closing['median'])}")
        line.append(f" over {count(closing['deals'])} deals won")
    else:
        line.append("no deals won in this window")
    low, high = closing["seed_range"]
    line.append(f" · the seeds: {low}–{high}", style="dim")
    out.print(line)
    line = Text("Time to response ", style="bold")
    line.append(f"median {hours(data['median_hours_to_response'])}")
    line.append(f" over {count(data['responses_timed'])} replies", style="dim")
    out.print(line)
    line = Text("Revenue recovered ", style="bold")
    line.append(money(data["revenue_recovered"]), style="bold green")
    line.append(
        f" from {count(data['deals_recovered'])} deals won at the 2nd or later outbound touch"
    )
    out.print(line)
    _referrals(data["referrals"])

    channels = titled_table("Channels: performance and mix against the seeds' target")
    for column in ("Channel", "Touches", "Replies", "Rate", "Mix", "Target", ""):
        channels.add_column(column, justify="left" if column in ("Channel", "") else "right")
    widest = max(
        (max(row["share"] or 0, row["target_share"]) for row in data["channels"]), default=0
    )
    for row in data["channels"]:
        mix = bar(_scaled(row["share"] or 0, widest), 20)
        mix.append("\n")
        mix.append_text(bar(_scaled(row["target_share"], widest), 20, style="dim"))
        channels.add_row(
            channel_title(row["channel"]),
            count(row["touches"]),
            count(row["replies"]),
            pct(row["rate"]),
            pct(row["share"]),
            pct(row["target_share"]),
            mix,
        )
    out.print(channels)
    out.print(Text("  bars: your mix, then the target (dim)", style="dim"))

    if data["cadences"]:
        out.print(cadence_table(data["cadences"]))
    if data["templates"]:
        out.print(
            template_table(data["templates"], "Templates (A/B detail: followup stats templates)")
        )
    warnings(data["warnings"])


def cadence_table(rows: list[dict[str, Any]]) -> Table:
    table = titled_table("Cadences")
    for column in ("Cadence", "Active", "Enrolled", "Completed", "Stopped by reply", "Rate"):
        table.add_column(column, justify="left" if column == "Cadence" else "right")
    table.add_column("Reply rate per step")
    for row in rows:
        steps = "  ".join(f"{step['step']}:{pct(step['rate'])}" for step in row["steps"])
        table.add_row(
            row["cadence"],
            count(row["active"]),
            count(row["enrolled"]),
            count(row["completed"]),
            count(row["stopped_by_reply"]),
            pct(row["rate"]),
            steps or "—",
        )
    return table


def template_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = titled_table(title)
    for column in ("Template", "Variant", "Sends", "Replies", "Rate", ""):
        table.add_column(
            column, justify="left" if column in ("Template", "Variant", "") else "right"
        )
    best = max((row["rate"] or 0 for row in rows), default=0)
    for row in rows:
        flag = Text(" too few to trust", style="yellow") if row["too_few"] else Text("")
        table.add_row(
            row["template"],
            row["variant"] or "—",
            count(row["sends"]),
            count(row["replies"]),
            pct(row["rate"]),
            bar(_scaled(row["rate"] or 0, best), 20) + flag,
        )
    return table


def templates(report: Any, *, tz: tzinfo) -> None:
    data = report.public()
    header = Text("Templates and A/B variants", style="bold")
    header.append(f"  {period(report.window.since, report.window.until, tz)}")
    if report.cadence:
        header.append(f" · cadence {report.cadence}", style="bold")
    out.print(header)
    if not data["templates"]:
        out.print(Text("No outbound touches with a template in this window.", style="dim"))
        return
    out.print(template_table(data["templates"], "Reply rate per template and variant"))
    warnings(data["warnings"])


def warnings(items: list[str]) -> None:
    for item in items:
        out.print(Text(f"⚠ {item}", style="yellow"), soft_wrap=True)


# --- the weekly review -----------------------------------------------------------------------


def review(result: Any, *, tz: tzinfo) -> None:
    data = result.public()
    this, last = data["this_week"], data["last_week"]
    label = "This week" if result.calendar_week else "Last 7 days"
    header = Text("Weekly review", style="bold")
    header.append(f"  {period(result.this_week.since, result.this_week.until, tz)}")
    out.print(header)
    table = titled_table("What happened")
    table.add_column("")
    table.add_column(label, justify="right")
    table.add_column("The week before", justify="right")
    table.add_column("Change", justify="right")
    for key, title in (
        ("touches", "Outbound touches"),
        ("replies", "Replies"),
        ("meetings", "Meetings booked"),
        ("won", "Deals won"),
        ("lost", "Deals lost"),
    ):
        now_count, before = this[key], last[key]
        change = now_count - before
        style = "green" if change > 0 else "red" if change < 0 else "dim"
        table.add_row(
            title,
            count(now_count),
            count(before),
            Text(f"{change:+d}" if change else "=", style=style),
        )
    table.add_row("Value won", money(this["won_value"]), money(last["won_value"]), "")
    table.add_row("Value lost", money(this["lost_value"]), money(last["lost_value"]), "")
    out.print(table)

    slipped = data["slipped"]
    if slipped["count"]:
        table = titled_table(f"Slipping: {count(slipped['count'])} overdue by more than 3 days")
        for column in ("#", "Prospect", "Company", "Stage", "Value", "Overdue", "Next"):
            table.add_column(column, justify="right" if column in ("#", "Value") else "left")
        for row in slipped["prospects"]:
            table.add_row(
                str(row["id"]),
                row["name"],
                row["company"] or "",
                row["stage"],
                money(row["value"]) if row["value"] is not None else "",
                Text(f"{row['overdue_days']}d", style="bold red"),
                _next(row, tz, overdue=False),
            )
        out.print(table)
        _more(slipped, "followup list --due -3d")
    else:
        out.print(Text("Nobody is overdue by more than 3 days.", style="green"))

    unscheduled = data["no_next_step"]
    if unscheduled["count"]:
        table = titled_table(f"Open deals with nothing scheduled: {count(unscheduled['count'])}")
        for column in ("#", "Prospect", "Company", "Stage", "Value", "Why"):
            table.add_column(column, justify="right" if column in ("#", "Value") else "left")
        for row in unscheduled["prospects"]:
            table.add_row(
                str(row["id"]),
                row["name"],
                row["company"] or "",
                row["stage"],
                money(row["value"]) if row["value"] is not None else "",
                row["next_why"] or "",
            )
        out.print(table)
        _more(unscheduled)

    if data["top_deals"]:
        table = titled_table("The five biggest open deals and their next step")
        for column in ("#", "Prospect", "Company", "Stage", "Value", "Next step"):
            table.add_column(column, justify="right" if column in ("#", "Value") else "left")
        for row in data["top_deals"]:
            table.add_row(
                str(row["id"]),
                row["name"],
                row["company"] or "",
                row["stage"],
                money(row["value"]),
                _next(row, tz),
            )
        out.print(table)
    out.print(Text(f"Due in the next 7 days: {count(data['due_next_7_days'])}", style="bold"))
    if "referral_asks" in data:
        _referral_asks(data["referral_asks"])


def _referral_asks(asks: dict[str, Any]) -> None:
    """Seed 001: ask three happy customers a week, once they have results."""
    head = Text("Referral asks ", style="bold")
    head.append(f"{asks['asked_last_7_days']} in the last 7 days, target {asks['weekly_target']}")
    if asks["still_to_ask"]:
        head.append(f" · {asks['still_to_ask']} to go", style="yellow")
    out.print(head)
    if not asks["count"]:
        out.print(
            Text(
                "  Nobody is ready: a customer with a result, past day 60, not asked in 90 days.",
                style="dim",
            )
        )
        return
    table = titled_table(
        f"Ready to be asked: {count(asks['count'])} (past day 60, a result, not asked in 90 days)"
    )
    for column in ("#", "Customer", "Result", "Last asked", "Draft"):
        table.add_column(column, justify="right" if column == "#" else "left")
    for row in asks["ready"][:10]:
        table.add_row(
            str(row["id"]),
            row["name"],
            row["result"] or "",
            (row["last_asked"] or "never")[:10],
            f"followup draft {row['id']} -t {row['template']}",
        )
    out.print(table)


def _next(row: dict[str, Any], tz: tzinfo, overdue: bool = True) -> Text:
    from followup_cli.store.db import from_text

    due = from_text(row["next_due_at"])
    if due is None:
        return Text(f"nothing scheduled — {row['next_why'] or 'plan one'}", style="yellow")
    when = f"{due.astimezone(tz):%a %d %b}"
    text = Text(f"{row['next_channel'] or ''} {when} — {row['next_purpose'] or ''}".strip())
    if overdue and row["overdue_days"]:
        text.append(f" · {row['overdue_days']}d overdue", style="bold red")
    return text


def _more(section: dict[str, Any], where: str = "") -> None:
    hidden = section["count"] - len(section["prospects"])
    if hidden > 0:
        out.print(
            Text(f"  … and {count(hidden)} more" + (f": {where}" if where else ""), style="dim")
        )


def _referrals(data: dict[str, Any]) -> None:
    """The relationship pyramid: referrals per customer against the seeds' 4-6."""

    line = Text("Referrals ", style="bold")
    if not data.get("customers"):
        line.append("no customers yet (stage customer, or a relationship level set)")
        out.print(line)
        return
    low, high = data["seed_range"]
    line.append(f"{count(data['referrals'])} from {count(data['customers'])} customers")
    line.append(f", {number(data['per_customer'])} per customer")
    line.append(f" · the seeds: {low}–{high}", style="dim")
    out.print(line)
    levels = ", ".join(
        f"{name} {row['customers']} ({row['referrals']} "
        + ("referral)" if row["referrals"] == 1 else "referrals)")
        for name, row in data["by_level"].items()
    )
    out.print(Text(f"  by level: {levels}", style="dim"))
    won = data["referred_deals_won"]
    line = Text("Referred deals won ", style="bold")
    line.append(f"{count(won)} in this window" + (", worth " if won else ""))
    if won:
        line.append(money(data["referred_revenue"]), style="bold green")
    out.print(line)
    if data.get("per_referrer"):
        names = ", ".join(f"{row['name']} {row['referrals']}" for row in data["per_referrer"][:8])
        out.print(Text(f"  per referrer: {names} · the seeds: {low}–{high} each", style="dim"))
    if "close_rate_referred" in data:
        referred, others = data["close_rate_referred"], data["close_rate_others"]
        line = Text("Close rate ", style="bold")
        line.append(
            f"referred {referred['won']} of {referred['prospects']} ({pct(referred['rate'])})"
        )
        line.append(f" · the rest {others['won']} of {others['prospects']} ({pct(others['rate'])})")
        line.append(f" · the seeds: {data['seed_close_multiple']}× better", style="dim")
        out.print(line)
