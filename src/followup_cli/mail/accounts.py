"""The user's mail settings (their own addresses and the accounts to read, from
``config.toml`` through ``core.settings``) and an account's password."""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass

from followup_cli.core.errors import InvalidValue
from followup_cli.core.mail_account import MailAccount
from followup_cli.mail.address import normalise


@dataclass(frozen=True)
class MailSettings:
    addresses: frozenset[str]  # normalised: lower-case, plus-addressing folded
    company_domain_pause: bool
    accounts: tuple[MailAccount, ...]


def load() -> MailSettings:
    """``[me]`` addresses (``me.email`` among them) and ``[mail]`` from config.toml, as
    ``core.settings`` read and checked them."""
    from followup_cli.core.settings import settings

    s = settings()
    addresses = frozenset(filter(None, (normalise(a) for a in s.me.addresses)))
    return MailSettings(addresses, s.mail.company_domain_pause, s.mail.accounts)


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
