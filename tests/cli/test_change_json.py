"""--json on every command that changes data: pinned shapes (scripts read these keys)."""

from __future__ import annotations

PROSPECT = {
    "id", "name", "first_name", "email", "phone", "company", "title", "timezone", "country",
    "channel", "stage", "value", "priority", "tags", "referred_by", "relationship", "birthday",
    "anniversary", "linkedin", "key_points", "competitors", "decision_makers", "personal",
    "notes", "fields", "do_not_contact", "pace", "texts_ok", "created_at", "updated_at", "cadence",
    "cadence_status", "paused_until",
}  # fmt: skip
STATE = PROSPECT | {"steps_done", "next"}
NEXT = {"due_at", "channel", "purpose", "why"}
TOUCH = {
    "id", "at", "channel", "direction", "outcome", "note", "template", "variant", "value_id",
    "cadence", "step", "until",
}  # fmt: skip


def test_add_and_edit_print_the_prospect(run):
    added = run.json("add", "Dana Reyes", "--email", "dana@acme.io")
    assert set(added) == PROSPECT
    assert set(run.json("edit", "dana", "--stage", "active")) == PROSPECT


def test_log(run, dana):
    out = run.json("log", "dana", "-c", "call", "-o", "voicemail", "-n", "left VM")
    assert set(out) == {"command", "touch", "prospect", "effect"}
    assert out["command"] == "log" and out["effect"] is None
    assert set(out["touch"]) == TOUCH and out["touch"]["outcome"] == "voicemail"
    assert set(out["prospect"]) == STATE and set(out["prospect"]["next"]) == NEXT
    won = run.json("log", "dana", "-c", "call", "-o", "won")
    assert won["prospect"]["stage"] == "customer" and won["effect"]


def test_cadence_control(run, dana):
    for args in (
        ["snooze", "dana", "--until", "monday"],
        ["resume", "dana"],
        ["pause", "dana"],
        ["resume", "dana"],
        ["stop", "dana"],
        ["enroll", "dana", "post-demo"],
    ):
        out = run.json(*args)
        assert set(out) == {"command", "count", "prospects"}, args
        assert out["command"] == args[0] and out["count"] == 1
        (person,) = out["prospects"]
        assert set(person) == STATE and set(person["next"]) == NEXT
    assert person["cadence"] == "post-demo" and person["next"]["due_at"]
    stopped = run.json("stop", "dana")["prospects"][0]
    assert stopped["cadence_status"] == "stopped" and stopped["next"]["due_at"] is None
    assert "stopped" in stopped["next"]["why"]


def test_pause_everyone_and_rm(run, dana):
    out = run.json("pause", "--all", "--until", "2026-12-07")
    assert out == {"command": "pause", "count": 1, "until": out["until"]}
    assert out["until"].startswith("2026-12-07")
    assert run.json("rm", "dana", "--yes") == {
        "command": "rm",
        "count": 1,
        "prospects": [{"id": 1, "name": "Dana Reyes", "email": "dana@acme.io"}],
    }
