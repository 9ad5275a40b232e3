"""Time followup's commands as whole processes, against the cost of starting Python.

    python benchmarks/run.py --db /tmp/bench/300k.db [--db /tmp/bench/10k.db ...] [--runs 9]

Each command runs as a user runs it (the ``followup`` script beside this interpreter, or
``python -m followup_cli``), each run paired with a run of the floor
``python -c "import sqlite3"`` from the same interpreter just before it. A command's figure is
the median over its pairs of its CPU time (user + system) divided by the floor's: CPU time,
because wall time on a shared machine measures the neighbours. The commands take turns,
round-robin, so drift hits them all alike; each figure is printed with the median of the
1-minute load average after each of its runs (the machine is shared). Every run (the
floor's too) is started by ``/usr/bin/time``, which reports the command's own peak memory
(max RSS): Linux starts a child's ru_maxrss at the RSS of the process that forked it, so
this Python's own wait4 figure would hide anything smaller than itself. The CPU time is
the wait4 figure of that run.

``today`` is timed twice: with stdout sent to /dev/null (the plain-text path a script gets)
and under a pseudo-terminal of 120x50 (what a person at a terminal sees, painted).
Lines are counted in the warm-up run, read from a pipe. A command that takes more than
SLOW_SECONDS of CPU in its warm-up is timed --slow-runs times (1 by default), its warm-up
counting as the first (paired with a floor run just before it, as every timed run is).

A command that exits non-zero is a failure of the benchmark, never a time. The run prints
each figure next to the target of issue 15 and exits 1 when any target is missed, or when a
command failed. With several databases, ``today``, ``show`` and ``log`` must also be flat:
at the largest book at most 1.25x their ratio at the smallest. Rates (``list --all``) are
lines printed per second of CPU time above the floor's.

FOLLOWUP_NOW is pinned to the database's ``bench_now`` (written by build_db.py),
FOLLOWUP_TZ=UTC, and FOLLOWUP_CONFIG_DIR is an empty temporary directory. ``log`` is
followed each time by an untimed ``undo``, so the database is left as it was (checked).
Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, filled by the warm-up round) even
when the environment says PYTHONDONTWRITEBYTECODE: an installed wheel has its .pyc files.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TIME = Path("/usr/bin/time")
MEMORY_MIB = 40.0  # issue 15: peak memory of the daily commands, and of calendar, at any size
FLAT = 1.25  # today/show/log at the largest book over the smallest
SLOW_SECONDS = 1.5  # CPU seconds: a command slower in its warm-up gets --slow-runs runs


@dataclass
class Target:
    """What one figure must meet; ``None`` parts are not checked."""

    ratio: float | None = None  # CPU time over the floor's
    cpu_s: float | None = None  # CPU seconds
    memory: bool = False  # peak memory under MEMORY_MIB
    per_row_us: float | None = None  # CPU time above `today`'s, per line printed
    rows_per_s: float | None = None  # lines printed per CPU second above the floor's
    max_lines: int | None = None  # a listing that must be limited by default


TARGETS = {
    "--version": Target(ratio=1.2, memory=True),
    "today": Target(ratio=4.0, memory=True),
    "today (tty)": Target(ratio=4.0, memory=True),
    "today --json": Target(per_row_us=50.0, memory=True),
    "today --all": Target(per_row_us=50.0, memory=True),
    "show": Target(ratio=4.0, memory=True),
    "log": Target(ratio=4.0, memory=True),
    "draft": Target(ratio=6.0, memory=True),
    "list --stage proposal": Target(max_lines=200),
    "list --all": Target(rows_per_s=100_000, memory=True),
    "search pricing": Target(ratio=6.0),
    "stats --json": Target(cpu_s=1.0),
    "stats --since (all)": Target(cpu_s=2.0),
    "review": Target(cpu_s=1.0),
    "calendar --days 14": Target(memory=True),
    "export --touches": Target(),
}
FLAT_COMMANDS = ("today", "show", "log")


@dataclass
class Timings:
    argv: list[str]
    tty: bool = False
    runs: int = 0
    cpu: list[float] = field(default_factory=list)  # seconds
    wall: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # over the floor run just before
    memory_kb: list[int] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)  # the 1-minute load average after each run
    lines: int = 0
    marker: bytes = b"\n"  # what counts as one row printed
    failures: list[str] = field(default_factory=list)

    def record(self, done: Outcome, base: Outcome) -> None:
        """One timed run, paired with the floor run just before it."""
        self.cpu.append(done.cpu)
        self.wall.append(done.wall)
        self.ratios.append(done.cpu / base.cpu if base.cpu else float("nan"))
        if done.memory_kb is not None:
            self.memory_kb.append(done.memory_kb)
        self.loads.append(_load_now())

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    @property
    def cpu_s(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def wall_s(self) -> float:
        return statistics.median(self.wall) if self.wall else float("nan")

    @property
    def load(self) -> float:
        return statistics.median(self.loads) if self.loads else float("nan")

    @property
    def peak_mib(self) -> float | None:
        return max(self.memory_kb) / 1024 if self.memory_kb else None


@dataclass
class Outcome:
    cpu: float
    wall: float
    code: int
    err: str
    lines: int
    memory_kb: int | None = None


def run(
    argv: list[str],
    env: dict[str, str],
    *,
    tty: bool = False,
    count: bytes | None = None,
) -> Outcome:
    """One process, started by /usr/bin/time (when there is one), its output thrown away
    (or its ``count`` markers counted from a pipe): CPU and wall seconds, exit code, peak
    memory."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as report:
        timed = [str(TIME), "-f", "%M", "-o", report.name, *argv] if TIME.exists() else argv
        master = None
        if tty:
            master, slave = pty.openpty()
            stdout: int = slave
        elif count is not None:
            stdout = subprocess.PIPE
        else:
            stdout = subprocess.DEVNULL
        counted = [0]
        started = time.perf_counter()
        child = subprocess.Popen(
            timed, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err
        )
        reader = None
        if master is not None:
            os.close(slave)
            reader = threading.Thread(target=_drain, args=(master, counted, b"\n"))
            reader.start()
        elif count is not None:
            reader = threading.Thread(target=_drain, args=(child.stdout.fileno(), counted, count))
            reader.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        if reader is not None:
            reader.join()
        if master is not None:
            os.close(master)
        if child.stdout is not None:
            child.stdout.close()
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        lines = report.read().strip().splitlines()
        peak = int(lines[-1]) if code == 0 and lines and lines[-1].isdigit() else None
        return Outcome(
            usage.ru_utime + usage.ru_stime,
            wall,
            code,
            _without_time(err.read().decode(errors="replace")),
            counted[0],
            peak,
        )


def _without_time(err: str) -> str:
    """stderr without /usr/bin/time's own line about a non-zero exit."""
    return "\n".join(
        line for line in err.splitlines() if not line.startswith("Command exited with non-zero")
    )


def _drain(fd: int, counted: list[int], marker: bytes) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return
        if not chunk:
            return
        counted[0] += chunk.count(marker)


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
        rows = [conn.execute("SELECT id, name, cadence, next_due_at, 0 FROM prospects").fetchone()]
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


def has_sender(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT 1 FROM meta WHERE key = 'me'").fetchone() is not None
    finally:
        conn.close()


def has_option(followup: list[str], env: dict[str, str], command: list[str], option: str) -> bool:
    done = subprocess.run([*followup, *command, "--help"], env=env, capture_output=True, text=True)
    return done.returncode == 0 and option in done.stdout


def bench_db(path: Path, runs: int, slow_runs: int, only: set[str] | None) -> dict[str, Timings]:
    conn = sqlite3.connect(path)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    if "bench_now" not in meta:
        raise SystemExit(f"{path} has no bench_now: build it with benchmarks/build_db.py")
    now = json.loads(meta["bench_now"])
    prospects, touches = (
        conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("prospects", "touches")
    )
    prospect_id, who = pick_prospect(conn, now)
    conn.close()

    scratch = Path(tempfile.mkdtemp(prefix="followup-bench-"))
    (scratch / "config").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    for name in ("NO_COLOR", "PYTHONDONTWRITEBYTECODE", "PAGER", "MANPAGER"):
        env.pop(name, None)
    env.update(
        FOLLOWUP_DB=str(path.resolve()),
        FOLLOWUP_NOW=now,
        FOLLOWUP_TZ="UTC",
        FOLLOWUP_CONFIG_DIR=str(scratch / "config"),
        PYTHONPYCACHEPREFIX=str(scratch / "pycache"),
        COLUMNS="120",
        LINES="50",
        PAGER="cat",  # a paging listing under the pseudo-terminal must not wait for a key
    )
    followup = followup_command()
    pid = str(prospect_id)
    since_all = "2000-01-01"
    list_all = ["list", "--all"]
    if has_option(followup, env, ["list"], "--format"):
        list_all += ["--format", "tsv"]
    commands = {
        "--version": Timings([*followup, "--version"]),
        "today": Timings([*followup, "today"]),
        "today (tty)": Timings([*followup, "today"], tty=True),
        "today --json": Timings([*followup, "today", "--json"], marker=b'"due_at"'),
        "today --all": Timings([*followup, "today", "--all"]),
        "show": Timings([*followup, "show", pid]),
        "log": Timings([*followup, "log", pid, "--channel", "email", "--outcome", "sent"]),
        # breakup has A/B variants (counted over every touch sent with it); the bench book
        # has no custom fields, so the one it needs is given.
        "draft": Timings(
            [*followup, "draft", pid, "--template", "breakup", "--var", "pain_point=renewals"]
        ),
        "list --stage proposal": Timings([*followup, "list", "--stage", "proposal"]),
        "list --all": Timings([*followup, *list_all]),
        "search pricing": Timings([*followup, "search", "pricing"]),
        "stats --json": Timings([*followup, "stats", "--json"]),
        "stats --since (all)": Timings([*followup, "stats", "--json", "--since", since_all]),
        "review": Timings([*followup, "review"]),
        "calendar --days 14": Timings(
            [*followup, "calendar", str(scratch / "due.ics"), "--days", "14"]
        ),
        "export --touches": Timings(
            [*followup, "export", str(scratch / "touches.csv"), "--touches"]
        ),
    }
    if only:
        commands = {name: t for name, t in commands.items() if name in only}
    floor = [sys.executable, "-c", "import sqlite3"]
    undo = [*followup, "undo"]
    if has_option(followup, env, ["undo"], "--yes"):
        undo.append("--yes")  # the journal names each run's process: the log was "another's"

    print(f"\n=== {path}: {prospects:,} prospects, {touches:,} touches, now {now}")
    print(f"prospect     {who}")
    print(f"followup     {' '.join(followup)}  (Python {sys.version.split()[0]})")
    print(f"load average {_load()}")
    if not has_sender(path):
        subprocess.run([*followup, "me", "--name", "Bench Seller"], env=env, capture_output=True)
        print("sender       none in the database: set with `followup me --name` (kept)")
    before = snapshot(path, prospect_id)
    print("warm-up: exit code, lines printed, wall time (a slow one's counts as its first run)")
    for name, timing in commands.items():
        base = run(floor, env)
        done = run(timing.argv, env, tty=timing.tty, count=None if timing.tty else timing.marker)
        timing.lines = done.lines
        slow = done.cpu > SLOW_SECONDS
        timing.runs = slow_runs if slow else runs
        print(
            f"  {name:<22} exit {done.code}, {done.lines:>9,} lines, {done.wall * 1000:>9,.0f} ms"
        )
        if done.code != 0:
            message = (_plain(done.err).strip().splitlines() or ["(no message)"])[-1]
            timing.failures.append(f"exit {done.code}: {message}")
            print(f"    ! {message}")
        elif slow:  # read from a pipe rather than thrown away: the same work, counted once
            timing.record(done, base)
            timing.runs -= 1
        if name == "log" and done.code == 0:
            _undo(undo, env, timing)

    print("timed rounds:", end="", flush=True)
    names = [name for name, t in commands.items() if not t.failures]
    for index in range(max([t.runs for t in commands.values()] + [0])):
        shift = index % max(1, len(names))
        for name in names[shift:] + names[:shift]:  # rotate: no command always goes first
            timing = commands[name]
            if index >= timing.runs or timing.failures:
                continue
            base = run(floor, env)
            done = run(timing.argv, env, tty=timing.tty)
            if done.code != 0:
                message = (_plain(done.err).strip().splitlines() or ["(no message)"])[-1]
                timing.failures.append(f"exit {done.code}: {message}")
            else:
                timing.record(done, base)
            if name == "log":
                _undo(undo, env, timing)
        print(f" {index + 1}", end="", flush=True)
    print()
    floors = [run(floor, env) for _ in range(runs)]
    commands["floor"] = Timings(
        floor,
        cpu=[f.cpu for f in floors],
        ratios=[1.0] * runs,
        memory_kb=[f.memory_kb for f in floors if f.memory_kb is not None],
        loads=[_load_now()],
    )
    after = snapshot(path, prospect_id)
    if before != after:
        commands["log"].failures.append("the database changed: log was not undone")
    shutil.rmtree(scratch, ignore_errors=True)
    return commands


def _undo(undo: list[str], env: dict[str, str], timing: Timings) -> None:
    done = run(undo, env)
    if done.code != 0:
        timing.failures.append(f"undo failed, exit {done.code}: {done.err.strip()[-200:]}")


def _load_now() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def verdicts(commands: dict[str, Timings]) -> list[tuple[str, str, bool]]:
    """(what, measured, met) for each target of each command."""
    found = []
    base = commands.get("today")
    floor_cpu = commands["floor"].cpu_s
    for name, timing in commands.items():
        if timing.failures:
            found.append((f"{name} runs", timing.failures[0], False))
            continue
        target = TARGETS.get(name)
        if target is None:
            continue
        if target.ratio is not None:
            found.append(
                (
                    f"{name} ≤ {target.ratio:g}× floor",
                    f"{timing.ratio:.2f}×",
                    timing.ratio <= target.ratio,
                )
            )
        if target.cpu_s is not None:
            found.append(
                (
                    f"{name} ≤ {target.cpu_s:g} s CPU",
                    f"{timing.cpu_s:.2f} s",
                    timing.cpu_s <= target.cpu_s,
                )
            )
        if target.memory and timing.peak_mib is not None:
            found.append(
                (
                    f"{name} peak < {MEMORY_MIB:g} MiB",
                    f"{timing.peak_mib:.1f} MiB",
                    timing.peak_mib < MEMORY_MIB,
                )
            )
        if target.per_row_us is not None and base is not None and not base.failures:
            extra = max(0.0, timing.cpu_s - base.cpu_s)
            per_row = extra / max(1, timing.lines) * 1e6
            found.append(
                (
                    f"{name} ≤ {target.per_row_us:g} µs/row over today",
                    f"{per_row:.1f} µs",
                    per_row <= target.per_row_us,
                )
            )
        if target.rows_per_s is not None:
            rate = timing.lines / max(timing.cpu_s - floor_cpu, 1e-6)
            found.append(
                (
                    f"{name} ≥ {target.rows_per_s:,.0f} lines/s of CPU",
                    f"{rate:,.0f}/s",
                    rate >= target.rows_per_s,
                )
            )
        if target.max_lines is not None:
            found.append(
                (
                    f"{name} prints ≤ {target.max_lines} lines by default",
                    f"{timing.lines:,}",
                    timing.lines <= target.max_lines,
                )
            )
    return found


def report(commands: dict[str, Timings]) -> list[tuple[str, str, bool]]:
    floor = commands["floor"]
    print(f"load average {_load()}; floor median {floor.cpu_s * 1000:.1f} ms CPU")
    print(
        f"{'command':<24}{'× floor':>9}{'CPU ms':>10}{'wall ms':>10}{'peak MiB':>10}"
        f"{'lines':>11}{'load':>6}  runs"
    )
    for name, timing in commands.items():
        if name == "floor":
            continue
        peak = f"{timing.peak_mib:.1f}" if timing.peak_mib is not None else "-"
        if timing.failures:
            print(f"{name:<24}{'FAILED':>9}  {timing.failures[0]}")
            continue
        print(
            f"{name:<24}{timing.ratio:>8.1f}×{timing.cpu_s * 1000:>10.0f}"
            f"{timing.wall_s * 1000:>10.0f}{peak:>10}{timing.lines:>11,}{timing.load:>6.1f}"
            f"  {len(timing.cpu)}"
        )
    found = verdicts(commands)
    print("targets (issue 15):")
    for what, value, met in found:
        owner = max((n for n in commands if what.startswith(f"{n} ")), key=len, default="floor")
        load = commands[owner].load  # the median load average over that command's runs
        print(f"  {'PASS' if met else 'FAIL'}  {what:<44} {value:<12} load {load:.1f}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        action="append",
        required=True,
        help="a database from build_db.py (repeat: smallest first, for the flatness check)",
    )
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each command")
    parser.add_argument(
        "--slow-runs", type=int, default=1, help=f"runs of commands over {SLOW_SECONDS} s of CPU"
    )
    parser.add_argument("--only", action="append", help="time only this command (repeatable)")
    args = parser.parse_args()
    for path in args.db:
        if not path.is_file():
            parser.error(f"{path} does not exist: build it with benchmarks/build_db.py")
    print(f"interpreter  {sys.executable}; {args.runs} runs each, paired with the floor")
    results = {}
    missed = 0
    for path in args.db:
        commands = bench_db(path, args.runs, args.slow_runs, set(args.only or ()) or None)
        results[path] = commands
        missed += sum(not met for _, _, met in report(commands))
    if len(results) > 1:
        first, last = results[args.db[0]], results[args.db[-1]]
        print(f"\nflat from {args.db[0].name} to {args.db[-1].name} (≤ {FLAT:g}×):")
        for name in FLAT_COMMANDS:
            if name in first and name in last and not (first[name].failures or last[name].failures):
                growth = last[name].ratio / first[name].ratio
                met = growth <= FLAT
                missed += not met
                print(f"  {'PASS' if met else 'FAIL'}  {name:<10} {growth:.2f}×")
    print(f"\n{'every target met' if not missed else f'{missed} target(s) missed'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
