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
from email.message import EmailMessage
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
    rng = random.Random(seed)
    found = []
    for n in range(count):
        at = NOW - timedelta(minutes=count - n)
        msg = EmailMessage()
        kind = rng.random()
        prospect = rng.choice(emails)
        msg["Date"] = format_datetime(at)
        msg["Message-ID"] = f"<bench{n}@mail.example>"
        if kind < 0.2:
            msg["From"], msg["To"], msg["Subject"] = ME, prospect, f"Idea {n} for your team"
        elif kind < 0.3:
            msg["From"], msg["To"], msg["Subject"] = prospect, ME, f"Re: Idea {n}"
        elif kind < 0.33:
            msg["From"], msg["To"], msg["Subject"] = prospect, ME, "Out of office: Idea"
            msg["Auto-Submitted"] = "auto-replied"
        elif kind < 0.35:
            msg["From"], msg["To"] = "MAILER-DAEMON@mx.example", ME
            msg["Subject"] = "Undelivered Mail Returned to Sender"
            msg["X-Failed-Recipients"] = prospect
        elif kind < 0.65:
            msg["From"], msg["To"], msg["Subject"] = "news@list.example", ME, f"Weekly {n}"
            msg["List-Id"] = "<weekly.list.example>"
        else:
            msg["From"], msg["To"], msg["Subject"] = f"friend{n}@else.example", ME, "Hello"
        body = "I am away until 7 December." if "Out of office" in msg["Subject"] else ""
        msg.set_content(body or ("A few lines of text about the thing. " * 20))
        found.append(msg.as_bytes())
    return found


def maildir(path: Path, raws: list[bytes]) -> None:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    for n, raw in enumerate(raws):
        (path / "cur" / f"{1700000000 + n}.M{n}P1.bench:2,S").write_bytes(raw)


def followup(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "followup_cli", *args], env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
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
        print(f"  first sync   {first:6.2f} s   (target < 60 s)")
        print(f"  second sync  {second:6.2f} s   (target < 1 s, nothing new)")

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
            print(f"  first sync   {took:6.2f} s   (target < 30 s)")
            print(f"  second sync  {again:6.2f} s   (nothing new)")


if __name__ == "__main__":
    main()
