"""`followup mail import` and `mail sync` on local Maildir folders: what each message does
to the prospect's touches and cadence, and what it leaves alone."""

from __future__ import annotations

import json
import sqlite3

import pytest
from messages import ME, dsn, message

DANA = "dana@acme.io"


def touches(run, who="dana"):
    return run.json("show", who)["touches"]


def test_sent_mail_does_the_due_step_as_log_would(run, dana, config, sent):
    before = run.json("show", "dana")["next_due"]
    sent.add(message(sender=ME, to=DANA, subject="Proposal for Acme", at="2026-11-23T07:30"))
    result = run.ok("mail", "import", str(sent.path))
    assert "logged 1 touch: 1 sent" in result.output
    [touch] = touches(run)
    assert (touch["channel"], touch["direction"], touch["outcome"]) == ("email", "out", "sent")
    assert touch["at"] == "2026-11-23T14:30:00Z"
    assert touch["step"] == 1 and touch["cadence"] == "post-proposal"
    after = run.json("show", "dana")["next_due"]
    assert after["step"] == before["step"] + 1


def test_a_reply_stops_the_cadence_and_plus_addressing_is_folded(run, dana, config, inbox):
    inbox.add(
        message(sender="Dana <Dana+Work@ACME.io>", to=ME, subject="Re: Prop", at="2026-11-23T07:00")
    )
    run.ok("mail", "import", str(inbox.path))
    [touch] = touches(run)
    assert (touch["direction"], touch["outcome"]) == ("in", "replied")
    shown = run.json("show", "dana")
    assert shown["cadence_status"] == "stopped"
    assert shown["next_due"] is None


def test_an_out_of_office_pauses_to_the_return_date_and_the_same_step_resumes(
    run, dana, config, inbox
):
    step = run.json("show", "dana")["next_due"]["step"]
    inbox.add(
        message(
            sender=DANA,
            to=ME,
            subject="Abwesenheitsnotiz: Proposal",
            at="2026-11-23T07:00",
            body="Ich bin bis zum 04.12.2026 nicht im Büro und lese keine E-Mails.",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    run.ok("mail", "import", str(inbox.path))
    [touch] = touches(run)
    assert (touch["direction"], touch["outcome"]) == ("in", "out_of_office")
    shown = run.json("show", "dana")
    assert shown["paused_until"].startswith("2026-12-05")  # back the day after "bis zum"
    assert shown["next_due"]["step"] == step
    assert shown["next_due"]["due_at"] >= "2026-12-05"


def test_an_out_of_office_without_a_date_waits_14_days(run, dana, config, inbox):
    inbox.add(
        message(
            sender=DANA,
            to=ME,
            subject="Out of Office: Proposal",
            at="2026-11-23T07:00",
            body="I am travelling with limited access to email.",
        )
    )
    run.ok("mail", "import", str(inbox.path))
    assert run.json("show", "dana")["paused_until"].startswith("2026-12-07")


def test_a_permanent_bounce_marks_the_address_and_today_says_fix_it(run, dana, config, inbox):
    inbox.add(dsn(recipient=DANA, status="5.1.1", at="2026-11-23T07:00"))
    result = run.ok("mail", "import", str(inbox.path))
    assert "dana@acme.io bounced for good" in result.output
    [touch] = touches(run)
    assert (touch["direction"], touch["outcome"]) == ("in", "bounced")
    today = run.ok("today", "--days", "7").output
    assert "bounced 5.1.1: fix the address" in today
    run.ok("edit", "dana", "--email", "dana.reyes@acme.io")
    assert "fix the address" not in run.ok("today", "--days", "7").output


def test_a_temporary_bounce_is_logged_but_the_address_stays_good(run, dana, config, inbox):
    inbox.add(dsn(recipient=DANA, status="4.2.2", at="2026-11-23T07:00"))
    run.ok("mail", "import", str(inbox.path))
    assert touches(run)[0]["outcome"] == "bounced"
    assert "fix the address" not in run.ok("today", "--days", "7").output


def test_lists_auto_replies_and_strangers_are_not_logged_and_explain_says_why(
    run, dana, config, inbox
):
    inbox.add(
        message(
            sender=DANA,
            to=ME,
            subject="Acme product news",
            at="2026-11-22T07:00",
            headers={"List-Unsubscribe": "<mailto:leave@acme.io>"},
        )
    )
    inbox.add(
        message(
            sender=DANA,
            to=ME,
            subject="We received your request",
            at="2026-11-22T08:00",
            headers={"Auto-Submitted": "auto-replied"},
            body="Your ticket number is 4411.",
        )
    )
    inbox.add(message(sender="pat@elsewhere.example", to=ME, subject="Hi", at="2026-11-22T09:00"))
    result = run.ok("mail", "import", str(inbox.path), "--explain")
    assert "logged 0 touches" in result.output
    assert "ignored: a mailing list or newsletter (List-Unsubscribe)" in result.output
    assert "ignored: an automatic reply, not a person (Auto-Submitted: auto-replied)" in (
        result.output
    )
    assert "ignored: from pat@elsewhere.example, not a prospect" in result.output
    assert touches(run) == []


def test_a_second_import_logs_nothing_and_skips_files_already_read(run, dana, config, inbox, sent):
    msg = message(sender=ME, to=DANA, subject="Proposal", at="2026-11-23T07:30")
    sent.add(msg)
    inbox.add(msg)  # the same message in two folders (a copy to self): one touch
    run.ok("mail", "import", str(sent.path), str(inbox.path))
    assert len(touches(run)) == 1
    again = run.ok("mail", "import", str(sent.path), str(inbox.path))
    assert "read 0 messages (2 already read), logged 0 touches" in again.output
    # A new file with a message already logged (same Message-ID): nothing new either.
    copy = inbox.path.parent / "Copy"
    copy.mkdir()
    (copy / "again.eml").write_bytes(msg.as_bytes())
    third = run.ok("mail", "import", str(copy), "--explain")
    assert "already logged (<" in third.output
    assert len(touches(run)) == 1


def test_a_message_without_message_id_is_known_by_its_headers(run, dana, config, inbox, isolated):
    msg = message(sender=DANA, to=ME, subject="Re: Prop", at="2026-11-23T07:00", message_id=None)
    (isolated / "a.eml").write_bytes(msg.as_bytes())
    (isolated / "b.eml").write_bytes(msg.as_bytes())
    run.ok("mail", "import", str(isolated / "a.eml"), str(isolated / "b.eml"))
    assert len(touches(run)) == 1


def test_dry_run_writes_nothing(run, dana, config, sent, isolated):
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-23T07:30"))
    db = isolated / "followup.db"
    run.ok("show", "dana")
    before = db.read_bytes()
    result = run.ok("mail", "import", str(sent.path), "--dry-run", "--explain")
    assert "would log 1 touch: 1 sent" in result.output
    assert "Dry run: nothing was written." in result.output
    assert touches(run) == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM mail_seen").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM mail_syncs").fetchone() == (0,)
    conn.close()
    assert len(before) > 0


def test_undo_takes_back_the_whole_sync(run, dana, config, sent, inbox):
    start = run.json("show", "dana")
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-23T07:00"))
    inbox.add(message(sender=DANA, to=ME, subject="Re: Proposal", at="2026-11-23T07:40"))
    run.ok("mail", "import", str(sent.path), str(inbox.path))
    assert len(touches(run)) == 2
    [entry] = run.json("undo", "--list")[:1]
    assert entry["command"] == "mail sync"
    assert entry["summary"] == "import: 2 messages read, 2 touches logged (1 replied, 1 sent)"
    result = run.ok("undo")
    assert "Undid #" in result.output and "mail sync: import: 2 messages read" in result.output
    after = run.json("show", "dana")
    assert after["touches"] == []
    assert after["next_due"] == start["next_due"]
    assert after["cadence_status"] == start["cadence_status"]
    # The files count as unread again: a new import logs them again.
    assert "logged 2 touches" in run.ok("mail", "import", str(sent.path), str(inbox.path)).output


def test_stats_never_count_an_auto_reply_or_a_bounce_as_a_reply(
    run, dana, config, sent, inbox, isolated
):
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-20T07:00"))
    inbox.add(
        message(
            sender=DANA,
            to=ME,
            subject="Automatic reply: Proposal",
            at="2026-11-20T07:01",
            headers={"X-Auto-Response-Suppress": "All"},
        )
    )
    inbox.add(dsn(recipient=DANA, status="5.1.1", at="2026-11-20T07:02"))
    run.ok("mail", "import", str(sent.path), str(inbox.path))
    outcomes = sorted(t["outcome"] for t in touches(run))
    assert outcomes == ["bounced", "out_of_office", "sent"]
    stats = run.json("stats")
    assert (stats["response_rate"]["sent"], stats["response_rate"]["replies"]) == (1, 0)
    conn = sqlite3.connect(isolated / "followup.db")
    assert conn.execute("SELECT answered FROM prospects").fetchone() == (0,)  # still cold-capped
    conn.close()


def test_mail_status_says_per_account_what_was_read_and_logged(run, dana, config, sent):
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-23T07:30"))
    sent.add(message(sender=ME, to="pat@elsewhere.example", subject="Hi", at="2026-11-23T07:31"))
    run.ok("mail", "import", str(sent.path))
    data = run.json("mail", "status")
    assert data["accounts"] == [
        {
            "account": "import",
            "last_sync": "2026-11-23T15:00:00Z",
            "syncs": 1,
            "messages": 2,
            "touches": 1,
        }
    ]
    assert "import" in run.ok("mail", "status").output


def test_without_my_addresses_the_import_says_how_to_set_them(run, dana, sent, isolated):
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-23T07:30"))
    result = run("mail", "import", str(sent.path))
    assert result.exit_code == 1
    assert "[me] addresses" in result.output
    assert touches(run) == []


def test_a_missing_path_is_one_line_and_changes_nothing(run, dana, config, isolated):
    result = run("mail", "import", str(isolated / "nope"))
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_sync_reads_the_maildir_accounts_of_config(run, dana, config, sent, isolated):
    config(
        f'[[mail.accounts]]\nname = "work"\nkind = "maildir"\npath = "{sent.path.parent}"\n'
        'folders = ["Sent"]\n'
    )
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-23T07:30"))
    result = run.ok("mail", "sync", "--json")
    [report] = json.loads(result.stdout)
    assert (report["account"], report["logged"], report["outcomes"]) == ("work", 1, {"sent": 1})
    assert run.ok("mail", "sync").output.startswith("work: read 0 messages (1 already read)")


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Proposal",
        "Automatische Antwort: Angebot",
        "Réponse automatique : Proposition",
        "Respuesta automática: Propuesta",
        "Resposta automática: Proposta",
        "Automatisch antwoord: Voorstel",
        "Risposta automatica: Proposta",
    ],
)
def test_out_of_office_subjects_in_seven_languages(run, dana, config, inbox, subject):
    inbox.add(message(sender=DANA, to=ME, subject=subject, at="2026-11-23T07:00"))
    run.ok("mail", "import", str(inbox.path))
    assert [t["outcome"] for t in touches(run)] == ["out_of_office"]


def test_draft_eml_replies_under_the_last_message_of_the_thread(
    run, dana, config, sent, inbox, isolated
):
    from email import message_from_bytes, policy

    first = message(
        sender=ME,
        to=DANA,
        subject="Proposal",
        at="2026-11-20T07:00",
        message_id="<p1@northwind.example>",
    )
    reply = message(
        sender=DANA,
        to=ME,
        subject="Re: Proposal",
        at="2026-11-21T07:00",
        message_id="<r1@acme.io>",
        in_reply_to="<p1@northwind.example>",
    )
    sent.add(first)
    inbox.add(reply)
    run.ok("mail", "import", str(sent.path), str(inbox.path))
    target = isolated / "next.eml"
    run.ok("me", "--name", "Sam Lee", "--email", ME)
    run.ok("draft", "dana", "--template", "breakup", "--eml", str(target))
    written = message_from_bytes(target.read_bytes(), policy=policy.default)
    assert written["In-Reply-To"] == "<r1@acme.io>"
    assert written["References"] == "<p1@northwind.example> <r1@acme.io>"


def test_draft_eml_without_a_thread_starts_a_new_one(run, dana, isolated):
    target = isolated / "new.eml"
    run.ok("me", "--name", "Sam Lee", "--email", ME)
    run.ok("draft", "dana", "--template", "breakup", "--eml", str(target))
    assert b"In-Reply-To" not in target.read_bytes()


def test_a_reply_from_mail_counts_in_stats_for_the_mail_before_it(run, dana, config, sent, inbox):
    sent.add(message(sender=ME, to=DANA, subject="Proposal", at="2026-11-20T07:00"))
    sent.add(message(sender=ME, to=DANA, subject="The numbers", at="2026-11-21T07:00"))
    inbox.add(message(sender=DANA, to=ME, subject="Re: The numbers", at="2026-11-21T09:00"))
    run.ok("mail", "import", str(sent.path), str(inbox.path))
    stats = run.json("stats")
    assert (stats["response_rate"]["sent"], stats["response_rate"]["replies"]) == (2, 1)
    by_touch = {row["touch"]: (row["sent"], row["replies"]) for row in stats["response_by_touch"]}
    assert by_touch[1] == (1, 0) and by_touch[2] == (1, 1)


def test_company_domain_pause_pauses_the_others_at_the_company(run, dana, config, inbox):
    run.ok("add", "Omar Haddad", "--email", "omar@acme.io", "--cadence", "post-demo")
    run.ok("add", "Pia Berg", "--email", "pia@gmail.com", "--cadence", "post-demo")
    config("[mail]\ncompany_domain_pause = true\n")
    inbox.add(message(sender="cfo@acme.io", to=ME, subject="Re: Proposal", at="2026-11-23T07:00"))
    result = run.ok("mail", "import", str(inbox.path), "--explain")
    assert "Dana Reyes: paused until 2026-12-07, a colleague answered." in result.output
    assert "Omar Haddad: paused until 2026-12-07" in result.output
    assert run.json("show", "omar")["paused_until"].startswith("2026-12-07")
    assert run.json("show", "pia")["paused_until"] is None  # free mail says nothing of a company
    assert touches(run) == []  # the colleague is not a prospect: nothing logged
    run.ok("undo")
    assert run.json("show", "omar")["paused_until"] is None


def test_without_company_domain_pause_a_colleague_changes_nothing(run, dana, config, inbox):
    inbox.add(message(sender="cfo@acme.io", to=ME, subject="Re: Proposal", at="2026-11-23T07:00"))
    result = run.ok("mail", "import", str(inbox.path), "--explain")
    assert "ignored: from cfo@acme.io, not a prospect" in result.output
    assert run.json("show", "dana")["paused_until"] is None


def test_an_unchanged_maildir_is_skipped_whole_and_a_new_message_is_still_found(
    run, dana, config, inbox
):
    import os
    import time

    inbox.add(message(sender=DANA, to=ME, subject="Re: Proposal", at="2026-11-22T07:00"))
    old = time.time() - 60  # the folder settled a minute ago: it can be marked as read
    for sub in ("new", "cur"):
        os.utime(inbox.path / sub, (old, old))
    run.ok("mail", "import", str(inbox.path))
    assert "read 0 messages (1 already read)" in run.ok("mail", "import", str(inbox.path)).output
    # A client marks it read (renames it into cur/ with flags): still the same message.
    key = next(iter(inbox.box.keys()))
    entry = inbox.box[key]
    entry.set_subdir("cur")
    entry.add_flag("S")
    inbox.box[key] = entry
    inbox.add(message(sender=DANA, to=ME, subject="Re: Re: Proposal", at="2026-11-23T07:00"))
    result = run.ok("mail", "import", str(inbox.path))
    assert "read 1 message (1 already read), logged 1 touch" in result.output


def test_a_sync_keeps_the_stats_totals_right_and_so_does_its_undo(
    run, dana, config, sent, inbox, totals_agree
):
    run.ok("log", "dana", "-c", "call", "-o", "voicemail", "--at", "2026-11-20T09:00")
    sent.add(message(sender=ME, to=DANA, subject="Proposal for Acme", at="2026-11-21T07:30"))
    sent.add(message(sender=ME, to=DANA, subject="Re: Proposal", at="2026-11-19T07:30"))
    inbox.add(message(sender=DANA, to=ME, subject="Re: Proposal", at="2026-11-22T10:00"))
    inbox.add(dsn(recipient=DANA, status="5.1.1", at="2026-11-22T11:00"))
    run.ok("mail", "import", str(sent.path), str(inbox.path))
    found = totals_agree()
    assert found["response_rate"]["sent"] >= 2 and found["response_rate"]["replies"] >= 1
    run.ok("undo")
    assert totals_agree()["response_rate"]["sent"] == 1
