"""The relationship pyramid, tracked: who referred whom, referral counts in `show`, the
referrals section of `stats`, and the `today` nudge for a customer with results who was
never asked."""

from __future__ import annotations


def _book(run):
    run.ok(
        "add",
        "Ada Advocate",
        "--email",
        "ada@clinic.example",
        "--stage",
        "customer",
        "--relationship",
        "advocate",
        "--value",
        "20000",
        "--no-cadence",
    )
    run.ok(
        "add",
        "Tom Buyer",
        "--stage",
        "customer",
        "--relationship",
        "transaction",
        "--set",
        "result=a third fewer no-shows",
        "--no-cadence",
    )
    run.ok("add", "Ben Lead", "--referred-by", "Ada Advocate", "--value", "9000", "--no-cadence")
    run.ok("add", "Cara Lead", "--referred-by", "ada@clinic.example", "--no-cadence")
    run.ok("add", "Dan Cold", "--no-cadence")


def test_list_by_referrer_and_relationship(run):
    _book(run)
    assert [p["name"] for p in run.json("list", "--referred-by", "ada")] == [
        "Ben Lead",
        "Cara Lead",
    ]
    assert [p["name"] for p in run.json("list", "--relationship", "advocate")] == ["Ada Advocate"]
    bad = run("list", "--relationship", "vip")
    assert bad.exit_code == 1
    assert bad.stderr == (
        "Error: Unknown relationship level 'vip': use one of transaction, repeat, loyal, "
        "advocate.\n"
    )


def test_show_counts_referrals_by_name_or_email(run):
    _book(run)
    assert run.json("show", "ada")["referrals"] == 2
    assert run.json("show", "dan")["referrals"] == 0
    assert "2 people referred (a happy customer gives 4-6)" in run.ok("show", "ada").stdout


def test_stats_has_a_referrals_section(run):
    _book(run)
    run.ok("log", "ben", "--channel", "email", "--outcome", "won")
    data = run.json("stats")["referrals"]
    assert data == {
        "customers": 3,  # Ada, Tom, and Ben (won: customer)
        "referrals": 2,
        "per_customer": 0.67,
        "seed_range": [4, 6],
        "by_level": {
            "advocate": {"customers": 1, "referrals": 2},
            "transaction": {"customers": 1, "referrals": 0},
            "none": {"customers": 1, "referrals": 0},
        },
        "referred_deals_won": 1,
        "referred_revenue": 9000,
        # issue 18: per referrer, and referred prospects' close rate against the rest
        "per_referrer": [
            {"id": 1, "name": "Ada Advocate", "relationship": "advocate", "referrals": 2,
             "in_seed_range": False},
        ],
        "close_rate_referred": {"prospects": 2, "won": 1, "rate": 0.5},
        "close_rate_others": {"prospects": 3, "won": 0, "rate": 0.0},
        "referred_vs_others": None,
        "seed_close_multiple": 5,
    }  # fmt: skip
    text = run.ok("stats").stdout
    assert "Referrals 2 from 3 customers, 0.67 per customer" in text
    assert "by level: advocate 1 (2 referrals), none 1 (0 referrals), transaction 1 (0 " in text
    assert "Referred deals won 1 in this window, worth 9,000" in text


def test_today_nudges_a_customer_with_results_never_asked(run):
    _book(run)
    nudge = "Ask Tom Buyer for a referral: results on record (a third fewer no-shows)"
    assert nudge in run.ok("today").stdout
    run.ok(
        "log", "tom", "--channel", "email", "--outcome", "sent", "--template", "referral-ask-direct"
    )
    assert nudge not in run.ok("today").stdout
