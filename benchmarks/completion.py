"""Time shell completion as a shell runs it: one process per Tab press.

    python benchmarks/completion.py --db /tmp/bench/big.db [--runs 15]

Each request is what bash's script sends (``COMP_WORDS``/``COMP_CWORD``), run through the
``followup`` script beside this interpreter. Prints the median and the slowest run of each,
and PASS/FAIL against issue 11's 150 ms. A report, not a test: it exits 0 whatever the numbers.
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
        timings: dict[str, list[float]] = {name: [] for name in REQUESTS}
        answers: dict[str, int] = {}
        for round_ in range(options.runs + 1):  # round 0 warms the caches, untimed
            for name, line in REQUESTS.items():
                env = {**base, "COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)}
                started = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                elapsed = (time.perf_counter() - started) * 1000
                if done.returncode != 0:
                    sys.exit(f"{name}: exit {done.returncode}: {done.stderr.strip()}")
                answers[name] = len(done.stdout.splitlines())
                if round_:
                    timings[name].append(elapsed)
    print(f"{'request':<16}{'answers':>8}{'median ms':>11}{'max ms':>9}  target {TARGET_MS:.0f} ms")
    for name, seconds in timings.items():
        median = statistics.median(seconds)
        verdict = "PASS" if median < TARGET_MS else "FAIL"
        print(f"{name:<16}{answers[name]:>8}{median:>11.1f}{max(seconds):>9.1f}  {verdict}")


if __name__ == "__main__":
    main()
