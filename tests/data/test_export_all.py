"""`followup export --all` then `followup import --all` into an empty database: everything a
user needs on a new machine comes back (sender profile, value bank, each touch's value item
and variant, pauses, custom fields, the open triggers with their one-off touch), and what undo
took back stays gone."""

from __future__ import annotations

import json


def test_everything_comes_back_in_an_empty_database(run, dana, tmp_path):
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind", "--phone", "+1 303 555 0100")
    run.ok("value", "add", "Renewal benchmark", "--url", "https://e.example/r", "--kind",
           "report", "--tag", "saas")  # fmt: skip
    run.ok("value", "add", "Churn checklist", "--kind", "tool", "--tag", "saas")
    run.ok("draft", "dana", "-t", "persistence-short", "--log")
    run.ok("draft", "dana", "-t", "value-add", "--var", "goal=renewals on autopilot", "--log")
    run.ok("add", "Omar Paused", "--email", "omar@frost.example", "--set", "project=cold store",
           "--cadence", "steli-persistence")  # fmt: skip
    run.ok("pause", "omar", "--until", "2027-01-04")
    run.ok("log", "omar", "-c", "call", "-o", "no_answer", "-n", "=SUM(A1) in the note")
    run.ok("log", "omar", "-c", "email", "-o", "replied")
    run.ok("undo")  # the reply is taken back: it must not travel
    # seed 000, personalized insight: "Noticed you just hired a new VP Sales..." -- the
    # event and its own touch are part of the work a new machine must have
    run.ok("trigger", "dana", "hired a new VP Sales", "--url", "https://acme.example/news")
    before = {
        "me": run.json("me"),
        "values": run.json("value", "list"),
        "dana": run.json("show", "dana"),
        "omar": run.json("show", "omar"),
        "today": run.json("today", "--days", "60"),
    }
    sent = [t for t in before["dana"]["touches"] if t["template"] == "value-add"]
    assert sent and sent[0]["value_id"] is not None  # the test sets what it claims to
    assert [t["variant"] for t in before["dana"]["touches"] if t["variant"]]
    assert before["omar"]["paused_until"] and before["omar"]["fields"] == {"project": "cold store"}
    assert [t["outcome"] for t in before["omar"]["touches"]] == ["no_answer"]
    triggered = [i for i in before["today"] if i.get("trigger")]
    assert [i["trigger"] for i in triggered] == ["hired a new VP Sales"]

    backup = tmp_path / "backup.json"
    result = run.ok("export", "--all", str(backup))
    assert result.stdout == (
        f"Exported 2 prospects, 3 touches, 1 trigger, 2 value items and the sender profile "
        f"to {backup}.\n"
    )
    document = json.loads(backup.read_text())
    assert document["format"] == "followup-all"
    assert [t["event"] for t in document["triggers"]] == ["hired a new VP Sales"]
    empty = {"FOLLOWUP_DB": str(tmp_path / "new-machine.db")}
    result = run.ok("import", "--all", str(backup), env=empty)
    assert result.stdout.startswith("Restored 2 prospects, 3 touches, 1 trigger, 2 value items")
    after = {
        "me": run.json("me", env=empty),
        "values": run.json("value", "list", env=empty),
        "dana": run.json("show", "dana", env=empty),
        "omar": run.json("show", "omar", env=empty),
        "today": run.json("today", "--days", "60", env=empty),
    }
    assert after == before
    # the restored trigger is the same one: its draft still names the event
    drafted = run.json("draft", "dana", env=empty)
    assert drafted["template"] == "trigger-insight"
    assert "VP Sales" in drafted["body"]
    # the value bank still knows what Dana got: the next value draft picks the other item
    again = run.json("draft", "dana", "-t", "value-add", "--var", "goal=x", env=empty)
    assert again["value_id"] not in {t["value_id"] for t in sent}


def test_import_all_needs_an_empty_database_and_a_file_from_export_all(run, dana, tmp_path):
    backup = tmp_path / "backup.json"
    run.ok("export", "--all", str(backup))
    result = run("import", "--all", str(backup))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: import --all restores into an empty database, and this one holds 1 prospect "
        "and 0 touches: point --db at a new file.\n"
    )
    plain = tmp_path / "prospects.json"
    run.ok("export", str(plain))
    result = run("import", "--all", str(plain), env={"FOLLOWUP_DB": str(tmp_path / "n.db")})
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {plain} is not a file from `followup export --all`: import a CSV or JSON "
        "export without --all.\n"
    )


def test_a_backup_from_before_triggers_still_restores(run, dana, tmp_path):
    backup = tmp_path / "backup.json"
    run.ok("export", "--all", str(backup))
    document = json.loads(backup.read_text())
    del document["triggers"]  # what export --all wrote before it carried the triggers
    backup.write_text(json.dumps(document))
    result = run.ok("import", "--all", str(backup), env={"FOLLOWUP_DB": str(tmp_path / "n.db")})
    assert result.stdout.startswith("Restored 1 prospect, 0 touches, 0 triggers")
