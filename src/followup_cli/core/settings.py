"""The user's ``config.toml``: read when a command first asks for a value, checked key by key.

The file lives in the config dir (``FOLLOWUP_CONFIG_DIR``, or the platform's: ``~/.config/
followup`` on Linux, ``~/Library/Application Support/followup`` on macOS). No file means
every default. An unknown key or a wrong type is an ``InvalidConfig`` naming the file and
the line. Reading costs one ``stat`` when there is no file; the parsed result is kept until
the file changes.

The API other modules use (everything is a frozen dataclass, every field has a default)::

    from followup_cli.core.settings import settings

    s = settings()
    s.timezone                    # str | None: an IANA name (FOLLOWUP_TZ still wins)
    s.week_start                  # "monday" ... "sunday"; s.week_start_index 0..6
    s.date_format                 # strftime pattern for dates in listings, "%Y-%m-%d"
    s.database                    # Path, a URL as given, or None (FOLLOWUP_DB and --db win)
    s.default_command             # what bare `followup` runs: "today"
    s.me.addresses                # tuple[str, ...]: every address the user sends from,
                                  # lower-cased, `me.email` included
    s.me.email, s.me.name         # str | None
    s.default_cadence             # {stage: cadence name}: the file's entries over the shipped
    s.cadence_for_stage("cold")   # "stage-cold" unless the file says otherwise
    s.stage_cadences              # only the stages the file names (what `import` enrolls)
    s.send_window                 # (time, time) | None: for cadences that set none
    s.business_days               # bool | None: for cadences that set none
    s.today.limit                 # int: rows per channel in `today`, 15
    s.urgency                     # Urgency(overdue=2.0, overdue_cap=30, priority=1.5,
                                  #         stage=1.0, value=1.0)
    s.colors                      # {element: Rich style string}, only what the file sets
    s.aliases                     # {"l": "log", ...}: the word and what it stands for
    s.mail.company_domain_pause   # bool
    s.mail.accounts               # tuple[MailAccount, ...], see core/mail_account.py
    s.path                        # the file these came from (it may not exist)
    s.line_of("colors", "due")    # the line a key is on, for errors found later

Kept to the standard library and ``core``: every command may come through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup_cli.core.errors import InvalidConfig
from followup_cli.core.places import config_dir
from followup_cli.core.toml_lines import locate
from followup_cli.core.vocab import STAGE_DEFAULT_CADENCE, STAGES

if TYPE_CHECKING:  # made only when config.toml has [[mail.accounts]] (core/mail_account.py)
    from followup_cli.core.mail_account import MailAccount

FILE_NAME = "config.toml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Elements whose Rich style `[colors]` can change (views apply them; see views/console.py).
COLOR_ELEMENTS = {
    "error": "bold red",  # the one-line error on stderr
    "warning": "yellow",  # a draft's rule warnings, "no next touch"
    "heading": "bold cyan",  # today's date line and channel titles
    "muted": "dim",  # ids, companies, last-touch lines
    "overdue": "bold red",
    "due": "green",  # due today
    "upcoming": "",  # due later
    "template": "blue",  # template names in today and show
    "bar": "cyan",  # the bars in stats
}
MAIL_KINDS = ("maildir", "mbox", "imap")


@dataclass(frozen=True)
class Me:
    """Who the user is: the addresses they send from, their email and name."""

    addresses: tuple[str, ...] = ()
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Today:
    """`[today]`: how many rows per channel `followup today` shows."""

    limit: int = 15


@dataclass(frozen=True)
class Urgency:
    """Taskwarrior-style coefficients: score = overdue * min(days overdue, overdue_cap)
    + priority * priority(1-4) + stage * stage weight + value * log10(1 + deal value)."""

    overdue: float = 2.0
    overdue_cap: int = 30
    priority: float = 1.5
    stage: float = 1.0
    value: float = 1.0


@dataclass(frozen=True)
class Mail:
    """`[mail]`: the mail accounts read by `followup mail`, and how they pause."""

    company_domain_pause: bool = False
    accounts: tuple[MailAccount, ...] = ()

    def account(self, name: str) -> MailAccount | None:
        return next((account for account in self.accounts if account.name == name), None)


@dataclass(frozen=True)
class Settings:
    """Everything config.toml can set, each with its default."""

    path: Path
    timezone: str | None = None
    week_start: str = "monday"
    date_format: str = "%Y-%m-%d"
    database: Path | str | None = None  # a URL stays text: store.target decides
    default_command: str = "today"
    send_window: tuple[time, time] | None = None
    business_days: bool | None = None
    me: Me = field(default_factory=Me)
    default_cadence: dict[str, str] = field(default_factory=lambda: dict(STAGE_DEFAULT_CADENCE))
    stage_cadences: dict[str, str] = field(default_factory=dict)  # only what the file sets
    today: Today = field(default_factory=Today)
    urgency: Urgency = field(default_factory=Urgency)
    colors: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    mail: Mail = field(default_factory=Mail)
    text: str = field(default="", repr=False)  # the file's text, for line numbers

    @property
    def week_start_index(self) -> int:
        return WEEKDAYS.index(self.week_start)

    def cadence_for_stage(self, stage: str) -> str:
        return self.default_cadence.get(stage) or STAGE_DEFAULT_CADENCE.get(stage, "stage-cold")

    def line_of(self, *keys: str | int) -> int:
        return locate(self.text, keys)

    def error(self, keys: tuple[str | int, ...], message: str) -> InvalidConfig:
        """An error about a value found wrong after loading (a Rich style, a cadence name)."""
        return InvalidConfig(f"{self.path}, line {self.line_of(*keys)}: {message}")


def config_file() -> Path:
    return config_dir() / FILE_NAME


_cached: tuple[Path, tuple[int, int], Settings] | None = None


def settings() -> Settings:
    """The user's settings (every default when there is no file), parsed once per change."""
    global _cached
    path = config_file()
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return Settings(path=path)
    signature = (stat.st_mtime_ns, stat.st_size)
    if _cached and _cached[0] == path and _cached[1] == signature:
        return _cached[2]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidConfig(f"{path}: cannot read the config file ({error}).") from None
    loaded = parse(text, path)
    _cached = (path, signature, loaded)
    return loaded


def parse(text: str, path: Path) -> Settings:
    """Check ``text`` (the contents of ``path``) and build the settings from it."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = found.group(1) if found else "?"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise InvalidConfig(f"{path}, line {line}: not valid TOML: {reason}.") from None
    return _Reader(path, text).settings(data)


class _Reader:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(self, keys: tuple[str | int, ...], message: str) -> InvalidConfig:
        return InvalidConfig(f"{self.path}, line {locate(self.text, keys)}: {message}")

    def table(self, data: Any, keys: tuple[str | int, ...], known: set[str] | None) -> dict:
        if not isinstance(data, dict):
            raise self.fail(keys, f"{_name(keys)} must be a table ([{_name(keys)}]).")
        if known is not None:
            for key in data:
                if key not in known:
                    where = f" in [{_name(keys)}]" if keys else ""
                    raise self.fail(
                        (*keys, key),
                        f"unknown key {key!r}{where}; known keys: {', '.join(sorted(known))}.",
                    )
        return data

    def text_value(self, data: dict, keys: tuple[str | int, ...], default: Any = None) -> Any:
        value = data.get(keys[-1], default)
        if value is not default and not isinstance(value, str):
            raise self.fail(keys, f"{_name(keys)} must be a string in quotes.")
        return value

    def flag(self, data: dict, keys: tuple[str | int, ...], default: Any) -> Any:
        value = data.get(keys[-1], default)
        if value is not default and not isinstance(value, bool):
            raise self.fail(keys, f"{_name(keys)} must be true or false.")
        return value

    def number(self, data: dict, keys: tuple[str | int, ...], default: float) -> float:
        value = data.get(keys[-1], default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.fail(keys, f"{_name(keys)} must be a number, 0 or more.")
        return float(value)

    def whole(self, data: dict, keys: tuple[str | int, ...], default: int, least: int) -> int:
        value = data.get(keys[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise self.fail(keys, f"{_name(keys)} must be a whole number, {least} or more.")
        return value

    def strings(self, data: dict, keys: tuple[str | int, ...]) -> tuple[str, ...]:
        value = data.get(keys[-1], [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(keys, f'{_name(keys)} must be a list of strings: ["a", "b"].')
        return tuple(value)

    def settings(self, data: dict) -> Settings:
        top = {
            "timezone",
            "week_start",
            "date_format",
            "database",
            "default_command",
            "send_window",
            "business_days",
            "me",
            "default_cadence",
            "today",
            "urgency",
            "colors",
            "aliases",
            "mail",
        }
        self.table(data, (), top)
        timezone = self.text_value(data, ("timezone",))
        if timezone is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise self.fail(
                    ("timezone",),
                    f"unknown timezone {timezone!r}: use an IANA name such as Europe/Paris.",
                ) from None
        week_start = (self.text_value(data, ("week_start",)) or "monday").lower()
        if week_start not in WEEKDAYS:
            raise self.fail(("week_start",), f"week_start must be one of {', '.join(WEEKDAYS)}.")
        date_format = self.text_value(data, ("date_format",)) or "%Y-%m-%d"
        if "%" not in date_format:
            raise self.fail(("date_format",), 'date_format is a strftime pattern like "%d/%m/%Y".')
        database = self.text_value(data, ("database",))
        window = self.text_value(data, ("send_window",))
        return Settings(
            path=self.path,
            timezone=timezone,
            week_start=week_start,
            date_format=date_format,
            database=_database(database),
            default_command=self.default_command(data),
            send_window=self.window(window) if window is not None else None,
            business_days=self.flag(data, ("business_days",), None),
            me=self.me(data.get("me", {})),
            default_cadence=self.default_cadence(data.get("default_cadence", {})),
            stage_cadences={k: v.strip() for k, v in data.get("default_cadence", {}).items()},
            today=self.today(data.get("today", {})),
            urgency=self.urgency(data.get("urgency", {})),
            colors=self.colors(data.get("colors", {})),
            aliases=self.aliases(data.get("aliases", {})),
            mail=self.mail(data.get("mail", {})),
            text=self.text,
        )

    def default_command(self, data: dict) -> str:
        value = self.text_value(data, ("default_command",)) or "today"
        if not value.strip():
            raise self.fail(("default_command",), 'default_command must name a command: "today".')
        return value

    def window(self, value: str) -> tuple[time, time]:
        found = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
        hours = [int(part) for part in found.groups()] if found else []
        if not found or hours[0] > 23 or hours[2] > 23 or hours[1] > 59 or hours[3] > 59:
            raise self.fail(("send_window",), 'send_window must look like "09:00-17:00".')
        start, end = time(hours[0], hours[1]), time(hours[2], hours[3])
        if end <= start:
            raise self.fail(("send_window",), "send_window: the end must come after the start.")
        return start, end

    def me(self, data: Any) -> Me:
        self.table(data, ("me",), {"addresses", "email", "name"})
        email = self.text_value(data, ("me", "email"))
        addresses = [a.strip().lower() for a in self.strings(data, ("me", "addresses"))]
        for address in addresses:
            if "@" not in address:
                raise self.fail(("me", "addresses"), f"{address!r} is not an email address.")
        if email and email.strip().lower() not in addresses:
            addresses.insert(0, email.strip().lower())
        return Me(tuple(addresses), email, self.text_value(data, ("me", "name")))

    def default_cadence(self, data: Any) -> dict[str, str]:
        self.table(data, ("default_cadence",), set(STAGES))
        chosen = dict(STAGE_DEFAULT_CADENCE)
        for stage in data:
            name = self.text_value(data, ("default_cadence", stage))
            if not name.strip():
                raise self.fail(
                    ("default_cadence", stage), "name a cadence: see followup cadences list"
                )
            chosen[stage] = name.strip()
        return chosen

    def today(self, data: Any) -> Today:
        self.table(data, ("today",), {"limit"})
        return Today(limit=self.whole(data, ("today", "limit"), 15, 1))

    def urgency(self, data: Any) -> Urgency:
        known = {"overdue", "overdue_cap", "priority", "stage", "value"}
        self.table(data, ("urgency",), known)
        base = Urgency()
        return Urgency(
            overdue=self.number(data, ("urgency", "overdue"), base.overdue),
            overdue_cap=self.whole(data, ("urgency", "overdue_cap"), base.overdue_cap, 0),
            priority=self.number(data, ("urgency", "priority"), base.priority),
            stage=self.number(data, ("urgency", "stage"), base.stage),
            value=self.number(data, ("urgency", "value"), base.value),
        )

    def colors(self, data: Any) -> dict[str, str]:
        self.table(data, ("colors",), set(COLOR_ELEMENTS))
        return {key: self.text_value(data, ("colors", key)) for key in data}

    def aliases(self, data: Any) -> dict[str, str]:
        self.table(data, ("aliases",), None)
        found = {}
        for word in data:
            value = self.text_value(data, ("aliases", word))
            if not value.strip() or word.startswith("-"):
                raise self.fail(
                    ("aliases", word), f'alias {word!r} must stand for a command: "log".'
                )
            found[word] = value
        return found

    def mail(self, data: Any) -> Mail:
        self.table(data, ("mail",), {"company_domain_pause", "accounts"})
        accounts = data.get("accounts", [])
        if not isinstance(accounts, list):
            raise self.fail(("mail", "accounts"), "write each account as [[mail.accounts]].")
        parsed = [self.account(item, index) for index, item in enumerate(accounts)]
        seen: set[str] = set()
        for index, account in enumerate(parsed):
            if account.name in seen:
                raise self.fail(
                    ("mail", "accounts", index, "name"),
                    f"two mail accounts are named {account.name!r}: give each its own name.",
                )
            seen.add(account.name)
        return Mail(
            company_domain_pause=self.flag(data, ("mail", "company_domain_pause"), False),
            accounts=tuple(parsed),
        )

    def account(self, data: Any, index: int) -> MailAccount:
        from followup_cli.core.mail_account import MailAccount

        at: tuple[str | int, ...] = ("mail", "accounts", index)
        local = {"name", "kind", "path", "folders"}
        remote = {"host", "port", "user", "tls", "password_command", "keyring"}
        self.table(data, at, local | remote)
        name = self.text_value(data, (*at, "name"))
        if not name or not name.strip():
            raise self.fail(at, 'a mail account needs a name: name = "work".')
        kind = self.text_value(data, (*at, "kind"))
        if kind not in MAIL_KINDS:
            raise self.fail(
                (*at, "kind"), f"mail account {name!r}: kind must be maildir, mbox or imap."
            )
        folders = self.strings(data, (*at, "folders"))
        path = self.text_value(data, (*at, "path"))
        if kind != "imap":
            stray = sorted(set(data) & remote)
            if stray:
                raise self.fail(
                    (*at, stray[0]),
                    f'mail account {name!r}: {stray[0]} is only for kind = "imap".',
                )
            if not path and not folders:
                raise self.fail(at, f'mail account {name!r}: give path = "~/Mail/work" or folders.')
            return MailAccount(
                name=name,
                kind=kind,
                path=Path(path).expanduser() if path else None,
                folders=folders,
                line=locate(self.text, at),
            )
        if path:
            raise self.fail((*at, "path"), f"mail account {name!r}: an imap account has no path.")
        host = self.text_value(data, (*at, "host"))
        user = self.text_value(data, (*at, "user"))
        if not host or not user:
            missing = "host" if not host else "user"
            raise self.fail(at, f"mail account {name!r}: an imap account needs {missing}.")
        tls = self.flag(data, (*at, "tls"), True)
        port = self.whole(data, (*at, "port"), 993 if tls else 143, 1)
        if port > 65535:
            raise self.fail((*at, "port"), f"mail account {name!r}: port must be 1 to 65535.")
        command = self.text_value(data, (*at, "password_command"))
        keyring = self.flag(data, (*at, "keyring"), False)
        if command and keyring:
            raise self.fail(
                (*at, "keyring"),
                f"mail account {name!r}: use password_command or keyring = true, not both.",
            )
        return MailAccount(
            name=name,
            kind=kind,
            folders=folders,
            host=host,
            port=port,
            user=user,
            tls=tls,
            password_command=command,
            keyring=keyring,
            line=locate(self.text, at),
        )


def _name(keys: tuple[str | int, ...]) -> str:
    return ".".join(str(key) for key in keys if not isinstance(key, int))


def _database(text: str | None) -> Path | str | None:
    """A file path, or a URL (``scheme://...``) kept as written: a Path would fold its
    ``//`` and the URL would pass for a file name."""
    if not text:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text.strip()):
        return text.strip()
    return Path(text).expanduser()
