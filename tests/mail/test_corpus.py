"""The classifier on real-world mail: bounces from many mail servers and auto-replies from
the sisimai project's public corpus (tests/mail/corpus/sisimai, BSD-2-Clause, its LICENSE
beside the files), and human replies and auto-replies we wrote ourselves (corpus/ours).

Each expected kind below says what the message is, read from the message itself (its
headers, its text, what sisimai collected it as), not what our code answered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from followup_cli.mail.classify import classify
from followup_cli.mail.message import Mail

CORPUS = Path(__file__).parent / "corpus"

# A bounce: the mail could not be delivered (RFC 3464 reports and the many non-standard
# forms). Every file of sisimai's lhost-*/rhost-*/rfc3464-* families below is one, except
# those listed with another kind.
BOUNCES = """
lhost-activehunter-01 lhost-amavis-01 lhost-amazonses-01 lhost-amazonworkmail-01
lhost-apachejames-01 lhost-barracuda-01 lhost-bigfoot-02 lhost-biglobe-01 lhost-courier-01
lhost-courier-03 lhost-domino-01 lhost-dragonfly-01 lhost-einsundeins-02 lhost-exchange2003-01
lhost-exchange2003-04 lhost-exchange2007-01 lhost-exchange2007-04 lhost-exim-01 lhost-exim-31
lhost-exim-51 lhost-ezweb-01 lhost-gmail-01 lhost-gmail-07 lhost-gmail-15 lhost-gmx-01
lhost-googlegroups-01 lhost-googleworkspace-01 lhost-imailserver-01 lhost-mailfoundry-01
lhost-mailmarshal-02 lhost-mailru-01 lhost-mcafee-01 lhost-mcafee-04 lhost-messagingserver-01
lhost-mfilter-01 lhost-mfilter-03 lhost-mimecast-01 lhost-mxlogic-01 lhost-notes-01
lhost-office365-01 lhost-office365-05 lhost-office365-09 lhost-opensmtpd-01 lhost-opensmtpd-05
lhost-outlook-01 lhost-postfix-01 lhost-postfix-29 lhost-postfix-46 lhost-postfix-63
lhost-powermta-01 lhost-qmail-01 lhost-qmail-09 lhost-qmail-17 lhost-receivingses-01
lhost-sendgrid-01 lhost-sendmail-01 lhost-sendmail-20 lhost-sendmail-40 lhost-surfcontrol-01
lhost-trendmicro-01 lhost-v5sendmail-01 lhost-verizon-01 lhost-verizon-02 lhost-x1-01
lhost-x2-01 lhost-x3-01 lhost-x4-01 lhost-x5-01 lhost-x6-01 lhost-yahoo-01 lhost-yahoo-08
lhost-yandex-01 lhost-zoho-01 rfc3464-01 rfc3464-42 rfc3464-58 rhost-aol-01 rhost-apple-01
rhost-cloudflare-01 rhost-cox-01 rhost-facebook-03 rhost-franceptt-01 rhost-godaddy-02
rhost-google-01 rhost-google-05 rhost-gsuite-01 rhost-iua-01 rhost-kddi-01
rhost-messagelabs-01 rhost-microsoft-01 rhost-microsoft-04 rhost-mimecast-01
rhost-nttdocomo-01 rhost-outlook-01 rhost-spectrum-01 rhost-tencent-01 rhost-yahooinc-01
rhost-zoho-01 crlf-lhost-postfix-01 crlf-lhost-exchange-01 crlf-lhost-qmail-01
not-rb-issue-368-bug
""".split()  # noqa: SIM905 (a table to read, not a list to edit)

EXPECTED = {
    **{f"sisimai/{name}.eml": "bounce" for name in BOUNCES},
    # Delay warnings (Action: delayed, "still trying"): not yet a bounce.
    "sisimai/lhost-exim-38.eml": "delay",  # Exim: "message ... delayed 24 hours"
    "sisimai/lhost-exim-41.eml": "delay",
    "sisimai/lhost-gmail-06.eml": "delay",  # Gmail: "Delivery Status Notification (Delay)"
    "sisimai/lhost-opensmtpd-06.eml": "delay",
    "sisimai/lhost-outlook-06.eml": "delay",
    "sisimai/lhost-sendmail-29.eml": "delay",  # "could not send message for past 4 hours"
    "sisimai/rfc3464-07.eml": "delay",
    "sisimai/rhost-outlook-06.eml": "delay",
    # A delivery report whose every recipient got the mail (Action: deliverable, 2.1.5).
    "sisimai/rfc3464-28.eml": "automatic",
    # Abuse (feedback loop) reports, RFC 5965, and a read receipt: machines, not people.
    "sisimai/arf-01.eml": "automatic",
    "sisimai/arf-11.eml": "automatic",
    "sisimai/arf-17.eml": "automatic",
    "ours/read-receipt.eml": "automatic",
    # RFC 3834 auto-replies: out-of-office ones and others.
    "sisimai/rfc3834-01.eml": "out_of_office",  # "Away until May 5", Auto-Submitted
    "sisimai/crlf-rfc3834-01.eml": "out_of_office",
    "sisimai/rfc3834-02.eml": "out_of_office",  # Exchange: "Automatic reply:"
    "sisimai/rfc3834-03.eml": "out_of_office",  # Apple: "Auto reply:"
    "sisimai/rfc3834-04.eml": "out_of_office",  # Exchange, X-Auto-Response-Suppress
    "sisimai/rfc3834-05.eml": "auto_reply",  # Auto-Submitted: auto-replied, no absence
    "sisimai/rfc3834-06.eml": "auto_reply",  # "this inbox is no longer in use"
    "sisimai/arf-26.eml": "auto_reply",  # an automatic answer to "unsubscribe"
    "ours/ooo-gmail-vacation.eml": "out_of_office",  # Gmail's vacation responder
    "ours/ooo-exchange-german.eml": "out_of_office",  # Exchange, "Automatische Antwort"
    "ours/ooo-french-x-autoreply.eml": "out_of_office",  # X-Autoreply, Precedence
    "ours/auto-reply-ticket.eml": "auto_reply",  # a help desk's acknowledgement
    # People writing: replies and forwards, some quoting or carrying a bounce.
    "sisimai/lhost-sendmail-14.eml": "message",  # a person forwarding a bounce
    "sisimai/err-make-test-36.eml": "message",  # a person forwarding one inline, quoted
    "sisimai/not-is-not-bounce-01.eml": "message",
    "sisimai/not-is-not-bounce-02.eml": "message",  # the original attached
    "ours/human-reply-plain.eml": "message",
    "ours/human-reply-quoting-bounce.eml": "message",  # subject "Re: Undelivered Mail..."
    "ours/human-forward-of-bounce.eml": "message",  # the bounce as message/rfc822
    "ours/human-reply-to-out-of-office.eml": "message",  # "Re: Automatic reply: ..."
    "ours/human-reply-german.eml": "message",  # "ab Montag wieder im Büro"
    # A person's post to a mailing list.
    "ours/list-human-post.eml": "list",
}


def _mail(name: str) -> Mail:
    return Mail((CORPUS / name).read_bytes(), name)


def test_every_corpus_file_has_an_expected_kind_and_the_licence_is_beside_them():
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.eml")}
    assert files == set(EXPECTED)
    assert "BSD 2-CLAUSE" in (CORPUS / "sisimai" / "LICENSE").read_text()
    kinds = {kind for kind in EXPECTED.values()}
    assert len([k for k in EXPECTED.values() if k == "bounce"]) >= 100
    assert kinds == {
        "bounce",
        "delay",
        "automatic",
        "out_of_office",
        "auto_reply",
        "message",
        "list",
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_classifier_says_what_each_message_is(name):
    verdict = classify(_mail(name))
    assert verdict.kind == EXPECTED[name], verdict.reason


@pytest.mark.parametrize("name", sorted(n for n, k in EXPECTED.items() if k == "bounce"))
def test_a_bounce_names_failed_addresses_that_are_in_it_and_not_its_own(name):
    mail = _mail(name)
    failed = classify(mail).failed
    assert failed, "no failed address read"
    text = mail.raw.decode("utf-8", "replace").lower()
    for each in failed:
        assert each.address.split("@")[0] in text, each.address
        assert each.address not in (mail.sender, *mail.recipients)


# The recipient each bounce reports first, read by hand from the file (its Final-Recipient,
# X-Failed-Recipients, or the sentence naming the address): the address read must be it.
FAILED_RECIPIENT = {
    "lhost-postfix-01": "r@p351355.pool.example.ne.jp",
    "lhost-exim-01": "kijitora@example.ed.jp",
    "lhost-gmail-01": "userunknown@example.jp",
    "lhost-qmail-09": "neko@example.co.jp",
    "lhost-office365-05": "kijitora@example.jp",
    "lhost-exchange2007-01": "mikeneko@example.co.jp",
    "lhost-dragonfly-01": "pseudo-local-part@google.example.com",
    "lhost-verizon-02": "may-be-straycat-nyaaaaaan@vtext.com",
    "rhost-google-01": "shironeko@example.ne.jp",
    "not-rb-issue-368-bug": "xxxx@yyyyyy.net",
}


@pytest.mark.parametrize("name", sorted(FAILED_RECIPIENT))
def test_a_bounce_names_the_recipient_that_failed_first(name):
    failed = classify(_mail(f"sisimai/{name}.eml")).failed
    assert failed[0].address == FAILED_RECIPIENT[name]


def test_permanent_failures_are_told_from_temporary_ones():
    def statuses(name: str) -> list[str]:
        return [f.status for f in classify(_mail(f"sisimai/{name}.eml")).failed]

    assert statuses("lhost-postfix-01") == ["5.1.1"]  # user unknown: the address is bad
    assert all(f.startswith("5.") for f in statuses("lhost-exim-01"))
    # Gave up after four days of trying: a bounce, but nothing says the address is bad.
    assert not any(s.startswith("5.") for s in statuses("lhost-v5sendmail-01"))


def test_the_whole_corpus_imported_logs_only_what_people_and_bounces_mean(run, config):
    """End to end: the corpus folder as a mailbox, with the people in it as prospects."""
    for name, email in [
        ("Dana Reyes", "dana.reyes@acmeanalytics.example"),  # a reply, a list post, a receipt
        ("Peter Walsh", "peter.walsh@walshdental.example"),  # a reply quoting a bounce
        ("Kenji Watanabe", "kenji.watanabe@gmail.com"),  # on vacation until 14 December
        ("Rosa Unknown", "userunknown@bouncehammer.jp"),  # bounced for good (5.1.1)
    ]:
        run.ok("add", name, "--email", email, "--cadence", "post-proposal")
    result = run.ok("mail", "import", str(CORPUS))
    outcomes = {
        who: [(t["direction"], t["outcome"]) for t in run.json("show", who)["touches"]]
        for who in ("dana", "peter", "kenji", "rosa")
    }
    assert outcomes["dana"] == [("in", "replied")]
    assert outcomes["peter"] == [("in", "replied")]
    assert outcomes["kenji"] == [("in", "out_of_office")]
    # Two files hold this bounce (sendmail's and a copy, the same Message-ID): logged once.
    assert outcomes["rosa"] == [("in", "bounced")]
    assert "userunknown@bouncehammer.jp bounced for good" in result.output
    kenji = run.json("show", "kenji")
    assert kenji["paused_until"].startswith("2026-12-15")


def test_a_real_mbox_file_is_read_message_by_message_and_once(run, config, isolated):
    """sisimai's mbox-0: 37 messages as a mail server's mbox keeps them (36 bounces and a
    person forwarding one)."""
    import shutil

    mbox = isolated / "bounces.mbox"
    shutil.copy(CORPUS / "sisimai" / "mbox-0", mbox)
    run.ok("add", "Gee Mail", "--email", "non-existent-google-mail-address-it-is@gmail.com")
    run.ok("add", "Kyoto Full", "--email", "mailboxfull@example.kyoto.jp")  # 4.4.7: temporary
    result = run.ok("mail", "import", str(mbox))
    assert "read 37 messages (0 already read), logged 2 touches: 2 bounced." in result.output
    assert "non-existent-google-mail-address-it-is@gmail.com bounced for good" in result.output
    assert "mailboxfull@example.kyoto.jp bounced for good" not in result.output
    for who in ("gee", "kyoto"):
        [touch] = run.json("show", who)["touches"]
        assert (touch["direction"], touch["outcome"]) == ("in", "bounced")
    again = run.ok("mail", "import", str(mbox))
    # An unchanged mbox file is not opened again (it counts as one source already read).
    assert "read 0 messages (1 already read), logged 0 touches." in again.output
