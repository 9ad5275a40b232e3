"""The errors a user can cause, each with a message that says how to fix it.

Domain code raises these; exactly one place (``cli.main``) turns them into a red
line on stderr and an exit status.
"""

from __future__ import annotations


class FollowupError(Exception):
    """Something the user can fix. ``str(error)`` is the one-line message."""

    exit_code = 1


class UsageError(FollowupError):
    """The command line itself is incomplete (a missing option with no terminal to ask)."""

    exit_code = 2


class ProspectNotFound(FollowupError):
    pass


class AmbiguousProspect(FollowupError):
    pass


class InvalidDate(FollowupError):
    pass


class InvalidTimezone(FollowupError):
    pass


class InvalidValue(FollowupError):
    """A channel, outcome, stage or other enumerated value that is not one we know."""


class InvalidCadence(FollowupError):
    """A cadence file that does not load; the message names the file, line and field."""


class CadenceNotFound(FollowupError):
    pass


class DatabaseError(FollowupError):
    """The database file cannot be opened, or is not a followup database."""


class NothingToUndo(FollowupError):
    pass


class InvalidConfig(FollowupError):
    """config.toml does not load; the message names the file and the line."""
