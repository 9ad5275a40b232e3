"""`followup stats --html FILE`: the dashboard as one self-contained page.

Inline CSS, bars drawn as CSS boxes: nothing is fetched from the network and nothing needs
JavaScript, so the file can be mailed to a manager and opened anywhere. Same numbers as the
terminal and --json. Accessible: header, main and footer landmarks, each table in its own
section with a <caption> and scoped headers, every bar an image with its number as its
label, bars at 3:1 contrast or more, tables that fit (or scroll inside their own region on)
a 390 px phone, and a print stylesheet. tests/insight/test_stats_html_browser.py renders
it in headless Chromium.
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.views.stats import channel_title, count, hours, money, number, pct, period

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430;
       background: #fff; max-width: 980px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #dde3ea; }
caption { text-align: left; }
.sub { color: #5b6775; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1.2rem 0; }
.card { border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .9rem; min-width: 10rem; }
.card b { display: block; font-size: 1.4rem; }
.card span { color: #5b6775; font-size: .85rem; }
.scroll { overflow-x: auto; position: relative; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .25rem .5rem; text-align: right; white-space: nowrap; }
thead th { color: #5b6775; font-weight: 600; border-bottom: 1px solid #dde3ea; }
tbody th { font-weight: normal; }
th:first-child, td:first-child, td.l, th.l { text-align: left; }
td.chart { width: 40%; text-align: left; }
.bar { height: .8rem; background: #2b7bb9; border-radius: 2px; }
.bar.red { background: #c0392b; }
.bar.target { background: #667788; height: .4rem; margin-top: 2px; }
.warn { color: #8a5a00; background: #fff6e0; padding: .4rem .6rem; border-radius: 6px; }
.steps { display: flex; gap: .5rem; align-items: flex-end; flex-wrap: wrap; }
.step { display: inline-flex; flex-direction: column; align-items: center; font-size: .75rem; }
.step i { display: block; width: 1rem; background: #2b7bb9; }
.step b { font-weight: 600; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { margin-top: 2rem; color: #5b6775; font-size: .85rem; }
@media (max-width: 640px) {
  body { margin: 1rem auto; padding: 0 .6rem; font-size: 14px; }
  .card { min-width: 0; flex: 1 1 9rem; }
  th, td { white-space: normal; padding: .2rem .3rem; }
  td.chart { width: 22%; min-width: 3rem; }
}
@media print {
  body { max-width: none; margin: 0; color: #000; }
  .scroll { overflow: visible; }
  th, td { white-space: normal; }
  section, table, tr, .card { break-inside: avoid; }
  .bar, .step i { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


class ReportNotWritten(FollowupError):
    """The --html file cannot be written where the user asked."""


def write(result: Any, path: Path, *, tz: tzinfo) -> Path:
    """Write the dashboard to ``path`` (UTF-8) and return it."""
    from followup_cli.core import safe_files

    safe_files.write_text(path, page(result, tz=tz), example="report.html")
    return path


def page(result: Any, *, tz: tzinfo) -> str:
    data = result.public()
    span = period(result.window.since, result.window.until, tz)
    scope = f" · cadence {result.cadence}" if result.cadence else ""
    rate = data["response_rate"]
    closing = data["touches_to_close"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Follow-up stats {escape(span)}</title><style>{_CSS}</style></head><body>",
        "<header><h1>Follow-up stats</h1>",
        f'<p class="sub">{escape(span)} ({result.window.days} days){escape(scope)}</p>',
        "</header><main>",
        '<div class="cards">',
        _card(
            pct(rate["rate"]),
            f"response rate ({count(rate['replies'])} of "
            f"{count(rate['sent'])}; goal {pct(rate['seed_goal'])}+)",
        ),
        _card(
            number(closing["mean"]),
            f"mean touches to close (median "
            f"{number(closing['median'])}, {count(closing['deals'])} deals; seeds 5–7)",
        ),
        _card(hours(data["median_hours_to_response"]), "median time to response"),
        _card(
            money(data["revenue_recovered"]),
            f"revenue recovered ({count(data['deals_recovered'])} deals won at touch 2+)",
        ),
        _card(count(data["gave_up"]), "prospects given up on"),
        "</div>",
    ]
    parts += _warnings(data["warnings"])

    top = max((row["rate"] or 0 for row in data["response_by_touch"]), default=0)
    parts.append(
        _table(
            "Response by touch number (since their last reply)",
            ["Touch", "Sent", "Replies", "Rate", ""],
            [
                (
                    [row["label"], count(row["sent"]), count(row["replies"]), pct(row["rate"])],
                    _bar(row["rate"] or 0, top),
                )
                for row in data["response_by_touch"]
            ],
        )
    )
    most = max((row["prospects"] for row in data["give_up_curve"]), default=0)
    parts.append(
        _table(
            "Give-up curve: n touches, then nothing for 30+ days and no reply",
            ["Touches", "Prospects", ""],
            [
                ([row["label"], count(row["prospects"])], _bar(row["prospects"], most, "red"))
                for row in data["give_up_curve"]
            ],
        )
    )
    widest = max(
        (max(row["share"] or 0, row["target_share"]) for row in data["channels"]), default=0
    )
    parts.append(
        _table(
            "Channels: performance and mix against the seeds' target",
            [
                "Channel",
                "Touches",
                "Replies",
                "Rate",
                "Mix",
                "Target",
                "Mix (thick bar) vs target (thin)",
            ],
            [
                (
                    [
                        channel_title(row["channel"]),
                        count(row["touches"]),
                        count(row["replies"]),
                        pct(row["rate"]),
                        pct(row["share"]),
                        pct(row["target_share"]),
                    ],
                    _bar(row["share"] or 0, widest) + _bar(row["target_share"], widest, "target"),
                )
                for row in data["channels"]
            ],
        )
    )
    if data["cadences"]:
        parts.append(
            _table(
                "Cadences",
                ["Cadence", "Active", "Enrolled", "Completed", "Stopped by reply", "Rate"]
                + ["Reply rate per step"],
                [
                    (
                        [
                            row["cadence"],
                            count(row["active"]),
                            count(row["enrolled"]),
                            count(row["completed"]),
                            count(row["stopped_by_reply"]),
                            pct(row["rate"]),
                        ],
                        _steps(row["steps"]),
                    )
                    for row in data["cadences"]
                ],
            )
        )
    if data["templates"]:
        best = max((row["rate"] or 0 for row in data["templates"]), default=0)
        parts.append(
            _table(
                "Templates and A/B variants",
                ["Template", "Variant", "Sends", "Replies", "Rate", ""],
                [
                    (
                        [
                            row["template"],
                            row["variant"] or "—",
                            count(row["sends"]),
                            count(row["replies"]),
                            pct(row["rate"]),
                        ],
                        _bar(row["rate"] or 0, best)
                        + ("<small>too few to trust</small>" if row["too_few"] else ""),
                    )
                    for row in data["templates"]
                ],
            )
        )
    if "referrals" in data:
        from followup_cli.views import referrals_html

        parts.append(referrals_html.section(data["referrals"], _table, _bar))
    if "proposal_conversion" in data:
        from followup_cli.views import seed_stats_html

        parts += seed_stats_html.sections(data, _table, _bar)
    parts.append(
        "</main><footer>A reply is a touch that came in, or one whose outcome is replied, meeting, "
        "not now, won, lost or opted out; it is credited to the latest outbound touch before "
        "it. Bounced touches are left out. Made with followup.</footer></body></html>"
    )
    return "\n".join(parts) + "\n"


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _bar(value: float, largest: float, kind: str = "", label: str = "") -> str:
    width = 0.0 if not largest else max(0.0, min(1.0, value / largest)) * 100
    said = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    return f'<div class="bar {kind}"{said} style="width:{width:.1f}%"></div>'


def _table(title: str, headers: list[str], rows: list[tuple[list[str], str]]) -> str:
    """A section: its heading, and the table (captioned the same), which scrolls inside its
    own labelled region when a phone is narrower than it. Each row: its text cells (escaped
    here; the first is the row's header) and a last cell of ready-made HTML (the bars)."""
    import re

    key = "s-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
    head = "".join(
        f'<th scope="col">{escape(h)}</th>'
        if h
        else '<th scope="col"><span class="vh">Chart</span></th>'
        for h in headers
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{escape(str(cell))}</th>'
            if i == 0
            else f"<td>{escape(str(cell))}</td>"
            for i, cell in enumerate(cells)
        )
        + f'<td class="chart">{chart}</td></tr>'
        for cells, chart in rows
    )
    return (
        f'<section aria-labelledby="{key}"><h2 id="{key}">{escape(title)}</h2>'
        f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{key}"><table>'
        f'<caption class="vh">{escape(title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></section>"
    )


def _steps(steps: list[dict[str, Any]]) -> str:
    """Reply rate per step as a row of small labelled bars."""
    if not steps:
        return "—"
    cells = "".join(
        '<span class="step"><i aria-hidden="true" '
        f'style="height:{(step["rate"] or 0) * 2:.2f}rem"></i>'
        f"<b>{step['step']}</b>{escape(pct(step['rate']))}</span>"
        for step in steps
    )
    return f'<div class="steps">{cells}</div>'


def _warnings(items: list[str]) -> list[str]:
    return [f'<p class="warn">⚠ {escape(item)}</p>' for item in items]
