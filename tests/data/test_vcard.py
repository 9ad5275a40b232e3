"""vCard in and out: Apple's 3.0 (item1. groups, escaped commas, folded lines) and Google's
4.0 import; export writes 3.0 or 4.0; export then import gives the same cards back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "files"


def test_apple_vcard_3(run):
    result = run.ok("import", str(DATA / "apple.vcf"))
    assert "apple.vcf: 2 cards (utf-8, vCard)." in result.stdout
    yuki = run.json("show", "yuki@sakuradesign.jp")
    assert (yuki["name"], yuki["company"], yuki["title"]) == (
        "Dr. Yuki Nakamura",
        "Sakura Design, Inc.",  # the escaped comma
        "Creative Director",
    )
    assert yuki["notes"] == (
        "Met at the Tokyo design week, wants a demo in January. She prefers short emails."
    )  # a folded line
    assert (yuki["phone"], yuki["birthday"], yuki["country"]) == (
        "+81 90 5555 0303",
        "1986-07-21",
        "JP",
    )
    assert yuki["tags"] == ["design", "vip"]
    assert yuki["fields"] == {
        "department": "Studio",
        "email_2": "yuki.n@example.jp",
        "salutation": "Dr.",
    }
    felix = run.json("show", "felix")  # a card with only a phone is a prospect too
    assert felix["phone"] == "+41 44 555 01 01"


def test_google_vcard_4(run):
    run.ok("import", str(DATA / "google.vcf"))
    sam = run.json("show", "sam@okafor.ng")
    assert (sam["phone"], sam["birthday"], sam["timezone"]) == (
        "+234-803-555-0199",
        "--05-17",
        "Africa/Lagos",
    )
    assert (sam["tags"], sam["linkedin"]) == (["energy"], "https://www.linkedin.com/in/samokafor")


@pytest.mark.parametrize(("fmt", "version"), [("vcf", "3.0"), ("vcf4", "4.0")])
def test_export_then_import_gives_the_same_cards(run, tmp_path, fmt, version):
    run.ok("import", str(DATA / "apple.vcf"))
    run.ok("import", str(DATA / "google.vcf"))
    first = tmp_path / "first.vcf"
    run.ok("export", str(first), "--format", fmt)
    assert first.read_text().count(f"VERSION:{version}") == 3
    empty = {"FOLLOWUP_DB": str(tmp_path / "empty.db")}
    run.ok("import", str(first), env=empty)
    second = tmp_path / "second.vcf"
    run.ok("export", str(second), "--format", fmt, env=empty)
    assert second.read_bytes() == first.read_bytes()
    keys = ("name", "email", "phone", "company", "title", "birthday", "tags", "country", "fields")
    before = run.json("show", "yuki@sakuradesign.jp")
    after = run.json("show", "yuki@sakuradesign.jp", env=empty)
    assert {k: after[k] for k in keys} == {k: before[k] for k in keys}


def test_a_csv_book_exported_as_vcards_and_imported_again_changes_nothing(run, tmp_path):
    # Salesforce writes CRLF, and its multi-line Description keeps the CR inside the cell:
    # stored as a plain line break, so a card (which has one kind) brings back the same note.
    assert b"SSO.\r\nWants" in (DATA / "salesforce_report.csv").read_bytes()
    run.ok("import", str(DATA / "salesforce_report.csv"))
    run.ok("import", str(DATA / "outlook_contacts.csv"))
    priya = run.json("show", "priya")
    assert priya["notes"] == "Asked about SSO.\nWants pricing for 40 seats."
    cards = tmp_path / "book.vcf"
    run.ok("export", str(cards))
    report = run.json("import", str(cards))
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 4)


def test_a_broken_vcard_is_one_clear_line(run, isolated, tmp_path):
    source = tmp_path / "broken.vcf"
    source.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ada\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: broken.vcf is not a readable vCard file (")
    source.write_text("hello\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: broken.vcf ")


@pytest.mark.parametrize(("file", "loaded"), [("hubspot.csv", False), ("apple.vcf", True)])
def test_vobject_is_imported_only_on_the_vcard_path(isolated, file, loaded):
    import os
    import subprocess

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "followup_cli", "import", str(DATA / file)],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert ("| vobject" in result.stderr) is loaded
