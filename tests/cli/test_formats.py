"""--format table|plain|json|csv|tsv and -q/--quiet: one formatter (views/formats.py) behind
every listing, so scripts and pipes read the same records --json prints."""

from __future__ import annotations

import csv
import io

import pytest

from followup_cli.views import formats


@pytest.fixture
def book(run, dana):
    run.ok("add", "Sam Lee", "--company", "Globex, Inc.", "--stage", "cold", "--tag", "ops")
    run.ok("add", "Renée Ødegård", "--stage", "cold", "--notes", "two\nlines")
    run.ok("value", "add", "Renewal benchmark", "--url", "https://example.com/r", "--tag", "saas")
    return run


def test_list_as_csv_has_the_pinned_columns_and_quotes_what_needs_it(book):
    rows = list(csv.reader(io.StringIO(book.ok("list", "--format", "csv").stdout)))
    assert rows[0] == [header for _, header in formats.PROSPECTS]
    assert rows[0] == [
        "id", "name", "company", "email", "stage", "value", "tags", "cadence",
        "next_channel", "next_due_at", "last_touch_at",
    ]  # fmt: skip
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Sam Lee"][2] == "Globex, Inc."
    assert by_name["Dana Reyes"][4:7] == ["proposal", "24000", "saas"]
    assert set(by_name) == {"Dana Reyes", "Sam Lee", "Renée Ødegård"}


def test_tsv_is_one_line_per_row_with_tabs_only_between_fields(book):
    lines = book.ok("list", "--format", "tsv").stdout.splitlines()
    assert len(lines) == 4
    assert all(line.count("\t") == len(formats.PROSPECTS) - 1 for line in lines)


def test_list_formats_read_the_cells_json_has(book):
    # `list` reads only its columns for csv/tsv/plain/-q (no Prospect built): the same
    # cells as --json, tags joined by ", " in their order, a value as typed.
    book.ok("add", "Zoë Ng", "--company", "Ng & Co", "--tag", "b,a", "--value", "7.5")
    for value in ("0", "999999", "1000000", "1234567", "0.1", "25.0"):  # SQLite's text or not
        book.ok("add", f"Deal {value}", "--value", value)
    records = book.json("list")
    expected = [
        [formats._one_line(formats.cell(r, p)) for p, _ in formats.PROSPECTS] for r in records
    ]
    lines = book.ok("list", "--format", "tsv").stdout.splitlines()
    assert [line.split("\t") for line in lines[1:]] == expected
    odd = next(row for row in expected if row[1] == "Zoë Ng")
    assert odd[5] == "7.5" and odd[6] == "b, a"
    rows = list(csv.reader(io.StringIO(book.ok("list", "--format", "csv").stdout)))
    texts = [[formats.text(formats.cell(r, p)) for p, _ in formats.PROSPECTS] for r in records]
    assert rows[1:] == texts
    assert book.ok("list", "-q").stdout.split() == [str(r["id"]) for r in records]


def test_plain_is_aligned_and_grep_finds_the_whole_row(book):
    out = book.ok("list", "--format", "plain").stdout
    lines = out.splitlines()
    assert lines[0].split() == [h.upper() for _, h in formats.PROSPECTS]
    dana = [line for line in lines if "Dana Reyes" in line]
    assert len(dana) == 1 and "Acme" in dana[0] and "post-proposal" in dana[0]
    name_at = lines[0].index("NAME")
    assert all(line[name_at - 2 : name_at] == "  " for line in lines[1:])  # aligned
    assert "┃" not in out and "│" not in out


def test_quiet_prints_ids_for_xargs(book):
    listed = [str(p["id"]) for p in book.json("list", "--stage", "cold")]
    assert sorted(listed) == ["2", "3"]
    assert book.ok("list", "--stage", "cold", "-q").stdout == "\n".join(listed) + "\n"
    assert book.ok("list", "--stage", "cold", "--quiet").stdout.split() == listed


def test_format_json_is_exactly_json(book):
    assert book.ok("list", "--format", "json").stdout == book.ok("list", "--json").stdout
    assert book.ok("today", "--format", "json").stdout == book.ok("today", "--json").stdout


def test_today_formats(book):
    due = book.json("today")
    assert book.ok("today", "-q").stdout.split() == [str(d["prospect"]["id"]) for d in due]
    rows = list(csv.DictReader(io.StringIO(book.ok("today", "--format", "csv").stdout)))
    assert list(rows[0]) == [header for _, header in formats.DUE]
    assert [r["name"] for r in rows] == [d["prospect"]["name"] for d in due]
    assert rows[0]["due_at"] == due[0]["due_at"]


def test_search_quiet_names_each_prospect_once(book):
    book.ok("log", "dana", "-c", "call", "-o", "voicemail", "-n", "Acme budget call")
    assert book.ok("search", "acme", "-q").stdout == "1\n"
    rows = book.ok("search", "acme", "--format", "tsv").stdout.splitlines()
    assert rows[0].split("\t") == [header for _, header in formats.HITS]
    assert {row.split("\t")[3] for row in rows[1:]} == {"prospect", "touch"}


def test_files_are_listed_by_name(run):
    names = run.ok("cadences", "list", "-q").stdout.split()
    assert "post-proposal" in names and names == sorted(names)
    tsv = run.ok("templates", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "name\tchannel\torigin\tvariants\tpurpose"
    assert any(line.startswith("breakup\temail\tshipped") for line in tsv)


def test_value_bank_formats(book):
    assert book.ok("value", "list", "-q").stdout == "1\n"
    rows = list(csv.DictReader(io.StringIO(book.ok("value", "list", "--format", "csv").stdout)))
    assert rows == [
        {
            "id": "1",
            "title": "Renewal benchmark",
            "kind": "article",
            "tags": "saas",
            "times_sent": "0",
            "last_sent_at": "",
            "url": "https://example.com/r",
        }
    ]


def test_reports_as_keys_and_values(book):
    book.ok("log", "dana", "-c", "email", "-o", "replied")
    data = book.json("stats")
    lines = dict(
        line.split("\t") for line in book.ok("stats", "--format", "tsv").stdout.splitlines()
    )
    assert lines["key"] == "value"
    assert lines["response_rate.replies"] == str(data["response_rate"]["replies"])
    assert book.ok("stats", "--format", "json").stdout == book.ok("stats", "--json").stdout
    review = list(csv.reader(io.StringIO(book.ok("review", "--format", "csv").stdout)))
    assert review[0] == ["key", "value"] and len(review) > 5
    assert "undo" not in book.ok("undo", "--list", "--format", "plain").stdout.splitlines()[0]
    journal = book.ok("undo", "--list", "--format", "csv").stdout.splitlines()
    assert journal[0] == "id,at,command,summary,undone_at" and len(journal) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--format", "xml"], "--format 'xml' is not one of table, plain, json, csv, tsv."),
        (["list", "--json", "--format", "csv"], "--json and --format csv disagree"),
        (["today", "-q", "--format", "csv"], "-q/--quiet prints ids only"),
        (["search", "x", "-q", "--json"], "-q/--quiet prints ids only"),
    ],
)
def test_formats_that_disagree_are_usage_errors(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_cells_are_one_line_and_numbers_as_typed():
    assert formats.text(24000.0) == "24000" and formats.text(0.1842) == "0.1842"
    # A deal of a million or more keeps every digit (it was "1.23457e+06").
    assert formats.text(1234567.0) == "1234567" and formats.text(-2500000.0) == "-2500000"
    assert formats.text(123456789012.0) == "123456789012"
    assert formats.text(["a", "b"]) == "a, b" and formats.text(None) == ""
    out = io.StringIO()
    formats._plain(
        out, [{"a": "x\ty\nz", "b": "日本"}, {"a": "", "b": "ok"}], [("a", "a"), ("b", "b")]
    )
    assert out.getvalue().splitlines() == ["A      B", "x y z  日本", "       ok"]


def test_aligned_rows_as_tsv_clean_a_tab_or_line_break_in_a_cell(capsys):
    columns = (("id", "id"), ("name", "name"), ("value", "value"), ("tags", "tags"))
    rows = [(1, "Ann", 24000.0, "saas"), (2, "Tab\there", None, "x\ny"), (3, "Cr\r", 7.5, None)]
    formats.emit(iter(rows), columns, "tsv", aligned=True)
    assert capsys.readouterr().out.splitlines() == [
        "id\tname\tvalue\ttags",
        "1\tAnn\t24000\tsaas",
        "2\tTab here\t\tx y",
        "3\tCr \t7.5\t",
    ]
