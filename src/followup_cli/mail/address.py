"""Addresses in mail headers, and the company a work address belongs to (compared as
``core.emails.normalise`` writes them)."""

from __future__ import annotations

from email.utils import getaddresses

from followup_cli.core.emails import normalise

# Mail providers whose domain says nothing about the company someone works for.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "mail.ru",
        "yandex.ru",
        "orange.fr",
        "free.fr",
    }
)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]


def company_domain(address: str) -> str | None:
    """The domain of a work address (None for a free-mail one)."""
    domain = domain_of(address)
    return None if domain in FREE_MAIL else domain


__all__ = ["addresses_in", "company_domain", "domain_of", "normalise"]


def addresses_in(*values: str | None) -> list[str]:
    """Every address in header values such as ``To`` and ``Cc``, normalised, in order."""
    found: list[str] = []
    for _name, raw in getaddresses([str(v) for v in values if v]):
        address = normalise(raw)
        if address and address not in found:
            found.append(address)
    return found
