"""`followup import`: CRM exports in, all rows or none, the same file twice changes nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "files"
BAD = DATA / "bad"


def dump(db: Path) -> list[str]:
    """The database's content, as SQL: what "unchanged" means."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def prospect(run, ref: str) -> dict:
    return run.json("show", ref)


# --- real exports ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "encoding", "delimiter", "ref", "expected"),
    [
        (
            "hubspot.csv",
            "utf-8 with BOM",
            "comma",
            "dana@acme.io",
            {
                "name": "Dana Reyes",
                "company": "Acme",
                "title": "VP Sales",
                "phone": "+1 303 555 0100",
                "stage": "active",
                "value": 24000.0,
                "timezone": "America/Denver",
                "notes": "Budget freeze until Q2, revisit in January",
                "fields": {
                    "lead_source": "Webinar",
                    "lead_status": "Open Deal",
                    "record_id": "101",
                },
            },
        ),
        (
            "salesforce.csv",
            "latin-1",
            "semicolon",
            "jose@baeckerei.de",
            {
                "name": "José Müller",
                "company": "Bäckerei Müller GmbH",
                "title": "Geschäftsführer",
                "stage": "interest",
                "country": "DE",
                "notes": "Interessiert an Einführung im Frühjahr",
                "fields": {
                    "annual_revenue": "1.200.000,50",
                    "lead_id": "00Q1",
                    "lead_source": "Trade Show",
                },
            },
        ),
        (
            "pipedrive.tsv",
            "utf-8",
            "tab",
            "alex@hooli.com",
            {
                "name": "Alex Kim",
                "company": "Hooli",
                "stage": "proposal",
                "value": 50000.0,
                "tags": ["hot lead", "enterprise"],
            },
        ),
        (
            "linkedin.csv",
            "utf-8",
            "comma",
            "Lars Berg",
            {
                "email": None,
                "company": "Spotify",
                "title": "Engineering Manager",
                "linkedin": "https://www.linkedin.com/in/larsberg",
                "fields": {"connected_on": "12 Mar 2024"},
            },
        ),
        (
            "google.csv",
            "utf-8",
            "comma",
            "wei@stripe.com",
            {
                "name": "Wei Chen",
                "company": "Stripe",
                "title": "Partnerships",
                "birthday": "1985-04-12",
                "phone": "+1 650 555 0199",
                "tags": ["conference"],  # "* myContacts" is every contact's group
            },
        ),
    ],
)
def test_common_exports_are_mapped(run, file, encoding, delimiter, ref, expected):
    result = run.ok("import", str(DATA / file))
    assert f"({encoding}, {delimiter}-separated)" in result.stdout
    shown = prospect(run, ref)
    for key, value in expected.items():
        assert shown[key] == value, key


@pytest.mark.parametrize(
    ("content", "encoding", "delimiter"),
    [
        ("Name;Email\r\nZoë Ångström;zoe@cafenoir.fr\r\n".encode("utf-16"), "utf-16", "semicolon"),
        (b"sep=|\nName|Email\nZo\xeb \xc5ngstr\xf6m|zoe@cafenoir.fr\n", "latin-1", "pipe"),
    ],
)
def test_more_encodings_and_excel_separator_hint(run, tmp_path, content, encoding, delimiter):
    (tmp_path / "f.csv").write_bytes(content)
    report = run.json("import", str(tmp_path / "f.csv"))
    assert (report["encoding"], report["delimiter"], report["added"]) == (
        encoding,
        {"semicolon": ";", "pipe": "|"}[delimiter],
        1,
    )
    assert run.json("show", "zoe@cafenoir.fr")["name"] == "Zoë Ångström"


def test_columns_map_to_fields_and_unknown_ones_become_custom_fields(run):
    report = run.json("import", str(DATA / "hubspot.csv"), "--dry-run")
    mapping = {m["column"]: m["field"] for m in report["mapping"]}
    assert mapping["First Name"] == "first_name"
    assert mapping["Company Name"] == "company"
    assert mapping["Lifecycle Stage"] == "stage"
    # a second column for the same field is kept, as a custom field
    assert mapping["Lead Status"] == "custom field lead_status"
    assert mapping["Lead Source"] == "custom field lead_source"


def test_custom_field_names_keep_to_ascii_unless_a_header_has_none(run, tmp_path):
    # The names custom fields were given before other scripts were kept: a file imported
    # again must land in the same fields ("Straße" was "strae"); a header with no ASCII
    # letter at all still gets a name of its own instead of column_N.
    source = tmp_path / "contacts.csv"
    source.write_text("Name,Email,Straße,Œuvre préférée,客户来源\nAna,ana@x.io,a,b,c\n")
    report = run.json("import", str(source), "--dry-run")
    mapping = {m["column"]: m["field"] for m in report["mapping"]}
    assert mapping["Straße"] == "custom field strae"
    assert mapping["Œuvre préférée"] == "custom field uvre_preferee"
    assert mapping["客户来源"] == "custom field 客户来源"


def test_import_json_report_shape(run):
    report = run.json("import", str(DATA / "hubspot.csv"))
    assert set(report) == {
        "kind", "file", "encoding", "delimiter", "rows", "mapping", "added", "updated",
        "unchanged", "enrolled", "enrolled_in", "merged", "skipped", "date_order", "duplicates",
        "prospects", "bad_rows", "rejects", "dry_run",
    }  # fmt: skip
    assert (report["kind"], report["rows"], report["added"]) == ("prospects", 3, 3)


def test_map_option(run, tmp_path):
    source = tmp_path / "crm.csv"
    source.write_text("Contact,Org,Mail,Pain,Internal\nDana Reyes,Acme,dana@acme.io,renewals,x\n")
    run.ok(
        "import", str(source), "--map", "Org=company", "--map", "Contact=name",
        "--map", "Mail=email", "--map", "Pain=pain_point", "--map", "Internal=-",
    )  # fmt: skip
    shown = prospect(run, "dana")
    assert (shown["company"], shown["email"]) == ("Acme", "dana@acme.io")
    assert shown["fields"] == {"pain_point": "renewals"}


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("Org", "--map 'Org' is not Header=field: use e.g. --map \"Org=company\""),
        ("Nope=company", "--map 'Nope=company': there is no column 'Nope' (columns: Name, Org)."),
        ("Org=comp any", "--map 'Org=comp any': unknown field 'comp any': use one of name,"),
    ],
)
def test_map_mistakes(run, tmp_path, option, message):
    source = tmp_path / "crm.csv"
    source.write_text("Name,Org\nDana Reyes,Acme\n")
    result = run("import", str(source), "--map", option)
    assert result.exit_code == 1
    assert message in result.stderr.replace("\n", " ")


def test_reimporting_the_same_file_changes_nothing(run, isolated):
    run.ok("import", str(DATA / "hubspot.csv"), "--cadence", "steli-persistence")
    before = dump(isolated / "followup.db")
    report = run.json("import", str(DATA / "hubspot.csv"), "--cadence", "steli-persistence")
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 3)
    assert report["enrolled"] == 0  # already in it: not restarted
    assert dump(isolated / "followup.db") == before


def test_upsert_by_email_then_by_name_and_company(run, tmp_path):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--company", "Acme", "--tag", "vip")
    run.ok("add", "Sam Lee", "--company", "Globex", "--no-cadence")
    source = tmp_path / "update.csv"
    source.write_text(
        "Name,Email,Company,Title,Tags\n"
        "Dana Reyes,DANA@acme.io,Acme,CFO,saas\n"
        "Sam Lee,sam@globex.com,Globex,CTO,\n"
        "New Person,new@x.io,X,,\n"
    )
    report = run.json("import", str(source))
    assert (report["added"], report["updated"]) == (1, 2)
    dana = prospect(run, "dana")
    assert dana["title"] == "CFO" and dana["tags"] == ["vip", "saas"]  # tags are added, kept
    sam = prospect(run, "sam")
    assert (sam["email"], sam["title"]) == ("sam@globex.com", "CTO")
    assert len(run.json("list")) == 3


def test_an_empty_cell_never_clears_a_detail_and_do_not_contact_is_never_cleared(run, tmp_path):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--phone", "555-0100")
    run.ok("edit", "dana", "--do-not-contact")
    source = tmp_path / "old.csv"
    source.write_text("Name,Email,Phone,Do Not Contact\nDana Reyes,dana@acme.io,,no\n")
    run.ok("import", str(source))
    dana = prospect(run, "dana")
    assert (dana["phone"], dana["do_not_contact"]) == ("555-0100", True)


def test_cadence_enrolls_every_imported_prospect(run):
    report = run.json("import", str(DATA / "pipedrive.tsv"), "--cadence", "post-demo")
    assert report["enrolled"] == 2
    due = run.json("today", "--days", "7")
    assert {item["prospect"]["name"] for item in due} == {"Alex Kim", "Maria Garcia"}
    assert {item["cadence"] for item in due} == {"post-demo"}


def test_imported_schedule_is_the_schedulers_own(run, isolated):
    """The bulk path writes exactly what enrolling one by one would."""
    run.ok("import", str(DATA / "hubspot.csv"), "--cadence", "post-proposal")
    conn = sqlite3.connect(isolated / "followup.db")
    conn.row_factory = sqlite3.Row
    imported = {r["email"]: dict(r) for r in conn.execute("SELECT * FROM prospects")}
    run.ok("enroll", "dana@acme.io", "post-proposal")  # recomputed by `enroll` itself
    again = dict(conn.execute("SELECT * FROM prospects WHERE email = 'dana@acme.io'").fetchone())
    columns = [c for c in again if c.startswith(("next_", "cadence", "steps_", "prev_"))]
    assert {c: imported["dana@acme.io"][c] for c in columns} == {c: again[c] for c in columns}


def test_dry_run_changes_nothing(run, isolated, dana):
    before = dump(isolated / "followup.db")
    result = run.ok("import", str(DATA / "hubspot.csv"), "--dry-run")
    assert "Would import: 2 added, 1 updated, 0 unchanged" in result.stdout
    assert "Dry run: nothing was changed." in result.stdout
    assert dump(isolated / "followup.db") == before


def test_progress_is_reported(isolated, monkeypatch):
    from datetime import UTC, datetime

    from followup_cli import store
    from followup_cli.data import import_prospects as importer

    seen = []
    conn = store.open_db(isolated / "followup.db")
    monkeypatch.setattr(importer, "BATCH", 2)  # a progress call after each batch written
    importer.import_prospects(
        conn,
        DATA / "hubspot.csv",
        now=datetime(2026, 11, 23, 15, tzinfo=UTC),
        user_tz=UTC,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(3, 5), (5, 5)]  # a batch of two rows (lines 2-3), then the end of the file


# --- bad rows: all or nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "args", "stderr"),
    [
        ("empty.csv", [], ["Error: empty.csv is empty: export your data as CSV and try again."]),
        ("blank_lines.csv", [], ["Error: blank_lines.csv is empty: export your data as CSV"]),
        ("header_only.csv", [], ["Error: header_only.csv has a header but no rows: nothing to"]),
        (
            "binary.png",
            [],
            ["Error: binary.png is not a CSV file (it contains binary data): export it as CSV"],
        ),
        (
            "ragged.csv",
            [],
            [
                "line 3: 2 cells but the header has 3 columns",
                "line 4: 4 cells but the header has 3 columns",
                "Error: ragged.csv: 2 bad rows, nothing was imported. Fix them, or add",
            ],
        ),
        (
            "unclosed_quote.csv",
            [],
            ["Error: line 2: a quote opened on this row is never closed, so the rest of the"],
        ),
        (
            "duplicate_emails.csv",
            [],
            [
                "line 4: same email as line 2 but different details (name 'Dana Reyes' there, "
                "'Dana R.' here; company 'Acme' there, 'Acme Inc' here): make the rows agree, "
                "or remove one",
                "Error: duplicate_emails.csv: 1 bad row, nothing was imported. Fix it, or add",
            ],
        ),
        (
            "bad_values.csv",
            [],
            [
                "line 2: Email 'dana@acme' is not an email address",
                "line 3: Stage 'Evangelist-ish' is not a stage: use cold, interest, active, "
                "proposal, customer, lost, nurture; Amount 'lots' is not a number; Time Zone "
                "'Mars/Olympus' is not an IANA timezone such as America/Denver or Europe/Paris; "
                "Birthday '1985-13-45' is not a date: use YYYY-MM-DD, M/D/YYYY, D.M.YYYY or "
                "--MM-DD",
            ],
        ),
        (
            "no_name_column.csv",
            [],
            [
                "Error: no_name_column.csv has no name, email or phone column (its columns: "
                'Colour, Size): name one with --map, e.g. --map "Colour=name".'
            ],
        ),
        (
            "touch_dates.csv",
            ["--touches"],
            [
                "line 2: at '2026-13-45' is not an ISO-8601 date or date-time such as 2026-11-20",
                "line 3: at 'last tuesday' is not an ISO-8601 date or date-time",
                "line 4: at '2030-01-01' is in the future: only past touches can be imported",
                "Error: touch_dates.csv: 3 bad rows, nothing was imported.",
            ],
        ),
        (
            "touch_vocab.csv",
            ["--touches"],
            [
                "line 2: channel 'fax' is not one of call, email, linkedin, video, text, mail, "
                "meeting",
                "line 3: outcome 'ghosted' is not one of sent, no_answer, voicemail, replied,",
                "line 4: no prospect has the email nobody@nowhere.io: import or add them first",
            ],
        ),
        (
            "touch_columns.csv",
            ["--touches"],
            [
                "Error: touch_columns.csv has no email (or prospect) / channel / outcome column "
                "(its columns: who, when, what): a touch history needs email, at, channel and "
                "outcome; name yours with --map."
            ],
        ),
    ],
)
def test_bad_files_are_refused_whole_with_every_reason(run, isolated, dana, file, args, stderr):
    before = dump(isolated / "followup.db")
    result = run("import", str(BAD / file), *args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    for expected in stderr:
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert "Traceback" not in result.output
    assert dump(isolated / "followup.db") == before


def test_a_huge_cell_is_a_row_error(run, isolated, tmp_path):
    source = tmp_path / "huge.csv"
    source.write_text("Name,Email,Notes\nDana,dana@acme.io," + "x" * 70_000 + "\nSam,sam@x.io,ok\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "line 2: a cell is 70,000 characters long (at most 65,536): shorten it"
    )
    assert run.json("list") == []


def test_a_missing_file_is_a_clear_error(run, tmp_path):
    result = run("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nope.csv'} does not exist: check the path" in result.stderr


def test_skip_bad_imports_the_rest_and_writes_the_rejects(run, tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text(
        "Name,Email,Stage\nDana Reyes,dana@acme.io,proposal\nSam Lee,sam@,cold\n"
        "Alex Kim,alex@hooli.com,warmish\n"
    )
    result = run.ok("import", str(source), "--skip-bad")
    assert "Imported: 1 added" in result.stdout
    assert f"Left out 2 bad rows; written to {tmp_path / 'mixed.rejects.csv'}:" in result.stdout
    rejects = (tmp_path / "mixed.rejects.csv").read_text().splitlines()
    assert rejects[0] == "Name,Email,Stage,followup_error"
    assert rejects[1] == "Sam Lee,sam@,cold,line 3: Email 'sam@' is not an email address"
    assert rejects[2].startswith("Alex Kim,alex@hooli.com,warmish,\"line 4: Stage 'warmish'")
    # fixed, the rejects file imports as it is: its reason column is ignored
    fixed = (tmp_path / "mixed.rejects.csv").read_text().replace("sam@,", "sam@globex.com,")
    (tmp_path / "fixed.csv").write_text(fixed.replace(",warmish,", ",active,"))
    report = run.json("import", str(tmp_path / "fixed.csv"))
    assert (report["added"], report["bad_rows"]) == (2, [])
    assert "followup_error" not in prospect(run, "sam")["fields"]


# --- JSON, as `followup export` writes it ---------------------------------------------------

DANA_JSON = {"name": "Dana Reyes", "email": "dana@acme.io", "company": "Acme"}


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("empty.json", "", [], "empty.json is empty: export your data as JSON and try again."),
        ("none.json", "[]", [], "none.json is an empty list: nothing to import."),
        (
            "contacts.json",
            "Name,Email\nDana Reyes,dana@acme.io\n",
            [],
            "contacts.json is not valid JSON: Expecting value at line 1, column 1: "
            "is it a CSV file? Add --format csv.",
        ),
        (
            "cut.json",
            '[{"name": "Dana Reyes"},\n {"name": "Sam Lee"',
            [],
            "cut.json is not valid JSON: Expecting ',' delimiter at line 2, column 20: "
            "fix the file.",
        ),
        (
            "tail.json",
            '[{"name": "Dana Reyes"}] []',
            [],
            "tail.json is not valid JSON: Extra data at line 1, column 26: fix the file.",
        ),
        (
            "one.json",
            '{"name": "Dana Reyes"}',
            [],
            'one.json holds an object, not a list of records: [{"name": ...}, ...].',
        ),
        (
            "names.json",
            '[{"name": "Dana Reyes"}, "Sam Lee"]',
            [],
            "names.json, index 1: a string where a record (an object) is expected: the file "
            'must be a list of records, [{"name": ...}, ...].',
        ),
        (
            "email.json",
            '[{"name": "Dana Reyes"}, {"name": "Sam Lee", "email": 5}]',
            [],
            'email.json, index 1: "email" is a number, but it should be a string. '
            "Fix the file and import it again.",
        ),
        (
            "tags.json",
            '[{"name": "Sam Lee", "tags": ["vip", {"x": 1}]}]',
            [],
            'tags.json, index 0: "tags" is a list holding an object, but it should be a list '
            "of strings or a string. Fix the file and import it again.",
        ),
        (
            "flag.json",
            '[{"name": "Sam Lee", "do_not_contact": 1}]',
            [],
            'flag.json, index 0: "do_not_contact" is a number, but it should be true/false '
            "or a string. Fix the file and import it again.",
        ),
        (
            "fields.json",
            '[{"name": "Sam Lee", "fields": ["goal"]}]',
            [],
            'fields.json, index 0: "fields" is a list of strings, but it should be an object '
            "of custom fields. Fix the file and import it again.",
        ),
        (
            "custom.json",
            '[{"name": "Sam Lee", "fields": {"goal": {"text": "churn"}}}]',
            [],
            'custom.json, index 0: "fields.goal" is an object, but it should be a string, a '
            "number or true/false. Fix the file and import it again.",
        ),
        (
            "touches.json",
            '[{"email": "dana@acme.io", "at": "2026-11-02", "channel": "call", '
            '"outcome": "sent", "step": true}]',
            ["--touches"],
            'touches.json, index 0: "step" is true, but it should be a number or a string. '
            "Fix the file and import it again.",
        ),
    ],
)
def test_bad_json_is_one_line_and_changes_nothing(
    run, isolated, dana, tmp_path, name, content, args, message
):
    before = dump(isolated / "followup.db")
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = run("import", str(tmp_path / name), *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"
    assert dump(isolated / "followup.db") == before


def test_json_records_go_through_the_same_checks_and_are_named_by_index(run, isolated, dana):
    source = isolated / "prospects.json"
    records = [
        {"name": "Sam Lee", "email": "sam@", "stage": "warmish"},
        {"name": "Alex Kim", "email": "alex@hooli.com"},
        {"name": "Dana Again", "email": "DANA@acme.io"},
        {"name": "Alex Kim", "email": "alex@hooli.com"},
    ]
    source.write_text(json.dumps(records))
    before = dump(isolated / "followup.db")
    result = run("import", str(source))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "index 0: email 'sam@' is not an email address; stage 'warmish' is not a stage: use "
        "cold, interest, active, proposal, customer, lost, nurture",
        "Error: prospects.json: 1 bad record, nothing was imported. Fix it, or add "
        "--skip-bad to import the good records and set the bad ones aside.",
    ]
    assert dump(isolated / "followup.db") == before
    report = run.json("import", str(source), "--dry-run", "--skip-bad")
    assert (report["delimiter"], report["added"], report["updated"]) == (None, 1, 1)
    assert report["merged"] == 1  # index 3 repeats index 1 exactly
    assert dump(isolated / "followup.db") == before


def test_json_upserts_by_email_then_name_and_company(run, isolated):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--company", "Acme", "--tag", "vip")
    run.ok("add", "Sam Lee", "--company", "Globex", "--no-cadence")
    source = isolated / "update.json"
    source.write_text(
        json.dumps(
            [
                {"name": "Dana Reyes", "email": "DANA@acme.io", "title": "CFO", "tags": ["a;b"]},
                {"name": "Sam Lee", "Company Name": "Globex", "email": "sam@globex.com"},
                {"name": "New Person", "value": 1200.5, "priority": 3, "do_not_contact": True,
                 "fields": {"goal": "cut churn", "seats": 40}, "Lead Source": "Webinar"},
            ]
        )
    )  # fmt: skip
    report = run.json("import", str(source))
    assert (report["added"], report["updated"], report["encoding"]) == (1, 2, "utf-8")
    dana = prospect(run, "dana")
    assert (dana["title"], dana["tags"]) == ("CFO", ["vip", "a;b"])  # a list is not re-split
    assert prospect(run, "sam")["email"] == "sam@globex.com"
    new = prospect(run, "New Person")
    assert (new["value"], new["priority"], new["do_not_contact"]) == (1200.5, "high", True)
    assert new["fields"] == {"goal": "cut churn", "seats": "40", "lead_source": "Webinar"}
    before = dump(isolated / "followup.db")
    again = run.json("import", str(source))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert dump(isolated / "followup.db") == before


def test_json_skip_bad_writes_the_rejects_as_json(run, tmp_path):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io")
    source = tmp_path / "touches.txt"  # not .json: --format says it
    good = {"email": "dana@acme.io", "at": "2026-11-02", "channel": "call", "outcome": "sent"}
    source.write_text(json.dumps([good, {**good, "channel": "fax"}]))
    result = run.ok("import", str(source), "--touches", "--format", "json", "--skip-bad")
    target = tmp_path / "touches.rejects.json"
    assert "touches.txt: 1 record (utf-8, JSON)." in result.stdout
    assert f"Left out 1 bad record; written to {target}:" in result.stdout
    error = "index 1: channel 'fax' is not one of call, email, linkedin, video, text, mail, meeting"
    assert json.loads(target.read_text()) == [{**good, "channel": "fax", "followup_error": error}]
    # fixed, the rejects file imports as it is: its reason is ignored
    target.write_text(target.read_text().replace('"fax"', '"mail"'))
    report = run.json("import", str(target), "--touches")
    assert (report["added"], report["bad_rows"]) == (1, [])
    assert len(prospect(run, "dana")["touches"]) == 2


# --- touch history --------------------------------------------------------------------------


def test_touch_history_sets_last_touch_answered_and_the_next_due_date(run, isolated):
    run.ok("import", str(DATA / "hubspot.csv"), "--cadence", "steli-persistence")
    report = run.json("import", str(DATA / "touches.csv"), "--touches")
    assert (report["added"], report["prospects"], report["duplicates"]) == (5, 3, 0)
    dana = run.json("show", "dana")
    assert [t["outcome"] for t in dana["touches"]] == ["replied", "sent", "voicemail"]
    assert dana["touches"][0]["direction"] == "in"
    assert dana["touches"][2]["at"] == "2026-10-02T15:00:00Z"  # a bare date: 09:00 local
    conn = sqlite3.connect(isolated / "followup.db")
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT * FROM prospects WHERE email = 'dana@acme.io'").fetchone()
    assert (row["last_touch_at"], row["last_touch_channel"], row["last_touch_outcome"]) == (
        "2026-10-09T16:00:00Z",
        "email",
        "replied",
    )
    assert row["answered"] == 1
    sam = conn.execute("SELECT * FROM prospects WHERE email = 'sam@globex.com'").fetchone()
    assert (sam["last_touch_channel"], sam["last_touch_outcome"]) == ("linkedin", "no_answer")
    # the stored next due date is what the scheduler computes from that state
    stored = dict(row)
    run.ok("edit", "dana", "--title", "VP Sales")  # a no-op edit recomputes the schedule
    again = conn.execute("SELECT * FROM prospects WHERE email = 'dana@acme.io'").fetchone()
    assert again["next_due_at"] == stored["next_due_at"]
    assert again["next_why"] == stored["next_why"]


def test_touch_history_imported_twice_is_recorded_once(run, isolated):
    run.ok("import", str(DATA / "hubspot.csv"))
    run.ok("import", str(DATA / "touches.csv"), "--touches")
    before = dump(isolated / "followup.db")
    report = run.json("import", str(DATA / "touches.csv"), "--touches")
    assert (report["added"], report["duplicates"]) == (0, 5)
    assert dump(isolated / "followup.db") == before


def test_an_imported_opt_out_sets_do_not_contact(run, tmp_path):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io")
    source = tmp_path / "t.csv"
    source.write_text("prospect,at,channel,outcome\nDana Reyes,2026-11-01,email,opted out\n")
    run.ok("import", str(source), "--touches")
    assert prospect(run, "dana")["do_not_contact"] is True
    assert run.json("today", "--days", "30") == []


def test_an_imported_history_is_undone_as_one_step(run):
    run.ok("import", str(DATA / "hubspot.csv"))
    before = run.json("list")
    run.ok("import", str(DATA / "touches.csv"), "--touches")
    assert run.json("list") != before
    result = run.ok("undo")
    assert "Undid #2 import: imported the touches of" in result.output
    assert run.json("list") == before
    run.ok("undo")
    assert run.json("list") == []


def test_undo_of_a_prospect_import_takes_back_merged_rows_and_given_ids(run, isolated, tmp_path):
    """New prospects are journaled in one statement at the end of the import: one that a
    later row of the same file updated (a merge), and one our own export gave an id below
    the highest, are still taken back by undo."""
    run.ok("import", str(DATA / "hubspot.csv"))
    run.ok("rm", "dana@acme.io", "--yes")  # frees id 1, below the highest
    before = dump(isolated / "followup.db")
    source = tmp_path / "merged.csv"
    source.write_text(
        "id,Name,Email,Company,Job Title\n"
        "1,Ana Lima,ana@lima.example,Lima Co,\n"
        ",Bo Chen,bo@chen.example,,\n"
        ",Bo Chen,bo@chen.example,Chen Ltd,CTO\n"  # merges into the row above
    )
    report = run.json("import", str(source))
    assert (report["added"], report["merged"]) == (2, 1)
    assert run.json("show", "ana@lima.example")["id"] == 1
    assert run.json("show", "bo@chen.example")["company"] == "Chen Ltd"
    run.ok("undo")

    def people(lines):
        return [s for s in lines if s.startswith(('INSERT INTO "prospects"', 'INSERT INTO "touc'))]

    assert people(dump(isolated / "followup.db")) == people(before)
    assert {p["email"] for p in run.json("list")} == {"sam@globex.com", "priya@initech.com"}


@pytest.mark.parametrize("big", [False, True])
def test_undo_of_a_second_history_gives_back_every_row(run, isolated, tmp_path, monkeypatch, big):
    """The journal records a bulk load set-based (the new touches in one statement, the
    recomputed prospects' images in another): undo still puts back every row and column,
    the earlier touches renumbered by the new ones included."""
    from followup_cli.data import import_touches as importer

    if big:
        monkeypatch.setattr(importer, "BIG_LOAD", 2)
    run.ok("import", str(DATA / "hubspot.csv"))
    run.ok("import", str(DATA / "touches.csv"), "--touches")
    before = dump(isolated / "followup.db")
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(
        "email,at,channel,outcome\n"
        "dana@acme.io,2026-09-01,email,sent\n"  # before all of Dana's: renumbers them
        "dana@acme.io,2026-11-21,call,meeting\n"
        "sam@globex.com,2026-11-03,email,replied\n"
    )
    run.ok("import", str(earlier), "--touches")
    assert dump(isolated / "followup.db") != before
    run.ok("undo")
    after = dump(isolated / "followup.db")
    tables = ("prospects", "touches")
    assert [s for s in after if s.split('"')[1:2] and s.split('"')[1] in tables] == [
        s for s in before if s.split('"')[1:2] and s.split('"')[1] in tables
    ]


def test_a_big_touch_history_builds_indexes_once_and_keeps_search_in_sync(
    run, isolated, monkeypatch
):
    from followup_cli.data import import_touches as importer

    monkeypatch.setattr(importer, "BIG_LOAD", 2)
    run.ok("import", str(DATA / "hubspot.csv"))
    run.ok("import", str(DATA / "touches.csv"), "--touches")
    conn = sqlite3.connect(isolated / "followup.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO touches_fts(touches_fts) VALUES ('integrity-check')")
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name='touches'")}
    assert {"idx_touches_prospect", "idx_touches_at", "touches_ai", "touches_ad"} <= names
    assert run.json("search", "case study")[0]["touch"]["outcome"] == "sent"


# --- a process killed in the middle ---------------------------------------------------------


def test_a_killed_import_leaves_the_database_as_it_was(run, isolated, dana, tmp_path):
    source = tmp_path / "big.csv"
    with source.open("w") as out:
        out.write("Name,Email,Company,Notes\n")
        for n in range(60_000):
            out.write(f"Person {n},p{n}@example.com,Company {n % 500},notes about {n}\n")
    db = isolated / "followup.db"
    before = dump(db)
    wal = Path(f"{db}-wal")
    start_size = wal.stat().st_size if wal.exists() else 0
    process = subprocess.Popen(
        [sys.executable, "-m", "followup_cli", "import", str(source)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 2_000_000:
            break  # it is writing: uncommitted pages are spilling into the log
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the import finished before it could be killed"
    assert dump(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert [p["name"] for p in run.json("list")] == ["Dana Reyes"]


def test_the_scheduler_never_reads_what_import_treats_as_irrelevant_to_it():
    """Import plans rows alike in all but these columns once (``NOT_SCHEDULING``)."""
    from datetime import UTC

    from followup_cli.data.import_plans import NOT_SCHEDULING
    from followup_cli.pipeline.prospect import Prospect
    from followup_cli.scheduling.enrollment import enrollment_of
    from followup_cli.scheduling.step_conditions import DETAIL_FACTS

    read: set[str] = set()

    class Watched(Prospect):
        def __getattribute__(self, name: str):
            read.add(name)
            return super().__getattribute__(name)

    for country in (None, "US"):
        enrollment_of(Watched(id=1, name="Dana", timezone="America/Denver", country=country), UTC)
    # what a cadence step may ask the record for (``when:``) is read as facts, which the
    # import keys its plans by on their own (``import_plans.row_facts``)
    assert read and not read & NOT_SCHEDULING - {*DETAIL_FACTS, "fields"}


def test_import_dash_reads_standard_input(run):
    csv_text = "Name,Email,Company\nAna Lima,ana@lima.example,Lima Co\n"
    report = run.json("import", "-", input=csv_text)
    assert report["added"] == 1
    assert [p["email"] for p in run.json("list")] == ["ana@lima.example"]
    again = run.json("import", "-", input=csv_text)  # the same rows: nothing changes
    assert again["added"] == 0 and again["unchanged"] == 1
    exported = '[{"name": "Bo Chen", "email": "bo@chen.example"}]'
    assert run.json("import", "-", input=exported)["added"] == 1  # JSON is recognised


def test_import_dash_with_skip_bad_needs_a_rejects_file(run):
    result = run("import", "-", "--skip-bad", input="Name,Email\nA,a@x.example\n")
    assert result.exit_code == 2
    assert "With `import -`, --skip-bad needs --rejects FILE" in result.output
    assert run.json("list") == []


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_json_is_read_a_chunk_at_a_time_with_the_same_result_and_messages(
    run, isolated, tmp_path, monkeypatch, chunk
):
    from followup_cli.data import csv_source

    monkeypatch.setattr(csv_source, "CHUNK", chunk)
    good = tmp_path / "good.json"
    good.write_text(
        '[\n  {"name": "Ada Obi", "email": "ada@kite.io", "value": 12345.5, "tags": ["a", "b"]},'
        '\n  {"name": "Sam Lee", "email": "sam@globex.com", "fields": {"city": "Oslo"}}\n]\n'
    )
    report = run.json("import", str(good))
    assert (report["added"], report["rows"]) == (2, 2)
    ada = run.json("show", "ada@kite.io")
    assert (ada["value"], ada["tags"]) == (12345.5, ["a", "b"])
    assert run.json("show", "sam@globex.com")["fields"] == {"city": "Oslo"}
    cut = tmp_path / "cut.json"
    cut.write_text('[\n  {"name": "Ada"}\n  {"name": "Sam"}\n]\n')
    result = run("import", str(cut))
    assert result.stderr == (
        "Error: cut.json is not valid JSON: Expecting ',' delimiter at line 3, column 3: "
        "fix the file.\n"
    )
