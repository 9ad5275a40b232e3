"""Text-message consent is a flag of the prospect's own (`--texts-ok/--no-texts`), shown in
`show` and `--json`, carried by export and import, and what a text draft asks for.

Seed 000 (000_cd2bc44c633a209f.txt), under "Use unexpected medium": "Text (only if you have
permission)". Seed 002 (002_ebf38cfac8e1ad58.txt): "text messages (if appropriate for your
industry)"."""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from followup_cli import store


def _tess(run, *more):
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind")
    run.ok("add", "Tess Ng", "--email", "tess@ng.example", "--phone", "+1 303 555 0101",
           "--set", "pain_point=late invoices", "--no-cadence", *more)  # fmt: skip


def test_consent_is_a_flag_shown_in_show_and_json(run):
    _tess(run, "--texts-ok")
    shown = run.ok("show", "tess").stdout
    assert "Texts       agreed to text messages" in shown
    assert run.json("show", "tess")["texts_ok"] is True
    run.ok("edit", "tess", "--no-texts")
    assert "Texts" not in run.ok("show", "tess").stdout
    assert run.json("show", "tess")["texts_ok"] is False


def test_a_text_draft_asks_for_the_flag_and_the_old_tag_is_not_consent(run):
    _tess(run, "--tag", "texts-ok")  # only a tag now: no consent
    refused = run("draft", "tess", "-t", "text-message")
    assert refused.exit_code == 1
    assert refused.stderr.endswith(
        "Tess Ng has not agreed to text messages: once they have, followup edit tess --texts-ok.\n"
    )
    run.ok("edit", "tess", "--texts-ok")
    text = run.ok("draft", "tess", "-t", "text-message").stdout
    # never spoken to: the text says no "since we spoke"
    assert text == (
        "Hi Tess, Sam from Northwind here. I had one idea on late invoices. "
        "Could I call you Tuesday 10:00?\n"
    )
    run.ok("undo")  # the consent is one change like any other
    assert run.json("show", "tess")["texts_ok"] is False


def test_export_and_import_carry_consent_and_a_no_takes_it_back(run, tmp_path):
    _tess(run, "--texts-ok")
    run.ok("add", "Omar Diaz", "--email", "omar@frost.example", "--no-cadence")
    csv_file, json_file = tmp_path / "people.csv", tmp_path / "people.json"
    run.ok("export", str(csv_file))
    run.ok("export", str(json_file))
    header, *rows = csv_file.read_text().splitlines()
    at = header.split(",").index("texts_ok")
    assert {row.split(",")[1]: row.split(",")[at] for row in rows} == {
        "Tess Ng": "yes",
        "Omar Diaz": "",
    }
    assert {r["name"]: r["texts_ok"] for r in json.loads(json_file.read_text())} == {
        "Tess Ng": True,
        "Omar Diaz": False,
    }
    for backup in (csv_file, json_file):
        fresh = {"FOLLOWUP_DB": str(tmp_path / f"{backup.suffix[1:]}.db")}
        run.ok("import", str(backup), env=fresh)
        assert run.json("show", "tess", env=fresh)["texts_ok"] is True
        assert run.json("show", "omar", env=fresh)["texts_ok"] is False
    # a CRM's opt-in column: "no" is consent taken back, an empty cell changes nothing
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "Name,Email,SMS opt-in\nTess Ng,tess@ng.example,\nOmar Diaz,omar@frost.example,yes\n"
    )
    run.ok("import", str(crm))
    assert run.json("show", "tess")["texts_ok"] is True
    assert run.json("show", "omar")["texts_ok"] is True
    crm.write_text("Name,Email,SMS opt-in\nTess Ng,tess@ng.example,no\n")
    run.ok("import", str(crm))
    assert run.json("show", "tess")["texts_ok"] is False


def test_the_migration_turns_the_texts_ok_tag_into_the_flag(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    (name,) = [n for n in store.MIGRATION_NAMES if n.endswith("_texts_ok")]
    store._migrations().apply(sqlite_utils.Database(conn), stop_before=name)
    for who, tags in (("Tess", ["vip", "texts-ok", "q1"]), ("Omar", []), ("Ula", ["no-texts-ok"])):
        conn.execute(
            "INSERT INTO prospects (name, tags, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
            [who, json.dumps(tags)],
        )
    conn.close()
    upgraded = store.open_db(path)
    found = {
        row[0]: (row[1], json.loads(row[2]))
        for row in upgraded.execute("SELECT name, texts_ok, tags FROM prospects")
    }
    assert found == {"Tess": (1, ["vip", "q1"]), "Omar": (0, []), "Ula": (0, ["no-texts-ok"])}
