"""How fast `followup import` is at scale, timed as a user runs it (a separate process).

Generates a HubSpot-style export of 100,000 prospects and a history of 1,000,000 touches,
then times, each on the same fresh database:

1. ``followup import prospects.csv``                      (budget: 6 s)
2. ``followup import prospects.csv`` again: nothing changes
3. ``followup import touches.csv --touches``              (budget: 30 s)

and, on a second database, ``followup import prospects.csv --cadence steli-persistence``,
then ``followup import touches.json --touches`` (the same history as `followup export` writes
it), whose peak memory is reported next to the CSV import's (budget: 300 MiB each).

Run: python benchmarks/bench_import.py [--prospects N] [--touches N] [--keep DIR] [--cpu]
Exit status 1 if a budget is exceeded. Each step prints its wall and CPU time; the budgets
judge the wall time, or with ``--cpu`` the CPU time (on a machine shared with other work,
where the wall time says more about the neighbours than about the import).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

FIRST = ["Dana", "Sam", "Alex", "Jordan", "Priya", "Wei", "Maria", "Tom", "Aisha", "Lars"]
LAST = ["Reyes", "Lee", "Smith", "Patel", "Garcia", "Müller", "Kim", "Novak", "Okafor", "Berg"]
WORDS = [
    "budget",
    "freeze",
    "renewal",
    "pricing",
    "demo",
    "security",
    "review",
    "legal",
    "champion",
    "procurement",
    "quarter",
    "onboarding",
    "integration",
    "pilot",
    "roadmap",
    "competitor",
    "discount",
    "timeline",
    "stakeholder",
]
STAGES = ["Lead", "Marketing Qualified Lead", "Opportunity", "Customer", "Subscriber"]
ZONES = ["America/Denver", "America/New_York", "Europe/London", "Europe/Berlin", ""]
CHANNELS = ["call", "email", "linkedin", "video", "text", "mail", "meeting"]
OUTCOMES = ["sent", "no_answer", "voicemail", "replied", "meeting", "sent", "sent"]


def write_prospects(path: Path, count: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Record ID",
                "First Name",
                "Last Name",
                "Email",
                "Phone Number",
                "Company Name",
                "Job Title",
                "Lifecycle Stage",
                "Amount",
                "Time Zone",
                "Tags",
                "Notes",
                "Lead Source",
            ]
        )
        for n in range(count):
            writer.writerow(
                [
                    1000 + n,
                    rng.choice(FIRST),
                    rng.choice(LAST),
                    f"person{n}@company{n % 9000}.example",
                    f"+1 303 555 {n % 10000:04d}",
                    f"Company {n % 9000}",
                    rng.choice(["CTO", "VP Sales", "Head of Ops", "Founder"]),
                    rng.choice(STAGES),
                    rng.choice(["", "12000", "$24,000", "5000"]),
                    rng.choice(ZONES),
                    rng.choice(["", "saas", "saas, enterprise"]),
                    " ".join(rng.sample(WORDS, 6)),
                    rng.choice(["Webinar", "Referral", "Ads"]),
                ]
            )


def write_touches(path: Path, count: int, prospects: int, rng: random.Random) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["email", "at", "channel", "outcome", "note"])
        for _ in range(count):
            at = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            n = rng.randrange(prospects)
            writer.writerow(
                [
                    f"person{n}@company{n % 9000}.example",
                    at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    rng.choice(CHANNELS),
                    rng.choice(OUTCOMES),
                    " ".join(rng.sample(WORDS, 5)) if rng.random() < 0.7 else "",
                ]
            )


# Runs followup in this child and says its peak memory last on stderr.
PEAK = """import resource, runpy, sys
try:
    runpy.run_module("followup_cli", run_name="__main__")
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak {peak:.0f}", file=sys.stderr)
"""
PEAKS: dict[str, float] = {}


def timed(args: list[str], env: dict[str, str], cpu: bool = False) -> float:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PEAK, *args], env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"followup {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = float(result.stderr.strip().splitlines()[-1].split()[1])
    PEAKS[" ".join(args)] = peak
    print(
        f"  {result.stdout.strip().splitlines()[-1]}  "
        f"[{took:.1f} s wall, {used:.1f} s CPU, {peak:.0f} MiB peak]"
    )
    return used if cpu else took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prospects", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Write the files and databases here.")
    parser.add_argument("--cpu", action="store_true", help="Judge the budgets by CPU time.")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="followup-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    prospects_csv, touches_csv = folder / "prospects.csv", folder / "touches.csv"
    print(f"Generating {options.prospects:,} prospects and {options.touches:,} touches in {folder}")
    write_prospects(prospects_csv, options.prospects, rng)
    write_touches(touches_csv, options.touches, options.prospects, rng)
    env = {
        **os.environ,
        "FOLLOWUP_CONFIG_DIR": str(folder / "config"),
        "FOLLOWUP_TZ": "America/Denver",
        "FOLLOWUP_NOW": "2026-11-23T08:00:00-07:00",
    }
    results = []
    for name in ("bench.db", "bench-cadence.db"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{folder / name}{suffix}").unlink(missing_ok=True)
    env["FOLLOWUP_DB"] = str(folder / "bench.db")
    steps = [
        ("import prospects", ["import", str(prospects_csv)], 6.0),
        ("re-import (no change)", ["import", str(prospects_csv)], 6.0),
        ("import touches", ["import", str(touches_csv), "--touches"], 30.0),
    ]
    for label, args, budget in steps:
        print(f"followup {' '.join(args)}")
        results.append((label, timed(args, env, options.cpu), budget))
    env["FOLLOWUP_DB"] = str(folder / "bench-cadence.db")
    args = ["import", str(prospects_csv), "--cadence", "steli-persistence"]
    print(f"followup {' '.join(args)}")
    results.append(("import prospects --cadence", timed(args, env, options.cpu), 6.0))
    touches_json = folder / "touches.json"
    env["FOLLOWUP_DB"] = str(folder / "bench.db")
    timed(["export", str(touches_json), "--touches"], env)
    env["FOLLOWUP_DB"] = str(folder / "bench-cadence.db")
    args = ["import", str(touches_json), "--touches"]
    print(f"followup {' '.join(args)}")
    results.append(("import touches.json", timed(args, env, options.cpu), 60.0))
    print()
    failed = False
    for name in (f"import {touches_csv} --touches", " ".join(args)):
        peak = PEAKS[name]
        failed |= peak > 300
        print(
            f"peak memory: {peak:6.0f} MiB  followup {name}  {'ok' if peak <= 300 else 'TOO BIG'}"
        )
    for label, took, budget in results:
        ok = took <= budget
        failed |= not ok
        kind = "CPU" if options.cpu else "wall"
        verdict = "ok" if ok else "TOO SLOW"
        print(f"{label:<28} {took:6.1f} s {kind}  (budget {budget:.0f} s)  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
