"""Many writers at once: does every `followup log` get through, and how long does each take?

    python benchmarks/bench_concurrency.py [--workers 40] [--each 25] [--prospects 10]
                                           [--spawn]

Builds a fresh database in a temporary folder (``--prospects`` people, each in a cadence),
then starts ``--workers`` processes at once, each running ``--each`` `followup log` commands
one after another, several workers per prospect so that plans go stale and are redone.
Meanwhile one more loop runs the readers (`today`, `stats`, `search`, `backup`, each a
process of its own) until the writers finish.

A worker process runs the real command line (``followup_cli.main``, as the `followup`
script does) once per `log`, so the latency of each `log` is that of the command itself:
resolving, planning, waiting for the write lock, writing, printing. ``--spawn`` starts a new
`followup` process for every `log` instead; that latency then adds Python's start-up and
imports (about 0.17 s of CPU each), which on 2 shared cores dominates everything else.

Prints how many touches were stored, how many `log` runs failed (and their first error),
the latency of a `log` (median, p95, max) and its CPU time, the readers' runs and failures,
and PASS/FAIL against issue 9's targets: every touch stored, none refused, p95 under 2 s, no reader
failing. Exits 1 on FAIL. A report for a person, not a timed test
(tests/store/test_concurrency.py proves, with fewer processes, that none is refused).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

P95_TARGET_S = 2.0


def followup() -> list[str]:
    script = Path(sys.executable).with_name("followup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "followup_cli"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [*followup(), *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    return time.perf_counter() - start, done.returncode, done.stderr.strip()


def spawn(args: list[str], env: dict[str, str]) -> tuple[float, int, str, float]:
    """One `followup` process: (seconds, exit status, stderr, its own CPU seconds)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [*followup(), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    process.stdout.read()  # a log says a few lines: neither pipe fills
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    took = time.perf_counter() - start
    return took, process.returncode, err.strip(), usage.ru_utime + usage.ru_stime


# One worker process: runs each `followup ...` of argv[1] (JSON) in turn, as the `followup`
# script does (followup_cli.main: the daily commands' hot path, else the Typer app), and
# prints [seconds, exit status, stderr] for each as JSON. A `show` first, untimed, imports
# what every daily command needs, as a process that has already run one would have.
WORKER = """
import contextlib, io, json, sys, time
from followup_cli.main import main

def once(job):
    sys.argv = ["followup", *job]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code or 0
        except Exception as error:
            code, err = 1, io.StringIO(repr(error))
    return code, err.getvalue().strip()

jobs = json.loads(sys.argv[1])
once(["show", jobs[0][1]])
results = []
for job in jobs:
    start, cpu = time.perf_counter(), time.process_time()
    code, err = once(job)
    results.append([time.perf_counter() - start, code, err, time.process_time() - cpu])
print(json.dumps(results))
"""


def build(folder: Path, prospects: int, env: dict[str, str]) -> None:
    source = folder / "people.csv"
    lines = ["name,email,company,stage"]
    lines += [f"Person {n:03},p{n}@example.com,Firm {n},proposal" for n in range(prospects)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, code, err = run(["import", str(source), "--cadence", "steli-persistence"], env)
    if code:
        sys.exit(f"could not build the database: {err}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument("--each", type=int, default=25)
    parser.add_argument("--prospects", type=int, default=10)
    parser.add_argument("--spawn", action="store_true", help="a new process for every log")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="followup-concurrency-"))
    env = {
        **os.environ,
        "FOLLOWUP_DB": str(folder / "followup.db"),
        "FOLLOWUP_CONFIG_DIR": str(folder / "config"),
        "FOLLOWUP_TZ": "UTC",
    }
    env.pop("FOLLOWUP_NOW", None)
    build(folder, args.prospects, env)
    load = os.getloadavg()[0]

    latencies: list[float] = []
    cpu: list[float] = []
    failures: list[str] = []
    reads: dict[str, list[int]] = {}
    read_errors: list[str] = []
    lock = threading.Lock()
    writing = threading.Event()
    writing.set()

    def writer(number: int) -> None:
        who = f"p{number % args.prospects}@example.com"
        jobs = []
        for touch in range(args.each):
            outcome = ("sent", "no_answer", "voicemail")[touch % 3]
            note = f"worker {number} touch {touch}"
            jobs.append(["log", who, "-c", "call", "-o", outcome, "-n", note])
        if args.spawn:
            results = [spawn(job, env) for job in jobs]
        else:
            done = subprocess.run(
                [sys.executable, "-c", WORKER, json.dumps(jobs)],
                env=env,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            try:
                results = [tuple(r) for r in json.loads(done.stdout.splitlines()[-1])]
            except (IndexError, ValueError):
                results = [(0.0, 1, f"worker crashed: {done.stderr[-500:]}", 0.0)] * len(jobs)
        with lock:
            for took, code, err, used in results:
                latencies.append(took)
                cpu.append(used)
                if code:
                    failures.append(err)

    def reader() -> None:
        commands = [
            ["today", "--all"],
            ["stats"],
            ["search", "worker"],
            ["backup", str(folder / "copy.db"), "--force"],
        ]
        while writing.is_set():
            for command in commands:
                _, code, err = run(command, env)
                reads.setdefault(command[0], [0, 0])[0] += 1
                if code:
                    reads[command[0]][1] += 1
                    read_errors.append(f"{command[0]}: {err}")

    started = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.workers)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writing.clear()
    watcher.join()
    wall = time.perf_counter() - started

    conn = sqlite3.connect(folder / "followup.db")
    stored = conn.execute("SELECT count(*) FROM touches WHERE note LIKE 'worker %'").fetchone()[0]
    conn.close()
    wanted = args.workers * args.each
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    how = "a new process each" if args.spawn else "in-process, one process per writer"
    print(f"{args.workers} writers x {args.each} `followup log` ({how}), {args.prospects} people")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} before; {wall:.0f} s in all")
    print(f"stored:   {stored}/{wanted}")
    print(f"refused:  {len(failures)}" + (f"  first: {failures[0]}" if failures else ""))
    print(
        f"latency:  median {statistics.median(latencies):.2f} s · p95 {p95:.2f} s · "
        f"max {latencies[-1]:.2f} s"
    )
    print(
        f"cpu:      {statistics.mean(cpu):.3f} s per log on average ({how}; "
        "its own CPU time, which a loaded machine inflates too)"
    )
    for name, (count, failed) in sorted(reads.items()):
        print(f"reader:   {name:<7} {count} runs, {failed} failed")
    if read_errors:
        print(f"          first: {read_errors[0]}")
    checks = {
        "every touch stored": stored == wanted,
        "none refused": not failures,
        f"p95 under {P95_TARGET_S:.0f} s": p95 < P95_TARGET_S,
        "readers never fail": not read_errors,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
