"""The edge of the program: what arrives (the arguments) and where answers go (the console).

Kept free of Rich and Typer imports: every command passes through here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

from followup_cli.core.errors import FollowupError


def tolerant_streams() -> None:
    """A console that cannot show a character (cp1252, ascii) gets a '?' instead of a crash.
    JSON, CSV and calendars bypass this: they go out as UTF-8 bytes (see ``write_bytes``)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # detached or closed: leave it
                reconfigure(errors="replace")


def check_arguments(words: list[str]) -> None:
    """Refuse an argument that is not text (bytes that are not UTF-8) before any command
    runs: it could be neither stored nor printed."""
    for position, word in enumerate(words, 1):
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            shown = word.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise FollowupError(
                f"Argument {position} ({shown!r}) is not valid UTF-8 text: "
                "retype it, or set your terminal to UTF-8."
            ) from None


def click_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """Click's usage errors and aborts (Typer carries its own copy of Click)."""
    import typer

    try:
        from typer._click.exceptions import ClickException
    except ImportError:  # an older Typer built on Click itself
        from click import ClickException
    return (ClickException,), (typer.Abort,)


def say(message: str) -> None:
    """One line on standard error (no Rich: this runs for usage errors too)."""
    text = " ".join(f"Error: {message}".split())
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def usage_line(error: Any) -> str:
    """A Click usage error as one line that says where the help is."""
    message = error.format_message()
    ctx = getattr(error, "ctx", None)
    if ctx is not None and getattr(error, "exit_code", 1) == 2:
        command = " ".join(["followup", *ctx.command_path.split()[1:]])
        return f"{message} (see: {command} --help)"
    return message


def pipe_closed() -> int:
    """The reader went away (``followup list | head -1``): stop quietly, successfully."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests)
        pass
    return 0


def run_main(main: Any, args: Any, pos: tuple, standalone_mode: bool, extra: dict) -> Any:
    """The Typer group's ``main``: usage mistakes as one line (not Typer's panel), arguments
    that are not text, consoles that cannot show every character, and a reader that closed
    the pipe."""
    usage_errors, aborts = click_errors()
    words = list(sys.argv[1:] if args is None else args)
    tolerant_streams()
    try:
        check_arguments(words)
        code = main(words, *pos, standalone_mode=False, **extra)
    except FollowupError as error:  # raised before a command ran (the arguments)
        say(str(error))
        code = error.exit_code
    except usage_errors as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # bare group: show its help
            from typer import rich_utils

            rich_utils.rich_format_error(error)
        else:
            say(usage_line(error))
        code = error.exit_code  # type: ignore[attr-defined]
    except aborts:
        say("Stopped: nothing was changed.")
        code = 1
    except BrokenPipeError:
        code = pipe_closed()
    if not standalone_mode:
        return code
    sys.exit(code if isinstance(code, int) else 0)
