"""Time shell completion as a shell runs it: one process per Tab press.

    python benchmarks/completion.py --db /tmp/bench/big.db [--runs 15]

Each request is what bash's script sends (``COMP_WORDS``/``COMP_CWORD``), run through the
``followup`` script beside this interpreter, next to the floor ``python -c "import sqlite3"``.
Prints the median wall time and the median CPU time (user + system, from ``wait4``: on a
busy machine the wall clock mostly measures the other processes) of each, and PASS/FAIL of
the CPU time against issue 11's 150 ms. A report, not a test: it exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 150.0
REQUESTS = {
    "prospect name": "followup show ma",
    "prospect id": "followup log 123",
    "tag": "followup list --tag ",
    "cadence": "followup enroll 42 post-",
    "template": "followup draft 42 --template b",
    "outcome": "followup log 42 --outcome ",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    script = Path(sys.executable).with_name("followup")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "followup_cli"]
    with tempfile.TemporaryDirectory() as config, tempfile.TemporaryDirectory() as cache:
        base = {**os.environ, "FOLLOWUP_DB": str(options.db), "FOLLOWUP_CONFIG_DIR": config}
        base.update(PYTHONPYCACHEPREFIX=cache, _FOLLOWUP_COMPLETE="complete_bash")
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        wall: dict[str, list[float]] = {name: [] for name in ["(floor)", *REQUESTS]}
        cpu: dict[str, list[float]] = {name: [] for name in wall}
        answers: dict[str, int] = {"(floor)": 0}
        for round_ in range(options.runs + 1):  # round 0 warms the caches, untimed
            for name in wall:
                line = REQUESTS.get(name, "")
                env = {**base, "COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)}
                argv = [sys.executable, "-c", "import sqlite3"] if name == "(floor)" else command
                seconds, used, code, out, err = _run(argv, env)
                if code != 0:
                    sys.exit(f"{name}: exit {code}: {err.strip()}")
                if name != "(floor)":
                    answers[name] = len(out.splitlines())
                if round_:
                    wall[name].append(seconds * 1000)
                    cpu[name].append(used * 1000)
    print(
        f"{'request':<16}{'answers':>8}{'wall ms':>9}{'cpu ms':>8}  target: cpu < {TARGET_MS:.0f}"
    )
    for name in wall:
        median_cpu = statistics.median(cpu[name])
        verdict = "" if name == "(floor)" else "PASS" if median_cpu < TARGET_MS else "FAIL"
        print(
            f"{name:<16}{answers[name]:>8}{statistics.median(wall[name]):>9.1f}"
            f"{median_cpu:>8.1f}  {verdict}"
        )


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, str, str]:
    """One process: wall seconds, CPU seconds (user + system), exit code, stdout, stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        used = usage.ru_utime + usage.ru_stime
        return elapsed, used, code, out.read().decode(), err.read().decode()


if __name__ == "__main__":
    main()
