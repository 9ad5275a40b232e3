"""The README's two drafts side by side are what the commands above them print today."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> tuple[list[list[str]], list[str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("Two drafts of the same template (`thank-you-first-contact`)")
    block = re.search(r"```sh\n(.*?)```", text[start:], re.DOTALL).group(1)
    commands = [shlex.split(line) for line in block.replace("\\\n", " ").splitlines()]
    row = re.search(r"^\|---\|---\|\n(\| .* \|)$", text[start:], re.MULTILINE).group(1)
    cells = [cell.strip().replace("<br>", "\n") for cell in row.strip("|").split(" | ")]
    return commands, cells


def test_the_readme_drafts_are_what_the_commands_print(run):
    commands, cells = _section()
    env = dict(part.split("=", 1) for part in commands[0][1:])
    assert set(env) == {"FOLLOWUP_NOW", "FOLLOWUP_TZ"}
    printed = []
    for argv in commands[1:]:
        assert argv[0] == "followup", argv
        result = run(*argv[1:], env=env)
        assert result.exit_code == 0, result.output
        if argv[1] == "draft":
            printed.append(result.stdout.strip())
    assert len(printed) == 2
    assert printed == [cell.strip() for cell in cells]
