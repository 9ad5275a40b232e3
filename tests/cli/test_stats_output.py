"""`stats`, `stats templates` and `review` into a pipe: the same words as at a terminal,
a table row to a line, no rules and no wrapping at 80 columns, so grep finds a row whole."""

from __future__ import annotations

import re

LONG_TEMPLATE = "proposal-follow-up-with-the-pricing-question-for-the-finance-team"
RULES = set("│┃━─╇╈┼╋")


def _book(run, dana):
    for day in ("2026-11-09T10:00", "2026-11-16T10:00"):
        run.ok("log", "dana", "-c", "email", "-o", "sent", "--template", LONG_TEMPLATE, "--at", day)
    run.ok("log", "dana", "-c", "email", "-o", "replied", "--at", "2026-11-17T09:00")


def _row(text: str, first: str) -> str:
    rows = [line for line in text.splitlines() if line.split() and line.split()[0] == first]
    assert rows, text
    return rows[0]


def test_piped_stats_keeps_each_row_and_title_on_one_line(run, dana):
    _book(run, dana)
    piped = run.ok("stats").stdout
    assert "\x1b[" not in piped
    assert not RULES & set(piped), piped
    lines = piped.splitlines()
    assert "Response by touch number (since their last reply)" in lines
    assert all(line == line.rstrip() for line in lines)
    # the channel row: its title and every figure on one line, found by grep
    assert re.fullmatch(r"Emails\s+2\s+1\s+50\.0%.*", _row(piped, "Emails").strip())
    # a template name longer than 80 columns' share of a cell is not cut or folded
    assert any(line.strip().startswith(LONG_TEMPLATE) for line in lines), piped


def test_piped_stats_templates_and_review_are_plain_too(run, dana):
    _book(run, dana)
    templates = run.ok("stats", "templates").stdout
    assert not RULES & set(templates)
    row = _row(templates, LONG_TEMPLATE)
    assert re.search(r"\b2\s+1\s+50\.0%", row), row
    review = run.ok("review", "--week", "2026-11-16").stdout
    assert not RULES & set(review)
    assert "What happened" in review.splitlines()


def test_a_terminal_still_gets_the_ruled_tables(run, dana, terminal, monkeypatch):
    _book(run, dana)
    from followup_cli.views import stats as stats_render

    painter = terminal()
    monkeypatch.setattr(stats_render, "out", painter)  # the name views/stats.py bound
    table = stats_render.titled_table("Channels")
    table.add_column("Channel")
    table.add_row("Email")
    painter.print(table)
    assert RULES & set(painter.file.getvalue())


def test_undo_prints_what_it_took_back_in_the_format_asked(run, dana):
    run.ok("log", "dana", "-c", "call", "-o", "voicemail")
    before = run.ok("show", "dana").stdout
    refused = run("undo", "--format", "yaml")
    assert refused.exit_code == 2
    assert run.ok("show", "dana").stdout == before  # a bad --format undid nothing
    done = run.ok("undo", "--format", "csv").stdout.splitlines()
    assert done[0] == "id,at,command,summary,undone_at"
    assert len(done) == 2 and ",log," in done[1] and done[1].split(",")[-1]  # undone_at set
    assert "voicemail" not in run.ok("show", "dana").stdout.split("Timeline")[-1]
