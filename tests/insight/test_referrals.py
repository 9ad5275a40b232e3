"""Referrals as an engine (issue 18). Seed 001 (001_f926f856a736bd02.txt): referrals have
a "5x higher close rate than cold leads"; "Exercise 5: Referral Ask - This week, ask 3
happy customers for referrals"; "Best Times: ... After they've seen measurable results",
"Worst Time: Immediately after purchase before value delivery"; "Would you be willing to
be a reference?", "Can I feature your story?". Seed 003 (003_071e07e79e33f7d5.txt): "Each
transaction should lead to 4 to 6 referrals"."""

from __future__ import annotations

NOW = "2026-11-23T08:00:00-07:00"
LONG_AGO = "2026-08-01T10:00:00-06:00"  # more than 60 days before NOW


def customer(run, name, email, *extra, won_at=LONG_AGO):
    run.ok("add", name, "--email", email, "--stage", "proposal", "--no-cadence",
           "--set", "pain_point=slow quotes", *extra)  # fmt: skip
    run.ok("log", email, "-c", "email", "-o", "won", "--at", won_at)


def test_referred_by_resolves_to_the_prospect_it_names(run):
    run.ok("add", "Ada Advocate", "--email", "ada@clinic.example", "--no-cadence")
    run.ok("add", "Ben Lead", "--referred-by", "ada@clinic.example", "--no-cadence")
    run.ok("add", "Cara Lead", "--referred-by", "advocate", "--no-cadence")
    run.ok("add", "Dan Lead", "--referred-by", "a friend at the gym", "--no-cadence")
    assert run.json("show", "ben")["referred_by"] == "Ada Advocate"
    assert run.json("show", "cara")["referred_by"] == "Ada Advocate"
    assert run.json("show", "dan")["referred_by"] == "a friend at the gym"  # names nobody
    assert run.json("show", "ada")["referrals"] == 2
    run.ok("edit", "dan", "--referred-by", "Ada")
    assert run.json("show", "ada")["referrals"] == 3


def test_review_lists_customers_ready_to_be_asked_against_three_a_week(run):
    customer(run, "Ann Ready", "ann@r.example", "--set", "result=quotes in an hour",
             "--value", "9000")  # fmt: skip
    customer(run, "Vic Advocate", "vic@r.example", "--set", "result=half the rework",
             "--relationship", "advocate")  # fmt: skip
    customer(
        run,
        "Nell New",
        "nell@r.example",
        "--set",
        "result=first quote out",
        won_at="2026-11-01T10:00:00-07:00",
    )  # fmt: skip  (day 22: too soon)
    customer(run, "Nora Nothing", "nora@r.example")  # no result yet
    customer(run, "Sal Asked", "sal@r.example", "--set", "result=one price list")
    run.ok("log", "sal", "-c", "email", "-o", "sent", "--template", "referral-ask-direct",
           "--at", "2026-11-20T10:00:00-07:00")  # fmt: skip
    asks = run.json("review")["referral_asks"]
    assert [r["name"] for r in asks["ready"]] == ["Ann Ready", "Vic Advocate"]
    assert asks["weekly_target"] == 3 and asks["asked_last_7_days"] == 1
    assert asks["still_to_ask"] == 2
    by_name = {r["name"]: r for r in asks["ready"]}
    assert by_name["Vic Advocate"]["template"] == "testimonial-ask"  # an advocate: their story
    assert by_name["Ann Ready"]["template"] == "referral-ask-direct"
    text = run.ok("review").stdout
    assert "Referral asks 1 in the last 7 days, target 3 · 2 to go" in text
    assert "followup draft 1 -t referral-ask-direct" in text
    # asked more than 90 days ago: ready again
    run.ok("log", "ann", "-c", "email", "-o", "sent", "--template", "reference-ask",
           "--at", "2026-11-22T10:00:00-07:00")  # fmt: skip
    assert "Ann Ready" not in [r["name"] for r in run.json("review")["referral_asks"]["ready"]]


def test_stats_shows_referrals_per_referrer_and_the_close_rate_of_referred_prospects(run, tmp_path):
    run.ok("add", "Ada Advocate", "--email", "ada@clinic.example", "--no-cadence")
    for name in ("Ben", "Cara", "Dora", "Eve"):
        run.ok("add", f"{name} Lead", "--referred-by", "Ada Advocate", "--no-cadence")
    run.ok("add", "Cold One", "--no-cadence")
    run.ok("log", "ben", "-c", "email", "-o", "won")
    run.ok("log", "cara", "-c", "email", "-o", "won")
    data = run.json("stats")["referrals"]
    assert data["per_referrer"] == [
        {"id": 1, "name": "Ada Advocate", "relationship": None, "referrals": 4,
         "in_seed_range": True},
    ]  # fmt: skip
    assert data["close_rate_referred"] == {"prospects": 4, "won": 2, "rate": 0.5}
    assert data["close_rate_others"] == {"prospects": 2, "won": 0, "rate": 0.0}
    assert data["seed_close_multiple"] == 5
    text = run.ok("stats").stdout
    assert "per referrer: Ada Advocate 4 · the seeds: 4–6 each" in text
    assert "Close rate referred 2 of 4 (50.0%) · the rest 0 of 2 (0.0%)" in text
    # the HTML report is the same dashboard: the referrals are in it too
    run.ok("stats", "--html", str(tmp_path / "report.html"))
    page = (tmp_path / "report.html").read_text()
    assert '<h2 id="s-referrals">Referrals</h2>' in page
    assert "referred 2 of 4 (50.0%), the rest 0 of 2 (0.0%); the seeds: 5× better" in page
    assert "Referrals per referrer, against the seeds&#x27; 4–6" in page
    assert '<th scope="row">Ada Advocate</th><td>4</td>' in page


def test_reference_and_testimonial_asks_wait_for_results(run):
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind")
    customer(run, "Vic Advocate", "vic@r.example", "--relationship", "advocate",
             won_at="2026-11-20T10:00:00-07:00")  # fmt: skip
    refused = run("draft", "vic", "-t", "testimonial-ask")
    assert refused.exit_code == 1 and "result" in refused.output
    run.ok("edit", "vic", "--set", "result=half the rework")
    for template in ("testimonial-ask", "reference-ask"):
        draft = run.json("draft", "vic", "-t", template)
        assert "half the rework" in draft["body"]
        assert "referral-too-early" in {w["code"] for w in draft["warnings"]}  # 3 days in
