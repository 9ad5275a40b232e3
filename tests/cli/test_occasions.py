"""`today` lists birthdays and work anniversaries of the coming week, with a card to write."""

from __future__ import annotations


def test_birthdays_and_anniversaries_in_the_next_7_days(run):
    # Now is Monday 23 November 2026.
    run.ok("add", "Bea Day", "--birthday", "11-23", "--no-cadence")
    run.ok("add", "Di Work", "--company", "Acme", "--anniversary", "2019-11-24", "--no-cadence")
    run.ok("add", "Cy Soon", "--birthday", "1980-11-26", "--no-cadence")
    run.ok("add", "Fay Week", "--birthday", "11-30", "--no-cadence")
    run.ok("add", "Ed Later", "--birthday", "12-01", "--no-cadence")
    run.ok("add", "Gil Quiet", "--birthday", "11-25", "--no-cadence")
    run.ok("edit", "gil", "--do-not-contact")  # no card for someone who asked for none
    shown = run.ok("today").output
    lines = [line for line in shown.splitlines() if line.startswith("🎉")]
    assert lines == [
        "🎉 Bea Day: birthday today · template birthday-card",
        "🎉 Di Work (Acme): work anniversary tomorrow · template work-anniversary",
        "🎉 Cy Soon: birthday in 3 days (Thu 26 Nov) · template birthday-card",
        "🎉 Fay Week: birthday in 7 days (Mon 30 Nov) · template birthday-card",
    ]


def test_a_leap_day_birthday_is_kept_on_the_28th(run, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_NOW", "2027-02-27T08:00:00-07:00")
    run.ok("add", "Lea Leap", "--birthday", "2000-02-29", "--no-cadence")
    assert "🎉 Lea Leap: birthday tomorrow" in run.ok("today").output


def test_the_cards_are_capped_like_the_channels_and_all_shows_every_one(run):
    for n in range(5):
        run.ok("add", f"Card {n}", "--birthday", "11-24", "--no-cadence")
    run.ok("add", "Ann Iver", "--anniversary", "2020-11-25", "--no-cadence")
    shown = run.ok("today", "--limit", "2").output.splitlines()
    assert [line for line in shown if line.startswith("🎉")] == [
        "🎉 Card 0: birthday tomorrow · template birthday-card",
        "🎉 Card 1: birthday tomorrow · template birthday-card",
    ]
    assert "  … and 4 more birthdays and anniversaries: --all" in shown
    every = run.ok("today", "--all").output.splitlines()
    assert len([line for line in every if line.startswith("🎉")]) == 6
    assert not any("more birthdays" in line for line in every)
