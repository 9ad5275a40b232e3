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
            return configured
    return data_dir() / "followup.db"


def db_setting() -> str:
    """``FOLLOWUP_DB`` as given (it may be a URL: ``store.target`` decides), or the default file."""
    return os.environ.get("FOLLOWUP_DB") or str(default_db_path())


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def user_timezone() -> tzinfo:
    """The user's own timezone: ``FOLLOWUP_TZ`` (an IANA name), ``timezone`` in
    config.toml, or the system's."""
    from followup_cli.core.settings import settings

    name = os.environ.get("FOLLOWUP_TZ") or settings().timezone
    if name:
        return zone(name)
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    return local


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
    return moment.astimezone(UTC)
