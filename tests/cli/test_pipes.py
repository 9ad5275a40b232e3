"""A reader that stops early (`followup list | head -1`) ends the command quietly with
status 0, whichever library meets the closed pipe first: our own writes, Rich
(``Console.on_broken_pipe``), Click's EPIPE handler, or Python flushing stdout at shutdown.
Each command runs as a real process writing into a real pipe."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

PAGE = 4096  # the smallest pipe Linux allows: any output longer than this must meet EPIPE


@pytest.fixture
def book(run, tmp_path):
    """400 prospects: every listing is far longer than the pipe holds."""
    rows = ["name,email,company,stage"]
    rows += [f"Person {i},p{i}@ex{i}.io,Company {i},cold" for i in range(400)]
    (tmp_path / "book.csv").write_text("\n".join(rows) + "\n")
    run.ok("import", str(tmp_path / "book.csv"))
    run.ok("log", "p1@ex1.io", "-c", "email", "-o", "sent", "--note", "x" * 5000)
    return tmp_path


def followup(args: list[str], tmp_path, *, read: int) -> tuple[int, bytes]:
    """Run followup into a one-page pipe, read ``read`` bytes of it (0: none) and close it,
    as `head` does; the exit status and what came on stderr."""
    reader, writer = os.pipe()
    fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PAGE)
    child = subprocess.Popen(
        [sys.executable, "-m", "followup_cli", *args],
        stdout=writer,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    os.close(writer)
    if read:
        assert os.read(reader, read)  # the first line arrived, then the reader goes
    os.close(reader)
    err = child.stderr.read()
    return child.wait(timeout=120), err


COMMANDS = [
    ("list", "--all"),  # every row, streamed (the default limit would stop at 50)
    ("list", "--json"),
    ("export", "-"),  # UTF-8 bytes
    ("search", "person", "--limit", "400"),
    ("today", "--json"),  # the hot path
    ("today", "--all"),
    ("show", "p1@ex1.io"),  # the hot path, through Rich
    ("--help",),  # Typer's own help panel
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("read", [0, 80], ids=["closed before", "after a line"])
def test_a_reader_that_stops_early_ends_quietly_with_0(book, args, read):
    code, err = followup(list(args), book, read=read)
    assert (code, err.decode()) == (0, "")


def test_an_error_is_still_an_error_when_nobody_reads(book):
    code, err = followup(["show", "nobody"], book, read=0)
    assert code == 1
    assert err.decode().startswith("Error: No prospect matches 'nobody'")
