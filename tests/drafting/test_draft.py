"""`followup draft` end to end: which template, what it says, and where it goes."""

from __future__ import annotations

import io
import json
import os
import stat
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from followup_cli.pipeline.prospect import Prospect

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def ready(run, dana):
    """Dana with what the post-proposal templates need, and a sender profile."""
    run.ok(
        "me",
        "--name",
        "Sam Ortiz",
        "--company",
        "Northwind",
        "--phone",
        "+1 303 555 0100",
        "--signature",
        "Sam",
    )
    run.ok(
        "edit",
        "dana",
        "--set",
        "project=the renewals automation",
        "--set",
        "goal=put renewals on autopilot by Q2",
    )
    return dana


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FOLLOWUP_UPDATE_GOLDEN"):  # regenerate after a deliberate change
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# --- what a draft says ------------------------------------------------------------------------


def test_draft_for_the_due_step_is_plain_text_when_piped(run, ready):
    result = run.ok("draft", "dana")
    golden("draft-proposal-sent.txt", result.stdout)
    assert result.stdout.startswith(
        "Subject: Your proposal for the renewals automation\n\nHi Dana,"
    )
    assert result.stderr == ""  # no warnings: the shipped template passes every rule


def test_draft_by_template_name(run, ready):
    golden("draft-breakup.txt", run.ok("draft", "dana", "--template", "breakup").stdout)


def test_draft_a_voicemail_script(run, ready):
    result = run.ok(
        "draft", "dana", "--channel", "voicemail", "--var", "proposal_section=the phased pricing"
    )
    golden("draft-voicemail.txt", result.stdout)
    assert "Subject:" not in result.stdout


def test_draft_carrying_a_value_item(run, ready):
    run.ok(
        "value",
        "add",
        "2026 renewal benchmark report",
        "--url",
        "https://example.com/r",
        "--kind",
        "report",
        "--tag",
        "saas",
    )
    golden("draft-value-add.txt", run.ok("draft", "dana", "-t", "value-add").stdout)


def test_json_shape(run, ready):
    data = run.json("draft", "dana")
    assert set(data) == {
        "template",
        "channel",
        "subject",
        "body",
        "warnings",
        "variant",
        "value_id",
    }
    assert data["template"] == "proposal-sent"
    assert data["channel"] == "email"
    assert data["subject"] == "Your proposal for the renewals automation"
    assert data["body"].startswith("Hi Dana,\n\n")
    assert data["body"].endswith("Best,\nSam")
    assert data["warnings"] == []
    assert data["variant"] == "a"
    assert data["value_id"] is None


def test_context_helpers(run, ready, tmp_path):
    """Slots, last touch, touch count and since-last-conversation reach a template."""
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "helpers.j2").write_text(
        "---\nchannel: linkedin\npurpose: Show the helpers.\nneeds: [pain_point]\n---\n"
        "{{ prospect.first_name }} at {{ prospect.company }} ({{ pain_point }}, "
        "{{ prospect.fields.pain_point }}), deal {{ prospect.value }}\n"
        "slots: {{ slots | join(' / ') }} | {{ slots_text }}\n"
        "step {{ step.number }}: {{ step.purpose }} in {{ cadence.name }}\n"
        "{{ touch_count }} touches; last: {{ last_touch.channel }} {{ last_touch.when }}: "
        "{{ last_touch.note }}; spoke {{ since_last_conversation }} ago\n"
        "me: {{ me.first_name }} / {{ me.signature }}\n",
        encoding="utf-8",
    )
    run.ok(
        "log",
        "dana",
        "-c",
        "call",
        "-o",
        "no_answer",
        "-n",
        "wants pricing for 40 seats",
        "--at",
        "2026-11-20T10:00",
    )
    body = run.json("draft", "dana", "-t", "helpers")["body"]
    assert body == (
        "Dana at Acme (manual renewals, manual renewals), deal 24000\n"
        "slots: Tuesday 10:00 / Wednesday 14:00 | Tuesday 10:00 or Wednesday 14:00 your time\n"
        "step 1: Send the proposal with a personal note in post-proposal\n"
        "1 touches; last: call two days ago: wants pricing for 40 seats; spoke two days ago\n"
        "me: Sam / Sam"
    )


# --- a new user's first drafts -----------------------------------------------------------------


def test_the_briefs_example_drafts_with_nothing_but_a_pain_point(run, dana, tmp_path):
    """The product brief's example (the `dana` fixture, typed as the brief has it): no
    project, goal or proposal section, yet the due step, the breakup email and the
    voicemail all draft cleanly."""
    run.ok(
        "me",
        "--name",
        "Sam Ortiz",
        "--company",
        "Northwind",
        "--phone",
        "+1 303 555 0100",
        "--signature",
        "Sam",
    )
    run.ok(
        "value",
        "add",
        "2026 renewal benchmark report",
        "--url",
        "https://example.com/r",
        "--kind",
        "report",
        "--tag",
        "saas",
    )
    drafts = {
        "draft-new-proposal-sent.txt": run("draft", "dana"),
        "draft-new-breakup.txt": run("draft", "dana", "--template", "breakup"),
        "draft-new-voicemail.txt": run("draft", "dana", "--channel", "voicemail"),
    }
    for name, result in drafts.items():
        assert result.exit_code == 0, result.output
        if name == "draft-new-breakup.txt":  # the text passes; the timing guard warns
            assert result.stderr.startswith("Warning [breakup-too-early]: This would be touch 1")
        else:
            assert result.stderr == "", name  # no warnings: every rule passes
        assert "Dana" in result.stdout and "manual renewals" in result.stdout, name
        golden(name, result.stdout)
    assert drafts["draft-new-proposal-sent.txt"].stdout.startswith(
        "Subject: Our proposal on manual renewals at Acme\n\nHi Dana,\n\n"
    )
    assert "+1 303 555 0100" in drafts["draft-new-voicemail.txt"].stdout

    # The brief's `followup me` sets no address: the .eml still opens as a draft.
    target = tmp_path / "dana.eml"
    result = run("draft", "dana", "--eml", str(target))
    assert result.exit_code == 0, result.output
    message = BytesParser(policy=policy.default).parsebytes(target.read_bytes())
    assert message["To"] == "Dana Reyes <dana@acme.io>"
    assert message["Subject"] == "Our proposal on manual renewals at Acme"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Hi Dana,\n\nAttached is our proposal, built around manual renewals")
    assert "manual renewals" in body


# --- never a blank token ----------------------------------------------------------------------


def test_missing_custom_fields_name_the_command_to_set_them(run, dana):
    run.ok("me", "--name", "Sam Ortiz")
    result = run("draft", "dana", "-t", "executive-escalation")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "Error: Cannot draft executive-escalation for Dana Reyes: executive and executive_title "
        "are not set: followup edit dana --set executive=... --set executive_title=... "
        "(or, for this draft only, --var executive=... --var executive_title=...).\n"
    )


def test_var_fills_a_missing_field_for_this_draft_only(run, dana):
    run.ok("me", "--name", "Sam Ortiz")
    result = run.ok(
        "draft",
        "dana",
        "-t",
        "executive-escalation",
        "--var",
        "executive=Priya Shah",
        "--var",
        "executive_title=VP of Customer Success",
    )
    assert "bring in Priya Shah, our VP of Customer Success" in result.stdout
    assert run("draft", "dana", "-t", "executive-escalation").exit_code == 1  # nothing stored


def test_missing_sender_and_details_in_one_message(run):
    run.ok("add", "Lee Park", "--email", "lee@initech.example")
    result = run("draft", "lee", "-t", "voicemail-trial-close")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: Cannot draft voicemail-trial-close for Lee Park: pain_point is not set: "
        "followup edit lee --set pain_point=... (or, for this draft only, --var pain_point=...); "
        "me.phone and me.name are not set: followup me --phone ... --name ...\n"
    )


def test_a_prospect_detail_is_set_with_its_own_option(run, ready, tmp_path):
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "titled.j2").write_text(
        "---\nchannel: linkedin\npurpose: Uses the title.\nneeds: [prospect.title]\n---\n"
        "Hi {{ prospect.first_name }}, as {{ prospect.title }} at {{ prospect.company }}...\n",
        encoding="utf-8",
    )
    result = run("draft", "dana", "-t", "titled")
    assert result.exit_code == 1, result.output
    assert "prospect.title is not set: followup edit dana --title ..." in result.stderr
    assert (
        "VP Ops at Acme"
        in run.ok("draft", "dana", "-t", "titled", "--var", "prospect.title=VP Ops").stdout
    )


def test_an_undeclared_unset_name_is_an_error_not_a_blank(run, ready, tmp_path):
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "sloppy.j2").write_text(
        "---\nchannel: linkedin\npurpose: Forgets to declare budget.\nneeds: []\n---\n"
        "Hi {{ prospect.first_name }}{% if prospect.title %} ({{ prospect.title }}){% endif %}, "
        "about {{ budget }} at {{ prospect.company }}.\n",
        encoding="utf-8",
    )
    result = run("draft", "dana", "-t", "sloppy")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: Cannot draft sloppy for Dana Reyes: budget is not set: followup edit dana "
        "--set budget=... (or, for this draft only, --var budget=...).\n"
    )
    # the guarded optional title is simply left out
    assert run.ok("draft", "dana", "-t", "sloppy", "--var", "budget=Q1").stdout == (
        "Hi Dana, about Q1 at Acme.\n"
    )


def test_bad_var(run, ready):
    result = run("draft", "dana", "--var", "pain point")
    assert result.exit_code == 1
    assert "is not name=value" in result.stderr
    assert run("draft", "dana", "--var", "goal=").exit_code == 1


def test_do_not_contact_gets_no_draft(run, ready):
    run.ok("edit", "dana", "--do-not-contact")
    result = run("draft", "dana")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Dana Reyes asked not to be contacted: no draft.")


def test_no_step_and_no_template(run, ready):
    run.ok("stop", "dana")
    result = run("draft", "dana")
    assert result.exit_code == 1
    assert "has no next step to draft" in result.stderr
    assert "--template NAME" in result.stderr
    assert run.ok("draft", "dana", "-t", "breakup").stdout.startswith("Subject: ")


def test_unknown_template_and_channel(run, ready):
    result = run("draft", "dana", "-t", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No template named 'nope'. Known templates: ")
    result = run("draft", "dana", "--channel", "fax")
    assert result.exit_code == 1
    assert "Unknown channel 'fax'" in result.stderr
    assert run("draft", "dana", "-t", "breakup", "--channel", "email").exit_code == 1


# --- which template for --channel -------------------------------------------------------------


def prospect_at(purpose: str | None, template: str | None, channel: str | None) -> Prospect:
    return Prospect(
        id=1,
        name="Dana Reyes",
        stage="proposal",
        next_step=1 if purpose else None,
        next_purpose=purpose,
        next_template=template,
        next_channel=channel,
    )


@pytest.mark.parametrize(
    ("purpose", "template", "step_channel", "asked", "expected"),
    [
        ("Trial close", "voicemail-trial-close", "call", "voicemail", "voicemail-trial-close"),
        ("Send the proposal", "proposal-sent", "email", "voicemail", "voicemail-trial-close"),
        ("Send the proposal", "proposal-sent", "email", "email", "proposal-sent"),
        ("Check in by phone", "voicemail-initial", "call", "voicemail", "voicemail-initial"),
        ("Add value with an article", "value-add", "email", "voicemail", "voicemail-value-add"),
        ("Pick up the phone", "call-review", "call", "voicemail", "voicemail-value-add"),
        ("Pick up the phone", "call-review", "call", "call", "voicemail-value-add"),
        ("Trial close", "voicemail-trial-close", "call", "email", "trial-close-email"),
        ("Breakup email", "breakup", "email", "linkedin", "linkedin-comment-dm"),
        ("Re-engage with a new angle", "new-angle", "email", "video", "video-walkthrough"),
        (None, None, None, "voicemail", "voicemail-trial-close"),  # stage proposal
    ],
)
def test_channel_rule(purpose, template, step_channel, asked, expected):
    from followup_cli.drafting.draft import pick_template

    chosen = pick_template(prospect_at(purpose, template, step_channel), channel=asked)
    assert chosen.name == expected


def test_a_step_without_a_template_uses_its_channel():
    from followup_cli.drafting.draft import pick_template

    chosen = pick_template(prospect_at("Call and leave something useful", None, "call"))
    assert chosen.name == "voicemail-value-add"


# --- meeting slots ----------------------------------------------------------------------------


def test_slots_skip_weekends_and_holidays():
    from zoneinfo import ZoneInfo

    from followup_cli.drafting.draft_context import meeting_slots, slot_labels

    denver = ZoneInfo("America/Denver")
    dana = Prospect(id=1, name="Dana", timezone="America/Denver")
    now = datetime(2026, 11, 24, 16, 0, tzinfo=denver)  # Tuesday; Thursday is Thanksgiving
    slots = meeting_slots(dana, now=now, tz=denver, count=3)
    assert slot_labels(slots, now=now, tz=denver) == [
        "Wednesday 10:00",
        "Friday 14:00",
        "Monday 10:00",
    ]
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=denver)
    assert slot_labels(meeting_slots(dana, now=friday, tz=denver), now=friday, tz=denver) == [
        "Monday 10:00",
        "Tuesday 14:00",
    ]


def test_slots_are_in_the_prospects_timezone(run, ready):
    run.ok("edit", "dana", "--tz", "Europe/Paris")
    body = run.json("draft", "dana")["body"]
    assert "Tuesday 10:00 or Wednesday 14:00 your time" in body  # Paris office hours


# --- where it goes ----------------------------------------------------------------------------


def test_eml_parses_back(run, ready, tmp_path):
    run.ok("me", "--email", "sam@northwind.example")
    target = tmp_path / "dana.eml"
    result = run.ok("draft", "dana", "--eml", str(target))
    assert result.stdout == ""
    message = BytesParser(policy=policy.default).parsebytes(target.read_bytes())
    assert message["To"] == "Dana Reyes <dana@acme.io>"
    assert message["From"] == "Sam Ortiz <sam@northwind.example>"
    assert message["Subject"] == "Your proposal for the renewals automation"
    assert message["Date"] == "Mon, 23 Nov 2026 08:00:00 -0700"  # in the user's zone (Denver)
    assert message["Message-ID"].endswith("@northwind.example>")
    assert message.get_content_charset() == "utf-8"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Hi Dana,\n\nAttached is our proposal for the renewals automation")
    assert body.rstrip().endswith("Best,\nSam")
    raw = target.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322: CRLF only
    assert message.defects == []


def test_eml_attaches_files_and_a_missing_one_writes_nothing(run, ready, tmp_path):
    proposal = tmp_path / "proposal.pdf"
    proposal.write_bytes(b"%PDF-1.4 the proposal")
    target = tmp_path / "dana.eml"
    run.ok("draft", "dana", "--eml", str(target), "--attach", str(proposal))
    message = BytesParser(policy=policy.default).parsebytes(target.read_bytes())
    parts = list(message.iter_attachments())
    assert [(p.get_filename(), p.get_content_type()) for p in parts] == [
        ("proposal.pdf", "application/pdf")
    ]
    assert parts[0].get_content() == b"%PDF-1.4 the proposal"
    assert message.get_body().get_content().startswith("Hi Dana,")

    other = tmp_path / "other.eml"
    missing = run("draft", "dana", "--eml", str(other), "--attach", str(tmp_path / "nope.pdf"))
    assert missing.exit_code == 1
    assert (
        missing.stderr
        == f"Error: No such file to attach: {tmp_path / 'nope.pdf'} (check the path).\n"
    )
    assert not other.exists()
    alone = run("draft", "dana", "--attach", str(proposal))
    assert alone.exit_code == 2
    assert "--attach adds files to an .eml draft: add --eml FILE." in alone.stderr


def test_eml_with_non_ascii_text(run, ready, tmp_path):
    run.ok("me", "--name", "Zoë Ortiz", "--email", "zoe@northwind.example")
    run.ok("edit", "dana", "--set", "project=the Zürich rollout")
    target = tmp_path / "dana.eml"
    run.ok("draft", "dana", "--eml", str(target))
    message = BytesParser(policy=policy.default).parsebytes(target.read_bytes())
    assert message["Subject"] == "Your proposal for the Zürich rollout"
    assert message["From"] == "Zoë Ortiz <zoe@northwind.example>"
    assert "Zürich" in message.get_content()


def test_eml_without_your_address_is_a_draft_for_your_default_account(run, ready, tmp_path):
    target = tmp_path / "x.eml"
    result = run.ok("draft", "dana", "--eml", str(target))
    assert "It has no From: line" in result.stderr
    message = BytesParser(policy=policy.default).parsebytes(target.read_bytes())
    assert message["From"] is None and message["X-Unsent"] == "1"
    assert message["To"] == "Dana Reyes <dana@acme.io>"
    result = run("draft", "dana", "--eml", str(tmp_path / "y.eml"), "-t", "handwritten-note")
    assert result.exit_code == 1  # a handwritten note is not an email
    assert not (tmp_path / "y.eml").exists()


def test_mailto(run, ready):
    url = run.ok("draft", "dana", "--mailto").stdout.strip()
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert parts.path == "dana@acme.io"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Your proposal for the renewals automation"]
    assert query["body"][0].startswith("Hi Dana,\r\n\r\nAttached is our proposal")


def test_log_advances_the_cadence_and_records_the_draft(run, ready):
    before = run.json("show", "dana")
    assert before["next_due"]["template"] == "proposal-sent"
    result = run.ok("draft", "dana", "--log")
    assert "Logged email to Dana Reyes: sent (step 1 of post-proposal)." in result.stderr
    after = run.json("show", "dana")
    assert after["next_due"]["template"] == "call-review"
    assert after["next_due"]["step"] == 2
    touch = after["touches"][0]
    assert touch["channel"] == "email"
    assert touch["outcome"] == "sent"
    assert touch["template"] == "proposal-sent"
    assert touch["variant"] == "a"
    assert touch["value_id"] is None
    assert touch["step"] == 1


def test_log_records_the_value_item_and_a_voicemail(run, ready):
    run.ok("value", "add", "Renewal benchmark", "--tag", "saas")
    data = run.json("draft", "dana", "-t", "voicemail-value-add", "--log")
    assert data["touch"]["channel"] == "call"
    assert data["touch"]["outcome"] == "voicemail"
    assert data["touch"]["template"] == "voicemail-value-add"
    assert data["touch"]["value_id"] == data["value_id"] == 1


def test_edit_uses_the_edited_text(run, ready, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text().replace('Attached is our proposal', 'Here is the plan')\n"
        "path.write_text(text.replace('Subject: Your proposal', 'Subject: The plan'))\n",
        encoding="utf-8",
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    data = run.json("draft", "dana", "--edit", "--log")
    assert data["subject"] == "The plan for the renewals automation"
    assert data["body"].startswith("Hi Dana,\n\nHere is the plan for the renewals automation")
    assert data["touch"]["note"] == "The plan for the renewals automation"


def test_edit_rechecks_the_text(run, ready, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Subject: Hi\\n\\nJust checking in.\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    data = run.json("draft", "dana", "--edit")
    assert data["body"] == "Just checking in."
    codes = [warning["code"] for warning in data["warnings"]]
    assert codes == ["zero-value-phrase", "no-specifics", "generic-subject", "no-call-to-action"]


def test_edit_without_an_editor(run, ready):
    result = run("draft", "dana", "--edit", "--log")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --edit needs an editor: set VISUAL or EDITOR")
    assert run.json("show", "dana")["touches"] == []


def test_editor_failure_logs_nothing(run, ready, monkeypatch):
    monkeypatch.setenv("EDITOR", "false")
    result = run("draft", "dana", "--edit", "--log")
    assert result.exit_code == 1
    assert "The editor exited with status 1" in result.stderr
    assert run.json("show", "dana")["touches"] == []


# --- variants ---------------------------------------------------------------------------------


def test_variants_rotate_evenly_and_are_recorded(run, ready):
    seen = []
    for _ in range(4):
        data = run.json("draft", "dana", "-t", "breakup", "--log")
        seen.append((data["variant"], data["subject"]))
        assert data["touch"]["variant"] == data["variant"]
    assert [variant for variant, _ in seen] == ["a", "b", "a", "b"]
    assert seen[0][1] == "Should I close the file on Acme?"
    assert seen[1][1] == "Close the loop on manual renewals?"


def test_variant_override(run, ready):
    assert run.json("draft", "dana", "-t", "breakup", "--variant", "b")["variant"] == "b"
    result = run("draft", "dana", "-t", "breakup", "--variant", "z")
    assert result.exit_code == 1
    assert "Template breakup has no variant 'z': use one of a, b." in result.stderr


# --- warnings and the terminal view -----------------------------------------------------------


def test_warnings_go_to_stderr(run, ready, tmp_path):
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "lazy.j2").write_text(
        '---\nchannel: email\nsubject: "Checking in"\npurpose: A bad example.\nneeds: []\n---\n'
        "Hi {{ prospect.first_name }},\n\nJust checking in.\n\nBest,\n{{ me.signature }}\n",
        encoding="utf-8",
    )
    result = run.ok("draft", "dana", "-t", "lazy")
    assert result.stdout == "Subject: Checking in\n\nHi Dana,\n\nJust checking in.\n\nBest,\nSam\n"
    assert "Warning [zero-value-phrase]" in result.stderr
    assert "Warning [generic-subject]" in result.stderr
    assert "Warning [no-specifics]" in result.stderr


def test_panel_on_a_terminal(run, ready, monkeypatch):
    from rich.console import Console

    from followup_cli.views import render

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, color_system=None, width=160)
    monkeypatch.setattr(render, "out", console)
    # Standard output is a terminal as Rich decides it (views.paint.is_terminal): a piped
    # draft is written without loading Rich at all.
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    result = run.ok("draft", "dana")
    assert result.stdout == ""
    shown = screen.getvalue()
    assert "proposal-sent · email" in shown
    assert "Subject: Your proposal for the renewals automation" in shown
    assert "to Dana Reyes <dana@acme.io>" in shown


def test_a_piped_draft_and_its_warnings_are_plain_lines_without_rich(run, ready, piped):
    expected = run.ok("draft", "dana", "--template", "breakup")
    assert expected.stderr.startswith("Warning [breakup-too-early]: ")
    done, rich = piped("draft", "dana", "--template", "breakup")
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected.stdout
    assert done.stderr == expected.stderr  # the same lines,
    assert rich is False  # and Rich never loaded


def test_json_after_log_includes_the_touch(run, ready):
    data = json.loads(run.ok("draft", "dana", "--log", "--json").stdout)
    assert data["touch"]["template"] == "proposal-sent"


# --- the sender profile -----------------------------------------------------------------------


def test_me_shows_sets_and_derives(run):
    assert "No sender profile yet" in run.ok("me").stdout
    data = run.json("me", "--name", "Sam Ortiz", "--company", "Northwind")
    assert data == {
        "name": "Sam Ortiz",
        "company": "Northwind",
        "title": None,
        "phone": None,
        "email": None,
        "signature": "Sam Ortiz",  # defaults to the name
        "first_name": "Sam",
        "timezone": "America/Denver",
        "timezone_source": "FOLLOWUP_TZ",
    }
    data = run.json(
        "me", "--signature", "Sam Ortiz\\nNorthwind", "--email", "Sam@Northwind.Example"
    )
    assert data["signature"] == "Sam Ortiz\nNorthwind"
    assert data["email"] == "sam@northwind.example"
    assert data["company"] == "Northwind"  # unchanged
    shown = run.ok("me").stdout
    assert "Sam Ortiz" in shown and "Northwind" in shown
    assert run.json("me", "--company", "")["company"] is None  # "" clears a detail


def test_me_rejects_bad_input(run):
    result = run("me", "--email", "sam")
    assert result.exit_code == 1
    assert result.stderr == "Error: 'sam' is not an email address: use e.g. sam@northwind.com.\n"
    result = run("me", "--company", "Northwind")
    assert result.exit_code == 1
    assert "Your name signs every draft" in result.stderr


def test_a_multi_line_signature_passes_the_rules(run, ready):
    run.ok("me", "--signature", "Sam Ortiz\\nAccount Executive, Northwind\\n+1 303 555 0100")
    result = run.ok("draft", "dana")
    assert result.stdout.endswith(
        "Best,\nSam Ortiz\nAccount Executive, Northwind\n+1 303 555 0100\n"
    )
    assert result.stderr == ""
