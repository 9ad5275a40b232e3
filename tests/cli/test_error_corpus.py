"""An error changes nothing, and reading changes nothing: each command below runs as a real
process; its exit status and message are pinned, and the database file is byte for byte
what it was (no memo row, no calendar id, no half import)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

CORPUS = [
    # (arguments, exit status, the start of stderr)
    (("today",), 0, ""),
    (("show", "dana"), 0, ""),
    (("list",), 0, ""),
    (("stats",), 0, ""),
    (("search", "renewals"), 0, ""),
    (("undo", "--list"), 0, ""),
    (("show", "nobody"), 1, "Error: No prospect matches"),
    (("draft", "dana", "--template", "no-such-template"), 1, "Error: "),
    (("draft", "nobody"), 1, "Error: No prospect matches"),
    (("calendar", "no/dir/c.ics"), 1, "Error: The folder no/dir does not exist"),
    (("export", "no/dir/p.csv"), 1, "Error: The folder no/dir does not exist"),
    (("stats", "--html", "no/dir/r.html"), 1, "Error: The folder no/dir does not exist"),
    (("draft", "dana", "--log", "--eml", "no/dir/d.eml"), 1, "Error: The folder no/dir does"),
    (
        ("import", "{mixed}", "--skip-bad", "--rejects", "no/such/dir/x.csv"),
        1,
        "Error: The folder no/such/dir does not exist",
    ),
    (("log", "dana", "-c", "pigeon", "-o", "sent"), 1, "Error: "),
    (("log", "dana", "-c", "email", "-o", "sent", "--at", "2030-01-01"), 1, "Error: A touch"),
    (("edit", "nobody", "--stage", "lost"), 1, "Error: No prospect matches"),
    (("rm", "dana"), 2, "Error: Removing Dana Reyes needs confirmation"),
    (("forget", "dana"), 2, "Error: Erasing Dana Reyes cannot be undone"),
    (("undo", "99"), 1, "Error: There is no entry #99"),
    (("backup", "{db}"), 1, "Error: "),
    # every command that changes data, refusing bad input: nothing written, not even a
    # journal entry
    (("add", "Bo", "--email", "not-an-email"), 1, "Error: 'not-an-email' is not an email"),
    (("add", "Bo", "--stage", "nope"), 1, "Error: Unknown stage 'nope'"),
    (("edit", "dana", "--value", "abc"), 1, "Error: The deal value 'abc' is not a number"),
    (("enroll", "dana", "no-such-cadence"), 1, "Error: No cadence named 'no-such-cadence'"),
    (("enroll", "nobody", "thirty-day"), 1, "Error: No prospect matches 'nobody'"),
    (("stop", "nobody"), 1, "Error: No prospect matches 'nobody'"),
    (("snooze", "dana", "--until", "yesterday"), 1, "Error: --until 'yesterday' is in the past"),
    (("pause", "dana", "--until", "someday"), 1, "Error: Cannot read the date 'someday'"),
    (("resume", "nobody"), 1, "Error: No prospect matches 'nobody'"),
    (("log", "dana", "-c", "email", "-o", "sent", "--until", "2027-01-01"), 1, "Error: --until"),
    (("import", "no/such/file.csv"), 1, "Error: no/such/file.csv does not exist"),
    (("value", "add", "Report", "--url", "notaurl"), 1, "Error: 'notaurl' is not a web address"),
    (("value", "edit", "99", "--title", "x"), 1, "Error: No value item #99"),
    (("value", "rm", "99", "--yes"), 1, "Error: No value item #99"),
    (("me", "--email", "bad"), 1, "Error: 'bad' is not an email address"),
    (("restore", "no/such.db", "--yes"), 1, "Error: no/such.db does not exist"),
    (("backup", "no/dir/b.db", "--force"), 1, "Error: The folder no/dir does not exist"),
    (("export", "people.txt"), 1, "Error: Cannot tell the format of people.txt"),
]


def digest(db) -> str:
    return hashlib.sha256(
        b"".join(
            open(f"{db}{suffix}", "rb").read()
            for suffix in ("", "-wal")
            if os.path.exists(f"{db}{suffix}")
        )
    ).hexdigest()


@pytest.mark.parametrize("args, code, message", CORPUS, ids=lambda v: str(v)[:40])
def test_errors_and_reads_leave_the_database_as_it_was(run, dana, tmp_path, args, code, message):
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--at", "2026-11-20T10:00")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("name,email,stage\nAda One,ada@example.com,cold\nBo,bo@x.io,nonsense\n")
    db = tmp_path / "followup.db"
    before = digest(db)
    argv = [a.format(mixed=mixed, db=db) for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "followup_cli", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith(message), done.stderr
    assert "Traceback" not in done.stderr
    assert digest(db) == before
