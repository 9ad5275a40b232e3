"""How long `followup stats --json` takes over 100,000 prospects and 1,000,000 touches.

Builds the database once (direct bulk inserts through sqlite-utils into the real schema
from ``store.open_db``, touches in time order as they are logged, then the numbers stats
reads stored on them by ``touch.renumber_many`` as an import does; about a minute), then
times the command as a user runs it: a fresh process, Python start-up included. A database
built by an older version is migrated by the first run (not timed).

    python benchmarks/bench_stats.py                      # build /tmp/followup-bench.db, time
    python benchmarks/bench_stats.py --runs 5 --args "--since 2024-01-01"   # all history
    python benchmarks/bench_stats.py --db /tmp/bench/big.db    # the build_db.py database
    python benchmarks/bench_stats.py --snapshots --rebuild   # touches as `log` writes them
    python benchmarks/bench_stats.py --prospects 1000 --touches 10000 --rebuild  # quick
    python benchmarks/bench_stats.py --db big.db --command "review" --command "calendar - --days 14"

Each run's CPU time (user + system) and peak memory (both from ``/usr/bin/time``) are
reported next to the floor ``python -c "import sqlite3"`` run as often. A database with
``bench_now`` in its meta table (``build_db.py``'s) is read at that time in UTC, as
``run.py`` does; this script's own at its fixed time in Denver. The budget is 2 seconds
(issue 4) for the default ``stats --json``. Exit status 1 when its median is over it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
BUDGET_SECONDS = 2.0

CHANNELS = ["email", "call", "linkedin", "video", "mail", "text"]
CHANNEL_WEIGHTS = [45, 28, 13, 7, 3, 4]
QUIET_OUTCOMES = ["sent", "sent", "sent", "no_answer", "voicemail", "out_of_office", "bounced"]
CADENCES = ["post-proposal", "post-demo", "thirty-day", "steli-persistence", "post-discovery"]
TEMPLATES = ["proposal-sent", "case-study", "new-angle", "breakup", "persistence-short"]
STAGES = ["cold", "interest", "active", "proposal", "nurture", "lost", "customer"]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


COLUMNS = (
    "prospect_id",
    "at",
    "channel",
    "direction",
    "outcome",
    "template",
    "variant",
    "cadence",
    "step",
    "logged_at",
)


def _history(rng: random.Random, prospect_id: int, count: int) -> list[dict]:
    """About ``count`` touches of one prospect: outbound runs, sometimes a reply, sometimes
    a close; times move forward by hours to weeks."""
    at = NOW - timedelta(days=rng.uniform(20, 720))
    cadence = rng.choice(CADENCES)
    step = 0
    rows: list[dict] = []
    while len(rows) < count:
        at += timedelta(hours=rng.uniform(2, 24 * 12))
        if at >= NOW:
            break
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        roll = rng.random()
        outcome = "meeting" if roll < 0.03 else rng.choice(QUIET_OUTCOMES)
        step += 1
        template = rng.choice(TEMPLATES) if channel == "email" else None
        rows.append(
            {
                "prospect_id": prospect_id,
                "at": _stamp(at),
                "channel": channel,
                "direction": "out",
                "outcome": outcome,
                "template": template,
                "variant": rng.choice("AB") if template else None,
                "cadence": cadence if step <= 10 else None,
                "step": step if step <= 10 else None,
                "logged_at": _stamp(at),
            }
        )
        if rng.random() < 0.12:  # they answer, a few hours or days later
            at += timedelta(hours=rng.uniform(0.5, 96))
            if at >= NOW:
                break
            final = rng.random()
            outcome = "won" if final < 0.15 else "lost" if final < 0.22 else "replied"
            rows.append(
                {
                    "prospect_id": prospect_id,
                    "at": _stamp(at),
                    "channel": "email",
                    "direction": "in",
                    "outcome": outcome,
                    "template": None,
                    "variant": None,
                    "cadence": None,
                    "step": None,
                    "logged_at": _stamp(at),
                }
            )
            step = 0
            if outcome in ("won", "lost"):
                cadence = rng.choice(CADENCES)
    return rows


def _snapshot(rng: random.Random, prospect_id: int) -> str:
    """What `followup log` keeps in state_before: the prospect row as JSON (~1 KB)."""
    return json.dumps(
        {
            "id": prospect_id,
            "name": f"Prospect {prospect_id}",
            "notes": "x" * rng.randint(200, 600),
            "key_points": "renewal pain, budget in Q3, wants a pilot",
            "tags": '["saas"]',
            "fields": '{"pain_point": "manual renewals"}',
            **{f"column_{n}": None for n in range(30)},
        }
    )


def build(path: Path, prospects: int, touches: int, seed: int = 4, snapshots: bool = False) -> None:
    import sqlite_utils

    from followup_cli import store
    from followup_cli.pipeline.touch import renumber_many
    from followup_cli.store import aggregates

    if path.exists():
        path.unlink()
    conn = store.open_db(path)  # the real schema, migrated
    db = sqlite_utils.Database(conn)
    rng = random.Random(seed)
    created = _stamp(NOW - timedelta(days=730))
    conn.execute("PRAGMA synchronous = OFF")

    def people():
        for number in range(1, prospects + 1):
            due = NOW + timedelta(days=rng.uniform(-20, 30))
            yield {
                "id": number,
                "name": f"Prospect {number}",
                "email": f"p{number}@example.com",
                "company": f"Company {number % 5000}",
                "stage": rng.choice(STAGES),
                "value": rng.choice([None, 1000, 5000, 12000, 24000, 90000]),
                "created_at": created,
                "updated_at": created,
                "next_due_at": _stamp(due) if rng.random() < 0.7 else None,
                "next_channel": rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
                "next_purpose": "follow up",
                "cadence": rng.choice(CADENCES),
                "cadence_status": rng.choice(["active", "active", "stopped", "completed"]),
            }

    def history():
        # Touches are logged as they happen: insert them in time order, as a real
        # database holds them (rowids follow time, not prospects).
        rows: list[tuple] = []
        per = touches / prospects
        number = 0
        while len(rows) < touches:
            number = number % prospects + 1
            want = max(1, round(rng.expovariate(1 / per)))
            rows += [tuple(row.values()) for row in _history(rng, number, want)]
        del rows[touches:]
        rows.sort(key=lambda row: row[1])
        for row in rows:
            touch = dict(zip(COLUMNS, row, strict=True))
            if snapshots:
                touch["state_before"] = _snapshot(rng, touch["prospect_id"])
            yield touch

    with store.transaction(conn):
        db["prospects"].insert_all(people(), batch_size=5000)
        # the stats totals once at the end, set-based, as an import keeps them
        with aggregates.bulk(conn, "SELECT id FROM prospects"):
            db["touches"].insert_all(history(), batch_size=5000)
            renumber_many(conn, "SELECT id FROM prospects")
    conn.execute("ANALYZE")
    conn.close()


def _pinned(path: Path) -> tuple[str, str]:
    """(FOLLOWUP_NOW, FOLLOWUP_TZ) for this database: build_db.py's bench_now in UTC, or
    this script's own time."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'bench_now'").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    if row:
        return json.loads(row[0]), "UTC"
    return NOW.isoformat(), "America/Denver"


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one run of ``command``, under
    ``/usr/bin/time`` (a child forked from this process would count its memory too)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        timed = ["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M", *command]
        result = subprocess.run(
            timed, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            cwd=tempfile.gettempdir(),
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
        wall, user, system, peak = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak) / 1024


def time_command(path: Path, runs: int, words: list[str]) -> dict[str, float]:
    """Medians of ``followup WORDS`` and of the floor, run in turns."""
    # An empty config dir of its own, as run.py uses: the developer's own cadences,
    # templates or config.toml must not change what is measured.
    config_dir = tempfile.mkdtemp(prefix="followup-bench-stats-")
    now, tz = _pinned(path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")},
        "FOLLOWUP_DB": str(path),
        "FOLLOWUP_NOW": now,
        "FOLLOWUP_TZ": tz,
        "FOLLOWUP_CONFIG_DIR": config_dir,
    }
    command = [sys.executable, "-m", "followup_cli", *words]
    floor = [sys.executable, "-c", "import sqlite3"]
    found: dict[str, list[float]] = {"wall": [], "cpu": [], "rss": [], "floor": []}
    for _ in range(runs):
        wall, cpu, rss = _run(command, env)
        found["wall"].append(wall)
        found["cpu"].append(cpu)
        found["rss"].append(rss)
        found["floor"].append(_run(floor, env)[1])
    medians = {key: statistics.median(values) for key, values in found.items()}
    medians["rss"] = max(found["rss"])
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/followup-bench.db"))
    parser.add_argument("--prospects", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="Build even if --db exists.")
    parser.add_argument(
        "--snapshots", action="store_true", help="Fill state_before as `followup log` does."
    )
    parser.add_argument("--args", default="", help='More stats options, e.g. "--since 2024-01-01"')
    parser.add_argument(
        "--command",
        action="append",
        help='Time this command line instead (repeatable), e.g. "review" or "calendar - --days 14"',
    )
    args = parser.parse_args()

    if args.rebuild or not args.db.exists():
        start = time.perf_counter()
        build(args.db, args.prospects, args.touches, snapshots=args.snapshots)
        print(f"built {args.db} in {time.perf_counter() - start:.1f}s")
    from followup_cli import store

    conn = store.open_db(args.db)  # migrates (after a backup) a database built by an older one
    counts = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("prospects", "touches")
    ]
    indexes = sorted(row[1] for row in conn.execute("PRAGMA index_list(touches)"))
    conn.close()
    print(f"{counts[0]:,} prospects, {counts[1]:,} touches; touch indexes: {', '.join(indexes)}")
    over = False
    for line in args.command or [f"stats --json {args.args}"]:
        words = shlex.split(line)
        found = time_command(args.db, args.runs, words)
        floor = max(found["floor"], 1e-3)
        print(
            f"followup {' '.join(words)}: CPU {found['cpu']:.2f}s ({found['cpu'] / floor:.0f}x "
            f"the floor's {found['floor']:.3f}s), wall {found['wall']:.2f}s, peak "
            f"{found['rss']:.1f} MiB, medians of {args.runs} runs"
        )
        if not args.command and found["cpu"] > BUDGET_SECONDS:
            over = True
    if over:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
