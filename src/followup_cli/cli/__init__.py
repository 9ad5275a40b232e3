"""The command line: Typer commands that parse arguments, call one domain function and hand
the result to ``views``. Nothing is decided here. May import every other folder.
"""
