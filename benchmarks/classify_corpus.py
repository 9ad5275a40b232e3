"""Run the mail classifier over a folder of real-world messages and count what it says.

    python benchmarks/classify_corpus.py PATH [PATH...]

For checking the classifier against a corpus of bounces and auto-replies: the subset in
tests/mail/corpus (whose test asserts each file's kind), or a whole public corpus kept
outside this repository. Each .eml file (or Maildir/mbox message) is classified as
`followup mail` would, and the counts per kind are printed, with how many bounces named
the failed address and a status.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from followup_cli.mail import sources
from followup_cli.mail.classify import classify


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="a line per message")
    args = parser.parse_args()
    found, _ = sources.find(args.paths, set())
    kinds: Counter[str] = Counter()
    named = with_status = 0
    for source in found:
        for mail in sources.messages(source):
            verdict = classify(mail)
            kinds[verdict.kind] += 1
            if verdict.kind == "bounce":
                named += bool(verdict.failed)
                with_status += any(f.status for f in verdict.failed)
            if args.list:
                print(f"{verdict.kind:<14} {Path(mail.origin).name}  {verdict.reason}")
    total = sum(kinds.values())
    print(f"{total} messages: " + ", ".join(f"{n} {k}" for k, n in kinds.most_common()))
    if kinds["bounce"]:
        print(
            f"bounces naming the failed address: {named}/{kinds['bounce']}, with a status: "
            f"{with_status}/{kinds['bounce']}"
        )


if __name__ == "__main__":
    main()
