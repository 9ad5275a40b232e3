"""Where followup's folders are: the config dir and the data dir, from the environment or
the platform's conventions. Standard library only, and cheap: shell completion asks on
every Tab press.

On Linux the XDG rules are applied here (what platformdirs does there, without importing
it); elsewhere platformdirs answers (macOS: ``~/Library/Application Support/followup``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "followup"


def config_dir() -> Path:
    """The user's config dir: ``config.toml``, and ``cadences/``, ``templates/`` and
    ``hooks/`` that override or extend the shipped ones."""
    env = os.environ.get("FOLLOWUP_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return _platform("config")


def data_dir() -> Path:
    """Where the database lives unless told otherwise."""
    return _platform("data")


def _platform(kind: str) -> Path:
    if sys.platform.startswith("linux"):
        variable, fallback = {
            "config": ("XDG_CONFIG_HOME", "~/.config"),
            "data": ("XDG_DATA_HOME", "~/.local/share"),
        }[kind]
        base = os.environ.get(variable, "").strip() or os.path.expanduser(fallback)
        return Path(base) / APP_NAME
    import platformdirs

    if kind == "config":
        return platformdirs.user_config_path(APP_NAME, appauthor=False)
    return platformdirs.user_data_path(APP_NAME, appauthor=False)
