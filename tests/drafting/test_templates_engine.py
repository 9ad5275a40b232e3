"""The template engine: loading from the installed package, front matter validation,
the sandbox, user overrides, and `followup templates list | show | check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup_cli.drafting import corpus, template_check
from followup_cli.drafting import templates as engine
from followup_cli.drafting.checks import check_message
from followup_cli.scheduling.cadence import shipped_dir

SHIPPED = sorted(path.stem for path in shipped_dir("templates").glob("*.j2"))


def user_template(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.j2"
    path.write_text(text, encoding="utf-8")
    return path


def test_templates_load_from_the_package():
    import followup_cli

    folder = shipped_dir("templates")
    assert folder.is_dir()
    # Installed: inside the package; editable checkout: the top-level templates/ dir.
    package = Path(followup_cli.__file__).parent
    assert folder in (package / "templates", package.parents[1] / "templates")
    assert len(SHIPPED) >= 40
    assert set(engine.template_files()) == set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_template_renders_through_the_engine_and_passes_the_rules(name):
    template = engine.load_template(name)
    assert template.origin == "shipped"
    for bare in (False, True):
        context, specifics = corpus.sample_context(template, bare=bare)
        for variant in template.variant_names:
            subject, body = engine.render(template, context, variant)
            assert (subject is not None) == (template.channel == "email")
            findings = check_message(
                body, channel=template.channel, subject=subject, specifics=specifics
            )
            assert findings == [], f"{name} variant {variant} (bare={bare}):\n{subject}\n{body}"
            assert "None" not in body
            assert "\n\n\n" not in body


@pytest.mark.parametrize("name", SHIPPED)
def test_templates_check_passes_each_shipped_template(name):
    assert template_check.check_all([name]) == ([], 1)


def test_templates_check_command_all_ok(run):
    result = run.ok("templates", "check")
    assert result.stdout == f"{len(SHIPPED)} templates OK.\n"


# --- front matter -------------------------------------------------------------------------------


def test_front_matter_problems_are_all_reported_with_file_and_line(run, tmp_path):
    path = user_template(
        tmp_path,
        "broken",
        "---\n"
        "channel: emial\n"
        "subjct: About {{ pain_point }}\n"
        "needs: [prospect.shoe_size, Bad Name, me.phone]\n"
        "variants: {a: {body: x}}\n"
        "---\n"
        "Hi {{ prospect.first_name }\n",
    )
    result = run("templates", "check", "broken")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:3: subjct: unknown key; valid keys are name, channel, subject, purpose, needs, "
        "optional, variants, ask, stages, order",
        f"{path}:2: channel: 'emial' is not a channel; use one of email, voicemail, video, "
        "linkedin, mail, text",
        f"{path}:1: purpose is required: say in one line what this message is for",
        f"{path}:4: needs: 'prospect.shoe_size': prospect has no 'shoe_size'; use one of "
        "anniversary, birthday, channel, company, competitors, country, decision_makers, email, "
        "fields, first_name, key_points, linkedin, name, notes, personal, phone, priority, "
        "referred_by, relationship, stage, tags, timezone, title, value",
        f"{path}:4: needs: 'Bad Name': a custom field is lower case, digits and _",
        f"{path}:5: variants: variant a: may only override subject",
        f"{path}:7: body: Jinja syntax: unexpected '}}'",
        "Error: 7 problems in 1 template.",
    ]


def test_a_broken_template_fails_the_draft_with_its_first_problem(run, dana, tmp_path):
    path = user_template(tmp_path, "broken", "---\nchannel: email\nsubject: Hi\n---\nHello\n")
    result = run("draft", "dana", "-t", "broken")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}:1: purpose is required: say in one line what this message is for\n"
    )


def test_a_checked_template_is_compiled_once_and_an_unknown_filter_waits_for_the_render(
    tmp_path,
):
    from followup_cli.drafting.template_engine import compiled

    body = "Hi {{ prospect.first_name | shout }}\n"
    path = user_template(tmp_path, "loud", f"---\nchannel: text\npurpose: Say hello.\n---\n{body}")
    problems, template = engine.check_file(path)
    assert problems == []  # a filter is looked up when the template renders, as before
    assert template is not None and template.body == body
    path = user_template(tmp_path, "calm", "---\nchannel: text\npurpose: Say hi.\n---\nHi\n")
    before = compiled.cache_info().hits
    problems, template = engine.check_file(path)
    assert problems == [] and template is not None
    engine.render(template, {}, "a")  # the body the check compiled: not compiled again
    assert compiled.cache_info().hits == before + 1


def test_missing_front_matter(tmp_path):
    path = user_template(tmp_path, "plain", "Hi {{ prospect.first_name }}\n")
    problems, template = engine.check_file(path)
    assert template is None
    assert problems == [
        f"{path}:1: the file must start with front matter between two --- lines "
        "(name, channel, subject, purpose, needs), then the message"
    ]


def test_invalid_yaml_names_the_line(tmp_path):
    path = user_template(tmp_path, "bad", "---\nchannel: email\npurpose: [unclosed\n---\nHi\n")
    problems, _ = engine.check_file(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:4: front matter is not valid YAML")


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        ("name: other\nchannel: mail\npurpose: x\n", "name: the name 'other' must match"),
        ("channel: mail\npurpose: x\nsubject: Hi\n", "subject: only email templates have"),
        ("channel: email\npurpose: x\n", "an email template needs a subject"),
        ("channel: mail\npurpose: x\nneeds: pain_point\n", "needs: must be a list"),
        ("channel: mail\npurpose: x\nneeds: [slots]\n", "'slots' is always provided"),
        ("channel: mail\npurpose: x\nneeds: [step.number]\n", "dotted names start with"),
        ("channel: mail\npurpose: x\nvariants: {b: {subject: Hi}}\n", "only email templates"),
    ],
)
def test_front_matter_rules(tmp_path, front, problem):
    path = user_template(tmp_path, "mine", f"---\n{front}---\nHi {{{{ prospect.first_name }}}}\n")
    problems, template = engine.check_file(path)
    assert template is None
    assert any(problem in p for p in problems), problems


# --- the sandbox and strictness ---------------------------------------------------------------


def test_sandbox_blocks_python_internals(run, dana, tmp_path):
    run.ok("me", "--name", "Sam Ortiz")
    path = user_template(
        tmp_path,
        "escape",
        "---\nchannel: linkedin\npurpose: Tries to escape.\nneeds: []\n---\n"
        "Hi {{ prospect.first_name }},\n"
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
    )
    result = run("draft", "dana", "-t", "escape")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {path}:7: template escape tried to reach Python internals (access to "
        "attribute '__class__' of 'str' object is unsafe); templates may only use the draft's "
        "variables (followup templates show escape lists them): fix the template.\n"
    )
    assert "template escape tried to reach Python internals" in run("templates", "check").stderr


@pytest.mark.parametrize(
    "source",
    [
        "{{ prospect.__class__ }}",
        "{{ prospect._values }}",
        "{% if ''.__class__ %}x{% endif %}",
        "{{ me.name.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_other_escapes_are_blocked(source):
    template = engine.Template(name="t", channel="mail", purpose="x", body=source)
    context, _ = corpus.sample_context(template)
    with pytest.raises(engine.UnsafeTemplate):
        engine.render(template, context, "a")


def test_printing_an_unset_value_is_an_error_naming_it():
    template = engine.Template(name="t", channel="mail", purpose="x", body="{{ shoe_size }}")
    context, _ = corpus.sample_context(template)
    with pytest.raises(engine.MissingValues) as caught:
        engine.render(template, context, "a")
    assert caught.value.names == ["shoe_size"]
    template = engine.Template(name="t", channel="mail", purpose="x", body="{{ me.fax }}")
    with pytest.raises(engine.MissingValues) as caught:
        engine.render(template, context, "a")
    assert caught.value.names == ["me.fax"]


def test_a_failing_expression_is_one_readable_line(run, dana, tmp_path):
    path = user_template(
        tmp_path,
        "divide",
        "---\nchannel: mail\npurpose: Divides.\n---\nHi {{ prospect.first_name }}\n{{ 1 / 0 }}\n",
    )
    result = run("draft", "dana", "-t", "divide")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}:6: body: the template failed: division by zero\n"


# --- user templates override shipped ones -------------------------------------------------------


def test_a_user_template_overrides_the_shipped_one(run, dana, tmp_path):
    run.ok("me", "--name", "Sam Ortiz")
    user_template(
        tmp_path,
        "breakup",
        '---\nchannel: email\nsubject: "Closing the file on {{ prospect.company }}"\n'
        "purpose: My own breakup email.\nneeds: [prospect.company]\n---\n"
        "Hi {{ prospect.first_name }},\n\nShall I close the file on {{ prospect.company }}?\n\n"
        "Best,\n{{ me.signature }}\n",
    )
    assert run.ok("draft", "dana", "-t", "breakup").stdout == (
        "Subject: Closing the file on Acme\n\nHi Dana,\n\n"
        "Shall I close the file on Acme?\n\nBest,\nSam Ortiz\n"
    )
    listed = {item["name"]: item for item in run.json("templates", "list")}
    assert listed["breakup"]["origin"] == "yours"
    assert listed["breakup"]["variants"] == []
    assert listed["value-add"]["origin"] == "shipped"


def test_templates_list(run):
    items = run.json("templates", "list")
    assert [item["name"] for item in items] == SHIPPED
    assert set(items[0]) == {"name", "channel", "purpose", "origin", "variants", "path"}
    breakup = next(item for item in items if item["name"] == "breakup")
    assert breakup["variants"] == ["a", "b"]
    assert breakup["channel"] == "email"
    voicemails = run.json("templates", "list", "--channel", "voicemail")
    assert {item["name"] for item in voicemails} >= {
        "voicemail-initial",
        "voicemail-value-add",
        "voicemail-trial-close",
    }
    table = run.ok("templates", "list").stdout
    assert "breakup" in table and "shipped" in table


def test_templates_list_marks_a_broken_file(run, tmp_path):
    user_template(tmp_path, "oops", "no front matter\n")
    oops = next(item for item in run.json("templates", "list") if item["name"] == "oops")
    assert oops["purpose"].startswith("BROKEN: ")
    assert oops["origin"] == "yours"


def test_templates_show(run):
    result = run.ok("templates", "show", "breakup")
    path = shipped_dir("templates") / "breakup.j2"
    assert result.stdout == f"# {path} (shipped)\n" + path.read_text(encoding="utf-8")
    data = run.json("templates", "show", "breakup")
    assert data["name"] == "breakup"
    assert data["needs"] == ["pain_point"]
    assert data["variants"] == {"a": {}, "b": {"subject": "Close the loop on {{ pain_point }}?"}}
    assert data["body"].startswith("Hi {{ prospect.first_name }},")
    missing = run("templates", "show", "nope")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: No template named 'nope'.")


def test_templates_check_of_a_user_template_that_breaks_a_rule(run, tmp_path):
    path = user_template(
        tmp_path,
        "nudge",
        '---\nchannel: email\nsubject: "Checking in"\npurpose: A nudge.\nneeds: [budget_owner]\n'
        "---\nHi {{ prospect.first_name }},\n\nJust checking in about {{ budget_owner }}.\n\n"
        "Best,\n{{ me.signature }}\n",
    )
    result = run("templates", "check", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}: nudge: zero-value-phrase: ")
    assert lines[1].startswith(f"{path}: nudge: generic-subject: ")
    assert lines[2].startswith(f"{path}: nudge: no-call-to-action: ")  # it asks for nothing
    assert lines[-1] == "Error: 6 problems in 1 template."  # and the same without a last touch


def test_templates_check_an_unknown_name(run):
    result = run("templates", "check", "nope")
    assert result.exit_code == 1
    assert "No template named 'nope'" in result.stderr
