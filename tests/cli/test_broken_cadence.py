"""A user cadence file that stops loading (bad YAML, an unknown key, an alias bomb, a bad
step, a deleted file) never hides the people in it: they keep their last good plan, every
command says which file and line is wrong, and `today` lists anyone left without a plan."""

from __future__ import annotations

import pytest

GOOD = (
    "description: mine\nsteps:\n"
    "  - {day: 0, channel: email, purpose: hello}\n"
    "  - {day: 3, channel: call, purpose: ring}\n"
)
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
BROKEN = {
    "unknown key": (GOOD + "colour: blue\n", "mine.yaml:5: colour: unknown key"),
    "bad yaml": (GOOD + "  - {day: 5, channel: email\n", "mine.yaml:6: not valid YAML"),
    "bad step": (
        GOOD + "  - {day: 5, channel: pigeon, purpose: x}\n",
        "mine.yaml:5: steps.2.channel: 'pigeon' is not a channel",
    ),
    "alias bomb": (GOOD + LAUGHS, "its aliases expand to more than 20,000 values"),
    "deleted": (None, "No cadence named 'mine'"),
}


@pytest.fixture
def mine(run, tmp_path):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(GOOD)
    run.ok("add", "Ann Able", "--email", "ann@a.io", "--cadence", "mine")
    run.ok("add", "Bob Baker", "--email", "bob@b.io", "--cadence", "mine", "--stage", "proposal")
    run.ok("add", "Cy Cole", "--email", "cy@c.io")
    return folder / "mine.yaml"


def names(items) -> list[str]:
    return sorted(item["prospect"]["name"] for item in items)


@pytest.mark.parametrize("how", BROKEN, ids=list(BROKEN))
def test_a_broken_cadence_file_hides_nobody(run, mine, how):
    text, where = BROKEN[how]
    if text is None:
        mine.unlink()
    else:
        mine.write_text(text)
    result = run.ok("today")
    assert "Ann Able" in result.stdout and "Bob Baker" in result.stdout  # their last plan
    assert where in result.stderr, repr(result.stderr[:400])
    assert result.stderr.startswith("Warning: cadence mine does not load: its 2 prospects")
    assert names(run.json("today")) == ["Ann Able", "Bob Baker", "Cy Cole"]
    shown = run.ok("show", "ann")
    assert "hello" in shown.stdout and where in shown.stderr
    listed = run.json("list")
    assert {row["name"]: row["next_due_at"] is not None for row in listed} == {
        "Ann Able": True,
        "Bob Baker": True,
        "Cy Cole": True,
    }
    # a touch logged while the file is broken: no plan can be made, so today says so
    run.ok("log", "ann", "-c", "email", "-o", "sent")
    result = run.ok("today")
    attention = result.stdout.split("Needs attention: their cadence file does not load\n")[1]
    assert where in attention.splitlines()[0]
    assert "Ann Able" in attention.splitlines()[1]
    assert "no next touch until the file loads" in attention.splitlines()[1]
    assert "Bob Baker" in result.stdout.split("Needs attention")[0]  # still on its last plan


def test_fixing_the_file_plans_everyone_again(run, mine):
    mine.write_text(GOOD + "colour: blue\n")
    run.ok("today")
    run.ok("log", "ann", "-c", "email", "-o", "sent")
    mine.write_text(GOOD.replace("day: 3", "day: 4"))
    result = run.ok("today", "--days", "7")
    assert result.stderr == "" and "Needs attention" not in result.stdout
    ann = run.json("show", "ann")
    assert ann["next_due"]["purpose"] == "ring"
    assert ann["next_due"]["due_at"].startswith("2026-11-27")  # day 4, from the fixed file


def test_an_old_database_that_lost_the_plans_lists_them(run, mine):
    """A database whose plans a broken file wiped before this fix: the first command finds
    the broken file and `today` lists them under 'needs attention'."""
    import sqlite3

    mine.write_text(GOOD + "colour: blue\n")
    run.ok("list")
    conn = sqlite3.connect(mine.parents[2] / "followup.db")
    conn.execute("UPDATE prospects SET next_due_at = NULL WHERE cadence = 'mine'")
    conn.execute("DELETE FROM meta WHERE key = 'broken_cadences'")
    conn.commit()
    conn.close()
    result = run.ok("today")
    attention = result.stdout.split("Needs attention")[1]
    assert "Ann Able" in attention and "Bob Baker" in attention
    assert "Open deals with no next step" not in result.stdout  # Bob is listed once
