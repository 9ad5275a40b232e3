"""The `followup` entry point: answers `--version` before loading the command line, and
runs the daily commands without Typer (cli/hotpath.py) when it can."""

import os
import sys


def main() -> None:
    if "_FOLLOWUP_COMPLETE" in os.environ:  # a Tab press: values answer before Typer loads
        from followup_cli.cli.completion import complete

        if complete():
            return
    if sys.argv[1:] == ["--version"]:  # scripts call this often; skip importing Typer
        from followup_cli import __version__

        print(f"followup {__version__}")
        return
    from followup_cli.cli import hotpath

    if hotpath.run(sys.argv[1:]):
        return
    from followup_cli.cli.app import main as run

    run()
