"""Shell completion of values (prospects, cadences, templates, channels, outcomes, stages,
tags), answered before Typer loads: a Tab press must feel instant, and Typer alone takes
longer than that to import. Anything else (option names, subcommands) goes to Typer's own
completion, which the shell scripts from ``--install-completion`` call the same way.

Speaks the protocol of Typer's bash, zsh and fish scripts: the words come in
``COMP_WORDS``/``COMP_CWORD`` (bash) or ``_TYPER_COMPLETE_ARGS`` (zsh, fish).
"""

from __future__ import annotations

import os
import shlex
import sys

LIMIT = 50
# Options that take no value; every other option takes one (so it is skipped with it).
FLAGS = {
    "--json", "--yes", "-y", "--all", "--score", "--edit", "--log", "--mailto", "--dry-run",
    "--touches", "--no-cadence", "--do-not-contact", "--contact-ok", "--quiet", "-q",
    "--help", "-h", "--skip-bad", "--list", "--version",
}  # fmt: skip
# The commands whose first positional argument is a prospect.
PROSPECT_FIRST = {
    "log", "show", "edit", "rm", "draft", "enroll", "stop", "pause", "snooze", "resume",
    "forget",
}  # fmt: skip


def words(shell: str) -> tuple[list[str], str]:
    """The words typed after `followup`, and the one being completed."""
    if shell == "bash":
        typed = _split(os.environ.get("COMP_WORDS", ""))
        at = int(os.environ.get("COMP_CWORD", "0") or 0)
        return typed[1:at], typed[at] if at < len(typed) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    typed = _split(line)[1:]
    if typed and not line.endswith(" "):
        return typed[:-1], typed[-1]
    return typed, ""


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:  # an open quote: the word being typed
        try:
            return shlex.split(line + '"')
        except ValueError:
            return line.split()


def what(args: list[str]) -> str | None:
    """What the word being typed is: "prospect", "cadence", "channel", ... or None."""
    if args and args[-1].startswith("-") and "=" not in args[-1] and args[-1] not in FLAGS:
        return OPTION_VALUES.get(args[-1], "")
    positional = []
    skip = False
    for word in args:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = "=" not in word and word not in FLAGS
        else:
            positional.append(word)
    if not positional:
        return None  # a command name: Typer knows them
    command, rest = positional[0], positional[1:]
    if command in PROSPECT_FIRST and not rest:
        return "prospect"
    if command == "enroll" and len(rest) == 1:
        return "cadence"
    if command in ("cadences", "templates") and rest[:1] == ["show"] and len(rest) == 1:
        return command[:-1]
    return None


OPTION_VALUES = {
    "--channel": "channel",
    "-c": "channel",
    "--outcome": "outcome",
    "-o": "outcome",
    "--stage": "stage",
    "--tag": "tag",
    "--untag": "tag",
    "--cadence": "cadence",
    "--template": "template",
    "-t": "template",
    "--direction": "direction",
    "--priority": "priority",
    "--relationship": "relationship",
    "--format": "format",
}


def candidates(kind: str, typed: str) -> list[tuple[str, str]]:
    """(value, help) pairs for ``kind`` that start with ``typed``."""
    from followup_cli.core import vocab

    fixed = {
        "channel": vocab.CHANNELS,
        "outcome": vocab.OUTCOMES,
        "stage": vocab.STAGES,
        "direction": vocab.DIRECTIONS,
        "priority": tuple(vocab.PRIORITIES),
        "relationship": vocab.RELATIONSHIPS,
        "format": ("table", "plain", "json", "csv", "tsv"),
    }
    if kind in fixed:
        return [(value, "") for value in fixed[kind] if value.startswith(typed.lower())]
    if kind in ("cadence", "template"):
        from followup_cli.core import library

        found = library.cadence_files() if kind == "cadence" else library.template_files()
        return [(name, "") for name in sorted(found) if name.startswith(typed)]
    return _from_database(kind, typed)


def _from_database(kind: str, typed: str) -> list[tuple[str, str]]:
    from followup_cli.core.config import default_db_path
    from followup_cli.store import completion as rows

    path = _db_path() or default_db_path()
    conn = rows.open_read_only(path)
    if conn is None:
        return []
    try:
        if kind == "tag":
            return [(tag, "") for tag in rows.tags(conn, typed.lower(), LIMIT)]
        if typed.isdigit():
            found = rows.prospects_by_id(conn, typed, LIMIT)
            return [(str(pid), _label(name, company)) for pid, name, company in found]
        if "@" in typed:
            found = rows.prospects_by_email(conn, typed, LIMIT)
            return [(email, _label(name, company)) for email, name, company in found]
        found = sorted(rows.prospects_named(conn, typed, LIMIT), key=lambda row: row[1].lower())
        return [(name, _label(f"#{pid}", company)) for pid, name, company in found]
    finally:
        conn.close()


def _label(first: str, company: str | None) -> str:
    return f"{first} · {company}" if company else first


def _db_path():
    """``--db PATH`` typed before the command, if any."""
    from pathlib import Path

    chosen = shell()
    args, _ = words(chosen) if chosen else ([], "")
    for index, word in enumerate(args):
        if word == "--db" and index + 1 < len(args):
            return Path(args[index + 1]).expanduser()
        if word.startswith("--db="):
            return Path(word[5:]).expanduser()
    return None


def shell() -> str | None:
    """bash, zsh or fish, from ``_FOLLOWUP_COMPLETE``; None for another shell."""
    value = os.environ.get("_FOLLOWUP_COMPLETE", "")
    shell = value.removeprefix("complete_")
    return shell if shell in ("bash", "zsh", "fish") else None


def answer(shell: str, found: list[tuple[str, str]]) -> str:
    """The lines the shell's script expects (Typer's formats)."""
    if shell == "bash":
        return "\n".join(value.replace(" ", "\\ ") for value, _ in found)
    if shell == "fish":
        return "\n".join(f"{value}\t{help}" if help else value for value, help in found)

    def escape(text: str) -> str:
        return (
            text.replace('"', '""')
            .replace("'", "''")
            .replace("$", "\\$")
            .replace("`", "\\`")
            .replace(":", r"\\:")
        )

    items = [
        f'"{escape(value)}":"{escape(help)}"' if help else f'"{escape(value)}"'
        for value, help in found
    ]
    return f"_arguments '*: :(({chr(10).join(items)}))'" if items else "_files"


def complete() -> bool:
    """Answer a completion request for a value; False when Typer should answer instead."""
    chosen = shell()
    if chosen is None:
        return False
    args, typed = words(chosen)
    if typed.startswith("-"):
        return False
    kind = what(args)
    if not kind:
        return False
    import sqlite3

    from followup_cli.core.errors import FollowupError

    try:
        found = candidates(kind, typed)
    except (FollowupError, OSError, sqlite3.Error):  # a Tab press never prints a traceback
        found = []
    if chosen == "fish" and os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        sys.exit(0 if found else 1)
    sys.stdout.write(answer(chosen, found) + ("\n" if found else ""))
    return True
