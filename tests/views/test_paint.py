"""views/paint.py writes at a terminal exactly what Rich writes for the same pieces, and hands
over to Rich whatever it does not read."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest
from rich.console import Console
from rich.text import Text
from rich.theme import Theme

from followup_cli.core.settings import COLOR_ELEMENTS
from followup_cli.views import paint

PIECES = [
    ("Monday 23 November 2026  ", "heading"),
    ("3 due today", "due"),
    (" · ", ""),
    ("1 overdue", "overdue"),
    (" · 4 in the coming week\n", ""),
    ("Calls (2)\n", "heading"),
    ("    1  ", "muted"),
    ("Dana Reyes              ", "bold"),
    ("2d overdue   ", "overdue"),
    ("Review call: walk through the proposal and its pricing (2/5)\n", ""),
    ("       Acme                    ", "muted"),
    ("last: 3d ago · email sent", "muted"),
    (" · template ", "muted"),
    ("proposal-review", "template"),
    ("\n", ""),
    ("   12  ", "muted"),
    ("王小明 Shenzhen Trading 株式会社", "bold"),
    ("today", "due"),
    ("\n", ""),
    ("🎉 José Müller (Nordwind): birthday tomorrow", "magenta"),
    (" · template birthday-card\n", "muted"),
    ("", "bold"),
    ("Open deals with no next step\n", "bold yellow"),
    ("  … and 3 more: followup list --stage active\n", "muted"),
    ("Ask Kim for a referral\n", "cyan"),
    ("Needs attention\n", "bold red"),
]
COLORS = [
    {},
    {"heading": "bold magenta on white", "muted": "", "due": "bright_green", "bar": "none"},
    {"overdue": "reverse underline red on bright_black", "template": "italic default"},
]


def rich_says(pieces, styles, width, *, no_color=False):
    screen = io.StringIO()
    console = Console(
        file=screen,
        force_terminal=True,
        color_system="truecolor",
        width=width,
        highlight=False,
        soft_wrap=False,
        no_color=no_color,
        theme=Theme({key: value or "none" for key, value in styles.items()}),
    )
    console.print(Text.assemble(*pieces), end="", no_wrap=True, overflow="ellipsis", crop=True)
    return screen.getvalue()


@pytest.mark.parametrize("colors", COLORS, ids=["defaults", "colors set", "more colors"])
@pytest.mark.parametrize("width", [12, 31, 40, 57, 80, 120, 200])
def test_the_pieces_are_painted_as_rich_paints_them(colors, width, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    styles = {**COLOR_ELEMENTS, **colors}
    assert paint.paint(PIECES, styles, width) == rich_says(PIECES, styles, width)


@pytest.mark.parametrize("width", [20, 80])
def test_no_color_keeps_bold_and_dim_as_rich_does(width, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    styles = {**COLOR_ELEMENTS, **COLORS[1]}
    painted = paint.paint(PIECES, styles, width)
    assert painted == rich_says(PIECES, styles, width, no_color=True)
    assert "\x1b[1m" in painted and "\x1b[31m" not in painted


@pytest.mark.parametrize(
    "style", ["#ff8800", "color(208)", "grey50", "bold on", "link https://x", "not bold", "bold 3"]
)
def test_a_style_it_does_not_read_is_left_to_rich(style):
    assert paint.sgr(style) is None
    assert paint.paint([("x\n", "heading")], {"heading": style}, 80) is None


def test_a_tab_is_left_to_rich():
    assert paint.paint([("a\tb\n", "")], {}, 80) is None


@pytest.mark.parametrize(
    "environment",
    [{"TERM": "dumb"}, {"TERM": "unknown"}, {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "0"}],
)
def test_a_terminal_rich_reads_its_own_way_is_left_to_rich(environment, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert not paint.usable()


def at_a_terminal(argv, extra):
    """(output, whether Rich was imported) of `followup ARGV` under a pseudo-terminal."""
    probe = (
        "import sys\nfrom followup_cli.main import main\ntry:\n    main()\nfinally:\n"
        "    sys.stderr.write('rich' if 'rich' in sys.modules else 'no rich')\n"
    )
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "64", "TERM": "xterm-256color", **extra}
    env.pop("NO_COLOR", None)
    child = subprocess.Popen(
        [sys.executable, "-c", probe, *argv], stdout=slave, stderr=subprocess.PIPE, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    err = child.stderr.read().decode()
    assert child.wait() == 0, err
    return b"".join(chunks).decode(), err.endswith("no rich")


def test_today_at_a_terminal_is_rich_output_without_rich(run, dana):
    run.ok("add", "王小明 with a name far too long for its column", "--company", "Shenzhen")
    run.ok("config", "set", "colors.heading", "bold magenta")
    painted, light = at_a_terminal(["today"], {})
    by_rich, light_too = at_a_terminal(["today"], {"FORCE_COLOR": "1"})  # Rich's turn
    assert light and not light_too
    assert "\x1b[1;35m" in painted and "…" in painted
    assert painted == by_rich
    run.ok("config", "set", "colors.heading", "#ff8800")  # not a plain style: Rich paints it
    hexed, light = at_a_terminal(["today"], {})
    assert not light and "\x1b[38;5;208mMonday" in hexed, hexed
