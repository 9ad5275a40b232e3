"""How fast `followup work` answers: its first screen, and each key after it.

    python benchmarks/bench_work.py --db /work/bench/work-100k.db [--runs 5] [--keys 40]

The database is copied (SQLite's backup) to a temporary folder first (the keys write touches), and
FOLLOWUP_NOW is pinned to its ``bench_now`` (build_db.py writes it), FOLLOWUP_TZ=UTC, with
an empty config dir.

First screen: the installed ``followup work`` is started ``--runs`` times in a real 80x24
pseudo-terminal, and the clock stops when the queue's focus mark (``›``) and the prospect
pane's "Due" line have both been drawn. Reported: wall time (start to screen), and the CPU
time (user + system) the process had used by then, read from /proc; on a shared machine
the CPU time is the figure that says what the command costs.

Keys: the screen is run in this process on a pipe (as the tests drive it) at 80x24, and
each key's latency is the time from writing it to the end of the first redraw after the
key was handled: ``k`` (skip), ``s`` (log as sent, with the draft), ``u`` (undo), ``down``
and ``up`` (move), in turns. The draft of the new focus is made after that redraw (it is
reported apart, as "draft shown"). Targets (issue 16): first screen within 0.5 s at 100k
prospects, each key within 100 ms. It exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import select
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

FIRST_SCREEN_S = 0.5
KEY_S = 0.1


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a running process (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def first_screen(env: dict[str, str], followup: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds) until the first screen is drawn in a pseudo-terminal, and
    how long ``k`` (skip), pressed the moment it is there, takes to be answered."""
    import fcntl
    import pty
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, as a user starts it
        os.execve(followup, [followup, "work"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen, wall, cpu, pressed, answered = b"", None, None, None, None
    try:
        while answered is None and time.perf_counter() - start < 60:
            ready, _, _ = select.select([fd], [], [], 0.002)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if b"\x1b[6n" in chunk:  # where is the cursor? a terminal answers at once
                    os.write(fd, b"\x1b[1;1R")
                if wall is None and "›".encode() in seen and b"Due " in seen:
                    wall, cpu = time.perf_counter() - start, cpu_of(pid)
                    pressed, seen = time.perf_counter(), b""
                    os.write(fd, b"k")
                elif pressed is not None and b"Skipped" in seen:
                    answered = time.perf_counter() - pressed
        if wall is None or answered is None:
            raise SystemExit(f"followup work drew no screen or did not skip: {seen[-400:]!r}")
        os.write(fd, b"q")
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:  # read to the end, so it is not blocked
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    if not os.read(fd, 65536):
                        break
                except OSError:
                    break
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"followup work exited {os.waitstatus_to_exitcode(status)}")
    return wall, cpu, answered


async def keys(db: Path, count: int) -> dict[str, list[float]]:
    """Latency of each kind of key, and how long until the next draft was shown."""
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from followup_cli.cli import work_app
    from followup_cli.core import config
    from followup_cli.core.settings import settings
    from followup_cli.pipeline.morning import Morning
    from followup_cli.store import memo
    from followup_cli.store.target import connect

    conn = connect(db)
    memo.attach(conn)  # as the command's session does: cadences parsed once, kept
    tz = config.user_timezone()
    limit = settings().today.limit  # the command's default
    morning = Morning(conn, clock=config.now, user_tz=tz, limit=limit).load()
    found: dict[str, list[float]] = {}
    renders: list[tuple[float, int]] = []  # when each redraw ended, and the keys handled by then
    with create_pipe_input() as pipe:
        output = Vt100_Output(io.StringIO(), lambda: Size(24, 80), term="xterm", enable_cpr=False)
        screen = work_app.WorkScreen(morning, tz=tz, input=pipe, output=output)
        screen.app.after_render += lambda _: renders.append(
            (time.perf_counter(), screen.keys_handled)
        )
        running = asyncio.ensure_future(screen.app.run_async())
        while not screen.idle() or not renders:
            await asyncio.sleep(0.005)
        plan = ["k", "s", "u", "\x1b[B", "\x1b[A"]  # skip, sent, undo, down, up
        names = {"k": "k skip", "s": "s sent", "u": "u undo", "\x1b[B": "down", "\x1b[A": "up"}
        for turn in range(count):
            key = plan[turn % len(plan)]
            await asyncio.sleep(0.05)  # as a person: a key, a look, a key
            before, drawn = screen.keys_handled, len(renders)
            sent, cpu = time.perf_counter(), time.process_time()
            pipe.send_text(key)
            # the first redraw that shows the key handled
            while not any(handled > before for _, handled in renders[drawn:]):
                await asyncio.sleep(0.001)
            shown = next(at for at, handled in renders[drawn:] if handled > before)
            found.setdefault(names[key], []).append(shown - sent)
            found.setdefault(names[key] + " CPU", []).append(time.process_time() - cpu)
            while not screen.idle():
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.02)  # the redraw after the draft was made
            found.setdefault("draft shown", []).append(renders[-1][0] - sent)
        pipe.send_text("q")
        await asyncio.wait_for(running, 30)
    conn.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="followup-bench-work-"))
    try:
        db = scratch / "work.db"
        source = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        copy = sqlite3.connect(db)
        source.backup(copy)  # a consistent copy, even of a book in use
        source.close()
        copy.close()
        with sqlite3.connect(db) as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            prospects = conn.execute("SELECT count(*) FROM prospects").fetchone()[0]
        if "bench_now" not in meta:
            raise SystemExit(f"{args.db} has no bench_now: build it with benchmarks/build_db.py")
        (scratch / "config").mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
        # Bytecode is cached (the warm-up fills it) even where the environment says not to
        # write it: an installed wheel has its .pyc files. NO_COLOR would change the screen.
        for name in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR"):
            env.pop(name, None)
        env.update(
            PYTHONPYCACHEPREFIX=str(scratch / "pycache"),
            FOLLOWUP_DB=str(db),
            FOLLOWUP_NOW=json.loads(meta["bench_now"]),
            FOLLOWUP_TZ="UTC",
            FOLLOWUP_CONFIG_DIR=str(scratch / "config"),
            TERM="xterm",
        )
        os.environ.update(env)
        followup = str(Path(sys.executable).with_name("followup"))
        first_screen(env, followup)  # warm-up: bytecode and the page cache
        load = os.getloadavg()
        screens = [first_screen(env, followup) for _ in range(args.runs)]
        load = max(load, os.getloadavg())
        walls, cpus, firsts = ([run[i] for run in screens] for i in range(3))
        print(
            f"{args.db.name}: {prospects:,} prospects · load average {load[0]:.1f} "
            f"(5 min {load[1]:.1f})",
            flush=True,
        )
        ok = True
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = "PASS" if wall <= FIRST_SCREEN_S else "FAIL"
        ok &= verdict == "PASS"
        print(
            f"first screen   median {wall * 1000:6.0f} ms wall, {cpu * 1000:4.0f} ms CPU "
            f"(min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f} ms wall)   "
            f"target ≤ {FIRST_SCREEN_S * 1000:.0f} ms  {verdict}",
            flush=True,
        )
        first = statistics.median(firsts)
        print(
            f"first key      median {first * 1000:6.0f} ms wall (max {max(firsts) * 1000:.0f})"
            "   k pressed the moment the first screen is there: the screen library is still"
            " loading (no target of its own)",
            flush=True,
        )
        for name, times in asyncio.run(keys(db, args.keys)).items():
            times.sort()
            median, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
            target = name != "draft shown" and not name.endswith("CPU")
            verdict = ("PASS" if median <= KEY_S else "FAIL") if target else "(no target)"
            ok &= verdict != "FAIL"
            print(
                f"{name:<14} median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  "
                f"max {times[-1] * 1000:6.1f} ms  n={len(times)}   "
                + (f"target ≤ {KEY_S * 1000:.0f} ms  {verdict}" if target else verdict),
                flush=True,
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
