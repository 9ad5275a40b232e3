"""`followup stats`: every number checked against a history computed by hand.

The history is written straight into the database (store.insert), so each touch is
exactly where the table below says; then the numbers stats reads are stored on the
touches the way every write path stores them (touch.renumber_many). Now is Mon 2026-11-23
15:00 UTC (08:00 Denver); the default window starts at midnight Denver 90 days before,
2026-08-25T06:00Z. "60d" means 60 days before now; R marks an outbound touch credited
with a reply.

prospect  touches (outbound unless "in")                         touch numbers in the window
Ann       60d email ps/A s1, 58d call s2, 55d email na/B s3,     1, 2, 3R, 1R, 1R
          54d in replied, 50d call meeting, 40d email,
          38d in won (value 10,000)
Ben       30d in replied (no outbound before it), 29d email      1, 2R
          ps/B, 20d call won (value 5,000)
Cat       13 linkedin touches every 3 days 80d..44d, 43d email   1..11, 12+, 12+
          bounced (ignored)
Dan       45d email                                              1
Eve       45d video; next touch scheduled after now              1
Fay       10d mail s4, 5d email s5                               1, 2
Gus       15d email + 15d in replied (same timestamp, logged     1R, 1
          after), 12d in replied + 12d call (same timestamp,
          reply logged first)
Hal       100d email, 97d email (before the window), 20d text    3
          ps/A
Ivy       8d email, 7d in won (value 7,000)                      1R
Kim       10d in replied (never contacted)                       —
Lou       120d email, 110d in replied, 105d email, 100d call,    4
          95d email (all before the window), 50d email
(ps = proposal-sent, na = new-angle; sN = step N of post-proposal)
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def ago(days: float, hours: float = 0) -> str:
    moment = NOW - timedelta(days=days, hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class History:
    """Prospects and touches written directly, in the order given (ids follow it)."""

    def __init__(self):
        from followup_cli import store

        self.store = store
        self.conn = store.open_db(Path(os.environ["FOLLOWUP_DB"]))

    def prospect(self, name: str, **columns) -> int:
        stamp = ago(200)
        return self.store.insert(
            self.conn,
            "prospects",
            {"name": name, "created_at": stamp, "updated_at": stamp, **columns},
        )

    def touch(self, prospect_id: int, at: str, channel: str, outcome: str, **columns) -> int:
        direction = columns.pop("direction", "out")
        return self.store.insert(
            self.conn,
            "touches",
            {
                "prospect_id": prospect_id,
                "at": at,
                "channel": channel,
                "direction": direction,
                "outcome": outcome,
                "logged_at": at,
                **columns,
            },
        )

    def close(self):
        # What `log` and `import` store on every touch for stats, here for all at once.
        from followup_cli.pipeline.touch import renumber_many

        renumber_many(self.conn, "SELECT id FROM prospects")
        self.conn.close()


def build_book() -> None:
    h = History()
    pp = {"cadence": "post-proposal"}
    ann = h.prospect("Ann Able", stage="proposal", value=10000)
    h.touch(ann, ago(60), "email", "sent", template="proposal-sent", variant="A", step=1, **pp)
    h.touch(ann, ago(58), "call", "voicemail", step=2, **pp)
    h.touch(ann, ago(55), "email", "sent", template="new-angle", variant="B", step=3, **pp)
    h.touch(ann, ago(54), "email", "replied", direction="in")
    h.touch(ann, ago(50), "call", "meeting")
    h.touch(ann, ago(40), "email", "sent")
    h.touch(ann, ago(38), "email", "won", direction="in")

    ben = h.prospect("Ben Bloom", stage="customer", value=5000)
    h.touch(ben, ago(30), "email", "replied", direction="in")
    h.touch(ben, ago(29), "email", "sent", template="proposal-sent", variant="B")
    h.touch(ben, ago(20), "call", "won")

    cat = h.prospect("Cat Cole", stage="cold")
    for number in range(13):
        h.touch(cat, ago(80 - 3 * number), "linkedin", "sent")
    h.touch(cat, ago(43), "email", "bounced")

    dan = h.prospect("Dan Dunn")
    h.touch(dan, ago(45), "email", "sent")
    eve = h.prospect(
        "Eve Ember",
        cadence="post-proposal",
        cadence_status="active",
        next_due_at=ago(-3),
    )
    h.touch(eve, ago(45), "video", "sent")
    fay = h.prospect("Fay Fox")
    h.touch(fay, ago(10), "mail", "sent", step=4, **pp)
    h.touch(fay, ago(5), "email", "sent", step=5, **pp)

    gus = h.prospect("Gus Gray")
    h.touch(gus, ago(15), "email", "sent")
    h.touch(gus, ago(15), "email", "replied", direction="in")
    h.touch(gus, ago(12), "email", "replied", direction="in")
    h.touch(gus, ago(12), "call", "no_answer")

    hal = h.prospect("Hal Hill")
    h.touch(hal, ago(100), "email", "sent")
    h.touch(hal, ago(97), "email", "sent")
    h.touch(hal, ago(20), "text", "sent", template="proposal-sent", variant="A")

    ivy = h.prospect("Ivy Ives", stage="customer", value=7000)
    h.touch(ivy, ago(8), "email", "sent")
    h.touch(ivy, ago(7), "email", "won", direction="in")

    kim = h.prospect("Kim Kent")
    h.touch(kim, ago(10), "email", "replied", direction="in")

    lou = h.prospect("Lou Lane")
    h.touch(lou, ago(120), "email", "sent")
    h.touch(lou, ago(110), "email", "replied", direction="in")
    h.touch(lou, ago(105), "email", "sent")
    h.touch(lou, ago(100), "call", "no_answer")
    h.touch(lou, ago(95), "email", "sent")
    h.touch(lou, ago(50), "email", "sent")
    h.close()


@pytest.fixture
def book():
    build_book()


def test_response_rate_by_touch_number(run, book):
    stats = run.json("stats")
    assert stats["window"] == {
        "since": "2026-08-25T06:00:00Z",
        "until": "2026-11-23T15:00:00Z",
        "days": 90,
    }
    assert stats["response_rate"] == {"sent": 29, "replies": 6, "rate": 0.2069, "seed_goal": 0.3}
    table = [(row["label"], row["sent"], row["replies"]) for row in stats["response_by_touch"]]
    assert table == [
        ("1", 11, 4),
        ("2", 4, 1),
        ("3", 3, 1),
        ("4", 2, 0),  # Cat's 4th; Lou's 50d email, three touches after his reply
        ("5", 1, 0),
        ("6", 1, 0),
        ("7", 1, 0),
        ("8", 1, 0),
        ("9", 1, 0),
        ("10", 1, 0),
        ("11", 1, 0),
        ("12+", 2, 0),
    ]
    first = stats["response_by_touch"][0]
    assert first == {"touch": 1, "label": "1", "sent": 11, "replies": 4, "rate": 0.3636}
    assert stats["response_by_touch"][-1]["rate"] == 0.0


def test_give_up_curve_touches_to_close_and_revenue(run, book):
    stats = run.json("stats")
    curve = {row["touches"]: row["prospects"] for row in stats["give_up_curve"]}
    # Dan after one touch, Lou after four since his reply, Cat after 13 (12+). Eve still
    # has a touch scheduled; Ann, Ben and Ivy closed; Fay, Gus and Hal were touched less
    # than 30 days ago.
    assert curve == {n: (1 if n in (1, 4, 12) else 0) for n in range(1, 13)}
    assert stats["gave_up"] == 3
    assert stats["give_up_curve"][-1] == {"touches": 12, "label": "12+", "prospects": 1}
    # Ann won at her 5th outbound touch, Ben at his 2nd (the winning call), Ivy at her 1st.
    assert stats["touches_to_close"] == {
        "mean": 2.67,
        "median": 2,
        "deals": 3,
        "seed_range": [5, 7],
    }
    assert stats["revenue_recovered"] == 15000
    assert stats["deals_recovered"] == 2
    # Replies that came after a separate outbound touch: 0 h (Gus, same timestamp),
    # 24 h (Ann), 24 h (Ivy), 48 h (Ann's win).
    assert stats["median_hours_to_response"] == 24.0
    assert stats["responses_timed"] == 4


def test_channels_against_the_target_mix(run, book):
    channels = run.json("stats")["channels"]
    assert [
        (c["channel"], c["touches"], c["replies"], c["rate"], c["share"], c["target_share"])
        for c in channels
    ] == [
        ("call", 4, 2, 0.5, 0.1379, 0.3),
        ("email", 9, 4, 0.4444, 0.3103, 0.4),
        ("linkedin", 13, 0, 0.0, 0.4483, 0.15),
        ("video", 1, 0, 0.0, 0.0345, 0.1),
        ("text", 1, 0, 0.0, 0.0345, 0.0),
        ("mail", 1, 0, 0.0, 0.0345, 0.05),
    ]


def test_cadences_and_templates(run, book):
    stats = run.json("stats")
    assert stats["cadences"] == [
        {
            "cadence": "post-proposal",
            "active": 1,  # Eve
            "enrolled": 2,  # Ann and Fay did steps in the window
            "completed": 1,  # Fay did step 5, the last
            "stopped_by_reply": 1,  # Ann replied to step 3
            "sent": 5,
            "replies": 1,
            "rate": 0.2,
            "steps": [
                {"step": 1, "sent": 1, "replies": 0, "rate": 0.0},
                {"step": 2, "sent": 1, "replies": 0, "rate": 0.0},
                {"step": 3, "sent": 1, "replies": 1, "rate": 1.0},
                {"step": 4, "sent": 1, "replies": 0, "rate": 0.0},
                {"step": 5, "sent": 1, "replies": 0, "rate": 0.0},
            ],
        }
    ]
    assert stats["templates"] == [
        {
            "template": "new-angle",
            "variant": "B",
            "sends": 1,
            "replies": 1,
            "rate": 1.0,
            "too_few": True,
        },
        {
            "template": "proposal-sent",
            "variant": "A",
            "sends": 2,
            "replies": 0,
            "rate": 0.0,
            "too_few": True,
        },
        {
            "template": "proposal-sent",
            "variant": "B",
            "sends": 1,
            "replies": 0,
            "rate": 0.0,
            "too_few": True,
        },
    ]
    # A comparison (two variants) resting on fewer than 100 sends each is flagged;
    # new-angle has one variant, nothing to compare.
    assert stats["warnings"] == [
        "proposal-sent: fewer than 100 sends (A 2, B 1) — too few to trust the comparison yet."
    ]


def test_a_cadence_and_a_since_narrow_everything(run, book):
    stats = run.json("stats", "--since", "2026-01-01", "--cadence", "post-proposal")
    assert stats["window"]["since"] == "2026-01-01T07:00:00Z"  # midnight in Denver
    assert stats["cadence"] == "post-proposal"
    assert stats["response_rate"]["sent"] == 5 and stats["response_rate"]["replies"] == 1
    assert [(r["sent"], r["replies"]) for r in stats["response_by_touch"][:4]] == [
        (2, 0),  # Ann s1, Fay s4
        (2, 0),  # Ann s2, Fay s5
        (1, 1),  # Ann s3
        (0, 0),
    ]
    assert stats["gave_up"] == 0
    # Only Ann's deal had a post-proposal step before the win.
    assert stats["touches_to_close"]["deals"] == 1 and stats["touches_to_close"]["mean"] == 5
    assert stats["revenue_recovered"] == 10000
    assert {c["channel"]: c["touches"] for c in stats["channels"] if c["touches"]} == {
        "call": 1,
        "email": 3,
        "mail": 1,
    }
    # A longer window takes in Hal's two earlier emails (his 1st and 2nd touches) and
    # Lou's history: 120d (1st, answered at 110d), 105d, 100d, 95d (1st to 3rd again).
    wide = run.json("stats", "--since", "2026-01-01")
    assert wide["response_rate"] == {"sent": 35, "replies": 7, "rate": 0.2, "seed_goal": 0.3}
    assert [r["sent"] for r in wide["response_by_touch"][:4]] == [14, 6, 4, 2]


def test_a_short_window_still_numbers_touches_from_the_whole_history(run, book):
    # Since 48 days ago: Cat's last two touches (47d, 44d) are still her 12th and 13th,
    # Ann's at 40d her 1st after the meeting.
    stats = run.json("stats", "--since", "48d")
    assert stats["window"]["since"] == "2026-10-06T14:00:00Z"  # 08:00 Denver, summer time
    assert stats["response_by_touch"][-1]["sent"] == 2
    assert stats["response_rate"]["sent"] == 13


def test_now_is_an_argument_of_the_domain(book):
    """As of 1 Oct 2026 (53.6 days before the pinned now), later touches do not exist."""
    from zoneinfo import ZoneInfo

    from followup_cli import store
    from followup_cli.insight import stats

    conn = store.open_db(Path(os.environ["FOLLOWUP_DB"]))
    result = stats.dashboard(
        conn, now=datetime(2026, 10, 1, tzinfo=UTC), user_tz=ZoneInfo("America/Denver")
    )
    assert store.to_text(result.window.since) == "2026-07-02T06:00:00Z"  # 30 Sep in Denver
    # Ann 60d 58d 55d(R), Cat's first nine, Hal 100d 97d, Lou 120d(R) 105d 100d 95d.
    assert (result.sent, result.replies) == (18, 2)
    assert [bucket.sent for bucket in result.response_by_touch[:4]] == [5, 4, 3, 1]
    # Hal after two touches, Lou after three since his reply: both 30+ days before 1 Oct.
    assert [row.prospects for row in result.give_up_curve[:4]] == [0, 1, 1, 0]
    assert result.deal_touches == [] and result.revenue_recovered == 0
    conn.close()


def test_a_cadence_that_only_old_touches_name(run):
    h = History()
    pat = h.prospect("Pat Poe")
    h.touch(pat, ago(3), "email", "sent", cadence="retired-cadence", step=1)
    h.close()
    stats = run.json("stats", "--cadence", "retired-cadence")
    assert stats["response_rate"]["sent"] == 1
    assert stats["cadences"][0]["cadence"] == "retired-cadence"
    assert stats["cadences"][0]["completed"] is None  # its steps are no longer known


def test_no_touches_at_all(run):
    stats = run.json("stats")
    assert stats["response_rate"] == {"sent": 0, "replies": 0, "rate": None, "seed_goal": 0.3}
    assert [row["sent"] for row in stats["response_by_touch"]] == [0] * 12
    assert all(row["rate"] is None for row in stats["response_by_touch"])
    assert stats["gave_up"] == 0
    assert stats["touches_to_close"] == {
        "mean": None,
        "median": None,
        "deals": 0,
        "seed_range": [5, 7],
    }
    assert stats["median_hours_to_response"] is None and stats["responses_timed"] == 0
    assert stats["revenue_recovered"] == 0 and stats["deals_recovered"] == 0
    assert [c["channel"] for c in stats["channels"]] == [
        "call",
        "email",
        "linkedin",
        "video",
        "mail",
    ]
    assert all(c["touches"] == 0 and c["share"] is None for c in stats["channels"])
    assert stats["cadences"] == [] and stats["templates"] == [] and stats["warnings"] == []
    result = run.ok("stats")
    assert "No outbound touches in this window yet." in result.output
    assert "no deals won in this window" in result.output


def test_only_replies_without_outbound_touches(run):
    h = History()
    kim = h.prospect("Kim Kent", value=900)
    h.touch(kim, ago(3), "email", "replied", direction="in")
    h.touch(kim, ago(2), "email", "won", direction="in")
    h.close()
    stats = run.json("stats")
    assert stats["response_rate"]["sent"] == 0
    # A deal that came in with no follow-up at all: 0 touches to close, nothing recovered.
    assert stats["touches_to_close"]["deals"] == 1 and stats["touches_to_close"]["mean"] == 0
    assert stats["revenue_recovered"] == 0


def test_logged_touches_count_like_inserted_ones(run, dana):
    # (within two days of step 1's due date, so the email does the step)
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--at", "2026-11-21T09:00")
    run.ok("log", "dana", "-c", "email", "-o", "replied", "--at", "2026-11-22T09:00")
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "--at", "2026-11-22T12:00")
    stats = run.json("stats")
    assert stats["response_rate"] == {"sent": 2, "replies": 1, "rate": 0.5, "seed_goal": 0.3}
    assert [(r["sent"], r["replies"]) for r in stats["response_by_touch"][:2]] == [(2, 1), (0, 0)]
    assert stats["median_hours_to_response"] == 24.0
    assert stats["cadences"][0]["cadence"] == "post-proposal"
    assert stats["cadences"][0]["steps"][0] == {"step": 1, "sent": 1, "replies": 1, "rate": 1.0}
    # --cadence counts from the touches themselves, not from the running totals: the same rows
    assert run.json("stats", "--cadence", "post-proposal")["cadences"] == stats["cadences"]


def test_the_dashboard_in_the_terminal(run, book):
    out = run.ok("stats").output
    assert "Response rate 20.7%  6 replies to 29 outbound touches" in out
    assert "Give-up curve: 3 prospects" in out
    assert "Touches to close mean 2.67, median 2 over 3 deals won" in out
    assert "Time to response median 24.0 h over 4 replies" in out
    assert "Revenue recovered 15,000 from 2 deals" in out
    lines = out.splitlines()
    touch_12 = next(line for line in lines if line.strip().startswith("12+"))
    assert "2" in touch_12 and "0.0%" in touch_12
    first = next(line for line in lines if line.strip().startswith("1 ") and "36.4%" in line)
    assert "█" in first  # the best rate has the longest bar
    assert "⚠ proposal-sent: fewer than 100 sends" in out


def test_stats_templates(run, book):
    report = run.json("stats", "templates")
    assert [
        (r["template"], r["variant"], r["sends"], r["replies"]) for r in report["templates"]
    ] == [
        ("new-angle", "B", 1, 1),
        ("proposal-sent", "A", 2, 0),
        ("proposal-sent", "B", 1, 0),
    ]
    assert len(report["warnings"]) == 1
    out = run.ok("stats", "templates").output
    assert "Reply rate per template and variant" in out
    assert "too few to trust" in out
    narrowed = run.json("stats", "templates", "--cadence", "post-proposal")
    assert [(r["template"], r["sends"]) for r in narrowed["templates"]] == [
        ("new-angle", 1),
        ("proposal-sent", 1),
    ]
    # Options given before the sub-view apply to it too.
    before = json.loads(run.ok("stats", "--cadence", "post-proposal", "--json", "templates").stdout)
    assert before["templates"] == narrowed["templates"]
    recent = run.json("stats", "templates", "--since", "30d")  # Ben's 29d, Hal's 20d
    assert [(r["variant"], r["sends"]) for r in recent["templates"]] == [("A", 1), ("B", 1)]


def test_the_html_report_is_one_page_with_the_same_numbers(run, book, tmp_path):
    target = tmp_path / "report.html"
    result = run.ok("stats", "--html", str(target))
    assert f"Wrote {target}" in result.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for text in ("20.7%", "36.4%", "15,000", "24.0 h", "2.67", "44.8%", "12+", "post-proposal"):
        assert text in page, text
    assert '<th scope="row">12+</th><td>2</td><td>0</td><td>0.0%</td>' in page
    assert "proposal-sent: fewer than 100 sends" in page
    # Self-contained: nothing to fetch.
    assert "<script" not in page and "<link" not in page and "http" not in page


def test_html_to_a_folder_that_does_not_exist(run, tmp_path):
    result = run("stats", "--html", str(tmp_path / "missing" / "report.html"))
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"Error: The folder {tmp_path / 'missing'} does not exist: create it, or pick another.\n"
    )


def test_html_and_json_together(run, book, tmp_path):
    target = tmp_path / "report.html"
    stats = run.json("stats", "--html", str(target))
    assert stats["response_rate"]["sent"] == 29
    assert "20.7%" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "someday"], "Error: Cannot read the date 'someday'"),
        (["--since", "tomorrow"], "Error: --since must be in the past"),
        (["--cadence", "no-such"], "Error: No cadence named 'no-such'"),
    ],
)
def test_bad_input_is_one_line(run, args, message):
    result = run("stats", *args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(message)
    assert len(result.output.strip().splitlines()) == 1


def test_json_keys_are_stable(run, book):
    stats = run.json("stats")
    assert list(stats) == [
        "window",
        "cadence",
        "response_rate",
        "response_by_touch",
        "give_up_curve",
        "gave_up",
        "touches_to_close",
        "channels",
        "median_hours_to_response",
        "responses_timed",
        "revenue_recovered",
        "deals_recovered",
        "cadences",
        "templates",
        "warnings",
        "referrals",
        # the seeds' own measures (tests/insight/test_seed_metrics.py)
        "proposal_conversion",
        "by_hour",
        "by_part_of_day",
        "by_weekday",
        "by_length",
        "wins_by_touch",
        "close_rate",
        "response_vs_gaps",
    ]
    json.dumps(stats)  # plain JSON types only


def test_help_defines_every_metric(run):
    help_text = run.ok("stats", "--help").output
    for term in (
        "reply:",
        "response rate:",
        "touch number:",
        "give-up curve:",
        "touches to close:",
        "channels:",
        "time to response:",
        "revenue recovered:",
        "cadences:",
        "templates:",
    ):
        assert term in help_text, term


def test_a_cadence_narrows_time_to_response_and_the_cadence_table(run):
    """Two cadences answered at different speeds: --cadence keeps each number to its own."""
    run.ok("add", "Ada Slow", "--cadence", "post-proposal", "--start", "2026-11-01",
           "--value", "1234.567")  # fmt: skip
    run.ok("add", "Ben Quick", "--cadence", "post-demo", "--start", "2026-11-01")
    run.ok("log", "ada", "-c", "email", "-o", "sent", "--at", "2026-11-02T09:00")
    run.ok("log", "ada", "-c", "email", "-o", "replied", "--at", "2026-11-02T19:20")  # 10h20
    run.ok("log", "ben", "-c", "email", "-o", "sent", "--at", "2026-11-02T09:00")
    run.ok("log", "ben", "-c", "email", "-o", "replied", "--at", "2026-11-02T12:00")  # 3h
    run.ok("log", "ada", "-c", "call", "-o", "sent", "--at", "2026-11-10T09:00")
    run.ok("log", "ada", "-c", "call", "-o", "won", "--at", "2026-11-12T09:00")
    both = run.json("stats", "--since", "2026-11-01")
    assert both["median_hours_to_response"] == round((10 + 1 / 3 + 3) / 2, 2) == 6.67
    assert sorted(c["cadence"] for c in both["cadences"]) == ["post-demo", "post-proposal"]
    ada = run.json("stats", "--since", "2026-11-01", "--cadence", "post-proposal")
    assert ada["median_hours_to_response"] == 10.33  # 10 h 20 min, to two decimals
    assert [c["cadence"] for c in ada["cadences"]] == ["post-proposal"]
    assert ada["revenue_recovered"] == 1234.57  # the win came at her 2nd outbound touch
    ben = run.json("stats", "--since", "2026-11-01", "--cadence", "post-demo")
    assert ben["median_hours_to_response"] == 3.0
    assert run.json("stats", "templates", "--cadence", "post-demo")["cadence"] == "post-demo"


def test_not_now_is_an_answer(run):
    """ "Not right now" is a reply: the prospect answered, just not with a yes."""
    run.ok("add", "Nell Later", "--cadence", "post-proposal", "--start", "2026-11-01")
    run.ok("log", "nell", "-c", "email", "-o", "sent", "--at", "2026-11-02T09:00")
    run.ok("log", "nell", "-c", "call", "-o", "not_now", "--at", "2026-11-04T09:00",
           "--until", "2027-02-01")  # fmt: skip
    stats = run.json("stats", "--since", "2026-11-01")
    assert stats["response_rate"] == {"sent": 2, "replies": 1, "rate": 0.5, "seed_goal": 0.3}


def test_the_cadence_asked_for_has_its_row_even_with_no_touches_in_the_window(run):
    """`--cadence` names the cadence the table is about: with nobody touched in it yet, its
    row still says who is in it and that nothing was sent (not an empty table)."""
    run.ok("add", "Ada Waiting", "--cadence", "post-demo", "--start", "2026-12-01")
    run.ok("add", "Ben Busy", "--cadence", "post-proposal", "--start", "2026-11-01")
    run.ok("log", "ben", "-c", "email", "-o", "sent", "--at", "2026-11-02T09:00")
    stats = run.json("stats", "--since", "2026-11-01", "--cadence", "post-demo")
    assert stats["cadences"] == [
        {
            "cadence": "post-demo",
            "active": 1,  # Ada, not due yet
            "enrolled": 0,
            "completed": 0,
            "stopped_by_reply": 0,
            "sent": 0,
            "replies": 0,
            "rate": None,
            "steps": [],
        }
    ]


# --- edges the mutation run found untested (tools/mutation.py) ------------------------------


def test_a_since_at_this_very_moment_is_refused_and_a_second_before_is_not():
    from followup_cli.core.errors import InvalidDate
    from followup_cli.insight.stats import window

    with pytest.raises(InvalidDate, match="--since must be in the past"):
        window(NOW, UTC, since=NOW)
    assert window(NOW, UTC, since=NOW - timedelta(seconds=1)).since == NOW - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("delays", "median"), [((1, 2, 4), 2.0), ((1, 2, 4, 10), 3.0), ((5,), 5.0), ((1, 9), 5.0)]
)
def test_the_median_time_to_response_is_the_middle_one_or_the_mean_of_the_middle_two(
    run, delays, median
):
    h = History()
    for n, hours in enumerate(delays):
        who = h.prospect(f"Person {n}")
        h.touch(who, ago(10), "email", "sent")
        h.touch(who, ago(10, -hours), "email", "replied", direction="in")
    h.close()
    result = run.json("stats")
    assert result["responses_timed"] == len(delays)
    assert result["median_hours_to_response"] == pytest.approx(median)


def test_a_channel_of_the_target_mix_with_no_touches_has_no_replies(run):
    h = History()
    h.touch(h.prospect("Only Email"), ago(3), "email", "sent")
    h.close()
    channels = {row["channel"]: row for row in run.json("stats")["channels"]}
    assert (channels["call"]["touches"], channels["call"]["replies"]) == (0, 0)
    assert channels["call"]["rate"] is None


def test_a_thin_comparison_names_the_sends_without_a_variant():
    from followup_cli.insight.metrics import TemplateRow
    from followup_cli.insight.stats import template_warnings

    rows = [TemplateRow("new-angle", None, 3, 1), TemplateRow("new-angle", "B", 120, 9)]
    assert template_warnings(rows) == [
        "new-angle: fewer than 100 sends (no variant 3) — too few to trust the comparison yet."
    ]
    assert template_warnings(rows[:1]) == []  # one variant alone is no comparison


def test_a_cadence_ends_at_its_last_step_or_at_max_touches_whichever_comes_first(isolated):
    from followup_cli.insight.stats import _final_step

    folder = isolated / "config" / "cadences"
    folder.mkdir(parents=True)
    steps = "".join(f"  - {{day: {d}, channel: email, purpose: p{d}}}\n" for d in (0, 2, 4, 6))
    (folder / "four.yaml").write_text(f"description: d\nsteps:\n{steps}")
    (folder / "capped.yaml").write_text(f"description: d\nmax_touches: 3\nsteps:\n{steps}")
    (folder / "loose.yaml").write_text(f"description: d\nmax_touches: 9\nsteps:\n{steps}")
    forever = "repeat: {every: 7d, channel: email, purpose: again}\n"
    (folder / "forever.yaml").write_text(f"description: d\nsteps:\n{steps}{forever}")
    (folder / "forever-capped.yaml").write_text(
        f"description: d\nmax_touches: 7\nsteps:\n{steps}{forever}"
    )
    finals = [_final_step(name) for name in ("four", "capped", "loose", "forever-capped")]
    assert finals == [4, 3, 4, 7]
    assert _final_step("forever") is None
    assert _final_step("no-such-cadence") is None


def test_referred_deals_won_count_only_wins_inside_the_window(run):
    h = History()
    friend = h.prospect("Old Friend", stage="customer")
    for name, days, value in (("Early Win", 200, 1000), ("Recent Win", 10, 5000)):
        who = h.prospect(name, referred_by="Old Friend", value=value, stage="customer")
        h.touch(who, ago(days + 1), "email", "sent")
        h.touch(who, ago(days), "call", "won")
    h.touch(friend, ago(5), "email", "sent")
    h.close()
    window = run.json("stats")["referrals"]
    assert (window["referred_deals_won"], window["referred_revenue"]) == (1, 5000)
    everything = run.json("stats", "--since", "2025-01-01")["referrals"]
    assert (everything["referred_deals_won"], everything["referred_revenue"]) == (2, 6000)


def test_a_cadence_nobody_is_in_now_has_zero_active_and_one_cadence_narrows_the_seed_measures(
    run,
):
    h = History()
    for n in range(3):
        who = h.prospect(f"Cold {n}")
        h.touch(who, ago(4, n), "email", "sent", cadence="stage-cold", step=1)
    other = h.prospect("Other")
    h.touch(other, ago(2), "email", "sent", cadence="post-proposal", step=1)
    h.close()
    rows = {row["cadence"]: row for row in run.json("stats")["cadences"]}
    assert rows["stage-cold"]["active"] == 0
    assert rows["stage-cold"]["sent"] == 3
    narrowed = run.json("stats", "--cadence", "stage-cold")
    assert sum(hour["sent"] for hour in narrowed["by_hour"]) == 3
    assert sum(day["sent"] for day in run.json("stats")["by_weekday"]) == 4
