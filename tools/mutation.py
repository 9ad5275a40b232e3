"""Mutation testing of the rules users rely on: does a test fail when the rule is broken?

    python tools/mutation.py            # run mutmut (niced, 2 workers), then the report
    python tools/mutation.py report     # the score of the last run, module by module
    python tools/mutation.py named      # the hand-made mutants mutmut cannot make
    python tools/mutation.py run NAME.. # only these mutants (fnmatch globs), then the report

mutmut's settings (which modules, which test folders) are in pyproject.toml under
[tool.mutmut]. mutmut copies the project into mutants/ and runs each mutant against only the
tests that called the mutated function, so a run over all the modules takes about an hour and
a half on two busy cores; it is not part of .ci/run.

The score is killed / (mutants run - equivalent). A timeout counts as killed (the mutant hung
the tests: they noticed). Mutants that cannot change behaviour are listed, each with why, in
tests/mutation/equivalent.txt (``name  reason``, one a line), and left out of the score.

mutmut mutates code inside functions only. The rules that are module-level data (the default
``stop_on``, the outcomes that count as an answer, the characters a spreadsheet runs) are
mutated by hand below (``NAMED``): each is applied to a copy of the source, and the tests that
guard it must fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.txt"
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, or a timeout
SURVIVED = {0, 5, 33}  # the tests passed, or no test ran the function at all

# (what it breaks, file, text, mutated text, tests that must fail): rules mutmut cannot reach.
NAMED = [
    (
        "meeting left out of the default stop_on",
        "src/followup_cli/core/vocab.py",
        'DEFAULT_STOP_ON = ("replied", "meeting", "won", "lost", "opted_out")',
        'DEFAULT_STOP_ON = ("replied", "won", "lost", "opted_out")',
        ["tests/pipeline/test_outcomes.py"],
    ),
    (
        "touches CSV written without neutralise",
        "src/followup_cli/data/exporter.py",
        '        cells = ["" if row[f] is None else str(row[f]) for f in TOUCH_FIELDS]\n'
        "        writer.writerow([neutralise(cell) for cell in cells])",
        '        cells = ["" if row[f] is None else str(row[f]) for f in TOUCH_FIELDS]\n'
        "        writer.writerow(cells)",
        ["tests/data/test_export.py"],
    ),
    (
        "prospects CSV written without neutralise",
        "src/followup_cli/data/exporter.py",
        "        writer.writerow([neutralise(cell) for cell in cells])\n        count += 1\n"
        "    return count\n\n\n# --- touches",
        "        writer.writerow(cells)\n        count += 1\n    return count\n\n\n# --- touches",
        ["tests/data/test_export.py"],
    ),
    (
        "'-' no longer starts a formula",
        "src/followup_cli/data/columns.py",
        'FORMULA_STARTS = ("=", "+", "-", "@", "\\t", "\\r")',
        'FORMULA_STARTS = ("=", "+", "@", "\\t", "\\r")',
        ["tests/data/test_export.py"],
    ),
    (
        "not_now no longer an answer",
        "src/followup_cli/core/vocab.py",
        'ANSWERED = frozenset({"replied", "meeting", "not_now", "won", "lost", "opted_out"})',
        'ANSWERED = frozenset({"replied", "meeting", "won", "lost", "opted_out"})',
        ["tests/insight", "tests/pipeline"],
    ),
    (
        "bounced no longer 'not delivered'",
        "src/followup_cli/core/vocab.py",
        'NOT_DELIVERED = frozenset({"bounced", "out_of_office"})',
        'NOT_DELIVERED = frozenset({"out_of_office"})',
        ["tests/pipeline/test_outcomes.py"],
    ),
    (
        "lost no longer moves to lost-deal",
        "src/followup_cli/core/vocab.py",
        '    "lost": "lost-deal",\n    "not_now"',
        '    "not_now"',
        ["tests/pipeline/test_outcomes.py"],
    ),
    (
        "won no longer makes a customer",
        "src/followup_cli/core/vocab.py",
        '    "won": "customer",\n',
        "",
        ["tests/pipeline/test_outcomes.py"],
    ),
]


def equivalents() -> dict[str, str]:
    found = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" ")
            found[name] = why.strip()
    return found


def results() -> dict[str, dict[str, int | None]]:
    """Each mutated module's mutants and their exit codes, from mutmut's files."""
    by_module = {}
    for meta in sorted((ROOT / "mutants").glob("src/**/*.py.meta")):
        module = meta.relative_to(ROOT / "mutants" / "src").as_posix().removesuffix(".meta")
        by_module[module] = json.loads(meta.read_text())["exit_code_by_key"]
    return by_module


def report() -> int:
    known = equivalents()
    total = Counter()
    survivors = []
    header = ("module", "mutants", "killed", "surv.", "equiv.", "not run")
    print(f"{header[0]:38} " + " ".join(f"{h:>7}" for h in header[1:]) + " score")
    for module, codes in results().items():
        count = Counter()
        for name, code in codes.items():
            if code is None:
                count["not run"] += 1
            elif name in known:
                count["equivalent"] += 1
            elif code in KILLED:
                count["killed"] += 1
            else:
                count["survived"] += 1
                survivors.append(name)
        count["mutants"] = len(codes)
        total.update(count)
        print(_line(module, count))
    print(_line("all", total))
    if survivors:
        print("\nSurvivors (mutmut show NAME):")
        print("\n".join(f"  {name}" for name in survivors))
    stale = sorted(set(known) - {n for codes in results().values() for n in codes})
    if stale:
        print(f"\n{len(stale)} listed equivalents are no longer mutants (the code changed).")
    return 0


def _line(module: str, c: Counter) -> str:
    judged = c["killed"] + c["survived"]
    score = f"{100 * c['killed'] / judged:.1f}%" if judged else "-"
    return (
        f"{module:38} {c['mutants']:>7} {c['killed']:>7} {c['survived']:>7} "
        f"{c['equivalent']:>7} {c['not run']:>7} {score}"
    )


def named() -> int:
    """Apply each hand-made mutant to a copy of the source; its tests must fail."""
    survived = 0
    for label, file, text, mutated, tests in NAMED:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder)
            for part in ("src", "cadences", "templates"):
                shutil.copytree(ROOT / part, copy / part)
            source = (ROOT / file).read_text(encoding="utf-8")
            if source.count(text) != 1:
                print(f"? {file}: the text to mutate is not there once; update NAMED")
                survived += 1
                continue
            (copy / file).write_text(source.replace(text, mutated), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(copy / "src")}
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            verdict = "killed" if run.returncode == 1 else "SURVIVED"
            survived += run.returncode != 1
            print(f"{verdict:8} {label} ({file})")
    print(f"{len(NAMED) - survived} of {len(NAMED)} hand-made mutants killed.")
    return 1 if survived else 0


def mutmut(*args: str) -> None:
    subprocess.run(["nice", "-n", "19", "mutmut", "run", "--max-children", "2", *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    if not argv:
        mutmut()
        named()
        return report()
    if argv[0] == "report":
        return report()
    if argv[0] == "named":
        return named()
    if argv[0] == "run":
        mutmut(*argv[1:])
        return report()
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
