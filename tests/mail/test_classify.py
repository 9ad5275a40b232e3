"""The classifier on messages laid out as common mail servers and clients send them (the
header fields, MIME structure and status lines of each; the wording is ours), and the return
date read from out-of-office text in seven languages."""

from __future__ import annotations

from datetime import date

import pytest

from followup_cli.mail.classify import classify
from followup_cli.mail.message import Mail
from followup_cli.mail.return_date import return_date


def mail(text: str) -> Mail:
    return Mail(text.lstrip().replace("\n", "\r\n").encode(), "test")


GMAIL_FAILURE = """
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: sam@northwind.example
Subject: Delivery Status Notification (Failure)
X-Failed-Recipients: dana@acme.io
Date: Fri, 20 Nov 2026 10:00:00 -0800
Message-ID: <g1@mx.google.example>
Content-Type: text/plain; charset=UTF-8

Address not found. Your message wasn't delivered to dana@acme.io because the address
couldn't be found. The response was: 550 5.1.1 The email account that you tried to reach
does not exist.
"""

EXCHANGE_NDR = """
From: postmaster@outlook.example
To: sam@northwind.example
Subject: Undeliverable: Proposal
Date: Fri, 20 Nov 2026 10:00:00 +0000
Message-ID: <x1@outlook.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="NDR"

--NDR
Content-Type: text/plain

Delivery has failed to these recipients or groups: liam@harbour.example

--NDR
Content-Type: message/delivery-status

Reporting-MTA: dns;mail.outlook.example

Final-Recipient: rfc822;liam@harbour.example
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound

--NDR--
"""

EXIM_FAILED = """
From: Mail Delivery System <Mailer-Daemon@mx.harbour.example>
To: sam@northwind.example
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: aisha@greenway.example
Auto-Submitted: auto-replied
Date: Fri, 20 Nov 2026 10:00:00 +0000

This message was created automatically by mail delivery software.
A message that you sent could not be delivered to one or more of its recipients.
  aisha@greenway.example
    host mx.greenway.example said: 550 unknown user
"""

QMAIL_FAILURE = """
From: MAILER-DAEMON@mail.ruta.example
To: sam@northwind.example
Subject: failure notice
Date: Fri, 20 Nov 2026 10:00:00 +0000

Hi. This is the qmail-send program at mail.ruta.example.
I'm afraid I wasn't able to deliver your message to the following addresses.

<diego@ruta.example>:
Sorry, no mailbox here by that name. (#5.1.1)
"""

POSTFIX_DELAY = """
From: MAILER-DAEMON@mx.northwind.example (Mail Delivery System)
To: sam@northwind.example
Subject: Delayed Mail (still being retried)
Date: Fri, 20 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="D"

--D
Content-Type: text/plain

Your message could not be delivered for 4 hours. It will be retried until it is 5 days old.

--D
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.northwind.example

Final-Recipient: rfc822; dana@acme.io
Action: delayed
Status: 4.4.1

--D--
"""

ABUSE_REPORT = """
From: feedback@isp.example
To: abuse@northwind.example
Subject: Abuse report
Date: Fri, 20 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

A recipient marked a message as spam.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse

--F--
"""


@pytest.mark.parametrize(
    ("text", "address", "status"),
    [
        (GMAIL_FAILURE, "dana@acme.io", "5.1.1"),
        (EXCHANGE_NDR, "liam@harbour.example", "5.1.10"),
        (EXIM_FAILED, "aisha@greenway.example", "5.0.0"),
        (QMAIL_FAILURE, "diego@ruta.example", "5.1.1"),
    ],
    ids=["gmail", "exchange", "exim", "qmail"],
)
def test_bounces_of_many_servers_name_the_address_and_the_status(text, address, status):
    verdict = classify(mail(text))
    assert verdict.kind == "bounce"
    assert [(f.address, f.status) for f in verdict.failed] == [(address, status)]
    assert all(f.permanent for f in verdict.failed)


def test_a_delay_warning_is_not_a_bounce():
    assert classify(mail(POSTFIX_DELAY)).kind == "delay"


def test_an_abuse_report_is_not_a_bounce_nor_a_person():
    assert classify(mail(ABUSE_REPORT)).kind != "bounce"


def headers(extra: str, subject: str = "Re: Proposal", body: str = "Thanks!") -> Mail:
    return mail(
        f"From: dana@acme.io\nTo: sam@northwind.example\nSubject: {subject}\n"
        f"Date: Fri, 20 Nov 2026 10:00:00 +0000\n{extra}\n{body}\n"
    )


@pytest.mark.parametrize(
    ("extra", "subject", "kind"),
    [
        ("", "Re: Proposal", "message"),
        ("Auto-Submitted: no\n", "Re: Proposal", "message"),
        ("Auto-Submitted: auto-replied\n", "Re: Proposal", "auto_reply"),
        ("Auto-Submitted: auto-generated\n", "Your invoice", "automatic"),
        ("X-Autoreply: yes\n", "Re: Proposal", "auto_reply"),
        ("X-Autorespond: yes\n", "Re: Proposal", "auto_reply"),
        ("Precedence: auto_reply\n", "Re: Proposal", "auto_reply"),
        ("X-Auto-Response-Suppress: All\n", "Automatic reply: Proposal", "out_of_office"),
        ("List-Id: <news.acme.io>\n", "Acme news", "list"),
        ("List-Unsubscribe: <mailto:x@acme.io>\n", "Acme news", "list"),
        ("Precedence: bulk\n", "Acme news", "list"),
        ("", "Out of Office: Re: Proposal", "out_of_office"),
        ("", "Abwesenheitsnotiz: Angebot", "out_of_office"),
        ("", "Absence du bureau", "out_of_office"),
        ("", "Fuera de la oficina: Propuesta", "out_of_office"),
        ("", "Ausência temporária", "out_of_office"),
        ("", "Afwezig: Voorstel", "out_of_office"),
        ("", "Fuori sede: Proposta", "out_of_office"),
    ],
)
def test_replies_auto_replies_and_lists_are_told_apart(extra, subject, kind):
    assert classify(headers(extra, subject)).kind == kind


def test_an_auto_reply_that_talks_of_holidays_is_an_out_of_office():
    verdict = classify(
        headers("Auto-Submitted: auto-replied\n", body="I am on holiday until 4 January.")
    )
    assert verdict.kind == "out_of_office"


def test_a_person_who_mentions_the_office_is_a_person():
    # Only the start of a subject says out-of-office; the words inside a reply do not.
    assert classify(headers("", "Re: the out of office party", "See you there")).kind == ("message")


SENT = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("I am out of the office and back on Monday, December 7.", date(2026, 12, 7)),
        ("Out until 4 December.", date(2026, 12, 5)),
        ("Back 2026-12-02.", date(2026, 12, 2)),
        ("Ich bin bis zum 04.12.2026 nicht im Büro.", date(2026, 12, 5)),
        ("Ab dem 7. Dezember bin ich wieder erreichbar.", date(2026, 12, 7)),
        ("Je serai absent jusqu'au 15 décembre.", date(2026, 12, 16)),
        ("De retour le 1er décembre.", date(2026, 12, 1)),
        ("Estoy fuera hasta el 3 de enero de 2027.", date(2027, 1, 4)),
        ("Estarei de férias até 10/01.", date(2027, 1, 11)),
        ("Ik ben afwezig tot en met 12 december.", date(2026, 12, 13)),
        ("Sono fuori ufficio fino al 9 gennaio.", date(2027, 1, 10)),
    ],
)
def test_the_return_date_is_read_in_seven_languages(text, back):
    assert return_date(text, SENT) == back


@pytest.mark.parametrize(
    "text",
    [
        "I am travelling with limited access to email.",
        "Back on 2 April 2027.",  # more than 100 days away: not believed
        "I was away from 1 to 10 November.",  # in the past
        "Call me on 555-12-34.",
    ],
)
def test_no_believable_return_date(text):
    assert return_date(text, SENT) is None
