"""Acting on many at once: a selection (--stage, --tag, --cadence, --due, --search, or ids on
stdin) says what will change, asks at a terminal (--yes to skip, required without one), and
is one entry of the undo journal that `undo` takes back whole."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture
def book(run, dana, tmp_path):
    run.ok("add", "Sam Lee", "--stage", "cold", "--tag", "expo", "--company", "Globex")
    run.ok("add", "Ana Ruiz", "--stage", "cold", "--tag", "expo")
    run.ok("add", "Li Wei", "--stage", "cold", "--no-cadence")
    return run


def rows(tmp_path):
    conn = sqlite3.connect(tmp_path / "followup.db")
    try:
        return conn.execute("SELECT * FROM prospects ORDER BY id").fetchall()
    finally:
        conn.close()


def cadences(run):
    return {p["name"]: (p["cadence"], p["cadence_status"]) for p in run.json("list")}


def test_stop_a_tag_in_one_step_and_undo_it_whole(book, tmp_path):
    before = rows(tmp_path)
    result = book.ok("stop", "--tag", "expo", "--yes")
    assert "2 changed in one step" in result.stdout
    assert cadences(book)["Sam Lee"][1] == "stopped" and cadences(book)["Ana Ruiz"][1] == "stopped"
    assert cadences(book)["Dana Reyes"][1] == "active"
    entries = book.json("undo", "--list")
    assert len([e for e in entries if e["command"] == "stop"]) == 1
    assert entries[0]["summary"] == "stop 2 prospects: #3 Ana Ruiz, #2 Sam Lee"  # as listed
    assert "Undid" in book.ok("undo").stdout
    assert rows(tmp_path) == before


def test_without_a_terminal_it_says_what_and_needs_yes(book, tmp_path):
    before = rows(tmp_path)
    result = book("enroll", "--stage", "cold", "thirty-day")
    assert result.exit_code == 2
    assert (
        "This would enroll in thirty-day 3 prospects (#3 Ana Ruiz, #2 Sam Lee, #4 Li Wei): "
        "add --yes to go ahead" in result.stderr
    )
    assert rows(tmp_path) == before


def test_asks_at_a_terminal(book, monkeypatch):
    from followup_cli.cli import app

    monkeypatch.setattr(app, "_interactive", lambda: True)
    result = book("pause", "--tag", "expo", input="n\n")
    assert "This will pause the cadence of 2 prospects: #3 Ana Ruiz, #2 Sam Lee." in result.stdout
    assert result.exit_code == 1  # aborted
    assert cadences(book)["Sam Lee"][1] == "active"
    result = book("pause", "--tag", "expo", input="y\n")
    assert result.exit_code == 0, result.output
    assert cadences(book)["Sam Lee"][1] == "paused"


def test_ids_on_stdin_from_list_q(book):
    ids = book.ok("list", "--stage", "cold", "-q").stdout
    result = book.ok("enroll", "-", "thirty-day", "--yes", input=ids)
    assert "3 changed in one step" in result.stdout
    assert {c for c, _ in cadences(book).values()} == {"thirty-day", "post-proposal"}
    book.ok("undo")
    assert cadences(book)["Li Wei"] == (None, None)


def test_stdin_names_and_filters_narrow_each_other(book):
    out = book.json("snooze", "-", "--until", "2w", "--tag", "expo", "--yes", input="sam\nli wei\n")
    assert [p["name"] for p in out["prospects"]] == ["Sam Lee"]


def test_a_name_on_stdin_that_matches_nobody_changes_nothing(book, tmp_path):
    before = rows(tmp_path)
    result = book("stop", "-", "--yes", input="2\nnobody\n")
    assert result.exit_code == 1
    assert "Line 2 of standard input: No prospect matches 'nobody'" in result.stderr
    assert rows(tmp_path) == before


def test_one_the_action_refuses_is_skipped_the_rest_go_ahead(book):
    result = book.ok("stop", "--stage", "cold", "--yes")
    assert "Skipped #4 Li Wei:" in result.stdout
    assert "2 changed in one step" in result.stdout


def test_edit_and_rm_select_too(book, tmp_path):
    before = rows(tmp_path)
    out = book.json("edit", "--tagged", "expo", "--tag", "q1", "--stage", "interest", "--yes")
    assert out["count"] == 2
    assert {p["name"] for p in book.json("list", "--tag", "q1")} == {"Sam Lee", "Ana Ruiz"}
    assert {p["stage"] for p in book.json("list", "--tag", "q1")} == {"interest"}
    book.ok("undo")
    assert rows(tmp_path) == before
    gone = book.json("rm", "--search", "globex", "--yes")
    assert gone == {
        "command": "rm",
        "count": 1,
        "prospects": [{"id": 2, "name": "Sam Lee", "email": None}],
    }
    book.ok("undo")
    assert rows(tmp_path) == before


def test_selection_mistakes_are_usage_errors(book):
    both = book("stop", "dana", "--tag", "expo")
    assert both.exit_code == 2 and "Name one prospect ('dana') or select many" in both.stderr
    none = book("stop")
    assert none.exit_code == 2
    assert "Missing argument 'prospect'. Name one, or select many: --stage" in none.stderr
    nobody = book("pause")
    assert nobody.exit_code == 2 and "Or select many: --stage, --tag" in nobody.stderr
    named = book("edit", "--tagged", "expo", "--name", "X", "--yes")
    assert named.exit_code == 2 and "--name and --email are one person's" in named.stderr
    nothing = book.ok("stop", "--tag", "nobody-has-it", "--yes")
    assert "No prospect matches: nothing changed." in nothing.stdout
