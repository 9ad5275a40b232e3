"""`today --all` and `today --json` stream a whole book in SQLite's order: the rows, their
order and every word printed are what ranking the whole list in Python gives."""

from __future__ import annotations

import dataclasses
import io
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup_cli import store
from followup_cli.core.emails import normalise
from followup_cli.scheduling import agenda, due_stream
from followup_cli.store import triggers
from followup_cli.views import agenda as agenda_view
from followup_cli.views import json_output

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
CHANNELS = ("email", "call", "linkedin", "meeting", "video", "fax", None)  # fax: not one of ours
STAGES = ("cold", "interest", "active", "proposal", "customer", "lost", "nurture", "odd")


def _book(path, seed: int, people: int = 300):
    """Prospects due over six weeks, a few days ahead too; ties of due time and urgency,
    shared and bounced addresses, and open triggers."""
    rng = random.Random(seed)
    conn = store.open_db(path)
    dues = [NOW + timedelta(minutes=rng.randint(-60 * 24 * 40, 60 * 24 * 4)) for _ in range(40)]
    with store.transaction(conn):
        for n in range(people):
            last = NOW - timedelta(days=rng.randint(1, 90))
            row = {
                "name": f"P{n} {rng.choice(('Ann', 'José Müller', '李雷', 'Bo'))}",
                "email": rng.choice((None, f"p{n}@x.io", f"P{n % 10}+{n}@X.io")),  # p3@x.io
                "company": rng.choice((None, "Acme", "Walsh Dental Group")),
                "next_due_at": store.to_text(rng.choice(dues)) if rng.random() < 0.9 else None,
                "next_channel": rng.choice(CHANNELS),
                "next_purpose": rng.choice((None, "Recap", "Pick up the phone")),
                "next_template": rng.choice((None, "recap", "call-review")),
                "next_step": rng.choice((None, 1, 3)),
                "next_steps_total": rng.choice((None, 5)),
                "cadence": rng.choice((None, "thirty-day")),
                "last_touch_at": store.to_text(last) if rng.random() < 0.7 else None,
                "last_touch_channel": "email",
                "last_touch_outcome": rng.choice(("sent", "no_answer")),
                "priority": rng.randint(1, 3),
                "stage": rng.choice(STAGES),
                "value": rng.choice((None, 0, 3000, 12000, 7.5)),
                "do_not_contact": int(rng.random() < 0.05),
                "created_at": "x",
                "updated_at": "x",
            }
            conn.execute(
                f"INSERT INTO prospects ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        for address in ("p3@x.io", "p7@x.io", "p12@x.io"):
            conn.execute(
                "INSERT INTO mail_bad_addresses (address, status, at) VALUES (?, '5.1.1', 'x')",
                [address],
            )
        for prospect_id in rng.sample(range(1, people + 1), 6):
            due = NOW + timedelta(hours=rng.randint(-72, 72))
            triggers.add(
                conn,
                prospect_id=prospect_id,
                kind="milestone",
                event="raised a round",
                recorded_at=store.to_text(NOW - timedelta(days=1)),
                due_at=store.to_text(due),
                channel=rng.choice(("email", "call")),
                template="recap",
            )
    return conn


def _listed(result: agenda.Agenda) -> agenda.Agenda:
    """The same agenda with every touch in a list (ordered by ``by_channel`` in Python, as
    `today` did before it streamed) and the bounced addresses of all of them."""
    due, upcoming = list(result.due), list(result.upcoming)
    upcoming.sort(key=lambda item: item.due_at)
    listed = dataclasses.replace(result, due=due, upcoming=upcoming, bad_addresses={})
    return listed


def _text(result: agenda.Agenda, conn, *, tz, days: int, score: bool, monkeypatch) -> str:
    out = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", out)
        agenda_view.show(result, now=NOW, tz=tz, show_score=score, days=days)
    return out.getvalue()


@pytest.mark.parametrize(
    ("seed", "zone", "days", "channel"),
    [(1, "UTC", 0, None), (2, "America/New_York", 3, None), (3, "Asia/Kolkata", 5, "email")],
)
def test_today_all_streams_the_words_ranking_in_python_prints(
    tmp_path, monkeypatch, seed, zone, days, channel
):
    monkeypatch.setattr(due_stream.DueStream, "BATCH", 7)  # many batches, and many writes
    monkeypatch.setattr(agenda_view, "CHUNK", 50)
    conn = _book(tmp_path / "book.db", seed)
    tz = ZoneInfo(zone)
    streamed = agenda.build(conn, now=NOW, user_tz=tz, days=days, channel=channel)
    assert isinstance(streamed.due, due_stream.DueStream)
    listed = _listed(streamed)
    listed.bad_addresses.update(agenda._bad_addresses(conn, [*listed.due, *listed.upcoming]))
    assert len(listed.bad_addresses) >= 3  # prospects that share a bounced address too
    for score in (False, True):
        text = _text(streamed, conn, tz=tz, days=days, score=score, monkeypatch=monkeypatch)
        expected = _text(listed, conn, tz=tz, days=days, score=score, monkeypatch=monkeypatch)
        assert text == expected
    assert "bounced 5.1.1" in text and "Triggers (" in text
    assert len(streamed.due) == len(listed.due) > 30  # (the unknown channel is not listed)


def test_the_capped_agenda_flags_everyone_whose_address_bounced(tmp_path):
    conn = _book(tmp_path / "book.db", 4)
    result = agenda.build(conn, now=NOW, user_tz=UTC, limit=1000)
    shared = {item.prospect_id for item in result.due if normalise(item.email) == "p3@x.io"}
    assert len(shared) > 1 and shared <= result.bad_addresses.keys()


@pytest.mark.parametrize("days", [0, 4])
def test_today_json_is_every_touch_most_urgent_first_then_in_time_order(tmp_path, days):
    conn = _book(tmp_path / "book.db", 5)
    tz = ZoneInfo("Europe/Berlin")
    found = list(agenda.iter_due(conn, now=NOW, user_tz=tz, days=days))
    head = [item for item in found if item.trigger is not None]
    rest = found[len(head) :]
    assert all(item.trigger is None for item in rest)
    end = store.to_text(datetime.combine(NOW.astimezone(tz).date(), datetime.max.time(), tz))
    today = [item for item in rest if store.to_text(item.due_at) <= end]
    later = rest[len(today) :]
    assert today == sorted(today, key=lambda i: (-i.score, i.due_at, i.prospect_id))
    assert later == sorted(later, key=lambda i: (i.due_at, i.prospect_id))
    assert bool(later) == bool(days)
    expected = conn.execute(
        "SELECT count(*) FROM prospects WHERE do_not_contact = 0 AND next_due_at <= ?",
        [store.to_text(datetime.combine(NOW.astimezone(tz).date(), datetime.max.time(), tz)
                       + timedelta(days=days))],
    ).fetchone()[0]  # fmt: skip
    assert len(rest) == expected


def test_a_due_touch_is_built_as_its_dataclass_builds_it(tmp_path):
    conn = _book(tmp_path / "book.db", 6, people=60)
    for item in agenda.iter_due(conn, now=NOW, user_tz=UTC, days=5):
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        assert agenda.DueTouch(**fields) == item
        assert item.__dict__ == agenda.DueTouch(**fields).__dict__


def _json_values():
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text()
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        ),
        max_leaves=20,
    )


@given(_json_values(), st.sampled_from(["", "  ", "    "]))
def test_the_indented_json_is_json_dumps_text(value, pad):
    expected = json.dumps(value, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    assert json_output.indented(value, pad) == expected.replace("\n", "\n" + pad)


def test_the_indented_json_leaves_the_rest_to_json():
    odd = {"at": NOW, 1: "one", "t": (1, 2), "deep": [{}, []]}
    assert json_output.indented(odd) == json.dumps(
        odd, indent=2, ensure_ascii=False, default=str, allow_nan=False
    )
    with pytest.raises(ValueError, match="Out of range float"):
        json_output.indented({"x": [float("nan")]})


def test_a_terminal_painted_in_runs_of_lines_sees_the_agenda_painted_whole(tmp_path, monkeypatch):
    from followup_cli.views import paint

    conn = _book(tmp_path / "book.db", 7)
    result = agenda.build(conn, now=NOW, user_tz=UTC, days=2)
    pieces = list(agenda_view.agenda_pieces(result, now=NOW, tz=UTC, show_score=True, days=2))
    styles = paint.element_styles()
    assert styles is not None
    whole = paint.paint(pieces, styles, 60)  # narrow: lines are cut with …
    assert whole is not None and "…" in whole
    monkeypatch.setattr(agenda_view, "CHUNK", 40)
    runs = list(agenda_view._chunks(pieces))
    assert len(runs) > 5
    assert "".join(paint.paint(run, styles, 60) or "" for run in runs) == whole
