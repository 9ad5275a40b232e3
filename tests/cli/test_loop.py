"""The daily loop end to end, as a user types it: add, today, log, show, undo."""

from __future__ import annotations

import json


def test_the_briefs_example_day(run, dana):
    # Added Monday 08:00 Denver: step 1 (hour 1) is due today.
    today = run.json("today")
    assert [item["prospect"]["name"] for item in today] == ["Dana Reyes"]
    item = today[0]
    assert item["step"] == 1 and item["steps_total"] == 5
    assert item["cadence"] == "post-proposal" and item["template"] == "proposal-sent"
    assert item["due_at"] == "2026-11-23T16:00:00Z"  # 09:00 Denver: the send window opens
    assert item["overdue_days"] == 0 and item["last_touch"] is None

    result = run.ok("log", "dana", "--channel", "email", "--outcome", "sent")
    assert "step 1 of post-proposal" in result.output
    result = run.ok(
        "log",
        "dana",
        "--channel",
        "call",
        "--outcome",
        "voicemail",
        "--note",
        "left VM re: section 3",
    )
    assert "Logged call outbound to Dana Reyes: voicemail" in result.output

    shown = run.json("show", "dana")
    assert shown["name"] == "Dana Reyes" and shown["fields"] == {"pain_point": "manual renewals"}
    assert [t["outcome"] for t in shown["touches"]] == ["voicemail", "sent"]
    assert shown["touches"][0]["note"] == "left VM re: section 3"
    # The call on day 0 did step 2 early; step 3 (day 5) keeps its place on Saturday's plan,
    # moved past the weekend to Monday 30 Nov.
    assert shown["next_due"]["step"] == 3
    assert shown["next_due"]["due_at"] == "2026-11-30T16:00:00Z"
    assert shown["why"] == (
        "step 3/5 of post-proposal: day 5 after 2026-11-23, moved past the weekend"
    )

    result = run.ok(
        "log",
        "dana",
        "--channel",
        "email",
        "--outcome",
        "not_now",
        "--until",
        "2027-02-01",
        "--note",
        "budget freeze",
    )
    assert "Paused until 2027-02-01, then long-term-nurture" in result.output
    shown = run.json("show", "dana")
    assert shown["stage"] == "nurture" and shown["cadence"] == "long-term-nurture"
    assert shown["next_due"]["due_at"] == "2027-02-01T16:00:00Z"
    # only the note that answers the "not now" at once (seed 001), then nothing until February
    assert [row["template"] for row in run.json("today")] == ["not-right-now"]


def test_today_batches_by_channel_and_orders_by_urgency(run):
    run.ok(
        "add", "Cal Low", "--stage", "cold", "--cadence", "stage-active", "--start", "2026-11-20"
    )
    run.ok("add", "Eve Mail", "--cadence", "post-proposal", "--start", "yesterday")
    run.ok(
        "add",
        "Big Call",
        "--stage",
        "proposal",
        "--value",
        "90000",
        "--priority",
        "high",
        "--cadence",
        "stage-active",
        "--start",
        "2026-11-20",
    )
    # stage-active is a repeating call every 3 days: both calls fall due; the email is due too.
    result = run.ok("today", "--score")
    out = result.output
    assert out.index("Calls (2)") < out.index("Emails (1)")
    assert out.index("Big Call") < out.index("Cal Low") < out.index("Eve Mail")
    assert "Urgency" in out
    capped = run.ok("today", "--limit", "1").output
    assert "Calls (2)" in capped and "… and 1 more: --all to see them" in capped
    assert "Cal Low" not in capped and "Cal Low" in run.ok("today", "--limit", "1", "--all").output
    items = run.json("today")
    assert [i["channel"] for i in items].count("call") == 2
    assert run.json("today", "--channel", "email")[0]["prospect"]["name"] == "Eve Mail"


def test_today_counts_overdue_and_the_coming_week(run):
    run.ok("add", "Late Larry", "--cadence", "post-proposal", "--start", "2026-11-10")
    run.ok("add", "Soon Sue", "--no-cadence")
    run.ok("add", "Next Week", "--cadence", "post-proposal", "--start", "2026-11-25")
    result = run.ok("today")
    assert "0 due today · 1 overdue · 1 in the coming week" in result.output
    late = run.json("today")[0]
    assert late["prospect"]["name"] == "Late Larry" and late["overdue_days"] == 13
    agenda = run.json("today", "--days", "3")
    assert [i["prospect"]["name"] for i in agenda] == ["Late Larry", "Next Week"]


def test_today_warns_about_open_deals_without_a_next_step(run):
    run.ok("add", "Quiet Deal", "--stage", "active", "--value", "5000", "--no-cadence")
    result = run.ok("today")
    assert "Open deals with no next step" in result.output
    assert "Quiet Deal" in result.output


def test_birthdays_show_up_today(run):
    run.ok("add", "Bea Day", "--birthday", "11-23", "--no-cadence")
    assert "Bea Day: birthday today" in run.ok("today").output


def test_reply_stops_the_cadence_and_yellow_warning_appears(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "sent")
    result = run.ok("log", "dana", "-c", "email", "-o", "replied", "--note", "wants a call")
    assert "post-proposal stopped" in result.output
    shown = run.json("show", "dana")
    assert shown["next_due"] is None and shown["touches"][0]["direction"] == "in"
    assert "Dana Reyes" in run.ok("today").output  # in the no-next-step warning


def test_won_moves_to_onboarding_and_lost_to_the_lost_deal_cadence(run, dana):
    run.ok("log", "dana", "-c", "meeting", "-o", "won")
    shown = run.json("show", "dana")
    assert (shown["stage"], shown["cadence"]) == ("customer", "customer-onboarding")
    assert shown["next_due"]["purpose"].startswith("Welcome")
    run.ok("add", "Lou Lost", "--stage", "proposal", "--cadence", "post-proposal")
    run.ok("log", "lou", "-c", "call", "-o", "lost")
    lost = run.json("show", "lou")
    assert (lost["stage"], lost["cadence"]) == ("lost", "lost-deal")
    assert lost["next_due"]["template"] == "lost-deal-feedback"


def test_opted_out_is_never_due_again_until_cleared(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "opted_out")
    assert run.json("today") == []
    assert run.json("show", "dana")["do_not_contact"] is True
    result = run("log", "dana", "-c", "email", "-o", "sent")
    assert result.exit_code == 1
    assert "asked not to be contacted" in result.stderr
    run.ok("pause", "--all", "--until", "2026-12-01")
    run.ok("edit", "dana", "--contact-ok")
    assert run.json("show", "dana")["do_not_contact"] is False


def test_out_of_office_resumes_the_same_step(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "sent")
    before = run.json("show", "dana")["next_due"]
    result = run.ok("log", "dana", "-c", "call", "-o", "out_of_office", "--until", "2026-12-07")
    assert "resumes on 2026-12-07 where it left off" in result.output
    after = run.json("show", "dana")["next_due"]
    assert after["step"] == before["step"] == 2
    assert after["due_at"] == "2026-12-07T16:00:00Z"


def test_undo_restores_the_schedule_exactly(run, dana):
    before = run.json("show", "dana")
    run.ok("log", "dana", "-c", "email", "-o", "won")
    assert run.json("show", "dana")["cadence"] == "customer-onboarding"
    result = run.ok("undo")
    assert "Undid #2 log: email (won) logged for Dana Reyes at 2026-11-23T15:00:00Z." in (
        result.output
    )
    assert run.json("show", "dana") == before
    assert "Undid #1 add: added #1 Dana Reyes." in run.ok("undo").output
    result = run("undo")
    assert result.exit_code == 1
    assert "Nothing to undo: every recorded change is already undone" in result.stderr


def test_snooze_pause_resume_stop_enroll(run, dana):
    run.ok("snooze", "dana", "--until", "2026-12-02")
    assert run.json("show", "dana")["next_due"]["due_at"] == "2026-12-02T16:00:00Z"
    run.ok("pause", "dana")
    assert run.json("show", "dana")["next_due"] is None
    run.ok("resume", "dana")
    assert run.json("show", "dana")["next_due"]["step"] == 1
    run.ok("stop", "dana")
    shown = run.json("show", "dana")
    assert shown["next_due"] is None and "was stopped" in shown["why"]
    run.ok("enroll", "dana", "post-demo", "--start", "2026-11-24")
    assert run.json("show", "dana")["next_due"]["template"] == "demo-thanks"


def test_vacation_pause_shifts_everyone(run, dana):
    run.ok("add", "Bob Builder", "--cadence", "thirty-day")
    result = run.ok("pause", "--all", "--until", "2026-12-07")
    assert "Paused 2 prospects until Mon 07 Dec 2026" in result.output
    due = [item["due_at"] for item in run.json("today", "--days", "20")]
    assert due and all(at >= "2026-12-07T16:00:00Z" for at in due)


def test_busy_prospects_get_more_time(run):
    run.ok("add", "Busy Ceo", "--pace", "2", "--cadence", "steli-persistence")
    run.ok("add", "Normal Pat", "--cadence", "steli-persistence")
    busy = run.json("show", "busy")["next_due"]["due_at"]
    normal = run.json("show", "normal")["next_due"]["due_at"]
    # Day 1 at 08:00 opens at 09:00 (the send window); at pace 2 it becomes day 2.
    assert (busy, normal) == ("2026-11-25T16:00:00Z", "2026-11-24T16:00:00Z")


def test_log_backdates_with_at(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--at", "2026-11-20T10:00")
    touch = run.json("show", "dana")["touches"][0]
    assert touch["at"] == "2026-11-20T17:00:00Z"


def test_log_asks_for_missing_channel_only_on_a_terminal(run, dana, monkeypatch):
    result = run("log", "dana", "--outcome", "sent")
    assert result.exit_code == 2
    assert "Missing --channel: give one of call, email" in result.stderr
    monkeypatch.setattr("followup_cli.cli.app._interactive", lambda: True)
    result = run("log", "dana", "--outcome", "sent", input="2\n")
    assert result.exit_code == 0, result.output
    assert "1) call" in result.output and "2) email" in result.output
    assert "Note (Enter for none)" not in result.output  # --outcome given: no note asked
    assert run.json("show", "dana")["touches"][0]["channel"] == "email"


def test_json_shapes_are_stable(run, dana):
    item = run.json("today")[0]
    assert set(item) == {
        "prospect",
        "due_at",
        "overdue_days",
        "channel",
        "cadence",
        "step",
        "steps_total",
        "purpose",
        "template",
        "last_touch",
        "urgency",
    }
    # due today (0 days over), normal priority, a proposal, 24,000: 0 + 3 + 3 + log10(24,001)
    assert item["urgency"] == 10.38
    assert set(item["prospect"]) == {"id", "name", "email", "company", "stage", "timezone"}
    shown = run.json("show", "dana")
    assert {"next_due", "why", "touches", "email", "tags", "fields"} <= set(shown)
    assert set(shown["next_due"]) == set(item)
    listed = run.json("list")
    assert listed[0]["name"] == "Dana Reyes" and listed[0]["next_due_at"] == item["due_at"]


def test_list_filters(run, dana):
    run.ok("add", "Omar Cold", "--company", "Frost Ltd", "--tag", "retail,smb", "--no-cadence")
    assert [p["name"] for p in run.json("list", "--stage", "proposal")] == ["Dana Reyes"]
    assert [p["name"] for p in run.json("list", "--tag", "smb")] == ["Omar Cold"]
    assert [p["name"] for p in run.json("list", "--search", "frost")] == ["Omar Cold"]
    assert [p["name"] for p in run.json("list", "--due", "today")] == ["Dana Reyes"]
    assert len(run.ok("list").stdout.splitlines()) == 3  # a header and a line each


def test_edit_and_custom_fields(run, dana):
    run.ok(
        "edit",
        "dana",
        "--set",
        "goal=cut churn",
        "--set",
        "pain_point=",
        "--untag",
        "saas",
        "--tag",
        "vip",
        "--title",
        "COO",
        "--stage",
        "active",
    )
    shown = run.json("show", "dana")
    assert shown["fields"] == {"goal": "cut churn"}
    assert shown["tags"] == ["vip"] and shown["title"] == "COO" and shown["stage"] == "active"


def test_rm_asks_unless_yes(run, dana, monkeypatch):
    result = run("rm", "dana")
    assert result.exit_code == 2 and "needs confirmation: add --yes" in result.stderr
    monkeypatch.setattr("followup_cli.cli.app._interactive", lambda: True)
    assert run("rm", "dana", input="n\n").exit_code == 1  # declined: nothing removed
    assert len(run.json("list")) == 1
    run.ok("rm", "dana", input="y\n")
    assert run.json("list") == []


def test_prospect_named_by_id_email_or_part_of_name(run, dana):
    run.ok("add", "Dan Brown", "--email", "dan@brown.io", "--no-cadence")
    assert run.json("show", "1")["name"] == "Dana Reyes"
    assert run.json("show", "DANA@acme.io")["name"] == "Dana Reyes"
    assert run.json("show", "reyes")["name"] == "Dana Reyes"
    result = run("show", "dan")
    assert result.exit_code == 1
    assert "'dan' matches 2 prospects: #2 Dan Brown <dan@brown.io>; #1 Dana Reyes" in result.stderr


def test_demo_builds_a_separate_database(run, tmp_path):
    path = tmp_path / "demo.db"
    result = run.ok("demo", "--path", str(path))
    assert f"Demo database: {path}" in result.output
    assert "due today" in result.output
    listed = json.loads(run.ok("list", "--json", "--db", str(path)).stdout)
    assert len(listed) >= 25
    assert len({p["cadence"] for p in listed}) >= 10
    assert run.json("list") == []  # the user's own database is untouched


def test_demo_never_overwrites_the_real_database(run, dana, tmp_path):
    import os

    result = run("demo", "--path", os.environ["FOLLOWUP_DB"])
    assert result.exit_code == 1 and "is your real database" in result.stderr
    assert [p["name"] for p in run.json("list")] == ["Dana Reyes"]


def test_every_due_demo_prospect_can_be_drafted_at_once(run, tmp_path):
    path = str(tmp_path / "demo.db")
    run.ok("demo", "--path", path)
    due = [p for p in run.json("list", "--db", path) if p["next_due_at"]]
    assert len(due) >= 20
    for prospect in due:
        result = run("draft", str(prospect["id"]), "--db", path)
        assert result.exit_code == 0, (prospect["name"], result.output)
        assert prospect["first_name"] in result.stdout  # written for this person


def test_today_at_a_terminal_is_painted_and_piped_output_is_plain(run, dana, terminal):
    import re

    from followup_cli import store
    from followup_cli.core import config
    from followup_cli.scheduling import agenda
    from followup_cli.views import agenda as agenda_view

    piped = run.ok("today").stdout
    assert "\x1b[" not in piped and "Emails (1)" in piped

    painter = terminal()
    conn = store.open_db(config.default_db_path())
    now, tz = config.now(), config.user_timezone()
    result = agenda.build(conn, now=now, user_tz=tz, limit=15)
    agenda_view.show(result, now=now, tz=tz, show_score=False, days=0)
    conn.close()
    painted = painter.file.getvalue()
    assert "\x1b[" in painted  # Rich styled it
    assert re.sub(r"\x1b\[[0-9;]*m", "", painted) == piped  # and the words are the same


def test_add_without_a_cadence_says_why_there_is_no_next_touch(run):
    result = run.ok("add", "Nora Plain", "--no-cadence")
    assert result.output == (
        "Added #1 Nora Plain.\n"
        "No next touch: not enrolled in a cadence: enroll with `followup enroll`\n"
    )
    assert run.json("show", "nora")["why"] == (
        "not enrolled in a cadence: enroll with `followup enroll`"
    )
