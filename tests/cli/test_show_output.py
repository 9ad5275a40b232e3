"""`followup show`: plain text when piped (Rich never imported), the same words painted at
a terminal."""

from __future__ import annotations

import re
import subprocess
import sys


def test_piped_show_is_plain_and_a_terminal_gets_the_same_words(run, dana, terminal):
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "-n", "asked about\nthe budget")
    piped = run.ok("show", "dana").stdout
    assert "\x1b[" not in piped
    lines = piped.splitlines()
    assert lines[0] == "Dana Reyes — Acme"
    assert "Stage       proposal" in lines  # labels aligned: "Timezone" and two spaces
    assert any(line.startswith("Cadence: post-proposal (active") for line in lines)
    assert "Timeline (1 touches)" in lines
    touch = lines[lines.index("Timeline (1 touches)") + 2]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d  call      out  voicemail.*", touch)
    assert touch.endswith("asked about the budget")  # the note on one line

    from followup_cli import store
    from followup_cli.core import config
    from followup_cli.pipeline import prospect as prospects
    from followup_cli.scheduling import agenda
    from followup_cli.views import profile

    painter = terminal()
    conn = store.open_db(config.default_db_path())
    now, tz = config.now(), config.user_timezone()
    view = agenda.profile(conn, prospects.resolve(conn, "dana"), now=now, user_tz=tz)
    profile.show(view, now=now, tz=tz)
    conn.close()
    painted = painter.file.getvalue()
    assert "\x1b[" in painted
    assert re.sub(r"\x1b\[[0-9;]*m", "", painted) == piped


def test_piped_show_does_not_import_rich(run, dana, isolated):
    code = (
        "import sys, runpy; sys.argv = ['followup', 'show', 'dana']\n"
        "try:\n    runpy.run_module('followup_cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "Dana Reyes" in done.stdout, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False"
