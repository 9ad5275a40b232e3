"""The edge of the program: what arrives (the arguments) and where answers go (the console).

Kept free of Rich and Typer imports: every command passes through here.
"""

from __future__ import annotations

import contextlib
import errno
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


def fresh_schedules(conn: Any, user_tz: Any) -> None:
    """Before a command reads the schedules: recompute them if a cadence file changed since
    (rare, and the only reason a read-only command loads the scheduler), and say which
    cadence files do not load."""
    from followup_cli import store
    from followup_cli.core import library

    current = library.fingerprint(library.cadence_files())
    stale = store.get_meta(conn, library.FINGERPRINT_KEY) != current
    if (stale or store.get_meta(conn, library.BROKEN_KEY) is None) and not store.is_readonly(conn):
        from followup_cli.scheduling import enrollment

        enrollment.refresh_if_cadences_changed(conn, user_tz)
    warn_broken_cadences(conn)


def warn_broken_cadences(conn: Any) -> None:
    """Each cadence file that does not load, and how many people it holds, on standard
    error: they keep their last plan (or wait in today's "needs attention") until it loads."""
    from followup_cli import store
    from followup_cli.core.library import BROKEN_KEY

    broken = store.get_meta(conn, BROKEN_KEY)
    if not broken:
        return
    from followup_cli.store import enrollments

    people = enrollments.cadences_in_use(conn)
    for name, why in sorted(broken.items()):
        if people.get(name):
            count = f"{people[name]} prospect{'s' if people[name] != 1 else ''}"
            warn(
                f"Warning: cadence {name} does not load: its {count} keep their last plan "
                f"(or wait under 'needs attention' in followup today) until it does. {why}"
            )


def warn(message: str) -> None:
    """One line on standard error."""
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stderr.write(" ".join(message.split()) + "\n")
        sys.stderr.flush()


def usage_line(error: Any) -> str:
    """A Click usage error as one line that says where the help is."""
    message = error.format_message()
    ctx = getattr(error, "ctx", None)
    if ctx is not None and getattr(error, "exit_code", 1) == 2:
        command = " ".join(["followup", *ctx.command_path.split()[1:]])
        return f"{message} (see: {command} --help)"
    return message


def pipe_closed() -> int:
    """The reader went away (``followup list | head -1``): stop quietly, successfully.
    Standard output (and standard error, when it is the same pipe) now point at /dev/null, so
    nothing left in a buffer fails again when Python flushes it at shutdown."""
    try:
        gone = os.fstat(sys.__stdout__.fileno())
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.__stderr__, sys.__stdout__):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                if stream is sys.__stdout__ or _same_file(os.fstat(stream.fileno()), gone):
                    os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests)
        pass
    return 0


def _same_file(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def ended_by_closed_pipe(error: BaseException) -> bool:
    """Whether ``error`` is how a closed pipe surfaced: a BrokenPipeError, or the
    ``SystemExit(1)`` that Rich (``Console.on_broken_pipe``) and Click (its EPIPE handler,
    which also wraps the streams in ``PacifyFlushWrapper``) raise while handling one."""
    if isinstance(error, BrokenPipeError):
        return True
    cause = error.__context__
    return (
        isinstance(error, SystemExit)
        and isinstance(cause, OSError)
        and (cause.errno == errno.EPIPE)
    )


def flush_output() -> None:
    """Flush standard output while we can still tell why it fails (Python's note on
    SIGPIPE: a flush at interpreter shutdown would print 'Exception ignored ... Broken
    pipe' and exit 120)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pipe_closed()
    except (OSError, ValueError):  # closed or detached: nothing of ours is waiting
        pass


def finish(run: Any) -> Any:
    """What ``run()`` returns, where a reader that closed the pipe early is a quiet 0,
    whichever library met it first. The Typer app and the daily commands' hot path
    (cli/hotpath.py) both end here."""
    try:
        code = run()
    except (BrokenPipeError, SystemExit) as error:
        if not ended_by_closed_pipe(error):
            raise
        return pipe_closed()
    flush_output()
    return code


def run_main(main: Any, args: Any, pos: tuple, standalone_mode: bool, extra: dict) -> Any:
    """The Typer group's ``main``: usage mistakes as one line (not Typer's panel), arguments
    that are not text, consoles that cannot show every character, and a reader that closed
    the pipe."""
    usage_errors, aborts = click_errors()
    words = list(sys.argv[1:] if args is None else args)
    tolerant_streams()
    try:
        check_arguments(words)
        code = finish(lambda: main(words, *pos, standalone_mode=False, **extra))
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
    if not standalone_mode:
        return code
    sys.exit(code if isinstance(code, int) else 0)


def fresh_start_order(commands: dict[str, Any], root: str, modules: dict[str, Any]) -> list[str]:
    """The root's command names in the order a fresh start registers them (commands, then
    groups, as Typer lists them; in each, ``root``'s own, then each of ``modules``'),
    whichever order the modules were imported in: the hot path imports its one first."""
    order = [root, *(f"followup_cli.cli.{name}" for name in modules)]

    def place(name: str) -> tuple[bool, int]:
        command = commands[name]
        group = hasattr(command, "list_commands")
        module = getattr(command.callback, "__module__", None)
        if module not in order:  # a group made by add_typer: the module that names it
            owner = [m for m, names in modules.items() if name in names]
            module = f"followup_cli.cli.{owner[0]}" if owner else None
        return group, order.index(module) if module in order else len(order)

    return sorted(commands, key=place)  # stable: registration order within a module
