"""The first hour after a meeting (issue 18). Seed 000 (000_cd2bc44c633a209f.txt), under
"Post-Demo": "**Hour 1**: Thank you + demo recording", and under "Post-Discovery Call":
"**Hour 1**: Send recap email with next steps". Seed 001 (001_f926f856a736bd02.txt),
"After First Meeting": "Within 2 Hours: - Thank you email - Meeting summary". The meeting
that starts the follow-up must not hold that first touch back by the minimum gap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from followup_cli.scheduling import cadence as cadences
from followup_cli.scheduling.cadence_check import check_all
from followup_cli.scheduling.schedule import Enrollment, plan

NEW_YORK = ZoneInfo("America/New_York")
MEETING = "2026-11-23T10:00:00-05:00"  # 10:00 on a Monday, the prospect's time (New York)


def add_ny(run, *extra):
    run.ok("add", "Grace Kim", "--email", "grace@clinic.example", "--tz", "America/New_York",
           *extra)  # fmt: skip


def due_local(run, now=MEETING):
    due = run.json("show", "grace", env={"FOLLOWUP_NOW": now})["next_due"]
    return due, datetime.fromisoformat(due["due_at"].replace("Z", "+00:00")).astimezone(NEW_YORK)


def test_a_meeting_at_ten_with_post_demo_has_the_recap_due_at_eleven(run):
    add_ny(run, "--no-cadence")
    logged = run.ok(
        "log", "grace", "-c", "meeting", "-o", "meeting", "--then", "post-demo",
        env={"FOLLOWUP_NOW": MEETING},
    )  # fmt: skip
    assert "Meeting: post-demo starts from this touch." in logged.output
    due, local = due_local(run)
    assert (due["cadence"], due["step"], due["template"]) == ("post-demo", 1, "demo-thanks")
    assert local == datetime(2026, 11, 23, 11, 0, tzinfo=NEW_YORK)  # same day, 11:00 their time


def test_the_recap_sent_after_the_meeting_does_step_one_without_a_gap_warning(run):
    add_ny(run, "--no-cadence")
    run.ok("log", "grace", "-c", "meeting", "-o", "meeting", "--then", "post-discovery",
           env={"FOLLOWUP_NOW": MEETING})  # fmt: skip
    recap = run.ok("log", "grace", "-c", "email", "-o", "sent",
                   env={"FOLLOWUP_NOW": "2026-11-23T10:40:00-05:00"})  # fmt: skip
    assert "(step 1 of post-discovery)" in recap.output
    assert "Warning" not in recap.output
    # the recap is ours: the day-1 case study keeps the minimum gap after it
    due, local = due_local(run, "2026-11-23T10:40:00-05:00")
    assert due["step"] == 2 and local == datetime(2026, 11, 24, 10, 40, tzinfo=NEW_YORK)


def test_logging_the_meeting_then_enrolling_still_gives_the_first_hour(run):
    # the flow the issue saw: log the meeting, then enroll; the meeting held step 1 to tomorrow
    add_ny(run, "--no-cadence")
    met = run.ok("log", "grace", "-c", "meeting", "-o", "meeting", env={"FOLLOWUP_NOW": MEETING})
    assert "Start the follow-up: enroll them in a cadence (post-discovery" in met.output
    run.ok("enroll", "grace", "post-proposal", env={"FOLLOWUP_NOW": "2026-11-23T10:05:00-05:00"})
    _, local = due_local(run)
    assert local == datetime(2026, 11, 23, 11, 5, tzinfo=NEW_YORK)


def test_a_cadence_on_meeting_starts_post_discovery_from_the_meeting(run):
    # stage-interest ships `on: {meeting: post-discovery}`
    add_ny(run, "--stage", "interest")
    assert run.json("show", "grace")["cadence"] == "stage-interest"
    logged = run.ok("log", "grace", "-c", "call", "-o", "meeting", env={"FOLLOWUP_NOW": MEETING})
    assert "post-discovery starts from this touch" in logged.output
    due, local = due_local(run)
    assert (due["cadence"], due["template"]) == ("post-discovery", "first-meeting-recap")
    assert local == datetime(2026, 11, 23, 11, 0, tzinfo=NEW_YORK)
    assert run.json("show", "grace")["stage"] == "active"


def test_on_meeting_moves_even_when_meeting_is_not_in_stop_on(run, isolated):
    folder = isolated / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "calls.yaml").write_text(
        "stop_on: [won]\non: {meeting: post-demo}\n"
        "repeat: {every: 3d, channel: call, purpose: Call again}\n"
    )
    add_ny(run, "--cadence", "calls")
    run.ok("log", "grace", "-c", "video", "-o", "meeting", env={"FOLLOWUP_NOW": MEETING})
    due, local = due_local(run)
    assert due["cadence"] == "post-demo" and local.hour == 11


def test_then_refuses_a_touch_that_is_not_a_conversation_and_writes_nothing(run, isolated):
    add_ny(run, "--no-cadence")
    before = (isolated / "followup.db").read_bytes()
    result = run("log", "grace", "-c", "email", "-o", "sent", "--then", "post-demo")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: --then starts a cadence from a conversation: use it with --outcome meeting, "
        "replied, not_now, won or lost. After a touch of yours, use followup enroll."
    )
    unknown = run("log", "grace", "-c", "meeting", "-o", "meeting", "--then", "post-dmeo")
    assert unknown.exit_code == 1 and "post-dmeo" in unknown.stderr
    assert "Traceback" not in unknown.output
    assert run.json("show", "grace")["touches"] == []
    assert (isolated / "followup.db").read_bytes() == before


def test_then_with_won_chooses_the_cadence_after_the_win(run):
    add_ny(run, "--no-cadence", "--stage", "proposal")
    run.ok("log", "grace", "-c", "call", "-o", "won", "--then", "stage-customer")
    assert run.json("show", "grace")["cadence"] == "stage-customer"


def cadence_named(name):
    return cadences.load_cadence(name)


def test_an_answer_holds_no_gap_and_a_touch_of_ours_does():
    # the scheduler's rule on its own: after an outbound touch the minimum gap holds the step;
    # after an answer (a meeting, a reply: "any inbound touch" in the issue) it does not
    start = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    ours = Enrollment(
        cadence="post-demo", anchor=start, status="active", last_touch_at=start, timezone=NEW_YORK
    )
    held = plan(ours, cadence_named).next.due_at
    free = plan(Enrollment(**{**ours.__dict__, "last_touch_holds": False}), cadence_named)
    assert held == start + timedelta(days=1)
    assert free.next.due_at == start + timedelta(hours=1)


def test_an_inbound_reply_does_not_hold_the_next_step(run, isolated):
    folder = isolated / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "answer.yaml").write_text(
        "stop_on: [won]\nmin_gap: 3d\nsteps:\n"
        "  - {day: 0, channel: email, purpose: Say hello}\n"
        "  - {day: 1, channel: call, purpose: Call about it}\n"
    )
    add_ny(run, "--cadence", "answer")
    run.ok("log", "grace", "-c", "email", "-o", "sent")  # step 1, Monday 10:00 New York
    run.ok("log", "grace", "-c", "email", "-o", "replied",
           env={"FOLLOWUP_NOW": "2026-11-23T12:00:00-05:00"})  # fmt: skip
    # day 1 after the start: Tuesday 10:00, not three days after their reply
    _, local = due_local(run, "2026-11-23T12:00:00-05:00")
    assert local == datetime(2026, 11, 24, 10, 0, tzinfo=NEW_YORK)


def test_cadences_check_warns_of_an_hours_step_the_gap_always_pushes(run, isolated):
    folder = isolated / "config" / "cadences"
    folder.mkdir(parents=True)
    path = folder / "quick.yaml"
    path.write_text(
        "steps:\n"
        "  - {hours: 1, channel: email, purpose: Recap the meeting}\n"
        "  - {hours: 3, channel: call, purpose: Call to book the next step}\n"
    )
    result = run.ok("cadences", "check", str(path))
    assert result.stderr.strip() == (
        f"{path}:3: steps.1.hours: warning: this step comes 2h after step 1, but min_gap "
        "keeps 1d between touches, so it can never fall due within its hours: shorten "
        "min_gap, or give it a `day:`"
    )
    assert "1 cadence file OK, 1 warning above." in result.stdout
    path.write_text(path.read_text().replace("steps:", "min_gap: 1h\nsteps:"))
    assert run.ok("cadences", "check", str(path)).stderr == ""


def test_no_shipped_cadence_has_an_hours_step_that_cannot_work():
    warnings: list[str] = []
    shipped = sorted((Path(__file__).parents[2] / "cadences").glob("*.yaml"))
    problems, _ = check_all(shipped, warnings)
    assert problems == [] and warnings == []
