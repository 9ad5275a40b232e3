"""`followup list`: the first 50 by default, every one with --all; plain lines when piped,
streamed from an index; a Rich table at a terminal."""

from __future__ import annotations

import io
import sys

import pytest


@pytest.fixture
def three(run, dana, monkeypatch):
    run.ok("add", "Omar Cold", "--company", "Frost Ltd", "--no-cadence")
    run.ok("add", "Ana Beta", "--company", "Beta GmbH", "--no-cadence")
    monkeypatch.setattr("followup_cli.cli.prospects.LIST_LIMIT", 2)
    return run


def rows(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines()[1:]]


def test_piped_lines_are_plain_in_fixed_columns(three):
    result = three.ok("list", "--all")
    assert "\x1b[" not in result.stdout
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["#", "Name", "Company", "Stage", "Value", "Cadence", "Next"] + [
        "Last",
        "touch",
    ]
    dana = lines[0]
    assert dana.index("Acme") == header.index("Company")
    assert dana.index("proposal") == header.index("Stage")
    # soonest due first, then those with no next touch by name
    assert rows(result.stdout) == ["Dana", "Ana", "Omar"]
    assert "—" in lines[1] and "never" in lines[1]
    assert result.stderr == ""


def test_the_first_ones_by_default_and_the_rest_said_on_stderr(three):
    result = three.ok("list")
    assert rows(result.stdout) == ["Dana", "Ana"]
    assert result.stderr == "2 of 3 prospects: --all to see them all, or --limit N\n"
    assert rows(three.ok("list", "--limit", "3").stdout) == ["Dana", "Ana", "Omar"]
    assert [p["name"] for p in three.json("list")] == ["Dana Reyes", "Ana Beta", "Omar Cold"]
    assert len(three.json("list", "--limit", "1")) == 1
    assert rows(three.ok("list", "--stage", "cold").stdout) == ["Ana", "Omar"]
    assert three.ok("list", "--stage", "cold").stderr == ""


def test_nothing_matches(three):
    result = three.ok("list", "--stage", "lost")
    assert result.stdout.splitlines()[0].startswith("    #  Name")
    assert result.stderr == "No prospects match.\n"


def test_a_long_name_is_cut_to_its_column(run):
    run.ok("add", "Bartholomew Montgomery-Fitzwilliam", "--company", "Ōsaka Trading 大阪商事")
    line = run.ok("list").stdout.splitlines()[1]
    assert "  Bartholomew Montgomery… Ōsaka Trading 大阪… cold " in line  # 24 and 20 columns


def test_at_a_terminal_a_table_says_how_many_more(three, monkeypatch):
    from rich.console import Console

    from followup_cli import store
    from followup_cli.core import config
    from followup_cli.pipeline import listing as listed
    from followup_cli.views import listing

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    conn = store.open_db(config.default_db_path())
    found = list(listed.search_rows(conn, limit=2, brief=True))
    conn.close()
    monkeypatch.setattr("followup_cli.views.console.out", Console(file=screen, width=160))
    listing.prospect_list(found, now=config.now(), tz=config.user_timezone(), more=1, total=3)
    shown = screen.getvalue()
    assert "┃" in shown or "│" in shown  # Rich drew a table
    assert "Dana Reyes" in shown and "Ana Beta" in shown and "Omar" not in shown
    assert "2 of 3 prospects: --all to see them all, or --limit N" in shown
