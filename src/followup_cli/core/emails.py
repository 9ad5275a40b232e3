"""Email addresses as followup compares them: lower-cased, plus-addressing folded
(``Dana+CRM@Acme.IO`` is ``dana@acme.io``). Light: `today` uses it."""

from __future__ import annotations


def normalise(address: str | None) -> str | None:
    """``Dana+CRM@Acme.IO`` → ``dana@acme.io``; None when it is not an address."""
    if not address:
        return None
    address = address.strip().strip("<>").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or " " in address:
        return None
    local = local.split("+", 1)[0] or local
    return f"{local}@{domain}"
