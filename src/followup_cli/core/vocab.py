"""The words of the trade: channels, outcomes, stages, and what each outcome does.

One place for every enumerated value, so that the CLI, the cadence loader and the
scheduler agree (and error messages can list the valid choices).
"""

from __future__ import annotations

from followup_cli.core.errors import InvalidValue

# `today` batches touches by channel in this order: all calls together, then emails, ...
CHANNELS = ("call", "email", "linkedin", "video", "text", "mail", "meeting")

OUTCOMES = (
    "sent",
    "no_answer",
    "voicemail",
    "replied",
    "meeting",
    "not_now",
    "won",
    "lost",
    "opted_out",
    "bounced",
    "out_of_office",
)
# Outcomes that mean the prospect answered: they count as engagement (no cold cap).
ANSWERED = frozenset({"replied", "meeting", "not_now", "won", "lost", "opted_out"})
# Outcomes where our message did not reach the person: the step is tried again.
NOT_DELIVERED = frozenset({"bounced", "out_of_office"})
DEFAULT_STOP_ON = ("replied", "meeting", "won", "lost", "opted_out")
DEFAULT_ON_OUTCOME = {
    "won": "customer-onboarding",
    "lost": "lost-deal",
    "not_now": "long-term-nurture",
}
# Where an outcome moves the prospect in the pipeline (None: it stays).
STAGE_AFTER = {
    "won": "customer",
    "lost": "lost",
    "not_now": "nurture",
}

STAGES = ("cold", "interest", "active", "proposal", "customer", "lost", "nurture")
# Stages where a deal is in play: one without a next step is a warning in `today`.
ACTIVE_STAGES = ("interest", "active", "proposal")
STAGE_WEIGHT = {
    "proposal": 3.0,
    "active": 2.5,
    "interest": 1.5,
    "customer": 1.5,
    "cold": 1.0,
    "nurture": 0.5,
    "lost": 0.5,
}
STAGE_DEFAULT_CADENCE = {
    "cold": "stage-cold",
    "interest": "stage-interest",
    "active": "stage-active",
    "proposal": "stage-proposal",
    "customer": "stage-customer",
    "lost": "stage-lost",
    "nurture": "long-term-nurture",
}

PRIORITIES = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
PRIORITY_NAMES = {number: name for name, number in PRIORITIES.items()}
RELATIONSHIPS = ("transaction", "repeat", "loyal", "advocate")
DIRECTIONS = ("out", "in")


def choose(value: str, choices: tuple[str, ...] | dict[str, int], what: str) -> str:
    """``value`` normalised, if it is one of ``choices``; else an error listing them."""
    normal = value.strip().lower().replace("-", "_") if what == "outcome" else value.strip().lower()
    if normal in choices:
        return normal
    valid = ", ".join(choices)
    raise InvalidValue(f"Unknown {what} {value!r}: use one of {valid}.")


# The names every draft provides; custom fields are the other top-level names of a template.
CONTEXT_NAMES = (
    "prospect",
    "me",
    "last_touch",
    "step",
    "cadence",
    "value",
    "slots",
    "slots_text",
    "since_last_conversation",
    "touch_count",
    "variant",
    "record",
)
# Words a template cannot use as a variable: Jinja's own keywords and globals.
TEMPLATE_WORDS = frozenset(
    {
        "and",
        "or",
        "not",
        "in",
        "is",
        "if",
        "else",
        "elif",
        "endif",
        "for",
        "endfor",
        "true",
        "false",
        "none",
        "loop",
        "self",
        "caller",
        "varargs",
        "kwargs",
        "range",
        "lipsum",
        "dict",
        "cycler",
        "joiner",
        "namespace",
        "block",
        "extends",
        "include",
        "import",
        "from",
        "macro",
        "call",
        "filter",
        "set",
        "with",
        "without",
        "recursive",
        "as",
    }
)
