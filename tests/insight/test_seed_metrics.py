"""The seeds' metrics that `followup stats` lacked (issue 18), each checked against a small
history written by hand, and each quoting the seed line it measures.

Now is Mon 2026-11-23 15:00 UTC. The history:

prospect          zone              touches (outbound unless "in")
Tomo (Tokyo)      Asia/Tokyo        Fri 20 Nov 01:00Z email (10:00 Fri in Tokyo) value-add,
                                    reply in 30 h later (post-proposal step 1)
Dee (Denver)      America/Denver    Thu 19 Nov 22:00Z email (15:00 Thu in Denver) no template
Pat (proposal)    (none: Denver)    post-proposal: 10d proposal-sent s1, 8d call s2,
                                    6d email s3, 5d email s4 won (value 9,000)
Quin (proposal)   (none)            post-proposal: 4d proposal-sent s1
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def ago(days: float, hours: float = 0) -> str:
    return (NOW - timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


class History:
    def __init__(self):
        from followup_cli import store

        self.store = store
        self.conn = store.open_db(Path(os.environ["FOLLOWUP_DB"]))

    def prospect(self, name: str, **columns) -> int:
        stamp = ago(200)
        row = {"name": name, "created_at": stamp, "updated_at": stamp, **columns}
        return self.store.insert(self.conn, "prospects", row)

    def touch(self, prospect_id: int, at: str, channel: str, outcome: str, **columns) -> None:
        direction = columns.pop("direction", "out")
        self.store.insert(
            self.conn,
            "touches",
            {"prospect_id": prospect_id, "at": at, "channel": channel, "direction": direction,
             "outcome": outcome, "logged_at": at, **columns},
        )  # fmt: skip

    def close(self):
        from followup_cli.pipeline.touch import renumber_many

        renumber_many(self.conn, "SELECT id FROM prospects")
        self.conn.close()


@pytest.fixture
def book(monkeypatch):
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-23T15:00:00Z")
    h = History()
    pp = {"cadence": "post-proposal"}
    tomo = h.prospect("Tomo Sato", timezone="Asia/Tokyo")
    h.touch(tomo, "2026-11-20T01:00:00Z", "email", "sent", template="value-add", step=1, **pp)
    h.touch(tomo, "2026-11-21T07:00:00Z", "email", "replied", direction="in")
    dee = h.prospect("Dee Dale", timezone="America/Denver")
    h.touch(dee, "2026-11-19T22:00:00Z", "email", "sent")
    pat = h.prospect("Pat Park", stage="customer", value=9000)
    h.touch(pat, ago(10), "email", "sent", template="proposal-sent", step=1, **pp)
    h.touch(pat, ago(8), "call", "voicemail", step=2, **pp)
    h.touch(pat, ago(6), "email", "sent", template="proposal-sections", step=3, **pp)
    h.touch(pat, ago(5), "call", "won", step=4, **pp)
    quin = h.prospect("Quin Quill", stage="proposal")
    h.touch(quin, ago(4), "email", "sent", template="proposal-sent", step=1, **pp)
    h.close()


def stats(run, *args):
    return json.loads(run.ok("stats", "--json", *args).stdout)


PINNED = {
    "proposal_conversion": {"proposals", "needed_follow_up", "won", "rate", "sends", "too_few"},
    "close_rate": {"prospects", "won", "rate", "sends", "too_few"},
    "wins_by_touch": {"deals", "sends", "too_few", "buckets"},
}
ROW_KEYS = {"sent", "replies", "rate", "too_few"}


def test_the_json_keys_are_pinned(run, book):
    data = stats(run)
    for key, keys in PINNED.items():
        assert set(data[key]) == keys, key
    assert [set(row) for row in data["by_hour"]] == [{"hour"} | ROW_KEYS] * 24
    assert [row["weekday"] for row in data["by_weekday"]][:2] == ["monday", "tuesday"]
    assert all(set(row) == {"weekday"} | ROW_KEYS for row in data["by_weekday"])
    assert [row["part"] for row in data["by_part_of_day"]] == ["morning", "afternoon", "evening"]
    assert [row["length"] for row in data["by_length"]] == ["1-2", "3-5", "6+", "unknown"]
    assert set(data["wins_by_touch"]["buckets"][0]) == {"touches", "deals", "share", "seed_share"}
    assert set(data["response_vs_gaps"][0]) == {
        "cadence", "median_hours_to_response", "replies_timed", "shortest_gap_hours",
        "longest_gap_hours", "gaps_shorter_than_response", "sends", "too_few",
    }  # fmt: skip


def test_send_time_is_read_in_the_prospects_timezone(run, book):
    # 000_cd2bc44c633a209f.txt, "A/B Testing": "Send times (morning vs. afternoon)",
    # "Day of week"
    data = stats(run)
    hours = {row["hour"]: row for row in data["by_hour"] if row["sent"]}
    # Tomo's 01:00Z is 10:00 in Tokyo, and it got the reply; Dee's 22:00Z is 15:00 in Denver;
    # Pat and Quin have no zone: the user's (Denver), 08:00
    assert (hours[10]["sent"], hours[10]["replies"], hours[10]["rate"]) == (1, 1, 1.0)
    assert hours[15]["sent"] == 1 and hours[15]["replies"] == 0
    assert hours[8]["sent"] == 5
    assert sum(row["sent"] for row in data["by_hour"]) == 7
    days = {row["weekday"]: row["sent"] for row in data["by_weekday"]}
    # Fri: Tomo, Pat's first; Sun, Tue, Wed: Pat's next three; Thu: Dee and Quin
    assert days == {"monday": 0, "tuesday": 1, "wednesday": 1, "thursday": 2, "friday": 2,
                    "saturday": 0, "sunday": 1}  # fmt: skip
    parts = {row["part"]: (row["sent"], row["replies"]) for row in data["by_part_of_day"]}
    # the replies: Tomo's, and Pat's winning call (its own outcome is an answer)
    assert parts == {"morning": (6, 2), "afternoon": (1, 0), "evening": (0, 0)}


def test_too_few_to_trust_under_100_sends(run, book):
    from followup_cli.insight.seed_metrics import MIN_SENDS, _counts

    data = stats(run)
    assert MIN_SENDS == 100
    assert data["close_rate"]["too_few"] is True
    assert all(row["too_few"] for row in data["by_hour"])
    assert _counts(100, 3)["too_few"] is False and _counts(99, 3)["too_few"] is True


def test_proposals_that_needed_follow_up_and_how_many_closed(run, book):
    # 002_ebf38cfac8e1ad58.txt: "Conversion rate from follow-up: What percentage of
    # proposals that required follow-up eventually closed?"
    conversion = stats(run)["proposal_conversion"]
    # Tomo, Pat and Quin had a post-proposal step; only Pat had a second; Pat won
    assert (conversion["proposals"], conversion["needed_follow_up"], conversion["won"]) == (3, 1, 1)
    assert conversion["rate"] == 1.0 and conversion["sends"] == 6


def test_wins_by_touch_against_the_seeds_table(run, book):
    # 001_f926f856a736bd02.txt: "2% of sales happen on first contact - 10% on second, 12% on
    # third, 80% on contacts 4-12"
    wins = stats(run)["wins_by_touch"]
    assert wins["deals"] == 1 and wins["sends"] == 4
    buckets = {row["touches"]: row for row in wins["buckets"]}
    assert buckets["4-12"]["deals"] == 1 and buckets["4-12"]["share"] == 1.0
    assert [row["seed_share"] for row in wins["buckets"]] == [0.02, 0.10, 0.12, 0.80, None]


def test_close_rate_is_wins_over_prospects_touched(run, book):
    close = stats(run)["close_rate"]
    assert (close["prospects"], close["won"], close["rate"]) == (4, 1, 0.25)


def test_length_by_the_template_used(run, book):
    # 000_cd2bc44c633a209f.txt, "A/B Testing": "Email length"
    from followup_cli.drafting.template_length import sentences_of
    from followup_cli.insight.seed_metrics import length_bucket

    lengths = {row["length"]: row["sent"] for row in stats(run)["by_length"]}
    expected = {"1-2": 0, "3-5": 0, "6+": 0, "unknown": 3}  # Dee, Pat's call, Pat's win
    for template, sends in (("value-add", 1), ("proposal-sent", 2), ("proposal-sections", 1)):
        expected[length_bucket(sentences_of(template))] += sends
    assert lengths == expected
    assert sentences_of("no-such-template") is None
    assert [length_bucket(n) for n in (1, 2, 3, 5, 6)] == ["1-2", "1-2", "3-5", "3-5", "6+"]


def test_median_response_against_the_cadence_gaps(run, book):
    # 000_cd2bc44c633a209f.txt: "Time to Response - How long between follow-up and reply?
    # - Informs cadence"
    (row,) = stats(run)["response_vs_gaps"]
    assert (row["cadence"], row["median_hours_to_response"], row["replies_timed"]) == (
        "post-proposal", 30.0, 1,
    )  # fmt: skip
    # post-proposal: hour 1, day 2, day 5, day 7, day 10: 47 h to 72 h apart
    assert (row["shortest_gap_hours"], row["longest_gap_hours"]) == (47.0, 72.0)
    assert row["gaps_shorter_than_response"] is False


def test_the_terminal_and_html_show_them(run, book, tmp_path):
    shown = run.ok("stats").stdout
    assert "Proposals that needed follow-up 1 of 3 proposals, 1 won (100.0%)" in shown
    assert "Close rate 25.0%" in shown
    assert "Send time, in the prospect's timezone" in shown
    assert "post-proposal: replies come a median 30.0 h after a touch" in shown
    assert "too few to trust" in shown
    page = tmp_path / "report.html"
    run.ok("stats", "--html", str(page))
    html = page.read_text()
    for heading in ("Wins by touch, against the seeds&#x27; table", "Message length", "Day"):
        assert heading in html
    assert "<small>too few to trust</small>" in html


def test_a_templates_length_read_from_its_text_is_close_to_its_draft():
    # stats reads lengths without drafting: the count must stay close to the real draft's
    from followup_cli.core.library import template_files
    from followup_cli.drafting.corpus import sample_context
    from followup_cli.drafting.message_text import count_sentences
    from followup_cli.drafting.template_engine import render
    from followup_cli.drafting.template_length import sentences_in, sentences_of
    from followup_cli.drafting.templates import load_template

    for name in template_files():
        template = load_template(name)
        context, _ = sample_context(template)
        _, body = render(template, context, template.variant_names[0])
        assert abs(sentences_of(name) - count_sentences(body)) <= 2, name
    text = "---\nname: x\n---\nHi {{ a }},\n\n{% if b %}One. Two.{% else %}Three.{% endif %}\n"
    text += "{{ url }}\nFour is {{ c }}.\n"
    assert sentences_in(text) == 3  # One, Two and Four; not Three, nor the link


def test_send_hours_are_local_across_dst_switches_and_half_hour_zones():
    # _by_local_time works out a zone's offset once a UTC day: the same hours and weekdays
    # as converting every hour, on the days clocks change and in zones off by minutes.
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from followup_cli.insight.seed_metrics import _by_local_time

    names = [None, "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    found = [
        (name, (start + timedelta(hours=h)).strftime("%Y-%m-%dT%H"), 1 + h % 5, h % 2)
        for h in range(0, 24 * 250, 7)
        for name in names
    ]
    user = ZoneInfo("America/Denver")
    hours = {hour: [0, 0] for hour in range(24)}
    weekdays = {day: [0, 0] for day in range(7)}
    for name, stamp, sent, replies in found:
        moment = datetime.fromisoformat(stamp + ":00:00").replace(tzinfo=UTC)
        local = moment.astimezone(ZoneInfo(name) if name else user)
        for bucket in (hours[local.hour], weekdays[local.weekday()]):
            bucket[0] += sent
            bucket[1] += replies
    assert _by_local_time(found, user) == (hours, weekdays)


def test_send_hours_from_the_totals_are_grouped_in_sql_as_python_converts_them(tmp_path):
    # The running totals' send times are grouped by SQL from each zone's offset changes
    # (seed_metrics._offsets): the same hours and weekdays as converting every hour, across
    # DST switches both ways, in zones off by half an hour (and changing at a half hour,
    # St John's), a zone this machine does not know (the user's), and none (the user's).
    from zoneinfo import ZoneInfo

    from followup_cli import store
    from followup_cli.insight.seed_metrics import _by_local_time, _local_from_totals

    conn = store.open_db(tmp_path / "f.db")
    names = [None, "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney",
             "America/St_Johns", "Mars/Olympus"]  # fmt: skip
    start = datetime(2025, 10, 20, tzinfo=UTC)
    found = [
        (name, (start + timedelta(hours=h)).strftime("%Y-%m-%dT%H"), 1 + h % 5, h % 2)
        for h in range(0, 24 * 400, 5)
        for name in names
    ]
    conn.executemany(
        "INSERT INTO stats_agg (dim, bucket, k1, k2, k3, n1, n2, n3) "
        "VALUES ('hour', ?, ?, '', '', ?, ?, 0)",
        [(stamp, name or "", sent, replies) for name, stamp, sent, replies in found],
    )
    user = ZoneInfo("America/Denver")
    for since in (start, start + timedelta(days=150, minutes=30)):
        expected = _by_local_time([row for row in found if row[1] >= since.strftime("%Y-%m-%dT%H")
                                   and since.minute == 0 or row[1] > since.strftime("%Y-%m-%dT%H")],
                                  user)  # fmt: skip
        assert _local_from_totals(conn, since, user) == expected
    assert _local_from_totals(conn, start + timedelta(days=500), user) == _by_local_time([], user)
