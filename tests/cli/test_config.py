"""config.toml as a user meets it: `followup config ...`, and each key changing what the
commands do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup_cli.core.settings import config_file


def write(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_path_is_in_the_config_dir(run, isolated):
    assert run.ok("config", "path").output.strip() == str(isolated / "config" / "config.toml")


def test_show_and_get_give_the_values_in_force(run):
    write('[today]\nlimit = 4\n[me]\nemail = "sam@northwind.example"\n')
    shown = run.json("config", "show")
    assert shown["today"] == {"limit": 4}
    assert shown["week_start"] == "monday" and shown["default_command"] == "today"
    assert shown["me"]["addresses"] == ["sam@northwind.example"]
    assert shown["mail"] == {"company_domain_pause": False, "accounts": []}
    assert set(shown) == {
        "timezone", "week_start", "date_format", "database", "default_command", "send_window",
        "business_days", "me", "default_cadence", "today", "urgency", "colors", "aliases", "mail",
    }  # fmt: skip
    text = run.ok("config", "show").output
    assert "[today]\nlimit = 4\n" in text and 'default_command = "today"' in text
    assert run.ok("config", "get", "today.limit").output == "4\n"
    assert run.ok("config", "get", "me.addresses").output == '["sam@northwind.example"]\n'
    result = run("config", "get", "today.limt")
    assert result.exit_code == 1
    assert "No setting 'today.limt': known settings are timezone" in result.output


def test_set_writes_the_file_and_keeps_comments(run):
    path = write('# mine\n[today]\nlimit = 4  # a short day\n\n[aliases]\nl = "log"\n')
    run.ok("config", "set", "today.limit", "9")
    run.ok("config", "set", "timezone", "Europe/Paris")
    run.ok("config", "set", "urgency.overdue", "3.5")
    run.ok("config", "set", "me.addresses", '["a@x.example", "b@y.example"]')
    assert path.read_text(encoding="utf-8") == (
        '# mine\ntimezone = "Europe/Paris"\n[today]\nlimit = 9\n\n[aliases]\nl = "log"\n'
        '\n[urgency]\noverdue = 3.5\n\n[me]\naddresses = ["a@x.example", "b@y.example"]\n'
    )
    assert run.json("config", "show")["timezone"] == "Europe/Paris"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("today.limit", "0", "line 3: today.limit must be a whole number, 1 or more."),
        ("today.limt", "3", "unknown key 'limt' in [today]"),
        ("colors.due", "blurple", "colors.due = 'blurple' is not a Rich style"),
        ("mail.accounts", "[]", "Mail accounts are tables: add them with `followup config edit`."),
        ("a.b.c", "1", "'a.b.c' cannot be set from the command line"),
    ],
)
def test_set_refuses_a_bad_value_and_changes_nothing(run, key, value, message):
    path = write("[today]\n\nlimit = 4\n")
    result = run("config", "set", key, value)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.output.count("\n") == 1
    assert path.read_text(encoding="utf-8") == "[today]\n\nlimit = 4\n"


def test_edit_opens_the_editor_then_checks_the_file(run, isolated, monkeypatch):
    editor = isolated / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf '[today]\\nlimit = 6\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = run.ok("config", "edit")
    assert "config.toml is valid." in result.output
    text = config_file().read_text(encoding="utf-8")
    assert text.startswith("# followup's settings") and text.endswith("[today]\nlimit = 6\n")
    monkeypatch.setenv("VISUAL", str(editor))  # VISUAL first: a second [today] is a mistake
    result = run("config", "edit")
    assert result.exit_code == 1 and "not valid TOML" in result.output


def test_a_bad_config_is_one_line_exit_1_and_the_database_untouched(run, dana, isolated):
    db = isolated / "followup.db"
    before = db.read_bytes()
    path = write("[today]\nlimt = 3\n")
    for argv in (["today"], ["show", "dana"], ["log", "dana", "-c", "call", "-o", "sent"]):
        result = run(*argv)
        assert result.exit_code == 1, result.output
        assert result.output == (
            f"Error: {path}, line 2: unknown key 'limt' in [today]; known keys: limit.\n"
        )
    assert db.read_bytes() == before


def test_today_limit_and_urgency_weights(run):
    for name, value in (("Small Deal", "1000"), ("Huge Deal", "900000")):
        run.ok("add", name, "--stage", "proposal", "--value", value, "--start", "2026-11-20")
    run.ok("add", "Late Low", "--stage", "proposal", "--start", "2026-11-16")
    names = [i["prospect"]["name"] for i in run.json("today")]
    assert names[0] == "Late Low"  # days overdue count most by default
    write("[today]\nlimit = 1\n[urgency]\noverdue = 0\nvalue = 10\n")
    names = [i["prospect"]["name"] for i in run.json("today")]
    assert names[0] == "Huge Deal"  # now the deal's size decides
    shown = run.ok("today").output
    assert "… and 2 more: --all to see them" in shown


def test_default_cadence_per_stage_for_add_and_import(run, isolated):
    write('[default_cadence]\ncold = "steli-persistence"\n')
    assert run.json("add", "Cold Carl")["cadence"] == "steli-persistence"
    assert run.json("add", "Warm Wanda", "--stage", "active")["cadence"] == "stage-active"
    csv = isolated / "people.csv"
    csv.write_text("name,email,stage\nIda Import,ida@x.example,cold\nPat,pat@x.example,active\n")
    run.ok("import", str(csv))
    listed = {p["name"]: p["cadence"] for p in run.json("list")}
    # import enrolls as add does: config.toml's cadence for the stage, else the shipped one
    assert listed["Ida Import"] == "steli-persistence" and listed["Pat"] == "stage-active"


def test_send_window_and_business_days_reach_the_schedule(run):
    run.ok("add", "Dana", "--tz", "America/Denver", "--cadence", "post-proposal")
    assert run.json("today")[0]["due_at"] == "2026-11-23T16:00:00Z"  # 08:00 + 1h, Denver
    write('send_window = "10:30-15:00"\n')
    assert run.json("today")[0]["due_at"] == "2026-11-23T17:30:00Z"  # recomputed: 10:30
    assert run.json("cadences", "show", "post-proposal")["send_window"] == "10:30-15:00"
    write("business_days = false\n")
    assert run.json("cadences", "show", "post-proposal")["business_days"] is False


def test_timezone_and_database_from_the_file(run, isolated, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_TZ")
    monkeypatch.delenv("FOLLOWUP_DB")
    write(f'timezone = "Asia/Tokyo"\ndatabase = "{isolated / "elsewhere.db"}"\n')
    run.ok("add", "Kenji", "--no-cadence")
    assert (isolated / "elsewhere.db").exists()
    from followup_cli.core import config

    assert str(config.user_timezone()) == "Asia/Tokyo"
    monkeypatch.setenv("FOLLOWUP_TZ", "Europe/Paris")  # the environment still wins
    assert str(config.user_timezone()) == "Europe/Paris"


def test_date_format_in_the_timeline(run, dana):
    run.ok("log", "dana", "-c", "email", "-o", "sent")
    write('date_format = "%d/%m/%Y"\n')
    assert "23/11/2026 08:00" in run.ok("show", "dana").output


def test_week_start_moves_the_calendar_week(run):
    write('week_start = "sunday"\n')
    review = run.json("review", "--week", "2026-11-18")
    assert review["this_week"]["since"].startswith("2026-11-15")  # the Sunday before


def test_colors_reach_the_theme(run):
    write('[colors]\noverdue = "bold magenta"\n')
    from followup_cli.views.console import theme

    assert str(theme().styles["overdue"]) == "bold magenta"
    assert str(theme().styles["due"]) == "green"


def test_expand_argv_default_command_and_aliases():
    from followup_cli.cli.app import expand_argv

    write('default_command = "today --channel call"\n[aliases]\nl = "log"\nlist = "today"\n')
    assert expand_argv([]) == ["today", "--channel", "call"]
    assert expand_argv(["--db", "x.db"]) == ["--db", "x.db", "today", "--channel", "call"]
    assert expand_argv(["--help"]) == ["--help"]
    assert expand_argv(["l", "dana", "-c", "call"]) == ["log", "dana", "-c", "call"]
    assert expand_argv(["list"]) == ["list"]  # a real command always wins


def test_bare_followup_runs_today_and_an_alias_runs_its_command(isolated):
    # Real processes: the entry point itself expands the words.
    env = {**os.environ}
    write('[aliases]\nl = "list --json"\n')
    bare = subprocess.run(
        [sys.executable, "-m", "followup_cli"], env=env, capture_output=True, text=True
    )
    assert bare.returncode == 0, bare.stderr
    assert "due today" in bare.stdout
    alias = subprocess.run(
        [sys.executable, "-m", "followup_cli", "l"], env=env, capture_output=True, text=True
    )
    assert alias.returncode == 0 and alias.stdout.strip() == "[]", alias.stderr
    write("[aliases\n")
    broken = subprocess.run(
        [sys.executable, "-m", "followup_cli"], env=env, capture_output=True, text=True
    )
    assert broken.returncode == 1 and broken.stderr.startswith("Error: ")
    assert "line 1: not valid TOML" in broken.stderr and broken.stderr.count("\n") == 1


def test_an_unknown_key_is_one_error_line_from_every_command_never_a_traceback(isolated):
    # The error's own report imports the consoles, whose colours read the same file: that
    # second reading once raised again, and the user saw three tracebacks.
    env = {**os.environ}
    subprocess.run([sys.executable, "-m", "followup_cli", "add", "Dana Reyes"], env=env, check=True)
    write("[today]\nlimit = 5\nbogus = 1\n")
    for words in (
        ["today"],
        ["list"],
        ["show", "dana"],
        ["stats"],
        ["log", "dana", "-c", "call", "-o", "voicemail"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "followup_cli", *words], env=env, capture_output=True, text=True
        )
        assert done.returncode == 1, (words, done.stderr)
        assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
        assert "line 3: unknown key 'bogus' in [today]" in done.stderr
