"""Shipped cadences: they load from the installed package and keep the seeds' timings."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from followup_cli.scheduling import cadence as cadences
from followup_cli.scheduling.cadence_check import check_all

# Seed timings, as PRODUCT.md's table gives them: ("h", n) is hour n, an int is day n.
SEED_TIMINGS = {
    "post-discovery": [("h", 1), 1, 3, 7, 14],
    "post-proposal": [("h", 1), 2, 5, 7, 10],
    "post-demo": [("h", 1), 1, 3, 7],
    "thirty-day": [1, 2, 4, 7, 10, 14, 17, 21, 24, 28],
    "proposal-check-ins": [0, 2, 4, 7],
    "service-proposal": [1, 3, 7, 14, 21, 30],
    "steli-persistence": [1, 3, 7, 14, 28, 58],
    "lost-deal": [("h", 2)],
    "six-month-check-in": [182],
    "customer-onboarding": [1, 3, 7, 14, 21, 28, 35, 63, 90, 97],
    "after-first-contact": [("h", 2), 5, 10, 17, 24, 31],
}
SHIPPED = sorted(p.stem for p in (Path(__file__).parents[2] / "cadences").glob("*.yaml"))


def offsets(cadence):
    result = []
    for step in cadence.steps:
        if step.by_day:
            result.append(step.offset.days)
        else:
            result.append(("h", int(step.offset.total_seconds() // 3600)))
    return result


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_cadence_loads_from_the_package(name):
    cadence = cadences.load_cadence(name)
    assert cadence.name == name and cadence.description
    assert cadence.steps or cadence.repeat
    problems, _ = check_all([cadence.path])
    assert problems == []


@pytest.mark.parametrize(("name", "timing"), sorted(SEED_TIMINGS.items()))
def test_seed_timings(name, timing):
    assert offsets(cadences.load_cadence(name)) == timing


def test_seed_tails_and_hand_overs():
    steli = cadences.load_cadence("steli-persistence")
    assert steli.cold_max_touches == 6
    assert steli.repeat.every == timedelta(days=30) and steli.repeat.times is None
    lost = cadences.load_cadence("lost-deal")
    assert lost.repeat.every == timedelta(days=30) and lost.repeat.times == 6
    assert cadences.load_cadence("thirty-day").then.cadence == "long-term-nurture"
    assert cadences.load_cadence("service-proposal").then.cadence == "quarterly-nurture"
    nurture = cadences.load_cadence("long-term-nurture")
    assert [s.offset.days for s in nurture.steps] == [0, 30, 60, 90, 120, 150, 240, 330]
    assert nurture.repeat.every == timedelta(days=365)
    # stage-cold is the cold sequence: tests/scheduling/test_cold_sequence.py
    for stage, every in [
        ("interest", 7),
        ("active", 3),
        ("proposal", 3),
        ("lost", 30),
    ]:
        assert cadences.load_cadence(f"stage-{stage}").repeat.every == timedelta(days=every)


def test_the_package_ships_cadences_and_templates_inside_it():
    from importlib.resources import files

    # Installed wheels carry both folders; an editable checkout reads the top-level ones.
    for kind in ("cadences", "templates"):
        folder = cadences.shipped_dir(kind)
        assert folder.is_dir()
        packaged = Path(str(files("followup_cli") / kind))
        assert folder == packaged or folder == Path(__file__).parents[2] / kind


def test_cadences_show_previews_the_calendar(run):
    data = run.json("cadences", "show", "steli-persistence", "--from", "2026-12-01")
    days = [row["due_at"][:10] for row in data["calendar"]]
    # d1, d3, d7, d14, d28, d58 from Tue 1 Dec 2026 (09:00 Denver), then monthly.
    assert days[:6] == [
        "2026-12-02",
        "2026-12-04",
        "2026-12-08",
        "2026-12-15",
        "2026-12-29",
        "2027-01-28",
    ]
    assert days[6] == "2027-03-01"  # 30 days after 28 Jan is Sat 27 Feb: moved to Monday
    assert data["cold_max_touches"] == 6 and data["steps_total"] is None
    table = run.ok("cadences", "show", "post-proposal", "--from", "2026-11-21", "--country", "US")
    assert "moved past Thanksgiving" in table.output  # day 5 from Sat 21 Nov is Thu 26 Nov


def test_cadences_list(run):
    names = [c["name"] for c in run.json("cadences", "list")]
    assert names == SHIPPED
    assert "steli-persistence" in run.ok("cadences", "list").output


def test_a_user_cadence_overrides_the_shipped_one_by_name(run, tmp_path):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "post-demo.yaml").write_text(
        "description: my own\nsteps:\n  - {day: 2, channel: call, purpose: My call}\n"
    )
    listed = {c["name"]: c for c in run.json("cadences", "list")}
    assert listed["post-demo"]["origin"] == "yours"
    run.ok("add", "Tess Demo", "--cadence", "post-demo")
    assert run.json("show", "tess")["next_due"]["purpose"] == "My call"


def test_editing_a_cadence_reaches_prospects_already_in_it(run, tmp_path):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    mine = folder / "mine.yaml"
    mine.write_text("description: v1\nsteps:\n  - {day: 3, channel: email, purpose: First}\n")
    run.ok("add", "Ed Edit", "--cadence", "mine")
    assert run.json("show", "ed")["next_due"]["due_at"] == "2026-11-26T16:00:00Z"
    mine.write_text("description: v2\nsteps:\n  - {day: 7, channel: call, purpose: Changed}\n")
    stamp = time.time() + 5
    os.utime(mine, (stamp, stamp))
    item = run.json("today", "--days", "10")[0]
    assert (item["purpose"], item["channel"]) == ("Changed", "call")
    assert item["due_at"] == "2026-11-30T16:00:00Z"  # day 7 is a Monday, 08:00 -> 09:00


def test_touching_a_cadence_file_without_changing_it_recomputes_nothing(run, tmp_path):
    from followup_cli.core import library

    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    mine = folder / "mine.yaml"
    mine.write_text("description: v1\nsteps:\n  - {day: 3, channel: email, purpose: First}\n")
    before = library.fingerprint(library.cadence_files())
    stamp = time.time() + 50
    os.utime(mine, (stamp, stamp))  # as a reinstall or upgrade does
    assert library.fingerprint(library.cadence_files()) == before
    mine.write_text("description: v2\nsteps:\n  - {day: 4, channel: email, purpose: First}\n")
    assert library.fingerprint(library.cadence_files())["mine"] != before["mine"]
