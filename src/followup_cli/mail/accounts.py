"""The user's mail settings: their own addresses and the accounts to read, from
``config.toml``. One function reads them, so the rest of ``mail`` does not care where."""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from followup_cli.core.errors import InvalidValue
from followup_cli.mail.address import normalise

KINDS = ("maildir", "mbox", "imap")


@dataclass(frozen=True)
class MailAccount:
    name: str
    kind: str
    path: Path | None = None
    folders: tuple[str, ...] = ()
    host: str | None = None
    port: int | None = None
    user: str | None = None
    tls: bool = True
    password_command: str | None = None
    keyring: bool = False


@dataclass(frozen=True)
class MailSettings:
    addresses: frozenset[str]  # normalised: lower-case, plus-addressing folded
    company_domain_pause: bool
    accounts: tuple[MailAccount, ...]


def load() -> MailSettings:
    """``[me] addresses`` and ``[mail]`` from config.toml (nothing set: no accounts)."""
    import tomllib

    from followup_cli.core import config

    path = config.config_dir() / "config.toml"
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InvalidValue(f"{path}: {error}. Fix the file and try again.") from None
    me = data.get("me", {})
    mail = data.get("mail", {})
    addresses = frozenset(filter(None, (normalise(str(a)) for a in me.get("addresses", []))))
    accounts = []
    names: set[str] = set()
    for index, raw in enumerate(mail.get("accounts", [])):
        where = f"{path}: mail.accounts[{index}]"
        unknown = set(raw) - set(MailAccount.__dataclass_fields__)
        if unknown:
            raise InvalidValue(f"{where}: unknown key {sorted(unknown)[0]!r}.")
        name, kind = raw.get("name"), raw.get("kind")
        if not name:
            raise InvalidValue(f'{where}: a mail account needs a name: name = "work".')
        if name in names:
            raise InvalidValue(f"{where}: two mail accounts are named {name!r}.")
        names.add(name)
        if kind not in KINDS:
            raise InvalidValue(f"{where}: kind must be maildir, mbox or imap.")
        values = dict(raw)
        if values.get("path"):
            values["path"] = Path(str(values["path"])).expanduser()
        values["folders"] = tuple(values.get("folders", ()))
        accounts.append(MailAccount(**values))
    return MailSettings(addresses, bool(mail.get("company_domain_pause", False)), tuple(accounts))


def password(account: MailAccount) -> str:
    """The account's password, from its ``password_command`` (as mbsync's PassCmd: the first
    line it prints) or the system keyring; never stored anywhere by us."""
    if account.password_command:
        try:
            done = subprocess.run(
                account.password_command,
                shell=True,
                capture_output=True,
                text=True,
                timeout=60,
                env=os.environ.copy(),
            )
        except subprocess.TimeoutExpired:
            raise InvalidValue(
                f"mail account {account.name!r}: password_command took over 60 s."
            ) from None
        if done.returncode != 0:
            command = shlex.split(account.password_command)[:1]
            raise InvalidValue(
                f"mail account {account.name!r}: password_command {command[0]!r} failed "
                f"(exit {done.returncode}): {done.stderr.strip()[:200]}"
            )
        return done.stdout.splitlines()[0] if done.stdout else ""
    if account.keyring:
        try:
            import keyring
        except ImportError:
            raise InvalidValue(
                f"mail account {account.name!r}: keyring = true needs the keyring package "
                "(pip install keyring), or use password_command."
            ) from None
        secret = keyring.get_password("followup", account.name)
        if secret is None:
            raise InvalidValue(
                f"No password for {account.name!r} in the keyring: "
                f"keyring set followup {account.name}"
            )
        return secret
    raise InvalidValue(
        f"mail account {account.name!r} needs password_command (or keyring = true) to log in."
    )
