"""Writing the next message: templates and their checks, the context a draft is rendered
with, the message rules, the value bank and the sender profile. May import ``pipeline``,
``scheduling``, ``store`` and ``core``.
"""
