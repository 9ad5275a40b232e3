"""What `followup log` prints: piped, plain lines without importing Rich (so a script or
forty writers at once pay only for the write); at a terminal, the same words, painted."""

from __future__ import annotations

import os
import re
import subprocess
import sys

LOG = ("log", "dana", "-c", "call", "-o", "voicemail", "-n", "left VM", "--at", "2026-11-23T07:30")
EXPECTED = [
    "Logged call outbound to Dana Reyes: voicemail (step 1 of post-proposal).",
    "Next: call Wed 25 Nov 09:00 — Call: did they get a chance to review it?. step 2/5 of "
    "post-proposal: day 2 after 2026-11-23",
]


def test_piped_log_prints_plain_lines_without_rich(run, dana, piped):
    done, rich = piped(*LOG)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == EXPECTED
    assert rich is False, done.stderr
    run.ok("undo", "--yes")
    assert run.ok(*LOG).stdout.splitlines() == EXPECTED  # the Typer app says the same


def test_log_at_a_terminal_paints_the_same_words(dana):
    import pty

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "followup_cli", *LOG],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**env, "TERM": "xterm-256color"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0, seen
    os.close(leader)
    text = seen.decode()
    assert "\x1b[" in text  # Rich painted it
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert " ".join(plain.split()) == " ".join(" ".join(EXPECTED).split())
