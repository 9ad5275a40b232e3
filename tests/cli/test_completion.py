"""Shell completion of values, through the real entry point as the shell scripts call it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ENTRY = "from followup_cli.main import main; main(); import sys; print('typer' in sys.modules)"


def complete(line: str, shell: str = "bash", **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "_FOLLOWUP_COMPLETE": f"complete_{shell}", **extra}
    if shell == "bash":
        typed = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(typed) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    return subprocess.run(
        [sys.executable, "-c", ENTRY], env=env, capture_output=True, text=True, timeout=60
    )


def values(line: str) -> list[str]:
    result = complete(line)
    assert result.returncode == 0, result.stderr
    *found, typer_loaded = result.stdout.splitlines()
    assert typer_loaded == "False"  # values are answered before Typer loads
    return found


@pytest.fixture
def people(run):
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io", "--company", "Acme", "--tag", "saas")
    run.ok("add", "Daniel Okafor", "--tag", "fintech", "--no-cadence")
    run.ok("add", "Ruth Reynolds", "--tag", "saas", "--no-cadence")


def test_prospects_by_name_word_id_and_email(people):
    assert values("followup show dan") == ["Dana\\ Reyes", "Daniel\\ Okafor"]
    assert values("followup log rey") == ["Dana\\ Reyes", "Ruth\\ Reynolds"]
    assert values("followup draft 2") == ["2"]
    assert values("followup edit dana@") == ["dana@acme.io"]
    assert values("followup --db nowhere.db show da") == []  # no database: nothing, no error


def test_fixed_vocabularies_and_files(people):
    assert values("followup log dana -c ") == [
        "call", "email", "linkedin", "video", "text", "mail", "meeting",
    ]  # fmt: skip
    assert values("followup log dana --outcome no") == ["no_answer", "not_now"]
    assert values("followup list --stage pro") == ["proposal"]
    assert values("followup list --tag ") == ["fintech", "saas"]
    assert values("followup enroll dana post-d") == ["post-demo", "post-discovery"]
    assert values("followup add X --cadence steli") == ["steli-persistence"]
    assert values("followup draft dana --template break") == ["breakup"]
    assert values("followup cadences show thirty") == ["thirty-day"]


def test_zsh_and_fish_formats(people):
    zsh = complete("followup show ruth", shell="zsh")
    assert zsh.stdout.splitlines()[0] == '_arguments \'*: :(("Ruth Reynolds":"#3"))\''
    fish = complete("followup show da", shell="fish", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert fish.stdout.splitlines()[:2] == ["Dana Reyes\t#1 · Acme", "Daniel Okafor\t#2"]
    probe = complete("followup show zz", shell="fish", _TYPER_COMPLETE_FISH_ACTION="is-args")
    assert probe.returncode == 1  # nothing to offer: fish may offer files


def test_option_and_command_names_go_to_typer(people):
    result = complete("followup log dana --out")
    assert result.returncode == 0, result.stderr
    assert "--outcome" in result.stdout.splitlines()
    assert "show" in complete("followup sh").stdout.splitlines()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_install_scripts_are_offered(shell):
    # Typer detects the running shell; its switch lets the test name one instead.
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = subprocess.run(
        [sys.executable, "-m", "followup_cli", "--show-completion", shell],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert f"_FOLLOWUP_COMPLETE=complete_{shell}" in shown.stdout


def test_bash_script_calls_followup():
    script = subprocess.run(
        [sys.executable, "-m", "followup_cli", "--show-completion", "bash"],
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "_FOLLOWUP_COMPLETE=complete_bash" in script and "complete -o default -F" in script


def test_a_real_bash_completes_a_name(people):
    from pathlib import Path

    script = Path(sys.executable).with_name("followup")
    if not script.exists():
        pytest.fail(f"{script} is missing: install the package (pip install -e .)")
    env = {**os.environ, "PATH": f"{script.parent}:{os.environ['PATH']}"}
    env["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    shell = (
        'eval "$(followup --show-completion bash)"; COMP_WORDS=(followup show dan); '
        'COMP_CWORD=2; _followup_completion followup; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "--norc", "-c", shell], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Dana\\ Reyes", "Daniel\\ Okafor"]
