"""Run the bad-input corpus (tests/cli/bad_inputs.py) as real processes and count what a
user would have met: tracebacks, hangs, wrong exit statuses and messages that are not one line.

    nice -n 19 python benchmarks/bad_inputs.py [--src PATH/TO/src] [--timeout 20] [--jobs 2]

``--src`` runs another checkout's code (e.g. an older main) against the same corpus.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "cli"))

from bad_inputs import CASES, SEED, Case  # noqa: E402

NOW = "2026-11-23T08:00:00-07:00"
RUN = "import sys; sys.argv[0] = 'followup'; from followup_cli.main import main; main()"


def env_for(folder: Path, src: str | None, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    env.update(
        FOLLOWUP_DB=str(folder / "followup.db"),
        FOLLOWUP_CONFIG_DIR=str(folder / "config"),
        FOLLOWUP_TZ="America/Denver",
        FOLLOWUP_NOW=NOW,
        HOME=str(folder / "home"),
        COLUMNS="120",
        NO_COLOR="1",
    )
    if src:
        env["PYTHONPATH"] = src
    env.update(extra)
    return env


def followup(args: list[str], env: dict[str, str], timeout: float) -> tuple[int | None, str]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUN, *args],
            env=env,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None, ""
    return done.returncode, done.stderr.decode("utf-8", "replace")


def seed(folder: Path, src: str | None) -> Path:
    env = env_for(folder, src, {})
    for args in SEED:
        code, err = followup(args, env, 60)
        assert code == 0, err
    return folder / "followup.db"


def one(case: Case, seeded: Path, src: str | None, timeout: float) -> str:
    if any("\x00" in word for word in case.args):
        return "skipped (NUL cannot be in a process argument)"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copy(seeded, folder / "followup.db")
        for relative, content in case.files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        args = [w.replace("{tmp}", name).replace("{config}", f"{name}/config") for w in case.args]
        code, err = followup(args, env_for(folder, src, case.env), timeout)
    if code is None:
        return "hang"
    if "Traceback" in err:
        return "traceback"
    if code != case.exit:
        return "wrong exit"
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    if len(errors) != 1 or case.message not in err:
        return "wrong message"
    return "ok"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", help="the src/ folder of the code to run (default: installed)")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        seeded = seed(Path(name), options.src)
        with ThreadPoolExecutor(options.jobs) as pool:
            outcomes = list(pool.map(lambda c: one(c, seeded, options.src, options.timeout), CASES))
    totals: dict[str, int] = {}
    for case, outcome in zip(CASES, outcomes, strict=True):
        totals[outcome] = totals.get(outcome, 0) + 1
        if options.verbose and outcome != "ok":
            print(f"{outcome:14} {case.id}")
    print(f"cases: {len(CASES)}", *(f"{k}: {v}" for k, v in sorted(totals.items())), sep="\n")


if __name__ == "__main__":
    main()
