"""`followup mail sync` against a real IMAP server (Dovecot on 127.0.0.1): read-only,
incremental by UIDVALIDITY and last UID, Inbox and Sent found by their special-use flags."""

from __future__ import annotations

import json

from messages import ME, message

DANA = "dana@acme.io"


def account(config, server, extra: str = ""):
    config(
        "[[mail.accounts]]\n"
        'name = "office"\nkind = "imap"\n'
        f'host = "{server.host}"\nport = {server.port}\nuser = "{server.user}"\ntls = false\n'
        f"password_command = \"printf '%s\\\\n' '{server.password}'\"\n{extra}"
    )


def put(server, folder, msg, flags=()):
    client = server.client()
    client.append(folder, msg.as_bytes(), flags=flags)
    client.logout()


def flags_of(server, folder):
    client = server.client()
    client.select_folder(folder, readonly=True)
    found = {
        uid: set(data[b"FLAGS"])
        for uid, data in client.fetch(client.search(["ALL"]), ["FLAGS"]).items()
    }
    client.logout()
    return found


def touches(run):
    return run.json("show", "dana")["touches"]


def test_sync_reads_inbox_and_sent_and_sets_no_flag(run, dana, config, imap):
    account(config, imap)
    put(imap, "Sent", message(sender=ME, to=DANA, subject="Proposal", at="2026-11-20T07:00"))
    put(imap, "INBOX", message(sender=DANA, to=ME, subject="Re: Proposal", at="2026-11-21T07:00"))
    before = {folder: flags_of(imap, folder) for folder in ("INBOX", "Sent")}
    result = run.ok("mail", "sync", "--json")
    [report] = json.loads(result.stdout)
    assert (report["account"], report["read"], report["outcomes"]) == (
        "office",
        2,
        {"replied": 1, "sent": 1},
    )
    assert sorted(t["outcome"] for t in touches(run)) == ["replied", "sent"]
    # Read-only: not a single \Seen or any other flag was added.
    assert {folder: flags_of(imap, folder) for folder in ("INBOX", "Sent")} == before
    assert all(b"\\Seen" not in f for f in before["INBOX"].values())


def test_a_second_sync_asks_only_for_new_uids(run, dana, config, imap):
    account(config, imap)
    put(imap, "Sent", message(sender=ME, to=DANA, subject="Proposal", at="2026-11-20T07:00"))
    run.ok("mail", "sync")
    again = json.loads(run.ok("mail", "sync", "--json").stdout)[0]
    assert (again["read"], again["logged"]) == (0, 0)
    put(imap, "INBOX", message(sender=DANA, to=ME, subject="Re: Proposal", at="2026-11-21T07:00"))
    third = json.loads(run.ok("mail", "sync", "--json").stdout)[0]
    assert (third["read"], third["outcomes"]) == (1, {"replied": 1})
    assert len(touches(run)) == 2


def test_undo_puts_the_last_uid_back_so_the_next_sync_reads_again(run, dana, config, imap):
    account(config, imap)
    put(imap, "Sent", message(sender=ME, to=DANA, subject="Proposal", at="2026-11-20T07:00"))
    run.ok("mail", "sync")
    run.ok("undo")
    assert touches(run) == []
    report = json.loads(run.ok("mail", "sync", "--json").stdout)[0]
    assert (report["read"], report["logged"]) == (1, 1)


def test_named_folders_are_read_and_an_unknown_one_is_one_clear_line(run, dana, config, imap):
    account(config, imap, 'folders = ["Sent"]\n')
    put(imap, "INBOX", message(sender=DANA, to=ME, subject="Re: Proposal", at="2026-11-21T07:00"))
    report = json.loads(run.ok("mail", "sync", "--json").stdout)[0]
    assert report["read"] == 0
    account(config, imap, 'folders = ["Archive/2026"]\n')
    result = run("mail", "sync")
    assert result.exit_code == 1
    assert "There is no folder 'Archive/2026' on the server" in result.output


def test_a_wrong_password_is_one_line_and_logs_nothing(run, dana, config, imap):
    config(
        "[[mail.accounts]]\n"
        f'name = "office"\nkind = "imap"\nhost = "{imap.host}"\nport = {imap.port}\n'
        f'user = "{imap.user}"\ntls = false\npassword_command = "echo wrong"\n'
    )
    put(imap, "Sent", message(sender=ME, to=DANA, subject="Proposal", at="2026-11-20T07:00"))
    result = run("mail", "sync")
    assert result.exit_code == 1
    assert "refused the login for sam@example.com" in result.output
    assert touches(run) == []


def test_a_failing_password_command_says_so(run, dana, config, imap):
    config(
        "[[mail.accounts]]\n"
        f'name = "office"\nkind = "imap"\nhost = "{imap.host}"\nport = {imap.port}\n'
        f'user = "{imap.user}"\ntls = false\npassword_command = "exit 3"\n'
    )
    result = run("mail", "sync")
    assert result.exit_code == 1
    assert "password_command 'exit' failed (exit 3)" in result.output
