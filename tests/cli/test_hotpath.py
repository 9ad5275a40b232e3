"""The daily commands' hot path (cli/hotpath.py) reads each command as Click does, answers
exactly as the Typer app does, and hands everything else to the Typer app.

Each case runs `followup` as a separate process (the recorder replaces `typer` in that
process's modules), and says whether the real Typer was loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer.main

PROBE = """
import sys
from followup_cli.main import main
try:
    main()
finally:
    from followup_cli.cli import hotpath
    real = "typer" in sys.modules and not isinstance(sys.modules["typer"], hotpath._Recorder)
    sys.stderr.write("\\n[typer loaded]" if real else "\\n[hot path]")
"""


def followup(*argv: str) -> tuple[int, str, str, bool]:
    """(exit code, stdout, stderr, whether Typer was loaded) of one real process."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        stdin=subprocess.DEVNULL,
    )
    err, _, marker = done.stderr.rpartition("\n")
    return done.returncode, done.stdout, err, marker == "[typer loaded]"


@pytest.fixture
def book(run, dana):
    run.ok("add", "Marcus Chen", "--email", "marcus@example.com", "--stage", "cold")
    run.ok("log", "dana", "--channel", "email", "--outcome", "sent", "--note", "sent it")
    return dana


HOT = [
    ("today",),
    ("today", "--json"),
    ("today", "--all", "--days", "3", "--score"),
    ("today", "--limit=1", "--channel", "email"),
    ("show", "dana"),
    ("show", "--json", "dana"),
    ("show", "dana", "--all"),
    ("log", "marcus", "-c", "call", "-o", "voicemail", "-n", "left a message"),
    ("log", "marcus", "-ccall", "--outcome=no_answer", "--at", "yesterday"),
    ("draft", "dana"),
    ("draft", "dana", "-t", "breakup", "--var", "pain_point=renewals", "--var=goal=growth"),
    ("draft", "dana", "--json", "--channel", "email"),
    ("draft", "marcus", "--template", "breakup"),  # a field it needs is missing: exit 1
    ("show", "nobody"),  # a user error, through the same boundary: exit 1
    ("log", "marcus", "--channel", "call"),  # no --outcome, no terminal: exit 2
    ("log", "marcus", "-c", "fax", "-o", "sent"),  # a bad choice: exit 1
]
TYPER = [
    ("today", "--help"),
    ("today", "--limit", "0"),  # out of range: Click's message
    ("today", "--limt", "3"),  # a typo: Click suggests the option
    ("show",),  # a missing argument
    ("show", "dana", "marcus"),  # one too many
    ("log", "marcus", "--note", "-x", "-c", "call", "-o", "sent"),  # a value like an option
    ("list",),
    ("--help",),
    ("draft", "dana", "--var"),  # a repeatable option without its value
]


@pytest.mark.parametrize("argv", HOT, ids=" ".join)
def test_daily_commands_answer_as_the_typer_app_does_without_loading_it(run, book, argv):
    typer_said = run(*argv)
    if argv[0] == "log" and typer_said.exit_code == 0:
        run.ok("undo")  # the same touch again, from the same state
    code, out, err, loaded = followup(*argv)
    assert not loaded, f"Typer was loaded for {argv}: {err}"
    assert code == typer_said.exit_code, err
    assert out == typer_said.stdout
    if code:
        assert err.strip() == typer_said.stderr.strip()


@pytest.mark.parametrize("argv", TYPER, ids=" ".join)
def test_anything_else_goes_to_the_typer_app(run, book, argv):
    typer_said = run(*argv)
    if argv[0] == "log" and typer_said.exit_code == 0:
        run.ok("undo")
    code, out, err, loaded = followup(*argv)
    assert loaded, f"{argv} stayed on the hot path"
    assert code == typer_said.exit_code

    # Help names the program as it was started (`root` in-process, `-c` here), and pads
    # its box to that name: the same words.
    def words(text: str) -> list[str]:
        for prog in ("-c", "root", "followup"):
            text = text.replace(f"Usage: {prog} ", "Usage: PROG ")
        return text.split()

    assert words(out) == words(typer_said.stdout)


def test_root_options_and_the_default_command(run, book, isolated):
    shown = run.ok("today", "--json").stdout
    code, out, err, loaded = followup("--db", os.environ["FOLLOWUP_DB"], "today", "--json")
    assert (code, out, loaded) == (0, shown, False), err
    code, out, err, loaded = followup()  # bare followup: config's default command, today
    assert (code, loaded) == (0, False) and out == run.ok("today").stdout, err


def test_each_hot_command_is_read_as_click_reads_it():
    # The recorder's reading of each declaration, next to the Click command Typer builds.
    dump = """
import json, sys
from followup_cli.cli import hotpath
typer = hotpath._recorder()
sys.modules.update({"typer": typer, "typer.core": typer.core})
from followup_cli.cli import app
app.load_commands(["show"])
app.load_commands(["draft"])
app.load_commands(["work"])
out = {}
for name, fn in [("", app.app.root)] + [(n, app.app.commands[n]) for n in hotpath.HOT_COMMANDS]:
    out[name] = [[s.name, s.kind, list(s.opts), list(s.off), s.flag, s.type.__name__]
                 for s in hotpath.specs(fn)]
print(json.dumps(out))
"""
    recorded = json.loads(subprocess.check_output([sys.executable, "-c", dump], text=True))
    from followup_cli.cli.app import app, load_commands

    load_commands(["show"])
    load_commands(["draft"])
    load_commands(["work"])
    group = typer.main.get_command(app)
    for name, specs in recorded.items():
        command = group if name == "" else group.commands[name]
        clicked = [
            [p.name, p.param_type_name, list(p.opts) if p.param_type_name == "option" else []]
            + [list(p.secondary_opts), bool(getattr(p, "is_flag", False))]
            for p in command.params
            if p.name not in ("install_completion", "show_completion")  # Typer's own
        ]
        assert [spec[:5] for spec in specs] == clicked, name


@pytest.mark.parametrize("command", ["show", "today", "log"])
def test_an_argument_that_is_not_utf8_is_one_line_on_the_hot_path(command, isolated):
    # A real process: the hot path runs before Typer, so it must hand such an argument over.
    argv = [command, os.fsdecode(b"bad\xff\xfe")] if command != "today" else [command, "--channel"]
    argv = argv if command != "today" else [*argv, os.fsdecode(b"bad\xff")]
    done = subprocess.run(
        [sys.executable, "-m", "followup_cli", *argv],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "is not valid UTF-8 text" in done.stderr


INSPECT_PROBE = """
import sys
from followup_cli.main import main
try:
    main()
finally:
    sys.stderr.write("\\n[inspect loaded]" if "ast" in sys.modules else "\\n[inspect deferred]")
"""


@pytest.mark.parametrize(
    "argv",
    [
        ("today",),
        ("today", "--json"),
        ("show", "dana"),
        ("log", "marcus", "-c", "call", "-o", "sent"),
    ],
    ids=" ".join,
)
def test_the_daily_commands_never_load_inspect(book, argv):
    # main.py defers `inspect` (with ast, dis, tokenize), which `dataclasses` imports only
    # to write a docstring for a dataclass without one: a dataclass on these commands' path
    # without a docstring loads it again, and this fails.
    done = subprocess.run(
        [sys.executable, "-c", INSPECT_PROBE, *argv],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("[inspect deferred]"), done.stderr


def test_the_deferred_inspect_is_the_real_one_on_first_use():
    # Anything that does use inspect (Typer, Jinja) gets the real module, however it asks.
    script = """
import sys
from followup_cli.main import _defer_inspect
_defer_inspect()
import inspect
from dataclasses import dataclass
assert "ast" not in sys.modules
@dataclass
class NoDoc:
    x: int = 1
assert NoDoc.__doc__ == "NoDoc(x: int = 1)", NoDoc.__doc__
from inspect import Parameter, signature
assert "ast" in sys.modules and sys.modules["inspect"].signature is signature
import inspect as again
assert str(again.signature(lambda a, b=2: 0)) == "(a, b=2)"
assert Parameter.KEYWORD_ONLY is again.Parameter.KEYWORD_ONLY
print("ok")
"""
    assert subprocess.check_output([sys.executable, "-c", script], text=True) == "ok\n"
