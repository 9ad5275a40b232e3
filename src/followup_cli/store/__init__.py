"""The store: the only code that talks to the database.

Opening and migrating it, transactions, and one module per thing the domain asks about
(``store.touches``, ``store.prospects``, ...). It imports only ``core``; the domain calls it
by name and never writes SQL itself.
"""

from followup_cli.store.db import (
    BUSY_TIMEOUT_MS,
    backup,
    from_text,
    get_meta,
    insert,
    is_readonly,
    open_db,
    set_meta,
    to_text,
    transaction,
    update,
)
from followup_cli.store.migrations import MIGRATION_NAMES, MIGRATION_SET, _migrations

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATION_NAMES",
    "MIGRATION_SET",
    "_migrations",
    "backup",
    "from_text",
    "get_meta",
    "insert",
    "is_readonly",
    "open_db",
    "set_meta",
    "to_text",
    "transaction",
    "update",
]
