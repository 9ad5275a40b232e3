"""What the user sees: Rich tables, plain text for pipes, JSON, and the HTML report.

Turns the domain's result objects into output. May import the domain areas, ``store``'s
time helpers and ``core``; never ``cli``.
"""
