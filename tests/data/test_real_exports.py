"""Real exports import as they come (tests/data/files/, built from each product's header row
with made-up people): duplicates, report footers, honorifics, dates and numbers per file,
encodings, several values in a cell, and the cadence each new prospect starts in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "files"


def people(run) -> dict[str, dict]:
    return {p["name"]: run.json("show", str(p["id"])) for p in run.json("list")}


def test_hubspot_an_exact_duplicate_row_is_merged(run, tmp_path):
    result = run.ok("import", str(DATA / "hubspot_contacts.csv"))
    assert "2 enrolled" in result.stdout and "; 1 repeated row merged;" in result.stdout
    again = {"FOLLOWUP_DB": str(tmp_path / "again.db")}
    report = run.json("import", str(DATA / "hubspot_contacts.csv"), env=again)
    assert (report["rows"], report["added"], report["merged"]) == (3, 2, 1)
    assert report["encoding"] == "utf-8 with BOM"
    assert report["enrolled_in"] == {"stage-cold": 1, "stage-interest": 1}


def test_same_email_rows_merge_field_by_field_when_they_agree(run, tmp_path):
    source = tmp_path / "two.csv"
    source.write_text(
        "Name,Email,Company,Phone\n"
        "Ada Obi,ada@kite.io,Kite,\n"
        "Ada Obi,ADA@kite.io,,+44 20 5555 0101\n"
    )
    report = run.json("import", str(source))
    assert (report["added"], report["merged"], report["bad_rows"]) == (1, 1, [])
    ada = run.json("show", "ada@kite.io")
    assert (ada["company"], ada["phone"]) == ("Kite", "+44 20 5555 0101")


def test_salesforce_report_footer_and_blank_lines_are_skipped_and_said(run):
    result = run.ok("import", str(DATA / "salesforce_report.csv"))
    assert "Skipped lines that are not people: report text (lines 6-10); blank (line 5)." in (
        result.stdout
    )
    assert "Imported: 2 added, 0 updated, 0 unchanged; 2 enrolled (2 in stage-cold)." in (
        result.stdout
    )
    priya = run.json("show", "priya@kestrelhealth.in")
    assert priya["country"] == "IN"
    assert priya["phone"] == "+91 80 5550 1234"
    assert priya["fields"]["mobile"] == "+91 98450 00000"
    assert priya["fields"]["salutation"] == "Ms."
    assert priya["notes"].splitlines() == ["Asked about SSO.", "Wants pricing for 40 seats."]
    jonas = run.json("show", "jonas@fjordanalytics.no")
    assert jonas["phone"] == "+47 912 34 567"  # Mobile stands in for the empty Phone


def test_a_one_cell_row_between_people_is_still_a_bad_row(run, tmp_path):
    source = tmp_path / "broken.csv"
    source.write_text("Name,Email\nAda Obi,ada@kite.io\nBroken\nSam Lee,sam@globex.com\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert "line 3: 1 cells but the header has 2 columns" in result.stderr


def test_salesforce_lead_report_and_data_loader_api_names(run):
    run.ok("import", str(DATA / "salesforce_leads.csv"))
    assert run.json("show", "ana@verdelogistics.br")["company"] == "Verde Logistics"
    run.ok("import", str(DATA / "salesforce_dataloader.csv"))
    lena = run.json("show", "lena@auroralab.de")
    assert (lena["country"], lena["phone"], lena["birthday"]) == (
        "DE",
        "+49 170 5550123",
        "1982-03-09",
    )
    assert lena["fields"]["salutation"] == "Dr."


def test_pipedrive_people(run):
    run.ok("import", str(DATA / "pipedrive_persons.csv"))
    marta = run.json("show", "marta@vistula.pl")
    assert (marta["company"], marta["phone"], marta["tags"]) == (
        "Vistula Software",
        "+48 22 555 0101",
        ["hot lead"],
    )
    assert marta["fields"]["person_email_home"] == "marta.nowak@poczta.pl"
    assert run.json("show", "oskar@nordkap.se")["phone"] == "+46 70 555 0202"


def test_google_contacts_phone_only_rows_several_values_and_birthdays(run):
    report = run.json("import", str(DATA / "google_contacts.csv"))
    assert report["added"] == 2
    chloe = run.json("show", "chloe@atelierlumiere.fr")
    assert (chloe["phone"], chloe["fields"]["phone_2"]) == (
        "+33 6 55 55 01 01",
        "+33 1 55 55 01 02",
    )
    assert (chloe["country"], chloe["birthday"], chloe["tags"]) == ("FR", "--05-17", ["clients"])
    phone_only = run.json("show", "+1 415 555 0177")
    assert phone_only["phone"] == "+1 415 555 0177"


def test_outlook_cp1252_honorifics_us_dates_and_empty_dates(run):
    result = run.ok("import", str(DATA / "outlook_contacts.csv"))
    assert "Dates read month first (M/D/YYYY)" in result.stdout
    rene = run.json("show", "rene@cafelune.fr")
    assert (rene["name"], rene["title"], rene["fields"]["salutation"]) == (
        "René Dubois",
        "Owner",
        "Mr.",
    )
    assert (rene["birthday"], rene["anniversary"]) == ("1979-04-12", None)
    assert rene["tags"] == ["restaurants", "vip"]
    assert run.json("show", "grace@baobabenergy.ng")["birthday"] is None


def test_outlook_german_headers_and_day_first_dates(run):
    result = run.ok("import", str(DATA / "outlook_de.csv"))
    assert "Dates read day first (D.M.YYYY)" in result.stdout
    jana = run.json("show", "jana@baeckerei-kuehn.de")
    assert (jana["company"], jana["title"], jana["birthday"]) == (
        "Bäckerei Kühn GmbH",
        "Geschäftsführerin",
        "1979-04-12",
    )
    assert jana["fields"]["salutation"] == "Frau"


# Outlook's French, Italian and Brazilian Portuguese column names, as Roundcube's CSV
# importer reads them (program/localization/*/csv2vcard.inc); Windows-1252, as Outlook writes.
LOCALIZED_OUTLOOK = {
    "fr": (
        "Titre,Prénom,Nom,Société,Profession,Téléphone (bureau),Tél. mobile,Anniversaire,"
        "Catégories,Adresse de messagerie\r\n"
        "Mme,Élodie,Marchand,Café Lune,Gérante,+33 1 40 00 00 01,,25/12/1980,Clients,"
        "elodie@cafelune.fr\r\n"
        "M.,Théo,Roux,Atelier Roux,Directeur commercial,,+33 6 12 00 00 02,12/04/1979,,"
        "theo@atelier-roux.fr\r\n"
    ),
    "it": (
        "Titolo,Nome,Cognome,Società,Qualifica,Telefono di Lavoro,Compleanno,Categorie,"
        "Indirizzo E-mail\r\n"
        "Sig.ra,Élodie,Marchand,Café Lune,Gérante,+33 1 40 00 00 01,25/12/1980,Clients,"
        "elodie@cafelune.fr\r\n"
        "Sig.,Théo,Roux,Atelier Roux,Directeur commercial,+33 6 12 00 00 02,12/04/1979,,"
        "theo@atelier-roux.fr\r\n"
    ),
    "pt": (
        "Título,Primeiro nome,Último nome,Empresa,Cargo,Fone comercial,Aniversário,"
        "Categorias,Endereço de E-mail\r\n"
        "Sra.,Élodie,Marchand,Café Lune,Gérante,+33 1 40 00 00 01,25/12/1980,Clients,"
        "elodie@cafelune.fr\r\n"
        "Sr.,Théo,Roux,Atelier Roux,Directeur commercial,+33 6 12 00 00 02,12/04/1979,,"
        "theo@atelier-roux.fr\r\n"
    ),
    # Spanish, European Portuguese and Dutch as Exchange's contact importer names Outlook's
    # columns (its OutlookCsvLanguageSelect table; tests/data/test_vocabulary.py cites it).
    "es": (
        "Title,Nombre,Apellidos,Organización,Puesto,Teléfono del trabajo,Birthday,Categorías,"
        "E-mail Address\r\n"
        "Sra.,Élodie,Marchand,Café Lune,Gérante,+33 1 40 00 00 01,25/12/1980,Clients,"
        "elodie@cafelune.fr\r\n"
        "Sr.,Théo,Roux,Atelier Roux,Directeur commercial,+33 6 12 00 00 02,12/04/1979,,"
        "theo@atelier-roux.fr\r\n"
    ),
    "pt-pt": (
        "Título,Primeiro nome,Apelido,Empresa,Cargo,Telefone da empresa,Aniversário,"
        "Data de nascimento,Categorias,Endereço de correio electrónico\r\n"
        "Sra.,Élodie,Marchand,Café Lune,Gérante,+33 1 40 00 00 01,01/06/2005,25/12/1980,"
        "Clients,elodie@cafelune.fr\r\n"
        "Sr.,Théo,Roux,Atelier Roux,Directeur commercial,+33 6 12 00 00 02,,12/04/1979,,"
        "theo@atelier-roux.fr\r\n"
    ),
    "nl": (
        "Titel,Voornaam,Achternaam,Bedrijf,Functie,Telefoon op werk,Verjaardag,Categorieën,"
        "E-mailadres\r\n"
        "Mevr.,Élodie,Marchand,Café Lune,Gérante,+33 1 40 00 00 01,25/12/1980,Clients,"
        "elodie@cafelune.fr\r\n"
        "Dhr.,Théo,Roux,Atelier Roux,Directeur commercial,+33 6 12 00 00 02,12/04/1979,,"
        "theo@atelier-roux.fr\r\n"
    ),
}


@pytest.mark.parametrize("language", LOCALIZED_OUTLOOK)
def test_outlook_in_other_languages_imports_whole(run, tmp_path, language):
    source = tmp_path / f"outlook_{language}.csv"
    source.write_bytes(LOCALIZED_OUTLOOK[language].encode("cp1252"))
    result = run.ok("import", str(source))
    assert "Dates read day first" in result.stdout
    elodie = run.json("show", "elodie@cafelune.fr")
    assert (elodie["name"], elodie["company"], elodie["title"], elodie["phone"]) == (
        "Élodie Marchand",
        "Café Lune",
        "Gérante",
        "+33 1 40 00 00 01",
    )
    assert (elodie["birthday"], elodie["tags"]) == ("1980-12-25", ["clients"])
    assert elodie["fields"]["salutation"] in ("Mme", "Sig.ra", "Sra.", "Mevr.")
    theo = run.json("show", "theo@atelier-roux.fr")
    assert (theo["title"], theo["birthday"]) == ("Directeur commercial", "1979-04-12")
    assert theo["phone"].startswith("+33 6")


def test_portugals_outlook_aniversario_beside_the_birth_date_is_the_anniversary(run, tmp_path):
    source = tmp_path / "outlook_pt_pt.csv"
    source.write_bytes(LOCALIZED_OUTLOOK["pt-pt"].encode("cp1252"))
    run.ok("import", str(source))
    elodie = run.json("show", "elodie@cafelune.fr")
    assert (elodie["birthday"], elodie["anniversary"]) == ("1980-12-25", "2005-06-01")
    assert "aniversario" not in elodie["fields"]


@pytest.mark.parametrize(
    ("rows", "args", "birthdays"),
    [
        ("Ada,4/12/1979\nSam,12/31/1980\n", [], ["1979-04-12", "1980-12-31"]),
        ("Ada,4/12/1979\nSam,31/12/1980\n", [], ["1979-12-04", "1980-12-31"]),
        ("Ada,4/12/1979\n", ["--date-order", "dmy"], ["1979-12-04"]),
        ("Ada,1979-04-12\nSam,0/0/00\n", [], ["1979-04-12", None]),
    ],
)
def test_the_date_order_is_decided_per_file(run, tmp_path, rows, args, birthdays):
    source = tmp_path / "dates.csv"
    source.write_text("Name,Birthday\n" + rows)
    run.ok("import", str(source), *args)
    assert [p["birthday"] for p in sorted(run.json("list"), key=lambda p: p["id"])] == birthdays


def test_dates_in_both_orders_in_one_file_are_refused(run, tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text("Name,Birthday\nAda,13/01/1979\nSam,01/13/1980\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: dates are written both day-first ('13/01/1979') and month-first ('01/13/1980') "
        "in this file: say which with --date-order dmy or mdy.\n"
    )


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Name;Amount\nAda;€1.200\nSam;1.200,50\n", [1200.0, 1200.5]),
        ('Name,Amount\nAda,"1,200.50"\nSam,"$24,000"\n', [1200.5, 24000.0]),
        ("Name,Amount\nAda,$ 1 200\n", [1200.0]),
        ('Name,Amount\nAda,"€1.200"\nSam,"2.500,75"\n', [1200.0, 2500.75]),
    ],
)
def test_numbers_are_read_as_the_file_writes_them(run, tmp_path, text, values):
    source = tmp_path / "amounts.csv"
    source.write_text(text)
    run.ok("import", str(source))
    assert [p["value"] for p in sorted(run.json("list"), key=lambda p: p["id"])] == values


def test_an_ambiguous_number_is_a_bad_row_never_a_wrong_number(run, tmp_path):
    source = tmp_path / "amounts.csv"
    source.write_text("Name,Amount\nAda,€1.200\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "line 2: Amount '€1.200' is ambiguous (is . a thousands separator or the decimal mark?): "
        "write it without the separator, e.g. 1200 or 1.2"
    )


NAMES = ["李小龙", "王芳", "张伟", "刘洋"]


def test_a_gbk_file_is_not_stored_as_mojibake_and_the_error_says_what_to_try(
    run, isolated, tmp_path
):
    source = tmp_path / "chinese.csv"
    rows = "\n".join(f"{name},{n}@example.cn" for n, name in enumerate(NAMES))
    source.write_bytes(("Name,Email\n" + rows + "\n").encode("gbk"))
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: chinese.csv does not read as Windows-1252 text: its names come out as "
        "'ÀîÐ¡Áú'. Say which encoding it is in: try --encoding gbk, "
    )  # first the encodings that read it as one script's letters, Excel's own before others
    assert "--encoding gb18030" in result.stderr
    assert not (isolated / "followup.db").exists() or not run.json("list")
    run.ok("import", str(source), "--encoding", "gbk")
    assert sorted(p["name"] for p in run.json("list")) == sorted(NAMES)


def test_chinese_excel_headers_say_which_encoding_and_then_map_like_any_other(
    run, isolated, tmp_path
):
    """Headers in Chinese, as Chinese Excel writes them (GBK): read as Windows-1252 they are
    mojibake, and the error says so rather than that the file has no name column; with
    --encoding they are two headers (not two empty ones) that --map names."""
    source = tmp_path / "chinese.csv"
    source.write_bytes("姓名,电子邮件\n李小龙,li@example.cn\n".encode("gbk"))
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: chinese.csv does not read as Windows-1252 text: its columns come out as "
        "ÐÕÃû, µç×ÓÓÊ¼þ. Say which encoding it is in: try --encoding gbk, "
    )
    assert not (isolated / "followup.db").exists() or not run.json("list")
    result = run("import", str(source), "--encoding", "gbk")
    assert result.exit_code == 1
    assert (
        "has no name, email or phone column (its columns: 姓名, 电子邮件): name one with "
        '--map, e.g. --map "姓名=name".'
    ) in result.stderr
    run.ok(
        "import", str(source), "--encoding", "gbk", "--map", "姓名=name", "--map", "电子邮件=email"
    )
    assert [(p["name"], p["email"]) for p in run.json("list")] == [("李小龙", "li@example.cn")]


def test_a_touch_history_imported_as_prospects_says_to_add_touches(run, isolated):
    result = run("import", str(DATA / "touches.csv"))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: touches.csv is a touch history (its columns include at, channel and outcome): "
        "import it with --touches, after the prospects it names.\n"
    )


def test_an_unknown_or_wrong_encoding_is_one_clear_line(run, tmp_path):
    source = tmp_path / "plain.csv"
    source.write_bytes("Name\nZoë\n".encode())
    result = run("import", str(source), "--encoding", "klingon")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --encoding klingon: not an encoding Python knows")
    result = run("import", str(source), "--encoding", "ascii")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: plain.csv is not ascii text (byte 7 does not decode)")


def test_new_prospects_start_their_stages_cadence_unless_no_cadence(run, tmp_path):
    source = tmp_path / "stages.csv"
    source.write_text("Name,Email,Stage\nAda,ada@kite.io,Lead\nSam,sam@globex.com,Opportunity\n")
    result = run.ok("import", str(source), "--dry-run")
    assert "2 enrolled (1 in stage-active, 1 in stage-cold)" in result.stdout
    report = run.json("import", str(source), "--no-cadence")
    assert (report["enrolled"], report["enrolled_in"]) == (0, {})
    assert run.json("show", "ada@kite.io")["cadence"] is None


def test_dry_run_prints_the_mapping_it_chose(run):
    result = run.ok("import", str(DATA / "outlook_de.csv"), "--dry-run")
    assert "Columns: Anrede → salutation, Vorname → first_name, Weitere Vornamen → middle_name" in (
        result.stdout
    )


def test_a_big_import_indexes_its_text_once_and_search_finds_it(run, isolated, monkeypatch):
    from followup_cli.data import import_prospects

    monkeypatch.setattr(import_prospects, "BATCH", 2)
    run.ok("import", str(DATA / "outlook_de.csv"))
    run.ok("import", str(DATA / "pipedrive_persons.csv"))
    assert [hit["prospect"]["name"] for hit in run.json("search", "Filialen")] == ["Jana Kühn"]
    assert [hit["prospect"]["name"] for hit in run.json("search", "Vistula")] == ["Marta Nowak"]
    conn = sqlite3.connect(isolated / "followup.db")
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"prospects_ai", "prospects_au"} <= triggers
    assert conn.execute("INSERT INTO prospects_fts(prospects_fts) VALUES('integrity-check')")


def test_today_marks_an_email_step_of_a_prospect_without_an_address(run, tmp_path):
    source = tmp_path / "phones.csv"
    source.write_text("Name,Phone,Email\nPat Phone,+1 303 555 0101,\nEve Mail,,eve@x.io\n")
    run.ok("import", str(source), "--cadence", "post-demo")
    lines = run.ok("today", "--days", "30").stdout.splitlines()
    pat = [i for i, line in enumerate(lines) if "Pat Phone" in line]
    eve = [i for i, line in enumerate(lines) if "Eve Mail" in line]
    assert pat and eve
    assert all("no address" in lines[i + 1] for i in pat)
    assert not any("no address" in lines[i + 1] for i in eve)


def test_linkedins_preamble_is_said_once_and_no_empty_blank_list(run):
    """LinkedIn's Connections.csv opens with a "Notes:" preamble and a blank line before the
    header: both are the preamble; nothing after the header is blank."""
    result = run.ok("import", str(DATA / "linkedin.csv"), "--dry-run")
    assert "Skipped lines that are not people: preamble (lines 1-3).\n" in result.stdout
    assert run.json("import", str(DATA / "linkedin.csv"), "--dry-run")["skipped"] == {
        "preamble": [1, 2, 3]
    }
