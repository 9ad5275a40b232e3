"""config.toml: every key read into the typed settings, every mistake named by file and line."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from followup_cli.core.errors import InvalidConfig
from followup_cli.core.settings import config_file, parse, settings
from followup_cli.core.toml_lines import locate

FULL = """\
timezone = "Europe/Paris"
week_start = "sunday"
date_format = "%d/%m/%Y"
database = "~/sales/followup.db"
default_command = "today --channel call"
send_window = "08:30-18:00"
business_days = false

[me]
name = "Sam Ortiz"
email = "Sam@Northwind.example"
addresses = ["sam@home.example", "sales@northwind.example"]

[default_cadence]
cold = "steli-persistence"

[today]
limit = 7

[urgency]
overdue = 3
overdue_cap = 10
priority = 0.5
stage = 2
value = 0

[colors]
overdue = "bold magenta"

[aliases]
l = "log"
calls = "today --channel call"

[mail]
company_domain_pause = true

[[mail.accounts]]
name = "work"
kind = "maildir"
path = "~/Mail/work"

[[mail.accounts]]
name = "gmail"
kind = "imap"
host = "imap.example.com"
user = "sam@example.com"
tls = false
password_command = "pass show mail/gmail"
folders = ["INBOX", "Sent"]
"""


def write(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_every_default():
    chosen = settings()
    assert chosen.timezone is None and chosen.database is None
    assert chosen.week_start == "monday" and chosen.default_command == "today"
    assert chosen.today.limit == 15 and chosen.urgency.overdue == 2.0
    assert chosen.cadence_for_stage("cold") == "stage-cold"
    assert chosen.mail.accounts == () and chosen.me.addresses == ()


def test_every_key_is_read(tmp_path):
    write(FULL)
    chosen = settings()
    assert chosen.timezone == "Europe/Paris"
    assert chosen.week_start_index == 6
    assert chosen.date_format == "%d/%m/%Y"
    assert chosen.database == Path("~/sales/followup.db").expanduser()
    assert chosen.default_command == "today --channel call"
    assert chosen.send_window == (time(8, 30), time(18, 0))
    assert chosen.business_days is False
    assert chosen.me.name == "Sam Ortiz"
    # email joins the addresses, all lower-cased
    assert chosen.me.addresses == (
        "sam@northwind.example",
        "sam@home.example",
        "sales@northwind.example",
    )
    assert chosen.cadence_for_stage("cold") == "steli-persistence"
    assert chosen.cadence_for_stage("proposal") == "stage-proposal"
    assert chosen.stage_cadences == {"cold": "steli-persistence"}
    assert chosen.today.limit == 7
    assert (chosen.urgency.overdue, chosen.urgency.overdue_cap) == (3.0, 10)
    assert (chosen.urgency.priority, chosen.urgency.stage, chosen.urgency.value) == (0.5, 2, 0)
    assert chosen.colors == {"overdue": "bold magenta"}
    assert chosen.aliases == {"l": "log", "calls": "today --channel call"}
    assert chosen.mail.company_domain_pause is True
    work, gmail = chosen.mail.accounts
    assert (work.name, work.kind, work.paths) == ("work", "maildir", (Path.home() / "Mail/work",))
    assert work.line == 37  # its [[mail.accounts]] header
    assert (gmail.host, gmail.port, gmail.tls, gmail.user) == (
        "imap.example.com",
        143,
        False,
        "sam@example.com",
    )
    assert gmail.password_command == "pass show mail/gmail" and gmail.keyring is False
    assert gmail.folders == ("INBOX", "Sent") and gmail.paths == ()
    assert chosen.mail.account("gmail") is gmail


def test_imap_port_defaults_to_993_with_tls():
    write('[[mail.accounts]]\nname = "a"\nkind = "imap"\nhost = "h"\nuser = "u"\nkeyring = true\n')
    (account,) = settings().mail.accounts
    assert (account.port, account.tls, account.keyring) == (993, True, True)


def test_a_changed_file_is_read_again():
    path = write("[today]\nlimit = 3\n")
    assert settings().today.limit == 3
    path.write_text("[today]\nlimit = 40\n", encoding="utf-8")
    assert settings().today.limit == 40


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "line 1: unknown key 'colour'; known keys: aliases, business_days"),
        ("\n[today]\nlimt = 3\n", "line 3: unknown key 'limt' in [today]; known keys: limit."),
        ("[today]\nlimit = 0\n", "line 2: today.limit must be a whole number, 1 or more."),
        ('[today]\nlimit = "9"\n', "line 2: today.limit must be a whole number, 1 or more."),
        ("today.limit = -1\n", "line 1: today.limit must be a whole number, 1 or more."),
        ('timezone = "Mars/Olympus"\n', "line 1: unknown timezone 'Mars/Olympus'"),
        ('week_start = "funday"\n', "line 1: week_start must be one of monday, tuesday"),
        ('send_window = "17:00-09:00"\n', "line 1: send_window: the end must come after"),
        ('send_window = "9 to 5"\n', 'line 1: send_window must look like "09:00-17:00".'),
        ("business_days = 1\n", "line 1: business_days must be true or false."),
        ('[me]\naddresses = ["nope"]\n', "line 2: 'nope' is not an email address."),
        ('[default_cadence]\nhot = "x"\n', "line 2: unknown key 'hot' in [default_cadence]"),
        ("[urgency]\nage = 1\n", "line 2: unknown key 'age' in [urgency]"),
        ("[urgency]\noverdue = -1\n", "line 2: urgency.overdue must be a number, 0 or more."),
        ('[colors]\nsky = "blue"\n', "line 2: unknown key 'sky' in [colors]; known keys: bar,"),
        ('[aliases]\nl = ""\n', "line 2: alias 'l' must stand for a command"),
        ("[mail]\nfoo = 1\n", "line 2: unknown key 'foo' in [mail]"),
        (
            '[mail]\n\n[[mail.accounts]]\nname = "w"\nkind = "pop3"\n',
            "line 5: mail account 'w': kind must be maildir, mbox or imap.",
        ),
        (
            '[[mail.accounts]]\nname = "w"\nkind = "maildir"\n',
            "line 1: mail account 'w': give path",
        ),
        (
            '[[mail.accounts]]\nname = "w"\nkind = "mbox"\npath = "x"\nhost = "h"\n',
            "line 5: mail account 'w': host is only for kind = \"imap\".",
        ),
        (
            '[[mail.accounts]]\nname = "w"\nkind = "imap"\nhost = "h"\n',
            "line 1: mail account 'w': an imap account needs user.",
        ),
        (
            '[[mail.accounts]]\nname = "w"\nkind = "imap"\nhost = "h"\nuser = "u"\n'
            'password_command = "p"\nkeyring = true\n',
            "line 7: mail account 'w': use password_command or keyring = true, not both.",
        ),
        (
            '[[mail.accounts]]\nname = "w"\nkind = "maildir"\npath = "a"\nsize = 3\n',
            "line 5: unknown key 'size' in [mail.accounts]",
        ),
        (
            '[[mail.accounts]]\nname = "w"\nkind = "maildir"\npath = "a"\n\n'
            '[[mail.accounts]]\nname = "w"\nkind = "mbox"\npath = "b"\n',
            "line 7: two mail accounts are named 'w'",
        ),
        ("[today\nlimit = 3\n", "line 1: not valid TOML"),
    ],
)
def test_a_mistake_names_the_file_and_line(text, message):
    path = write(text)
    with pytest.raises(InvalidConfig) as caught:
        settings()
    assert str(caught.value).startswith(f"{path}, line "), str(caught.value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_locate_finds_keys_in_tables_and_arrays():
    text = "a = 1\n[t]\nx = 2\n[[arr]]\nk = 1\n[[arr]]\nk = 2\n"
    assert locate(text, ("a",)) == 1
    assert locate(text, ("t", "x")) == 3
    assert locate(text, ("arr", 1, "k")) == 7
    assert locate(text, ("arr", 1)) == 6
    assert locate(text, ("t", "missing")) == 2


def test_parse_is_pure():
    chosen = parse("[today]\nlimit = 4\n", Path("x.toml"))
    assert chosen.today.limit == 4 and chosen.path == Path("x.toml")


@pytest.mark.parametrize("xdg", [True, False])
def test_places_agree_with_platformdirs(monkeypatch, tmp_path, xdg):
    import platformdirs

    from followup_cli.core import places

    monkeypatch.delenv("FOLLOWUP_CONFIG_DIR")
    if not xdg:
        monkeypatch.delenv("XDG_CONFIG_HOME")
        monkeypatch.delenv("XDG_DATA_HOME")
    assert places.config_dir() == platformdirs.user_config_path("followup", appauthor=False)
    assert places.data_dir() == platformdirs.user_data_path("followup", appauthor=False)
