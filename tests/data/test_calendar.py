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
