"""`followup calendar`: due touches as RFC 5545 events, with stable UIDs."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar


def events(path) -> list:
    calendar = Calendar.from_ical(path.read_bytes())
    assert calendar["VERSION"] == "2.0" and "followup" in str(calendar["PRODID"])
    return list(calendar.walk("VEVENT"))


def add_people(run) -> None:
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--company", "Acme",
           "--phone", "+1 303 555 0100", "--cadence", "post-proposal")  # fmt: skip
    run.ok("add", "Sam Lee", "--company", "Globex", "--cadence", "steli-persistence")
    run.ok("add", "Priya Patel", "--no-cadence")


def test_one_event_per_due_touch_with_prospect_purpose_and_template(run, tmp_path):
    add_people(run)
    target = tmp_path / "upcoming.ics"
    result = run.ok("calendar", str(target), "--days", "14")
    due = run.json("today", "--days", "14")
    assert f"Wrote {len(due)} events (touches due within 14 days) to {target}." in result.stdout
    found = events(target)
    assert len(found) == len(due) == 2
    by_start = {e.decoded("dtstart"): e for e in found}
    for item in due:
        start = datetime.fromisoformat(item["due_at"].replace("Z", "+00:00"))
        event = by_start[start]
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert item["prospect"]["name"] in summary and item["purpose"] in summary
        assert f"Template: {item['template']}" in description
        assert f"of {item['cadence']}" in description
        assert event.decoded("dtstart").tzinfo is not None
        assert "ATTENDEE" not in event and "ORGANIZER" not in event  # never sends invitations
    dana = next(e for e in found if "Dana Reyes" in str(e["SUMMARY"]))
    assert "Phone: +1 303 555 0100" in str(dana["DESCRIPTION"])


def test_uids_are_stable_so_a_new_file_updates_rather_than_duplicates(run, tmp_path):
    add_people(run)
    run.ok("calendar", str(tmp_path / "a.ics"))
    run.ok("calendar", str(tmp_path / "b.ics"))
    first, again = events(tmp_path / "a.ics"), events(tmp_path / "b.ics")
    assert sorted(str(e["UID"]) for e in first) == sorted(str(e["UID"]) for e in again)
    assert len({str(e["UID"]) for e in first}) == len(first)
    # the same touch, rescheduled: same UID, new time, a higher SEQUENCE
    run.ok("snooze", "dana", "--until", "2026-12-01")
    later = {"FOLLOWUP_NOW": "2026-11-23T09:00:00-07:00"}
    run.ok("calendar", str(tmp_path / "c.ics"), "--days", "14", env=later)
    moved = {str(e["UID"]): e for e in events(tmp_path / "c.ics")}
    before = {str(e["UID"]): e for e in first}
    dana = next(uid for uid, e in before.items() if "Dana Reyes" in str(e["SUMMARY"]))
    assert moved[dana].decoded("dtstart") > before[dana].decoded("dtstart")
    assert int(moved[dana]["SEQUENCE"]) > int(before[dana]["SEQUENCE"])


def test_two_databases_never_share_a_uid(run, tmp_path):
    add_people(run)
    run.ok("calendar", str(tmp_path / "a.ics"))
    other = {"FOLLOWUP_DB": str(tmp_path / "other.db")}
    run.ok("add", "Dana Reyes", "--cadence", "post-proposal", env=other)  # prospect #1 there too
    run.ok("calendar", str(tmp_path / "b.ics"), env=other)
    assert not {str(e["UID"]) for e in events(tmp_path / "a.ics")} & {
        str(e["UID"]) for e in events(tmp_path / "b.ics")
    }


def test_overdue_touches_are_included(run, tmp_path):
    run.ok("add", "Dana Reyes", "--cadence", "post-proposal", "--start", "2026-11-01")
    run.ok("calendar", str(tmp_path / "c.ics"), "--days", "0")
    found = events(tmp_path / "c.ics")
    assert len(found) == 1
    assert found[0].decoded("dtstart") < datetime(2026, 11, 23, tzinfo=UTC)
    assert "Overdue by" in str(found[0]["DESCRIPTION"])


def test_nothing_due_is_still_a_valid_calendar(run, tmp_path):
    run.ok("add", "Priya Patel", "--no-cadence")
    result = run.ok("calendar", str(tmp_path / "empty.ics"))
    assert "Wrote 0 events" in result.stdout
    assert events(tmp_path / "empty.ics") == []


def test_calendar_to_stdout(run):
    add_people(run)
    text = run.ok("calendar", "-").stdout
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") == 2


def _one_calendar(conn, *, now, user_tz, days) -> bytes:
    """The calendar as `followup calendar` built it before it streamed: every event in one
    icalendar ``Calendar``, serialised at once (the reference for byte-identity)."""
    from icalendar import Calendar, Event

    from followup_cli.data import ical
    from followup_cli.scheduling import agenda

    found = agenda.build(conn, now=now, user_tz=user_tz, days=days)
    items = sorted([*found.due, *found.upcoming], key=lambda item: (item.due_at, item.name))
    extra = ical.exports.calendar_details(conn, [item.prospect_id for item in items])
    space = ical.namespace(conn)
    calendar = Calendar()
    calendar.add("prodid", "-//followup//followup-cli//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "followup")
    sequence = int((now - ical.EPOCH).total_seconds() // 60)
    for item in items:
        more = extra.get(item.prospect_id, {})
        event = Event()
        event.add("uid", ical._uid(space, item, more.get("cadence_anchor")))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("sequence", sequence)
        event.add("dtstart", item.due_at.astimezone(UTC))
        event.add("duration", ical.LENGTH.get(item.channel, ical.timedelta(minutes=15)))
        event.add("summary", ical._summary(item))
        event.add("description", ical._description(item, more, now, user_tz))
        event.add("categories", ["followup", item.channel])
        event.add("x-followup-prospect", str(item.prospect_id))
        calendar.add_component(event)
    return calendar.to_ical()


def test_streamed_calendar_is_byte_identical_to_one_built_at_once(run, tmp_path, isolated):
    """The file is written an event at a time (memory flat at any size); its bytes are
    those of the whole calendar serialised at once, overdue, same-time and same-name
    touches, long folded lines and every channel included."""
    from zoneinfo import ZoneInfo

    from followup_cli import store

    add_people(run)
    run.ok("add", "Dana Reyes", "--email", "dana2@globex.io", "--company", "Globex, Inc; HQ",
           "--cadence", "post-proposal", "--priority", "high")  # fmt: skip
    run.ok("add", "Zoë Ångström", "--title", "Head of a very long title " * 4,
           "--cadence", "thirty-day", "--start", "2026-11-01")  # fmt: skip
    run.ok("add", "Kenji Sato", "--cadence", "stage-cold", "--start", "2026-10-20",
           "--value", "9000")  # fmt: skip
    run.ok("log", "sam", "-c", "call", "-o", "no_answer", "--note", "later")
    for days in ("14", "0", "30"):
        target = tmp_path / f"cal-{days}.ics"
        run.ok("calendar", str(target), "--days", days)
        conn = store.open_db(isolated / "followup.db")
        try:
            tz = ZoneInfo("America/Denver")
            now = datetime.fromisoformat("2026-11-23T08:00:00-07:00")
            expected = _one_calendar(conn, now=now, user_tz=tz, days=int(days))
        finally:
            conn.close()
        assert target.read_bytes() == expected
        assert expected.count(b"BEGIN:VEVENT") >= 4
    assert (
        run.ok("calendar", "-", "--days", "14").stdout_bytes
        == (tmp_path / "cal-14.ics").read_bytes()
    )
