"""Time followup's everyday commands as whole processes, against the cost of starting Python.

    python benchmarks/run.py --db /tmp/bench/big.db [--runs 15]

Each command runs as a user runs it (the ``followup`` script beside this interpreter, or
``python -m followup_cli``), next to the floor ``python -c "import sqlite3"`` with the same
interpreter. The commands take turns, round-robin, so drift on a busy machine hits them all
alike. Prints the median of each, its ratio to the floor, the peak memory of each (max RSS,
measured in separate untimed runs under ``/usr/bin/time``) and PASS/FAIL against the targets
of issue 2. A report, not a test: it exits 0 whatever the numbers.

Why /usr/bin/time: Linux starts a child's ru_maxrss at the RSS of the process that forked it,
so ``wait4``/RUSAGE_CHILDREN from this Python (~20 MiB) would hide anything smaller. The
tiny ``time`` binary forks instead. Without it, wait4's figure is shown, marked as a ceiling.

FOLLOWUP_NOW is pinned to the database's ``bench_now`` (written by build_db.py),
FOLLOWUP_TZ=UTC, and FOLLOWUP_CONFIG_DIR is an empty temporary directory. ``log`` is
followed each time by an untimed ``undo``, so the database is left as it was (checked).

Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, filled by the warm-up round) even
when the environment says PYTHONDONTWRITEBYTECODE: an installed wheel has its .pyc files,
and compiling every module on every run would measure the environment, not followup.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# name -> (ratio to the floor it must stay under); None: reported without a target
TARGETS = {"today": 8.0, "--version": 5.0, "show": 8.0, "log": 12.0}
MEMORY_TARGET_MB = 60.0
MEMORY_RUNS = 3
TIME = Path("/usr/bin/time")


@dataclass
class Timings:
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)  # from wait4: a ceiling, see above
    memory_kb: list[int] = field(default_factory=list)  # from /usr/bin/time
    failures: list[str] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.seconds) * 1000


def run(argv: list[str], env: dict[str, str], stdout: int | None = subprocess.DEVNULL):
    """One process: (seconds, its own peak RSS in KiB, exit code, stderr, stdout)."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=stdout or out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        out.seek(0)
        return elapsed, usage.ru_maxrss, child.returncode, err.read().decode(), out.read().decode()


def max_rss_kb(argv: list[str], env: dict[str, str]) -> int | None:
    """The command's own peak RSS (KiB), forked by /usr/bin/time rather than by us."""
    if not TIME.exists():
        return None
    with tempfile.NamedTemporaryFile("r") as report:
        code = subprocess.run(
            [str(TIME), "-f", "%M", "-o", report.name, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ).returncode
        text = report.read().strip().splitlines()
    return int(text[-1]) if code == 0 and text and text[-1].isdigit() else None


def followup_command() -> list[str]:
    """What users run: the console script beside this interpreter, if installed."""
    script = Path(sys.executable).parent / "followup"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "followup_cli"]


def pick_prospect(conn: sqlite3.Connection, now: str) -> tuple[int, str]:
    """Someone a user would log a touch for today: enrolled, contactable, due by tonight;
    among the first such, the one with the longest history (the most for `show` to read)."""
    end_of_day = now[:10] + "T23:59:59Z"
    rows = conn.execute(
        "SELECT p.id, p.name, p.cadence, p.next_due_at, "
        "(SELECT count(*) FROM touches t WHERE t.prospect_id = p.id) AS touches "
        "FROM prospects p WHERE p.cadence_status = 'active' AND p.do_not_contact = 0 "
        "AND p.next_due_at <= ? ORDER BY p.id LIMIT 200",
        [end_of_day],
    ).fetchall()
    if not rows:
        row = conn.execute("SELECT id, name, cadence, next_due_at, 0 FROM prospects").fetchone()
        rows = [row]
    best = max(rows, key=lambda r: (r[4], -r[0]))
    return best[0], f"#{best[0]} {best[1]}: {best[4]} touches, {best[2]}, due {best[3]}"


def snapshot(db: Path, prospect_id: int) -> tuple:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT * FROM prospects WHERE id = ?", [prospect_id]).fetchone()
        touches = conn.execute("SELECT count(*), max(id) FROM touches").fetchone()
        return row, touches
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a database from build_db.py")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--prospect", type=int, help="the prospect for show and log")
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist: build it with benchmarks/build_db.py")

    conn = sqlite3.connect(args.db)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    if "bench_now" not in meta:
        parser.error(f"{args.db} has no bench_now: build it with benchmarks/build_db.py")
    now = json.loads(meta["bench_now"])
    fingerprint = meta.get("cadence_fingerprint")
    prospects, touches = (
        conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("prospects", "touches")
    )
    if args.prospect:
        prospect_id = args.prospect
        who = f"#{prospect_id} (chosen with --prospect)"
    else:
        prospect_id, who = pick_prospect(conn, now)
    conn.close()

    config_dir = tempfile.mkdtemp(prefix="followup-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    for name in ("NO_COLOR", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    # A 120-column colour terminal, as a user would see it; the output itself goes nowhere.
    env.update(
        FOLLOWUP_DB=str(args.db.resolve()),
        FOLLOWUP_NOW=now,
        FOLLOWUP_TZ="UTC",
        FOLLOWUP_CONFIG_DIR=config_dir,
        PYTHONPYCACHEPREFIX=os.path.join(config_dir, "pycache"),
        COLUMNS="120",
        LINES="50",
        FORCE_COLOR="1",
    )
    followup = followup_command()
    pid = str(prospect_id)
    commands = {
        "floor": Timings([sys.executable, "-c", "import sqlite3"]),
        "--version": Timings([*followup, "--version"]),
        "today": Timings([*followup, "today"]),
        "show": Timings([*followup, "show", pid]),
        "log": Timings([*followup, "log", pid, "--channel", "email", "--outcome", "sent"]),
    }
    stats_help = run([*followup, "stats", "--help"], env)[2]
    if stats_help == 0:
        commands["stats --json"] = Timings([*followup, "stats", "--json"])
    undo = [*followup, "undo"]

    print(f"interpreter  {sys.executable} (Python {sys.version.split()[0]})")
    print(f"followup     {' '.join(followup)}")
    print(f"database     {args.db}: {prospects:,} prospects, {touches:,} touches, now {now}")
    print(f"prospect     {who}")
    print(f"runs         {args.runs} of each, round-robin; load average {_load()}")
    if stats_help != 0:
        print(f"stats        not timed: `followup stats --help` exits {stats_help}")

    before = snapshot(args.db, prospect_id)
    # One untimed round first: warms the file cache and shows each command works.
    print("\nwarm-up (untimed):")
    for name, timing in commands.items():
        seconds, peak, code, err, out = run(timing.argv, env, stdout=None)
        lines = out.count("\n")
        print(f"  {name:<13} exit {code}, {lines:,} lines of output, {seconds * 1000:,.0f} ms")
        if code != 0:
            print("    " + (_plain(err).strip().splitlines() or ["(no message)"])[-1])
        if name == "today" and code == 0:
            print("    " + "\n    ".join(_plain(out).splitlines()[:2]))
        if name == "log":
            _undo(undo, env, timing)
    conn = sqlite3.connect(args.db)
    row = conn.execute("SELECT value FROM meta WHERE key = 'cadence_fingerprint'").fetchone()
    conn.close()
    if row and row[0] != fingerprint:
        print(
            "  note: the cadence files changed since the build; the warm-up recomputed the "
            "schedules (timed runs are not affected)"
        )

    names = list(commands)
    print("timed rounds:", end="", flush=True)
    for index in range(args.runs):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:  # rotate: no command always goes first
            timing = commands[name]
            seconds, peak, code, err, _ = run(timing.argv, env)
            timing.seconds.append(seconds)
            timing.peak_kb.append(peak)
            if code != 0:
                timing.failures.append(f"exit {code}: {err.strip()[-200:]}")
            if name == "log":
                _undo(undo, env, timing)
        print(f" {index + 1}", end="", flush=True)
    print("\nmemory runs under /usr/bin/time (untimed)" if TIME.exists() else "")
    for _ in range(MEMORY_RUNS):
        for name, timing in commands.items():
            peak = max_rss_kb(timing.argv, env)
            if peak is not None:
                timing.memory_kb.append(peak)
            if name == "log":
                _undo(undo, env, timing)

    after = snapshot(args.db, prospect_id)
    shutil.rmtree(config_dir, ignore_errors=True)
    report(commands, before == after)
    return 0


def _peak_mb(timing: Timings) -> float:
    return max(timing.memory_kb or timing.peak_kb) / 1024


def _undo(undo: list[str], env: dict[str, str], timing: Timings) -> None:
    code, err = run(undo, env)[2:4]
    if code != 0:
        timing.failures.append(f"undo failed, exit {code}: {err.strip()[-200:]}")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _plain(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def report(commands: dict[str, Timings], unchanged: bool) -> None:
    floor, floor_min = commands["floor"].median_ms, commands["floor"].min_ms
    print(f"\nload average {_load()}")
    # "min ×": fastest run over the fastest floor, steadier than medians on a busy machine
    print(
        f"\n{'command':<14}{'median ms':>10}{'min ms':>9}{'× floor':>9}{'min ×':>7}"
        f"{'peak MiB':>10}   target (on the median)"
    )
    verdicts = []
    for name, timing in commands.items():
        ratio = timing.median_ms / floor
        peak = _peak_mb(timing)
        target = TARGETS.get(name)
        line = (
            f"{name:<14}{timing.median_ms:>10.1f}{timing.min_ms:>9.1f}{ratio:>8.1f}×"
            f"{timing.min_ms / floor_min:>6.1f}×{peak:>10.1f}"
        )
        if target is not None:
            verdict = "PASS" if ratio <= target else "FAIL"
            verdicts.append((f"{name} ≤ {target:g}× floor", verdict, f"{ratio:.2f}×"))
            line += f"   ≤ {target:g}×  {verdict}"
        print(line)
        for failure in timing.failures[:3]:
            print(f"    ! {_plain(failure)}")
    peak = _peak_mb(commands["today"])
    verdict = "PASS" if peak < MEMORY_TARGET_MB else "FAIL"
    verdicts.append((f"today peak memory < {MEMORY_TARGET_MB:g} MiB", verdict, f"{peak:.1f} MiB"))
    if not commands["today"].memory_kb:
        print("\n(no /usr/bin/time: peak memory is wait4's, which counts this runner's own RSS)")
    print("\ntargets:")
    for what, verdict, value in verdicts:
        print(f"  {verdict}  {what:<30} {value}")
    print(f"\ndatabase left as it was (log undone each time): {'yes' if unchanged else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())
