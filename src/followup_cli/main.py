"""The `followup` entry point: answers `--version` before loading the command line, and
runs the daily commands without Typer (cli/hotpath.py) when it can."""

import os
import sys


def _defer_inspect() -> None:
    """Import ``inspect`` when something first reads from it, not when ``dataclasses`` does.

    ``dataclasses`` uses it for one thing, a docstring for a class that has none, yet importing
    it (with ``ast``, ``dis`` and ``tokenize``) costs about a tenth of ``followup today``. Every
    dataclass on the daily commands' path has a docstring (tests/cli/test_hotpath.py checks
    that they leave ``inspect`` unloaded); Typer, Jinja or anything else that does use it gets
    the real module on its first use."""
    if "inspect" in sys.modules:
        return
    from types import ModuleType

    class Deferred(ModuleType):
        def __getattr__(self, name: str) -> object:
            if name == "__path__":  # the import system asks whether it is a package
                raise AttributeError(name)
            if sys.modules.get("inspect") is self:
                del sys.modules["inspect"]
            import inspect

            self.__dict__.update(vars(inspect))
            return getattr(inspect, name)

    sys.modules["inspect"] = Deferred("inspect")


def main() -> None:
    if "_FOLLOWUP_COMPLETE" in os.environ:  # a Tab press: values answer before Typer loads
        from followup_cli.cli.completion import complete

        if complete():
            return
    if sys.argv[1:] == ["--version"]:  # scripts call this often; skip importing Typer
        from followup_cli import __version__

        print(f"followup {__version__}")
        return
    _defer_inspect()
    from followup_cli.cli import hotpath

    if hotpath.run(sys.argv[1:]):
        return
    from followup_cli.cli.app import main as run

    run()
