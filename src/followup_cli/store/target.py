"""Where the database is: what ``--db`` or ``FOLLOWUP_DB`` names, read once for every command.

A plain path is the SQLite file. Text that looks like a URL (``scheme://...``) names a store
reached by that scheme: a store other than SQLite registers its scheme in ``STORES`` (the
PostgreSQL store will register ``postgresql``). Until one is registered, a URL is refused,
so it never turns into a folder tree and a new SQLite file named after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from followup_cli.core.errors import DatabaseError

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

# Stores reached by URL, by scheme: the function that opens one from its URL.
STORES: dict[str, Callable[[str], Any]] = {}


def url_scheme(target: str) -> str | None:
    """``postgresql`` for ``postgresql://host/db``; None for a file path."""
    match = _URL.match(target.strip())
    return match.group(1).lower() if match else None


def db_file(target: str) -> Path | str:
    """The SQLite file ``target`` names, or the URL itself when a store has registered its
    scheme; a URL of any other scheme is an error."""
    scheme = url_scheme(target)
    if scheme is None:
        return Path(target).expanduser()
    if scheme not in STORES:
        raise DatabaseError(
            f"{target} is a {scheme}:// URL, and followup has no store for {scheme}:// "
            "databases: give --db (or FOLLOWUP_DB, or database in config.toml) the path of a "
            "database file."
        )
    return target.strip()


def connect(target: Path | str) -> Any:
    """Open what ``db_file`` returned: the SQLite file, or the registered store's database."""
    if isinstance(target, str):
        scheme = url_scheme(target)
        if scheme is not None:
            return STORES[scheme](target)
    from followup_cli.store.db import open_db

    return open_db(Path(target))
