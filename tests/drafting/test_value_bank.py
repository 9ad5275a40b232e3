"""The value bank: `followup value add|list|edit|rm`, and which item a draft carries."""

from __future__ import annotations

import pytest


@pytest.fixture
def ready(run, dana):
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind")
    return dana


def add(run, title: str, *args: str) -> int:
    return run.json("value", "add", title, *args)["id"]


def value_draft(run, *args: str) -> dict:
    return run.json("draft", "dana", "-t", "value-add", *args)


# --- the commands -----------------------------------------------------------------------------


def test_add_and_list(run):
    data = run.json(
        "value",
        "add",
        "2026 renewal benchmark report",
        "--url",
        "https://example.com/r",
        "--kind",
        "report",
        "--tag",
        "saas,Renewals",
        "--note",
        "Good for finance people",
    )
    assert data == {
        "id": 1,
        "title": "2026 renewal benchmark report",
        "kind": "report",
        "url": "https://example.com/r",
        "tags": ["saas", "renewals"],
        "note": "Good for finance people",
        "created_at": "2026-11-23T15:00:00Z",
        "times_sent": 0,
        "last_sent_at": None,
    }
    add(run, "How Initech cut churn", "--kind", "Case-Study", "--tag", "fintech")
    listed = run.json("value", "list")
    assert [(item["id"], item["kind"]) for item in listed] == [(1, "report"), (2, "case study")]
    assert [item["id"] for item in run.json("value", "list", "--tag", "fintech")] == [2]
    assert [item["id"] for item in run.json("value", "list", "--kind", "report")] == [1]
    table = run.ok("value", "list").stdout
    assert "How Initech cut churn" in table


def test_add_with_the_default_kind(run):
    assert run.json("value", "add", "A useful article")["kind"] == "article"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["X", "--kind", "podcast"],
            "Error: Unknown kind 'podcast': use one of article, "
            "report, case study, introduction, insight, tool.\n",
        ),
        (
            ["X", "--url", "example.com"],
            "Error: 'example.com' is not a web address: use e.g. https://example.com/report\n",
        ),
        (["  "], 'Error: A value item needs a title: followup value add "2026 benchmark"\n'),
    ],
)
def test_add_rejects_bad_input(run, args, message):
    result = run("value", "add", *args)
    assert result.exit_code == 1
    assert result.stderr == message


def test_empty_list(run):
    assert "The value bank is empty" in run.ok("value", "list").stdout
    assert run.json("value", "list") == []


def test_edit(run):
    item = add(run, "Old title", "--tag", "saas", "--url", "https://example.com/a")
    data = run.json(
        "value",
        "edit",
        str(item),
        "--title",
        "New title",
        "--kind",
        "insight",
        "--tag",
        "fintech",
        "--untag",
        "saas",
        "--url",
        "",
    )
    assert (data["title"], data["kind"], data["tags"], data["url"]) == (
        "New title",
        "insight",
        ["fintech"],
        None,
    )
    missing = run("value", "edit", "9", "--title", "x")
    assert missing.exit_code == 1
    assert (
        missing.stderr == "Error: No value item #9: see the value bank with followup value list\n"
    )


def test_rm_asks_then_removes(run):
    item = add(run, "Going away")
    result = run("value", "rm", str(item))
    assert result.exit_code == 2
    assert "add --yes" in result.stderr
    run.ok("value", "rm", str(item), "--yes")
    assert run.json("value", "list") == []


def test_ids_are_never_reused_after_rm(run, ready):
    first = add(run, "Benchmark", "--tag", "saas")
    value_draft(run, "--log")
    run.ok("value", "rm", str(first), "--yes")
    second = add(run, "Another report")
    assert second == first + 1  # the touch still points at #1, which stays unique


# --- the choice rule --------------------------------------------------------------------------


def test_tag_overlap_comes_first(run, ready):
    add(run, "Generic article")
    add(run, "Fintech report", "--tag", "fintech")
    saas = add(run, "SaaS report", "--tag", "saas")
    data = value_draft(run)
    assert data["value_id"] == saas
    assert '"SaaS report"' in data["body"]


def test_never_resent_to_the_same_prospect(run, ready):
    first = add(run, "SaaS report", "--tag", "saas")
    second = add(run, "A renewals article")  # fits by her pain point (manual renewals)
    assert value_draft(run, "--log")["value_id"] == first
    assert value_draft(run)["value_id"] == second  # the better match was already sent


def test_least_recently_used_otherwise(run, ready, monkeypatch):
    old = add(run, "Older article", "--tag", "saas")
    new = add(run, "Newer article", "--tag", "saas")
    run.ok(
        "add",
        "Lee Park",
        "--email",
        "lee@initech.io",
        "--company",
        "Initech",
        "--set",
        "pain_point=slow quotes",
        "--no-cadence",
    )
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-23T09:00:00-07:00")
    run.ok("draft", "lee", "-t", "value-add", "--value", str(old), "--log")
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-23T10:00:00-07:00")
    run.ok("draft", "lee", "-t", "value-add", "--value", str(new), "--log")
    # Both were sent to someone else; Dana gets the one sent longest ago.
    assert value_draft(run)["value_id"] == old
    listed = {item["id"]: item for item in run.json("value", "list")}
    assert listed[old]["times_sent"] == 1
    assert listed[new]["last_sent_at"] == "2026-11-23T17:00:00Z"


def test_never_sent_beats_recently_sent(run, ready):
    sent = add(run, "Sent before", "--tag", "saas")
    fresh = add(run, "Never sent", "--tag", "saas")
    run.ok(
        "add", "Lee Park", "--company", "Initech", "--set", "pain_point=slow quotes", "--no-cadence"
    )
    run.ok("draft", "lee", "-t", "value-add", "--value", str(sent), "--log")
    assert value_draft(run)["value_id"] == fresh


def test_value_override(run, ready):
    add(run, "SaaS report", "--tag", "saas")
    other = add(run, "Generic article")
    data = value_draft(run, "--value", str(other), "--log")
    assert data["value_id"] == other
    assert data["touch"]["value_id"] == other
    # sending it again is allowed when asked for, with a warning
    again = value_draft(run, "--value", str(other))
    assert again["value_id"] == other
    assert {
        "code": "value-already-sent",
        "message": f"Dana Reyes already received value item #{other} on 2026-11-23.",
    } in (again["warnings"])
    ignored = run.json("draft", "dana", "-t", "breakup", "--var", "goal=x", "--value", str(other))
    assert ignored["value_id"] is None
    assert ignored["warnings"][0]["code"] == "value-not-used"
    missing = run("draft", "dana", "-t", "value-add", "--value", "99")
    assert missing.exit_code == 1
    assert "No value item #99" in missing.stderr


def test_an_empty_bank_names_the_command(run, ready):
    result = run("draft", "dana", "-t", "value-add")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Cannot draft value-add for Dana Reyes: value.title is not set, and the value "
        'bank is empty: followup value add "TITLE" --url URL --kind article --tag saas.\n'
    )


def test_when_everything_was_sent(run, ready):
    only = add(run, "The only report", "--tag", "saas")
    value_draft(run, "--log")
    result = run("draft", "dana", "-t", "value-add")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Cannot draft value-add for Dana Reyes: value.title is not set: Dana Reyes "
        'already received every item in the value bank: followup value add "TITLE" --url URL '
        "--kind article --tag saas (or send one again with --value ID).\n"
    )
    assert value_draft(run, "--value", str(only))["value_id"] == only


def test_a_template_that_may_carry_value_records_it_only_when_it_does(run, ready):
    """persistence-short mentions a value item in variants b and c only."""
    item = add(run, "Renewal benchmark", "--tag", "saas")
    run.ok("edit", "dana", "--set", "project=the renewals automation")
    first = run.json("draft", "dana", "-t", "persistence-short", "--variant", "a")
    assert first["value_id"] is None
    second = run.json("draft", "dana", "-t", "persistence-short", "--variant", "b")
    assert second["value_id"] == item
    assert "Renewal benchmark" in second["body"]


def test_a_needed_url_that_is_missing(run, ready, tmp_path):
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "link.j2").write_text(
        "---\nchannel: linkedin\npurpose: Shares a link.\nneeds: [value.url]\n---\n"
        "Hi {{ prospect.first_name }}, {{ value.title }}: {{ value.url }} ({{ pain_point }})\n",
        encoding="utf-8",
    )
    item = add(run, "No link yet", "--tag", "saas")
    result = run("draft", "dana", "-t", "link")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Cannot draft link for Dana Reyes: value.url is not set on value item #{item}: "
        f"followup value edit {item} --url ...\n"
    )


# --- relevance before rotation ----------------------------------------------------------------


def test_an_unrelated_item_is_never_chosen_and_the_stop_names_the_fix(run, ready):
    freight = add(run, "2026 freight audit benchmark", "--tag", "logistics")
    result = run("draft", "dana", "-t", "value-add")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Cannot draft value-add for Dana Reyes: no value item fits Dana Reyes (tags: "
        'saas). Add one: followup value add "TITLE" --url URL --kind article --tag saas, or '
        "pass --value ID.\n"
    )
    # a template that guards its resource goes without one
    short = run.json("draft", "dana", "-t", "persistence-short", "--variant", "b")
    assert short["value_id"] is None and "freight" not in short["body"]
    # chosen by the user, it goes, and no rule calls it unrelated
    chosen = value_draft(run, "--value", str(freight))
    assert chosen["value_id"] == freight
    assert not [w for w in chosen["warnings"] if w["code"] == "unrelated-resource"]


def test_a_pain_point_word_makes_an_item_fit(run, ready):
    add(run, "2026 freight audit benchmark", "--tag", "logistics")
    fits = add(run, "How teams automate manual renewals")  # no tag, but her pain point
    assert value_draft(run)["value_id"] == fits


def test_a_word_that_only_names_the_form_of_a_resource_does_not_make_it_fit(run, ready):
    # "reports" in her pain point and "report" in the title say nothing about the topic
    add(run, "2026 freight audit benchmark report", "--kind", "report", "--tag", "logistics")
    run.ok("edit", "dana", "--set", "pain_point=renewal reports typed up by hand")
    result = run("draft", "dana", "-t", "value-add")
    assert result.exit_code == 1, result.output
    assert "no value item fits Dana Reyes (tags: saas)" in result.stderr
    fits = add(run, "Renewal reports without the typing", "--kind", "report")
    assert value_draft(run)["value_id"] == fits  # a topic word ("renewal") still fits


def test_the_promised_item_wins_over_a_better_tag_match(run, ready):
    add(run, "SaaS report", "--tag", "saas")
    promised = add(run, "The renewal benchmark 2026", "--tag", "finance")
    run.ok("edit", "dana", "--set", "promised=the renewal benchmark")
    data = run.json("draft", "dana", "-t", "thank-you-first-contact")
    assert data["value_id"] == promised
    assert not [w for w in data["warnings"] if w["code"] == "unrelated-resource"]


def test_the_industry_field_counts_as_a_tag(run, ready):
    add(run, "Clinic scheduling study", "--tag", "healthcare")
    run.ok("edit", "dana", "--untag", "saas", "--set", "industry=healthcare")
    assert run.json("draft", "dana", "-t", "value-add")["value_id"] == 1


def test_a_template_that_needs_an_item_is_refused_while_the_bank_is_empty(run, dana):
    run.ok("me", "--name", "Sam Ortiz")
    result = run("draft", "dana", "-t", "value-add", "--var", "goal=renewals on autopilot")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: Cannot draft value-add for Dana Reyes: value.title is not set, and the value "
        'bank is empty: followup value add "TITLE" --url URL --kind article --tag saas.\n'
    )
