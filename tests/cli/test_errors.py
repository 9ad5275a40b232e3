"""Bad input: one clear line on stderr, exit status 1 (2 for usage), database unchanged."""

from __future__ import annotations

import hashlib
import os

import pytest


def db_digest() -> str:
    path = os.environ["FOLLOWUP_DB"]
    import sqlite3

    conn = sqlite3.connect(path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    return hashlib.sha256(dump.encode()).hexdigest()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nobody"], "No prospect matches 'nobody': check the spelling"),
        (
            ["log", "dana", "-c", "fax", "-o", "sent"],
            "Unknown channel 'fax': use one of call, email, linkedin, video, text, mail, meeting.",
        ),
        (
            ["log", "dana", "-c", "email", "-o", "ghosted"],
            "Unknown outcome 'ghosted': use one of sent, no_answer, voicemail, replied, meeting, "
            "not_now, won, lost, opted_out, bounced, out_of_office.",
        ),
        (
            ["log", "dana", "-c", "email", "-o", "sent", "--at", "last blue moon"],
            "Cannot read the date 'last blue moon': use an ISO date (2026-12-01)",
        ),
        (
            ["log", "dana", "-c", "email", "-o", "sent", "--at", "2027-01-01"],
            "A touch cannot be logged in the future",
        ),
        (
            ["log", "dana", "-c", "email", "-o", "sent", "--until", "friday"],
            "--until goes with --outcome not_now or out_of_office.",
        ),
        (
            ["log", "dana", "-c", "email", "-o", "not_now", "--until", "2020-01-01"],
            "--until must be after the touch",
        ),
        (
            ["add", "Zed", "--tz", "Mars/Olympus"],
            "Unknown timezone 'Mars/Olympus': use an IANA name such as America/Denver",
        ),
        (["add", "Zed", "--stage", "hot"], "Unknown stage 'hot': use one of cold, interest"),
        (["add", "Zed", "--email", "not-an-email"], "'not-an-email' is not an email address"),
        (["add", "Zed", "--email", "dana@acme.io"], "dana@acme.io already belongs to #1 Dana"),
        (["add", "Zed", "--value", "lots"], "The deal value 'lots' is not a number"),
        (["add", "Zed", "--set", "no equals"], "--set 'no equals' is not key=value"),
        (["add", "Zed", "--birthday", "31-31"], "Cannot read the date '31-31'"),
        (["add", "Zed", "--country", "XX"], "Unknown country 'XX'"),
        (["add", "Zed", "--cadence", "nope"], "No cadence named 'nope'. Known cadences:"),
        (["add", "Zed", "--pace", "50"], "The pace must be between 0.25 and 10"),
        (["enroll", "dana", "nope"], "No cadence named 'nope'"),
        (["cadences", "show", "nope"], "No cadence named 'nope'"),
        (["today", "--channel", "pigeon"], "Unknown channel 'pigeon'"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_changes_nothing(run, dana, args, message):
    before = db_digest()
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr.replace("\n", " ")
    assert "Traceback" not in result.output
    assert db_digest() == before


def test_a_file_that_is_not_a_database_is_left_alone(run, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"shopping list: eggs, milk\n" * 100)
    result = run("today", "--db", str(junk))
    assert result.exit_code == 1
    assert "is not a followup database" in result.stderr
    assert junk.read_bytes() == b"shopping list: eggs, milk\n" * 100


def test_another_programs_sqlite_database_is_refused(run, tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    result = run("today", "--db", str(other))
    assert result.exit_code == 1
    assert "an SQLite database of another program" in result.stderr


def test_a_directory_as_database(run, tmp_path):
    result = run("today", "--db", str(tmp_path))
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_a_broken_user_cadence_is_reported_with_file_line_and_field(run, tmp_path):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "description: mine\nsteps:\n  - day: 1\n    channel: pigeon\n    purpose: hi\n"
        "  - {day: 2, channel: email}\nextra: 1\n"
    )
    result = run("cadences", "check")
    assert result.exit_code == 1
    err = result.stderr
    assert f"{folder / 'mine.yaml'}:4: steps.0.channel: 'pigeon' is not a channel" in err
    assert f"{folder / 'mine.yaml'}:6: steps.1.purpose: is required" in err
    assert f"{folder / 'mine.yaml'}:7: extra: unknown key" in err
    assert "Error: 3 problems in 21 cadence files." in err
    result = run("add", "Zed", "--cadence", "mine")
    assert result.exit_code == 1
    assert "mine.yaml:4: steps.0.channel" in result.stderr


def test_invalid_yaml_is_reported_with_its_line(run, tmp_path):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text("steps:\n  - {day: 1, channel: email\n")
    result = run("cadences", "check", str(folder / "bad.yaml"))
    assert result.exit_code == 1
    assert "bad.yaml:3: not valid YAML" in result.stderr


def test_bad_followup_now_is_a_clear_error(run):
    result = run("today", env={"FOLLOWUP_NOW": "yesterday-ish"})
    assert result.exit_code == 1
    assert "FOLLOWUP_NOW='yesterday-ish' is not an ISO-8601 date-time" in result.stderr


def test_usage_errors_exit_2(run):
    assert run("log").exit_code == 2
    assert run("today", "--days", "-1").exit_code == 2
    assert run("pause").exit_code == 2


@pytest.mark.parametrize(
    "url", ["postgresql://sam@db.internal/followup", "sqlite:///tmp/x.db", "MySQL://h/d"]
)
@pytest.mark.parametrize("how", ["--db", "root --db", "FOLLOWUP_DB"])
def test_a_database_url_is_refused_until_a_store_for_it_exists(run, tmp_path, url, how):
    os.chdir(tmp_path)  # where a URL used to become a folder tree and a new SQLite file
    if how == "--db":
        result = run("today", "--db", url)
    elif how == "root --db":
        result = run("--db", url, "list")
    else:
        result = run("restore", str(tmp_path / "backup.db"), "--yes", env={"FOLLOWUP_DB": url})
    scheme = url.split(":")[0].lower()
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: {url} is a {scheme}:// URL, and followup has no store for {scheme}:// "
        "databases: give --db (or FOLLOWUP_DB) the path of a database file.\n"
    )
    assert list(tmp_path.iterdir()) == []  # no folder, no file, no default database either


def test_a_store_registered_for_a_scheme_gets_the_url(monkeypatch):
    from followup_cli.store import target

    opened = []
    monkeypatch.setitem(target.STORES, "postgresql", opened.append)
    url = target.db_file("postgresql://sam@h/db")
    assert url == "postgresql://sam@h/db"
    target.connect(url)
    assert opened == ["postgresql://sam@h/db"]
    assert target.url_scheme("C:/Users/sam/followup.db") is None  # a drive is not a scheme
    assert target.url_scheme("backups/2026-11-22.db") is None
