"""The referral counts of `stats` read the referrer names from their index and look each
customer up among them: the same counts, in the same order, as joining the book with itself
(the queries they replace, kept here as the reference)."""

from __future__ import annotations

import random

import pytest

from followup_cli import store
from followup_cli.store import referrals

_REFERRER = referrals._REFERRER
OLD_PER_CUSTOMER = f"""SELECT p.id, p.name, p.relationship,
      (SELECT count(*) FROM prospects r WHERE r.referred_by IS NOT NULL
       AND {_REFERRER}) AS referrals
   FROM prospects p WHERE p.stage = 'customer' OR p.relationship IS NOT NULL
   ORDER BY referrals DESC, p.name"""
OLD_PER_REFERRER = f"""SELECT p.id, p.name, p.relationship, count(*) AS referrals
   FROM prospects p JOIN prospects r ON r.referred_by IS NOT NULL AND {_REFERRER}
   GROUP BY p.id ORDER BY referrals DESC, p.name"""
NAMES = ("Ada Advocate", "ÉLodie Ñúñez", "Bo", "Cy Lee", "José Müller")  # SQLite's lower: ASCII


def _book(path, seed: int, referred: bool = True):
    rng = random.Random(seed)
    conn = store.open_db(path)
    names = [f"{rng.choice(NAMES)} {n}" for n in range(150)]  # unique: no ties in the order
    with store.transaction(conn):
        for n, name in enumerate(names):
            email = rng.choice((None, f"p{n}@x.io", f"P{n}@X.IO", name.lower()))
            if (
                email
                and conn.execute("SELECT 1 FROM prospects WHERE email = ?", [email]).fetchone()
            ):
                email = None
            named = rng.choice(names)  # as typed: any case, spaces around, an email
            who = rng.choice((named, f"  {named.upper()} ", named.lower(), f"p{n // 2}@X.io", ""))
            row = {
                "name": name,
                "email": email,
                "stage": rng.choice(("customer", "customer", "cold", "active")),
                "relationship": rng.choice((None, None, "repeat", "loyal", "advocate")),
                "referred_by": who if referred and rng.random() < 0.5 else None,
                "created_at": "x",
                "updated_at": "x",
            }
            conn.execute(
                f"INSERT INTO prospects ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
    return conn


@pytest.mark.parametrize(("seed", "referred"), [(1, True), (2, True), (3, False)])
def test_referral_counts_are_the_self_join_s(tmp_path, seed, referred):
    conn = _book(tmp_path / "book.db", seed, referred)
    old = conn.execute(OLD_PER_REFERRER).fetchall()
    assert [dict(row) for row in referrals.per_referrer(conn)] == [dict(row) for row in old]
    assert bool(old) == referred
    customers = conn.execute(OLD_PER_CUSTOMER).fetchall()
    groups: dict[tuple, int] = {}
    for row in customers:  # grouped as per_customer groups them, in order of first appearance
        key = (row["relationship"], row["referrals"])
        groups[key] = groups.get(key, 0) + 1
    assert referrals.per_customer(conn) == [(*key, n) for key, n in groups.items()]
    assert sum(n for *_, n in referrals.per_customer(conn)) == len(customers) > 20
