"""Every command has help text with an example and appears in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from followup_cli.cli.app import app, load_commands

load_commands([])  # every command, as `followup --help` sees them

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


def test_each_command_module_registers_exactly_its_listed_commands():
    import importlib

    import followup_cli.cli.app as cli

    root = typer.main.get_command(app)
    everything = set(root.commands)
    assert set(cli.CORE_COMMANDS) <= everything
    listed = {name for names in cli.COMMAND_MODULES.values() for name in names}
    assert everything == listed | set(cli.CORE_COMMANDS)
    for module, names in cli.COMMAND_MODULES.items():
        source = importlib.import_module(f"followup_cli.cli.{module}").__file__
        text = Path(source).read_text(encoding="utf-8")
        for name in names:
            assert f'"{name}"' in text or f"def {name}(" in text, (module, name)


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["today"], "today"),
        (["--db", "x.db", "show", "dana"], "show"),
        (["--help"], None),
        ([], None),
        (["stats", "templates"], "stats"),
    ],
)
def test_the_command_is_found_in_argv(argv, name):
    from followup_cli.cli.app import _command_name

    assert _command_name(argv) == name
