"""`followup export`: CSV and JSON out; export then import reproduces the same data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from followup_cli.data.columns import neutralise, unescape

NASTY = {
    "name": '=HYPERLINK("http://evil","x")',
    "company": "+Acme",
    "title": "-2+3",
    "notes": "@SUM(A1)",
}


@pytest.fixture
def pipeline(run, dana):
    """Several prospects with every kind of detail, and a history of logged touches."""
    run.ok(
        "add", "Sam Lee", "--email", "sam@globex.com", "--company", "Globex", "--title", "CTO",
        "--stage", "interest", "--priority", "high", "--tz", "Europe/London", "--country", "GB",
        "--channel", "call", "--tag", "warm,enterprise", "--referred-by", "Dana Reyes",
        "--relationship", "repeat", "--birthday", "04-12", "--anniversary", "2019-06-01",
        "--linkedin", "https://www.linkedin.com/in/samlee", "--key-points", "SOC 2 first",
        "--competitors", "Initech", "--decision-makers", "CFO Kim", "--personal", "runs marathons",
        "--notes", "Prefers mornings", "--pace", "1.5", "--value", "12500.5",
        "--set", "goal=cut churn", "--set", "notes=a custom field called notes",
        "--cadence", "thirty-day",
    )  # fmt: skip
    run.ok("add", "Priya Patel", "--phone", "+44 20 7946 0000", "--no-cadence")
    run.ok("edit", "priya", "--do-not-contact")
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "-n", "left VM about section 3",
           "--at", "2026-11-20T10:00")  # fmt: skip
    run.ok("log", "dana", "-c", "email", "-o", "replied", "-n", "budget freeze until Q2",
           "--at", "2026-11-21T15:00", "--template", "proposal-review")  # fmt: skip
    run.ok("log", "sam", "-c", "linkedin", "-o", "sent", "--at", "2026-11-22T09:00")
    return run


def test_export_prospects_csv_has_every_detail_tag_and_custom_field(pipeline, tmp_path):
    target = tmp_path / "prospects.csv"
    result = pipeline.ok("export", str(target))
    assert f"Exported 3 prospects to {target} (csv)." in result.stdout
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    sam = next(r for r in rows if r["name"] == "Sam Lee")
    assert sam["tags"] == "warm, enterprise"
    assert sam["priority"] == "high" and sam["pace"] == "1.5" and sam["value"] == "12500.5"
    assert sam["birthday"] == "'--04-12"  # would read as a formula: neutralised
    assert sam["goal"] == "cut churn"
    assert sam["field:notes"] == "a custom field called notes"  # not to be read as notes
    assert sam["cadence"] == "thirty-day" and sam["cadence_status"] == "active"
    assert next(r for r in rows if r["name"] == "Priya Patel")["do_not_contact"] == "yes"
    assert (tmp_path / "prospects.csv").stat().st_mode & 0o777 == 0o600


def test_export_json(pipeline, tmp_path):
    pipeline.ok("export", str(tmp_path / "prospects.json"))
    data = json.loads((tmp_path / "prospects.json").read_text())
    sam = next(p for p in data if p["name"] == "Sam Lee")
    assert sam["tags"] == ["warm", "enterprise"]
    assert sam["fields"] == {"goal": "cut churn", "notes": "a custom field called notes"}
    assert sam["value"] == 12500.5 and sam["do_not_contact"] is False
    pipeline.ok("export", str(tmp_path / "touches.json"), "--touches")
    touches = json.loads((tmp_path / "touches.json").read_text())
    assert [t["outcome"] for t in touches] == ["voicemail", "replied", "sent"]
    assert touches[1]["template"] == "proposal-review" and touches[1]["email"] == "dana@acme.io"


def test_export_to_stdout(pipeline):
    out = pipeline.ok("export", "-", "--touches").stdout
    header = next(csv.reader(io.StringIO(out)))
    assert header[:6] == ["email", "prospect", "at", "channel", "direction", "outcome"]
    data = json.loads(pipeline.ok("export", "-", "--format", "json").stdout)
    assert len(data) == 3


def test_an_unknown_format_is_a_clear_error(run, tmp_path):
    result = run("export", str(tmp_path / "prospects.xlsx"))
    assert result.exit_code == 1
    assert "Cannot tell the format of prospects.xlsx: name it .csv, .json or .vcf" in result.stderr


def test_export_then_import_into_an_empty_database_reproduces_the_data(pipeline, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    for name, extra in (("prospects.csv", ()), ("touches.csv", ("--touches",)),
                        ("prospects.json", ()), ("touches.json", ("--touches",))):  # fmt: skip
        pipeline.ok("export", str(first / name), *extra)
    today = pipeline.json("today", "--days", "60")
    empty = {"FOLLOWUP_DB": str(tmp_path / "empty.db")}
    pipeline.ok("import", str(first / "prospects.csv"), env=empty)
    pipeline.ok("import", str(first / "touches.csv"), "--touches", env=empty)
    second = tmp_path / "second"
    second.mkdir()
    for name, extra in (("prospects.csv", ()), ("touches.csv", ("--touches",)),
                        ("prospects.json", ()), ("touches.json", ("--touches",))):  # fmt: skip
        pipeline.ok("export", str(second / name), *extra, env=empty)
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    # the schedule comes back too: the same touches are due, for the same reasons
    assert pipeline.json("today", "--days", "60", env=empty) == today


def test_json_export_then_import_into_an_empty_database_reproduces_the_data(pipeline, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    exports = (("prospects.json", ()), ("touches.json", ("--touches",)),
               ("prospects.csv", ()), ("touches.csv", ("--touches",)))  # fmt: skip
    for name, extra in exports:
        pipeline.ok("export", str(first / name), *extra)
    today = pipeline.json("today", "--days", "60")
    empty = {"FOLLOWUP_DB": str(tmp_path / "empty.db")}
    pipeline.ok("import", str(first / "prospects.json"), env=empty)
    pipeline.ok("import", str(first / "touches.json"), "--touches", env=empty)
    second = tmp_path / "second"
    second.mkdir()
    for name, extra in exports:
        pipeline.ok("export", str(second / name), *extra, env=empty)
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    # the schedule comes back too: the same touches are due, for the same reasons
    assert pipeline.json("today", "--days", "60", env=empty) == today


def test_json_keeps_cells_a_spreadsheet_would_run_as_they_are(run, tmp_path):
    run.ok("add", NASTY["name"], "--email", "x@evil.io", "--no-cadence",
           *(f"--{k.replace('_', '-')}={v}" for k, v in NASTY.items() if k != "name"))  # fmt: skip
    target = tmp_path / "p.json"
    run.ok("export", str(target))
    assert json.loads(target.read_text())[0]["company"] == "+Acme"  # no apostrophe in JSON
    empty = {"FOLLOWUP_DB": str(tmp_path / "empty.db")}
    run.ok("import", str(target), env=empty)
    back = run.json("show", "x@evil.io", env=empty)
    for key, value in NASTY.items():
        assert back[key] == value, key


def test_cells_a_spreadsheet_would_run_are_neutralised_and_come_back(run, tmp_path):
    run.ok("add", NASTY["name"], "--email", "x@evil.io", "--no-cadence",
           *(f"--{k.replace('_', '-')}={v}" for k, v in NASTY.items() if k != "name"))  # fmt: skip
    target = tmp_path / "p.csv"
    run.ok("export", str(target))
    row = next(csv.DictReader(target.open(encoding="utf-8", newline="")))
    for key, value in NASTY.items():
        assert row[key] == "'" + value, key
    empty = {"FOLLOWUP_DB": str(tmp_path / "empty.db")}
    run.ok("import", str(target), env=empty)
    back = run.json("show", "x@evil.io", env=empty)
    for key, value in NASTY.items():
        assert back[key] == value, key


def test_cells_starting_with_a_tab_or_carriage_return_are_neutralised(run, isolated, tmp_path):
    import sqlite3

    run.ok("add", "Dana Reyes", "--no-cadence")
    conn = sqlite3.connect(isolated / "followup.db")
    with conn:
        conn.execute("UPDATE prospects SET personal = ?, key_points = ?", ["\tTab", "\rCR"])
    run.ok("export", str(tmp_path / "p.csv"))
    row = next(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8", newline="")))
    assert (row["personal"], row["key_points"]) == ("'\tTab", "'\rCR")


@pytest.mark.parametrize(
    "text", ["=1+1", "+1 555", "-5", "@x", "\tx", "\rx", "'=1", "''+x", "'tis", "plain", ""]
)
def test_neutralise_and_unescape_are_inverse(text):
    assert unescape(neutralise(text)) == text
    assert neutralise(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_excel_csv_starts_with_a_bom_and_imports_back(pipeline, run, tmp_path, monkeypatch):
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    run.ok("export", str(plain))
    run.ok("export", str(excel), "--excel")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")  # no BOM by default
    assert excel.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert run.ok("export", "-", "--excel").stdout.startswith("\ufeff")
    result = run("export", str(tmp_path / "x.json"), "--excel")
    assert result.exit_code == 1
    assert "--excel is for CSV: export to a .csv file, or drop --excel." in result.output
    assert not (tmp_path / "x.json").exists()
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "fresh.db"))
    report = run.json("import", str(excel))
    assert report["added"] == len(run.json("list", "--limit", "1000"))
    assert report["encoding"].startswith("utf-8")


def test_touch_notes_a_spreadsheet_would_run_are_neutralised_and_come_back(run, dana, tmp_path):
    """Touch notes are the cells most likely to start with ``=`` or ``-``."""
    notes = ['=HYPERLINK("http://evil","x")', "-10% if they sign this week", "@Kim asked"]
    for day, note in zip((20, 21, 22), notes, strict=True):
        run.ok("log", "dana", "-c", "call", "-o", "no_answer", "-n", note, "--at", f"2026-11-{day}")
    target = tmp_path / "touches.csv"
    run.ok("export", str(target), "--touches")
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert [r["note"] for r in rows] == ["'" + note for note in notes]
    empty = {"FOLLOWUP_DB": str(tmp_path / "empty.db")}
    run.ok("export", str(tmp_path / "prospects.csv"))
    run.ok("import", str(tmp_path / "prospects.csv"), env=empty)
    run.ok("import", str(target), "--touches", env=empty)
    back = run.json("show", "dana", env=empty)["touches"]
    assert [t["note"] for t in reversed(back)] == notes


@pytest.mark.parametrize(
    ("text", "written"),
    [("'X=1", "'X=1"), ("'=1", "''=1"), ("'plain", "'plain"), ("x=1", "x=1"), ("-", "'-")],
)
def test_neutralise_adds_one_apostrophe_only_before_a_formula(text, written):
    assert neutralise(text) == written
    assert unescape(written) == text
