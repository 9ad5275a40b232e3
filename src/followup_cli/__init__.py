"""followup: a terminal follow-up tracker for people who sell."""

__version__ = "0.1.0"
