"""`followup log PROSPECT` at a terminal, without --channel or --outcome: the questions.

The prospect is resolved before anything is asked (a name that matches nobody fails at
once), the due step's channel is the default Enter accepts, a wrong answer is asked
again, and a note is offered last. Imported only when a question is to be asked, so the
daily `log` with its options stays as light as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from followup_cli.core.errors import UsageError
from followup_cli.core.vocab import CHANNELS, OUTCOMES


def at_a_terminal(interactive: bool, channel: str | None) -> None:
    """Only a person at a terminal is asked; a script gets a usage error (exit 2)."""
    if not interactive:
        what, choices = ("channel", CHANNELS) if channel is None else ("outcome", OUTCOMES)
        raise UsageError(f"Missing --{what}: give one of {', '.join(choices)}.")


def _read(question: str) -> str:
    import typer

    return typer.prompt(question, default="", show_default=False)


def _say(line: str) -> None:
    import typer

    typer.echo(line)


def touch(
    person: Any,
    channel: str | None,
    outcome: str | None,
    note: str | None,
    *,
    read: Callable[[str], str] = _read,
    say: Callable[[str], None] = _say,
) -> tuple[str, str, str | None]:
    """(channel, outcome, note), asking for what the command line left out."""
    due = f", due {person.next_channel}" if person.next_channel else ""
    say(f"Logging a touch with {person.name}{due}.")
    if channel is None:
        channel = menu("Channel", CHANNELS, person.next_channel, read=read, say=say)
    if outcome is None:
        outcome = menu("Outcome", OUTCOMES, None, read=read, say=say)
        if note is None:
            note = read("Note (Enter for none)").strip() or None
    return channel, outcome, note


def menu(
    what: str,
    choices: tuple[str, ...],
    default: str | None,
    *,
    read: Callable[[str], str] = _read,
    say: Callable[[str], None] = _say,
) -> str:
    """A numbered menu; Enter takes ``default``; asked again until the answer is one."""
    for number, choice in enumerate(choices, 1):
        mark = "  (Enter)" if choice == default else ""
        say(f"  {number}) {choice.replace('_', ' ')}{mark}")
    hint = f" [{default.replace('_', ' ')}]" if default in choices else ""
    while True:
        answer = read(f"{what} (number or name){hint}").strip()
        if not answer and default in choices:
            return default  # type: ignore[return-value]
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        folded = {_fold(choice): choice for choice in choices}
        if _fold(answer) in folded:  # "no answer", "No-Answer", "no_answer"
            return folded[_fold(answer)]
        said = f"{answer!r} is not one of them" if answer else "An answer is needed"
        say(f"  {said}: a number from 1 to {len(choices)}, or a name.")


def _fold(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())
