"""Every test gets its own database, config dir and home, a pinned clock and timezone,
and a fixed terminal width: nothing touches the real home directory."""

from __future__ import annotations

import os
import subprocess
import sys

os.environ["COLUMNS"] = "200"  # Rich reads the width once; fix it before anything imports rich
os.environ["NO_COLOR"] = "1"

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

# The suite runs on shared, loaded machines: a slow draw or example is the neighbours, not
# a failure of the property (each property still runs its examples).
settings.register_profile("shared", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared")

NOW = "2026-11-23T08:00:00-07:00"  # a Monday morning in Denver


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "followup.db"))
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FOLLOWUP_TZ", "America/Denver")
    monkeypatch.setenv("FOLLOWUP_NOW", NOW)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return tmp_path


class Runner:
    """Runs `followup ...` in-process, the way a user would type it."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        from followup_cli.cli.app import app, load_commands

        load_commands(list(args))

        return self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str, **kwargs):
        import json

        return json.loads(self.ok(*args, "--json", **kwargs).stdout)


@pytest.fixture
def run():
    return Runner()


@pytest.fixture
def dana(run):
    """The brief's example prospect, in post-proposal from now."""
    run.ok(
        "add",
        "Dana Reyes",
        "--email",
        "dana@acme.io",
        "--company",
        "Acme",
        "--stage",
        "proposal",
        "--value",
        "24000",
        "--tz",
        "America/Denver",
        "--tag",
        "saas",
        "--set",
        "pain_point=manual renewals",
        "--cadence",
        "post-proposal",
    )
    return "dana"


@pytest.fixture
def terminal(monkeypatch):
    """``terminal()`` makes standard output a 200-column colour terminal from then on, so
    what a view prints is painted; it gives the Console standing in for views.console.out,
    whose ``file`` holds the output."""
    import io
    import sys

    from rich.console import Console

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    def become() -> Console:
        screen = Terminal()
        monkeypatch.setattr(sys, "stdout", screen)
        painter = Console(file=screen, force_terminal=True, color_system="standard", width=200)
        monkeypatch.setattr("followup_cli.views.console.out", painter)
        return painter

    return become


@pytest.fixture
def totals_agree(isolated):
    """A check that the running totals behind `stats` and `review` (store/aggregates.py)
    are what the from-scratch passes count: call it after a write. It compares the stored
    totals and links with ones rebuilt from the touches, then the dashboard (the default
    window, all history, a window starting mid-day) and the review (the last 7 days, a
    calendar week) with their from-scratch versions; returns the default dashboard."""

    def check() -> dict:
        from datetime import datetime, timedelta
        from zoneinfo import ZoneInfo

        from followup_cli import store
        from followup_cli.insight import review, stats
        from followup_cli.store import aggregates, stats_totals, touches

        now = datetime.fromisoformat(os.environ["FOLLOWUP_NOW"])
        tz = ZoneInfo(os.environ["FOLLOWUP_TZ"])
        conn = store.open_db(isolated / "followup.db")
        try:
            numbers = f"SELECT id, {', '.join(touches.NUMBERS)} FROM touches ORDER BY id"
            kept, links = aggregates.contents(conn), conn.execute(numbers).fetchall()
            conn.execute("SAVEPOINT rebuilt")
            touches.renumber_all(conn)
            aggregates.rebuild(conn)
            assert conn.execute(numbers).fetchall() == links
            assert aggregates.contents(conn) == kept
            conn.execute("ROLLBACK TO rebuilt")
            conn.execute("RELEASE rebuilt")
            assert stats_totals.usable(conn, now)
            for since in (None, datetime(2000, 1, 1, tzinfo=tz), now - timedelta(days=20.3)):
                fast = stats.dashboard(conn, now=now, user_tz=tz, since=since).public()
                slow = stats.dashboard(conn, now=now, user_tz=tz, since=since, from_scratch=True)
                assert fast == slow.public(), since
            for week in (None, now - timedelta(days=7)):
                fast = review.review(conn, now=now, user_tz=tz, week=week).public()
                slow = review.review(conn, now=now, user_tz=tz, week=week, from_scratch=True)
                assert fast == slow.public(), week
            return stats.dashboard(conn, now=now, user_tz=tz).public()
        finally:
            conn.close()

    return check


# Runs `followup` as its script does, then says on stderr whether Rich was imported.
_PROBE = """
import sys
from followup_cli.main import main
try:
    main()
finally:
    sys.stderr.write("[rich]" if "rich" in sys.modules else "[no rich]")
"""


@pytest.fixture
def piped():
    """`followup ARGS` in a process of its own, its output piped: (the finished process with
    the probe's word taken off its stderr, whether Rich was imported; None if the probe never
    said)."""

    def run_piped(*args: str):
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        rich = None
        for word, loaded in (("[no rich]", False), ("[rich]", True)):
            if done.stderr.endswith(word):
                done.stderr, rich = done.stderr.removesuffix(word), loaded
                break
        return done, rich

    return run_piped
