"""Steps only some records can take (``when:`` / ``otherwise:``): the deadline email, the
competitor mention and the text message each in the cadence step the seeds put them in, and
never due for a record that lacks what they would say. Each test quotes its seed line, by
seed file name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from followup_cli.scheduling import cadence as cadences
from followup_cli.scheduling.schedule import Enrollment, plan

START = datetime(2026, 11, 9, 16, 0, tzinfo=UTC)


def _step(cadence: str, done: int, facts: set[str]):
    state = Enrollment(
        cadence=cadence, anchor=START, steps_done=done, status="active", facts=frozenset(facts)
    )
    return plan(state, cadences.load_cadence)


@pytest.mark.parametrize(
    ("cadence", "done", "facts", "template", "instead", "why"),
    [
        # 002_ebf38cfac8e1ad58.txt: "Every follow-up should provide something. A new piece of
        # information, a relevant insight, a case study, an answer to a question they raised,
        # or a deadline that creates urgency." -- day 14 of seed 002's cadence
        ("service-proposal", 3, {"deadline"}, "deadline", "value-add", "no deadline on record"),
        # 000_cd2bc44c633a209f.txt: "The Competitor Mention (Use cautiously)"; "5. Competitive
        # intelligence" among the seven touches; "Months 4-6: Broader industry insights"
        (
            "long-term-nurture",
            3,
            {"competitors", "peer_company"},
            "competitor-mention",
            "value-bomb",
            "no competitors and peer_company on record",
        ),
        # 000_cd2bc44c633a209f.txt: "Use unexpected medium ... Text (only if you have
        # permission)"; 001_f926f856a736bd02.txt: weeks 3-4 "Different angle/medium"
        (
            "after-first-contact",
            3,
            {"texts_ok"},
            "text-message",
            "video-walkthrough",
            "no consent to texts (followup edit ... --texts-ok) on record",
        ),
    ],
)
def test_a_step_is_taken_only_when_the_record_holds_what_it_says(
    cadence, done, facts, template, instead, why
):
    taken = _step(cadence, done, facts)
    assert taken.next.template == template
    asked = cadences.load_cadence(cadence).steps[done].when
    assert f", {' and '.join(asked)} on record" in taken.why
    other = _step(cadence, done, set())
    assert other.next.template == instead
    assert other.next.due_at == taken.next.due_at  # the same time: the cadence keeps its days
    assert other.next.step == taken.next.step and other.next.steps_total == taken.next.steps_total
    assert f"{why}: {instead} instead of {template}" in other.why
    # half of what it asks is not enough: a competitor mention needs a company to name
    if len(facts) > 1:
        assert _step(cadence, done, {sorted(facts)[0]}).next.template == instead


def test_no_text_is_ever_due_without_consent():
    # 000_cd2bc44c633a209f.txt: "Text (only if you have permission)"
    for done in range(8):
        result = _step("after-first-contact", done, {"pain_point", "phone"})
        if result.next is not None:
            assert result.next.channel != "text"
    assert _step("after-first-contact", 3, {"texts_ok"}).next.channel == "text"


def _write(tmp_path, name, steps):
    folder = tmp_path / "config" / "cadences"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text("steps:\n" + steps)
    return folder / f"{name}.yaml"


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            "  - {day: 1, channel: text, purpose: A text, template: text-message}\n",
            "steps.0.channel: a text goes only to someone who agreed to texts: add "
            "`when: [texts_ok]` and an `otherwise:` step for everyone else",
        ),
        (
            "  - {day: 1, channel: email, purpose: A deadline, template: deadline,"
            " when: [deadline]}\n",
            "steps.0.when: needs `otherwise:`, the step for everyone whose record lacks it",
        ),
        (
            "  - {day: 1, channel: email, purpose: Value, template: value-add,"
            " otherwise: {channel: call, purpose: Call}}\n",
            "steps.0.otherwise: is the step for records without `when:`: add `when:`",
        ),
        (
            "  - {day: 1, channel: email, purpose: A deadline, template: deadline,"
            " when: [deadline], otherwise: {day: 3, channel: email, purpose: Value}}\n",
            "steps.0.otherwise.day: unknown key; valid keys are channel, purpose, template "
            "(it takes the step's time)",
        ),
        (
            "  - {day: 1, channel: email, purpose: A deadline, template: deadline,"
            " when: [texts_ok], otherwise: {channel: text, purpose: A text}}\n",
            "steps.0.otherwise.channel: cannot be a text",
        ),
        (
            "  - {day: 1, channel: email, purpose: A deadline, template: deadline,"
            " when: [Dead Line], otherwise: {channel: email, purpose: Value}}\n",
            "steps.0.when: 'Dead Line' is not a fact",
        ),
        (
            "  - {day: 1, channel: email, purpose: A deadline, template: deadline,"
            " when: [deadline], otherwise: {channel: email, purpose: Value, template: nope}}\n",
            "steps.0.otherwise.template: no template named 'nope'",
        ),
    ],
)
def test_cadences_check_holds_a_conditional_step_to_the_rules(run, tmp_path, steps, message):
    path = _write(tmp_path, "mine", steps)
    result = run("cadences", "check", str(path))
    assert result.exit_code == 1
    assert message in result.output


def test_a_repeat_cannot_be_a_text(run, tmp_path):
    path = tmp_path / "config" / "cadences" / "texty.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("repeat: {every: 7d, channel: text, purpose: A text, template: text-message}\n")
    result = run("cadences", "check", str(path))
    assert result.exit_code == 1
    assert "repeat.channel: cannot be a text: texts need consent, a step's `when:`" in (
        result.output
    )


def test_the_shipped_conditional_steps_pass_both_checks(run):
    assert run.ok("cadences", "check").stdout.endswith("cadence files OK.\n")
    assert run.ok("templates", "check").stdout.endswith("templates OK.\n")


def test_the_otherwise_template_is_held_to_the_cadence_stage(run, tmp_path):
    # a cadence for stage proposal whose otherwise step is a customer template
    path = _write(
        tmp_path,
        "mine",
        "  - {day: 1, channel: email, purpose: A deadline, template: deadline,"
        " when: [deadline], otherwise: {channel: email, purpose: How is it going,"
        " template: onboarding-check-in}}\n",
    )
    path.write_text("stage: proposal\n" + path.read_text())
    result = run("templates", "check")
    assert result.exit_code == 1
    assert "step 1's otherwise of mine (a cadence for stage proposal) uses onboarding-check-in" in (
        result.output
    )


# --- end to end, as a user meets it -------------------------------------------------------


def _book(run, tmp_path, rows):
    run.ok("me", "--name", "Sam Ortiz", "--company", "Northwind")
    book = tmp_path / "book.csv"
    book.write_text(
        "name,email,stage,cadence,cadence_status,cadence_anchor,steps_done,pain_point,"
        "deadline,competitors,peer_company,texts_ok\n" + "".join(f"{row}\n" for row in rows)
    )
    run.ok("import", str(book))


def test_the_deadline_email_is_due_only_with_a_deadline_and_edits_move_it(run, tmp_path):
    # 002_ebf38cfac8e1ad58.txt: "If you want to lock in that start date we discussed, I would
    # need your go-ahead by [date]." -- two imported alike but for the deadline (the import
    # plans rows alike once: the deadline must tell them apart)
    _book(
        run,
        tmp_path,
        [
            "Dee Line,dee@line.example,proposal,service-proposal,active,2026-11-09T16:00:00Z,3,"
            "slow month-end close,Friday 4 December,,,",
            "Val Add,val@add.example,proposal,service-proposal,active,2026-11-09T16:00:00Z,3,"
            "slow month-end close,,,,",
        ],
    )
    due = {i["prospect"]["name"]: i["template"] for i in run.json("today")}
    assert due == {"Dee Line": "deadline", "Val Add": "value-add"}
    draft = run.json("draft", "dee")
    assert draft["template"] == "deadline"
    assert "by Friday 4 December" in draft["body"]
    run.ok("edit", "dee", "--set", "deadline=")  # the deadline is gone: so is the email
    assert run.json("show", "dee")["next_due"]["template"] == "value-add"
    run.ok("edit", "val", "--set", "deadline=Monday 7 December")
    assert run.json("show", "val")["next_due"]["template"] == "deadline"


def test_the_text_step_needs_consent_and_show_says_why_not(run, tmp_path):
    # 000_cd2bc44c633a209f.txt: "Text (only if you have permission)"
    _book(
        run,
        tmp_path,
        [
            "Tess Ng,tess@ng.example,interest,after-first-contact,active,2026-11-06T16:00:00Z,3,"
            "late invoices,,,,yes",
            "Omar Diaz,omar@frost.example,interest,after-first-contact,active,"
            "2026-11-06T16:00:00Z,3,late invoices,,,,",
        ],
    )
    due = {i["prospect"]["name"]: (i["channel"], i["template"]) for i in run.json("today")}
    assert due == {
        "Tess Ng": ("text", "text-message"),
        "Omar Diaz": ("video", "video-walkthrough"),
    }
    shown = run.ok("show", "omar").stdout
    assert (
        "no consent to texts (followup edit ... --texts-ok) on record: video-walkthrough "
        "instead of text-message" in shown
    )
    assert run.json("draft", "tess")["template"] == "text-message"
    run.ok("edit", "tess", "--no-texts")  # consent taken back: no text is due any more
    assert run.json("show", "tess")["next_due"]["channel"] == "video"


def test_the_competitor_mention_needs_competitors_and_a_company_to_name(run, tmp_path):
    # 000_cd2bc44c633a209f.txt: "The Competitor Mention (Use cautiously) ... I'm working with
    # [Competitor] on [outcome]."
    _book(
        run,
        tmp_path,
        [
            "Cara Cole,cara@cole.example,nurture,long-term-nurture,active,2026-08-25T16:00:00Z,3,"
            "slow quotes,,Globex,a distributor in Ohio,",
            "Ned Cole,ned@cole.example,nurture,long-term-nurture,active,2026-08-25T16:00:00Z,3,"
            "slow quotes,,Globex,,",
        ],
    )
    due = {i["prospect"]["name"]: i["template"] for i in run.json("today", "--days", "7")}
    assert due == {"Cara Cole": "competitor-mention", "Ned Cole": "value-bomb"}
    assert "a distributor in Ohio" in run.json("draft", "cara")["body"]
