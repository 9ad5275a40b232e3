"""How fast `followup mail` reads a mailbox (a benchmark, not a timed test).

    python benchmarks/bench_mail.py                      # all three measurements
    python benchmarks/bench_mail.py --messages 50000 --prospects 5000 --imap 5000

1. A Maildir of 50,000 messages (5,000 prospects) as `mail sync` first sees it: mail you
   sent to prospects, their replies, out-of-office replies, bounces, newsletters and mail
   from strangers. Target: under 60 s.
2. The same sync again, with nothing new. Target: under 1 s.
3. An IMAP sync of 5,000 messages from a local Dovecot (started as the tests start it, on
   127.0.0.1). Target: under 30 s.

Everything runs the real command (`followup mail sync`) in a subprocess, on a database
made by `followup import` from a CSV of the prospects.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "mail"))  # the Dovecot helper of the tests

ME = "sam@northwind.example"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def prospects_csv(path: Path, count: int) -> list[str]:
    emails = [f"person{n}@company{n % 900}.example" for n in range(count)]
    lines = ["name,email,company,stage"]
    stages = ["cold", "interest", "active", "proposal"]
    lines += [f"Person {n},{e},Company {n % 900},{stages[n % 4]}" for n, e in enumerate(emails)]
    path.write_text("\n".join(lines) + "\n")
    return emails


def messages(count: int, emails: list[str], seed: int = 7) -> list[bytes]:
    """The mailbox: 20% sent to prospects, 10% their replies, 3% out-of-office replies,
    2% bounces, 30% newsletters, 35% mail from strangers (written as text: building
    50,000 EmailMessage objects would take longer than the sync)."""
    rng = random.Random(seed)
    body = "A few lines of text about the thing. " * 20
    found = []
    for n in range(count):
        at = format_datetime(NOW - timedelta(minutes=count - n))
        kind = rng.random()
        prospect = rng.choice(emails)
        extra = ""
        text = body
        if kind < 0.2:
            sender, to, subject = ME, prospect, f"Idea {n} for your team"
        elif kind < 0.3:
            sender, to, subject = prospect, ME, f"Re: Idea {n}"
        elif kind < 0.33:
            sender, to, subject = prospect, ME, "Out of office: Idea"
            extra, text = "Auto-Submitted: auto-replied\n", "I am away until 7 December."
        elif kind < 0.35:
            sender, to, subject = "MAILER-DAEMON@mx.example", ME, "Undelivered Mail"
            extra = f"X-Failed-Recipients: {prospect}\n"
            text = f"Delivery to {prospect} failed: 550 5.1.1 user unknown"
        elif kind < 0.65:
            sender, to, subject = "news@list.example", ME, f"Weekly {n}"
            extra = "List-Id: <weekly.list.example>\n"
        else:
            sender, to, subject = f"friend{n}@else.example", ME, "Hello"
        found.append(
            (
                f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: {at}\n"
                f"Message-ID: <bench{n}@mail.example>\n{extra}MIME-Version: 1.0\n"
                f"Content-Type: text/plain; charset=utf-8\n\n{text}\n"
            ).encode()
        )
    return found


def maildir(path: Path, raws: list[bytes]) -> None:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    for n, raw in enumerate(raws):
        (path / "cur" / f"{1700000000 + n}.M{n}P1.bench:2,S").write_bytes(raw)


CPU: list[float] = []  # the CPU seconds of each run, next to its wall-clock time


def followup(env: dict[str, str], *args: str) -> float:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "followup_cli", *args], env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"followup {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took


def setup(root: Path, prospects: int, account: str) -> tuple[dict[str, str], list[str]]:
    config = root / "config"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f'[me]\naddresses = ["{ME}"]\n\n{account}')
    env = {
        **os.environ,
        "FOLLOWUP_DB": str(root / "followup.db"),
        "FOLLOWUP_CONFIG_DIR": str(config),
        "FOLLOWUP_NOW": NOW.isoformat(),
        "FOLLOWUP_TZ": "America/Denver",
    }
    emails = prospects_csv(root / "prospects.csv", prospects)
    followup(env, "import", str(root / "prospects.csv"))
    return env, emails


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--prospects", type=int, default=5_000)
    parser.add_argument("--imap", type=int, default=5_000, help="0 to skip the IMAP part")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="followup-bench-mail-") as tmp:
        root = Path(tmp)
        box = root / "Mail"
        account = f'[[mail.accounts]]\nname = "local"\nkind = "maildir"\npath = "{box}"\n'
        env, emails = setup(root / "local", args.prospects, account)
        raws = messages(args.messages, emails)
        maildir(box, raws)
        first = followup(env, "mail", "sync")
        second = followup(env, "mail", "sync")
        print(f"Maildir, {args.messages:,} messages, {args.prospects:,} prospects:")
        print(f"  first sync   {first:6.2f} s wall, {CPU[-2]:6.2f} s CPU   (target < 60 s)")
        print(f"  second sync  {second:6.2f} s wall, {CPU[-1]:6.2f} s CPU   (target < 1 s)")

        if args.imap:
            import dovecot

            binary = dovecot.available()
            if binary is None:
                raise SystemExit("dovecot is not installed: apt-get install -y dovecot-imapd")
            server = dovecot.start(binary)
            try:
                client = server.client()
                for raw in raws[: args.imap]:
                    client.append("INBOX", raw)
                client.logout()
                imap = (
                    f'[[mail.accounts]]\nname = "office"\nkind = "imap"\nhost = "{server.host}"\n'
                    f'port = {server.port}\nuser = "{server.user}"\ntls = false\n'
                    f'password_command = "echo \'{server.password}\'"\nfolders = ["INBOX"]\n'
                )
                env, _ = setup(root / "imap", args.prospects, imap)
                took = followup(env, "mail", "sync")
                again = followup(env, "mail", "sync")
            finally:
                dovecot.stop(server)
            print(f"IMAP (Dovecot on 127.0.0.1), {args.imap:,} messages:")
            print(f"  first sync   {took:6.2f} s wall, {CPU[-2]:6.2f} s CPU   (target < 30 s)")
            print(f"  second sync  {again:6.2f} s wall, {CPU[-1]:6.2f} s CPU   (nothing new)")


if __name__ == "__main__":
    main()
