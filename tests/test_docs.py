"""Every command has help text with an example and appears in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from followup_cli.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def commands():
    root = typer.main.get_command(app)
    found = []

    def walk(group, prefix):
        for name, command in sorted(group.commands.items()):
            path = f"{prefix} {name}".strip()
            found.append((path, command))
            if hasattr(command, "commands"):
                walk(command, path)

    walk(root, "")
    return found


@pytest.mark.parametrize(("path", "command"), commands(), ids=[p for p, _ in commands()])
def test_every_command_has_help_and_is_in_the_readme(path, command):
    assert (command.help or "").strip(), f"`followup {path}` has no help text"
    assert f"followup {path}" in README, f"`followup {path}` is not in README.md"


def test_help_shows_every_command(run):
    output = run.ok("--help").output
    for path, _ in commands():
        if " " not in path:
            assert path in output


def test_version(run):
    from followup_cli import __version__

    assert run.ok("--version").output.strip() == f"followup {__version__}"
