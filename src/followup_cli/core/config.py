"""Where things live and what time it is: the database path, the user's config
dir, ``FOLLOWUP_NOW`` and the user's timezone (environment first, then config.toml).

Kept free of heavy imports: every command goes through here at start-up.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from followup_cli.core.errors import InvalidDate, InvalidTimezone
from followup_cli.core.places import config_dir, data_dir

__all__ = ["config_dir", "db_setting", "default_db_path", "now", "user_timezone", "zone"]

APP_NAME = "followup"


def default_db_path() -> Path:
    env = os.environ.get("FOLLOWUP_DB")
    if env:
        return Path(env).expanduser()
    if (config_dir() / "config.toml").exists():  # only then is there a `database` to read
        from followup_cli.core.settings import settings

        configured = settings().database
        if configured:
            return Path(configured)
    return data_dir() / "followup.db"


def db_setting() -> str:
    """``FOLLOWUP_DB`` or config.toml's ``database`` as given (either may be a URL:
    ``store.target`` decides), or the default file."""
    env = os.environ.get("FOLLOWUP_DB")
    if env:
        return env
    if (config_dir() / "config.toml").exists():
        from followup_cli.core.settings import settings

        if isinstance(settings().database, str):
            return settings().database  # type: ignore[return-value]
    return str(default_db_path())


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def user_timezone() -> tzinfo:
    """The user's own timezone: ``FOLLOWUP_TZ`` (an IANA name), ``timezone`` in config.toml,
    or the system's named zone,
    so that a date in July gets July's offset (summer time), not today's."""
    return timezone_and_source()[0]


def timezone_and_source() -> tuple[tzinfo, str]:
    """The user's zone and where it came from (``followup me`` says both)."""
    from followup_cli.core.settings import settings

    name = os.environ.get("FOLLOWUP_TZ")
    if name:
        return zone(name), "FOLLOWUP_TZ"
    name = settings().timezone
    if name:
        return zone(name), "config.toml"
    found = system_zone_name()
    if found:
        from zoneinfo import ZoneInfo

        return ZoneInfo(found[0]), found[1]
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    return local, "the system clock's current offset (no named zone found: set FOLLOWUP_TZ)"


def system_zone_name() -> tuple[str, str] | None:
    """The system's IANA zone name and its source: ``TZ``, the ``/etc/localtime`` link,
    ``/etc/timezone``, or the Windows time zone setting."""
    candidates: list[tuple[str, str]] = []
    tz_env = os.environ.get("TZ")
    if tz_env:
        candidates.append((tz_env.removeprefix(":"), "TZ"))
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve()) if localtime.is_symlink() else ""
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append((target.split("zoneinfo/", 1)[1], "/etc/localtime"))
    try:
        written = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        written = ""
    if written:
        candidates.append((written, "/etc/timezone"))
    if os.name == "nt":  # pragma: no cover - Windows only
        try:
            from tzlocal import get_localzone_name

            candidates.append((get_localzone_name(), "the Windows time zone setting"))
        except (ImportError, OSError, LookupError, ValueError):
            pass
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for name, source in candidates:
        name = name.removeprefix("posix/").removeprefix("right/")
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
        return name, source
    return None


def zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidTimezone(
            f"Unknown timezone {name!r}: use an IANA name such as America/Denver or Europe/Paris."
        ) from None


def now() -> datetime:
    """The current time (UTC, aware), or ``FOLLOWUP_NOW`` when set."""
    env = os.environ.get("FOLLOWUP_NOW")
    if not env:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(env)
    except ValueError:
        raise InvalidDate(
            f"FOLLOWUP_NOW={env!r} is not an ISO-8601 date-time: use e.g. 2026-11-23T09:00:00Z."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=user_timezone())
    from followup_cli.core.dates import in_range

    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        moment = datetime.min.replace(tzinfo=UTC)
    return in_range(moment, f"FOLLOWUP_NOW={env!r}")
