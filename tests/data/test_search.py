"""`followup search`: full text over names, notes and touch notes, ranked, with snippets."""

from __future__ import annotations

import pytest


@pytest.fixture
def people(run, dana):
    run.ok("edit", "dana", "--notes", "Budget freeze until Q2; champion is the CFO")
    run.ok("add", "Sam Lee", "--company", "Globex", "--key-points", "needs SSO before budget")
    run.ok("add", "Budget Bob", "--company", "Frugal Inc")
    run.ok("log", "sam", "-c", "call", "-o", "voicemail", "-n", "asked about the budget freeze")
    return run


def test_finds_notes_and_touch_notes_with_snippets(people):
    hits = people.json("search", "budget freeze")
    kinds = {(h["kind"], h["prospect"]["name"]) for h in hits}
    assert kinds == {("prospect", "Dana Reyes"), ("touch", "Sam Lee")}
    dana = next(h for h in hits if h["kind"] == "prospect")
    assert dana["fields"] == ["notes"]
    assert dana["snippet"] == "Budget freeze until Q2; champion is the CFO"
    assert dana["highlights"] == ["Budget", "freeze"]
    touch = next(h for h in hits if h["kind"] == "touch")
    assert touch["touch"]["channel"] == "call" and touch["touch"]["outcome"] == "voicemail"
    assert touch["fields"] == ["note"]


def test_json_shape(people):
    hit = people.json("search", "freeze")[0]
    assert set(hit) == {"kind", "prospect", "touch", "fields", "snippet", "highlights", "rank"}
    assert set(hit["prospect"]) == {"id", "name", "company", "email"}


def test_names_rank_above_notes(people):
    hits = people.json("search", "budget")
    assert hits[0]["prospect"]["name"] == "Budget Bob"
    assert len(hits) == 4


def test_words_match_as_prefixes_and_punctuation_is_just_text(people):
    assert people.json("search", "dan")[0]["prospect"]["name"] == "Dana Reyes"
    assert "email" in people.json("search", "dana@acme.io")[0]["fields"]
    for tricky in ('budget" OR', "NOT budget", "budget*", "(freeze", "a:b"):
        people.ok("search", tricky)


def test_the_table_view(people):
    out = people.ok("search", "budget freeze").stdout
    assert "Dana Reyes (Acme)" in out and "call voicemail 2026-11-23" in out
    assert "2 matches" in out


def test_kept_in_sync_on_every_write(people):
    people.ok("edit", "dana", "--notes", "All clear now")
    assert [h["kind"] for h in people.json("search", "freeze")] == ["touch"]
    assert people.json("search", "clear")[0]["prospect"]["name"] == "Dana Reyes"
    people.ok("rm", "sam", "--yes")
    assert people.json("search", "freeze") == []
    assert "Nothing matches 'freeze'." in people.ok("search", "freeze").stdout


def test_nothing_to_search_for(run):
    result = run("search", "  ?! ")
    assert result.exit_code == 1
    assert "Nothing to search for in '  ?! ': give a word or two" in result.stderr


@pytest.fixture
def detailed(run, dana):
    run.ok(
        "edit",
        "dana",
        "--competitors",
        "SAP Ariba, Coupa",
        "--decision-makers",
        "Petra Vogel (CFO)",
        "--key-points",
        "worried about stockouts in Q1",
        "--title",
        "VP Procurement",
        "--set",
        "goal=halve supplier onboarding time",
        "--tag",
        "manufacturing",
    )
    run.ok("add", "Sam Lee", "--set", "goal=cut churn", "--referred-by", "Ada Ito")
    return run


@pytest.mark.parametrize(
    ("words", "field"),
    [
        ("stockouts", "key_points"),
        ("SAP Ariba", "competitors"),
        ("Vogel", "decision_makers"),
        ("procurement", "title"),
        ("supplier onboarding", "goal"),
        ("manufacturing", "tags"),
    ],
)
def test_every_field_a_user_typed_is_found(detailed, words, field):
    hits = detailed.json("search", words)
    assert [(h["prospect"]["name"], h["fields"]) for h in hits] == [("Dana Reyes", [field])]


def test_a_custom_fields_name_is_not_a_match_and_who_referred_is(detailed):
    # both have a `goal`: the word "goal" is the field's name, not what the user typed
    assert detailed.json("search", "goal") == []
    hits = detailed.json("search", "Ada Ito")
    assert [(h["prospect"]["name"], h["fields"]) for h in hits] == [("Sam Lee", ["referred_by"])]


def test_new_fields_kept_in_sync_and_undone(detailed):
    detailed.ok("edit", "dana", "--set", "goal=", "--untag", "manufacturing")
    assert detailed.json("search", "supplier") == []
    assert detailed.json("search", "manufacturing") == []
    detailed.ok("undo")
    assert [h["fields"] for h in detailed.json("search", "supplier")] == [["goal"]]
    detailed.ok("rm", "dana", "--yes")
    assert detailed.json("search", "ariba") == []


def test_an_older_database_is_indexed_whole_when_upgraded(tmp_path):
    import sqlite3

    import sqlite_utils

    from followup_cli import store
    from followup_cli.data.search import search

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    store._migrations().apply(sqlite_utils.Database(conn), stop_before="_m011_search_every_field")
    conn.execute(
        "INSERT INTO prospects (name, competitors, fields, created_at, updated_at) "
        """VALUES ('Old Olga', 'Coupa', '{"project": "warehouse move"}', 'x', 'x')"""
    )
    conn.close()
    upgraded = store.open_db(path)
    assert [h.fields for h in search(upgraded, "coupa")] == [("competitors",)]
    assert [h.fields for h in search(upgraded, "warehouse")] == [("project",)]
    assert (
        upgraded.execute(
            "INSERT INTO prospects_fts(prospects_fts) VALUES ('integrity-check')"
        ).fetchall()
        == []
    )


def test_only_the_newest_matches_are_ranked(run, dana, monkeypatch):
    """A common word matches a good part of a big history: the newest POOL matches are
    ranked (the best of those first) and the older ones are left unread."""
    from followup_cli.store import search as fts

    monkeypatch.setattr(fts, "POOL", 3)
    for n in range(5):
        note = "pricing pricing pricing" if n == 0 else f"pricing call {n}"
        run.ok("log", "dana", "-c", "call", "-o", "voicemail", "-n", note)
    hits = run.json("search", "pricing")
    assert sorted(h["snippet"] for h in hits) == [f"pricing call {n}" for n in (2, 3, 4)]
    monkeypatch.setattr(fts, "POOL", 2000)
    assert run.json("search", "pricing")[0]["snippet"] == "pricing pricing pricing"
