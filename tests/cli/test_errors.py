"""Bad input: one clear line on stderr, exit status 1 (2 for usage), database unchanged.

The corpus itself is in ``bad_inputs.py``: every command, every kind of mistake.
"""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest
from bad_inputs import CASES, SEED, Case
from conftest import NOW, Runner

# What a user owns; caches (meta) may be refreshed by any command, even a refused one.
USER_TABLES = ("prospects", "touches", "value_items", "journal", "journal_rows")


def db_digest() -> str:
    path = os.environ["FOLLOWUP_DB"]
    import sqlite3

    conn = sqlite3.connect(path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    digest = hashlib.sha256()
    for table in USER_TABLES:
        if table in tables:
            rows = sorted(repr(row) for row in conn.execute(f"SELECT * FROM {table}"))
            digest.update(f"{table}:{rows}".encode())
    conn.close()
    return digest.hexdigest()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """Dana Reyes (post-proposal, #1) and José Müller (#2), built once and copied per case."""
    folder = tmp_path_factory.mktemp("corpus")
    env = {
        "FOLLOWUP_DB": str(folder / "followup.db"),
        "FOLLOWUP_CONFIG_DIR": str(folder / "config"),
        "FOLLOWUP_TZ": "America/Denver",
        "FOLLOWUP_NOW": NOW,
    }
    run = Runner()
    for args in SEED:
        result = run(*args, env=env)
        assert result.exit_code == 0, result.output
    return folder / "followup.db"


def test_the_corpus_covers_every_command():
    from followup_cli.cli.app import COMMAND_MODULES, CORE_COMMANDS

    commands = {name for names in COMMAND_MODULES.values() for name in names}
    commands |= set(CORE_COMMANDS)
    tried = {case.args[0] for case in CASES if case.args}
    untried = commands - tried - {"undo", "demo", "value", "check", "me", "config"}
    assert not untried, untried
    assert len(CASES) >= 300
    assert len({(case.args, tuple(case.env.items())) for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_one_line_exit_1_and_changes_nothing(run, corpus_db, tmp_path, case: Case):
    shutil.copy(corpus_db, os.environ["FOLLOWUP_DB"])
    config = tmp_path / "config"
    for name, content in case.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    args = [
        word.replace("{tmp}", str(tmp_path)).replace("{config}", str(config)) for word in case.args
    ]
    before = db_digest()
    result = run(*args, env=case.env or None)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert result.exit_code == case.exit, result.output
    assert "Traceback" not in result.output
    assert len(errors) == 1, result.stderr
    assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0]  # the last line says it
    # the message is the error line (or, for a report such as `cadences check`, above it)
    assert case.message in result.stderr, result.stderr
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
    from pathlib import Path

    shipped = len(list((Path(__file__).parents[2] / "cadences").glob("*.yaml")))
    assert f"Error: 3 problems in {shipped + 1} cadence files." in err  # the shipped, and mine
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
        "databases: give --db (or FOLLOWUP_DB, or database in config.toml) the path of a "
        "database file.\n"
    )
    assert list(tmp_path.iterdir()) == []  # no folder, no file, no default database either


@pytest.mark.parametrize("url", ["postgresql://sam@db.internal/followup", "sqlite:///tmp/x.db"])
def test_a_database_url_in_config_toml_is_refused_too(run, tmp_path, monkeypatch, url):
    work = tmp_path / "work"
    work.mkdir()
    os.chdir(work)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(f'database = "{url}"\n')
    monkeypatch.delenv("FOLLOWUP_DB")
    scheme = url.split(":")[0]
    for argv in (["today"], ["list"], ["log", "dana", "-c", "call", "-o", "sent"]):
        result = run(*argv)
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"Error: {url} is a {scheme}:// URL, and followup has no store for {scheme}:// "
            "databases: give --db (or FOLLOWUP_DB, or database in config.toml) the path of a "
            "database file.\n"
        )
    assert list(work.iterdir()) == []  # no folder tree named after the URL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config", "work"]  # no default db
    assert run.ok("config", "get", "database").stdout.strip() == url  # the file reads back


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
