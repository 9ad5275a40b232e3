"""The daily commands (`today`, `show`, `log`, `draft`) without importing Typer or Click.

Importing Typer costs more than the work of `followup today` itself. So, for those commands
only, the command modules are imported against a recorder that stands in for Typer's
declaration API (``typer.Typer``, ``Option``, ``Argument``, ``Context``, ``Exit``, ``echo``):
each command's options are read from its one Typer definition, the command line is parsed
with Click's rules for them, and the real command function runs, inside the same error
boundary as the Typer app (``app.guarded``).

Anything the recorder is not sure to parse exactly as Click would — ``--help``, an unknown
or misspelt option, a missing or bad value, shell completion, a declaration it does not
know — is not handled here: nothing has run yet, so the recorder's modules are dropped and
the real Typer app starts and answers as always. A function Typer would offer at run time
(``typer.prompt``, ``typer.confirm``) is taken from the real Typer on first use.
tests/cli/test_hotpath.py checks the recorder against Click's own reading of each command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, get_args, get_origin

HOT_COMMANDS = ("today", "show", "log", "draft", "work")
_CLI = "followup_cli.cli"


class NotHot(Exception):
    """This command line is for the real Typer app."""


# --- the recorder: what the command modules declare, kept, nothing else ---------------------


class _Param:
    kind = ""

    def __init__(self, *decls: Any, **options: Any) -> None:
        self.decls = tuple(d for d in decls if isinstance(d, str))
        self.options = options
        if any(not isinstance(d, str) for d in decls if d is not ...):
            self.options["unsupported"] = True


class _Option(_Param):
    kind = "option"


class _Argument(_Param):
    kind = "argument"


class _Exit(Exception):
    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code


class _Typer:
    def __init__(self, **options: Any) -> None:
        self.commands: dict[str, Any] = {}
        self.root: Any = None

    def command(self, name: str | None = None, **options: Any) -> Any:
        def register(function: Any) -> Any:
            self.commands[name or function.__name__.replace("_", "-")] = function
            return function

        return register

    def callback(self, **options: Any) -> Any:
        def register(function: Any) -> Any:
            self.root = function
            return function

        return register

    def add_typer(self, *args: Any, **kwargs: Any) -> None:
        pass


def _echo(message: Any = None, file: Any = None, nl: bool = True, err: bool = False, **_: Any):
    stream = file or (sys.stderr if err else sys.stdout)
    stream.write(("" if message is None else str(message)) + ("\n" if nl else ""))
    stream.flush()


class _Recorder(ModuleType):
    """``typer`` as the command modules see it on the hot path."""

    importing = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self.importing:  # a declaration the recorder does not know: Typer's job
            raise NotHot(f"typer.{name}")
        return getattr(_real_typer(), name)


def _recorder() -> _Recorder:
    typer = _Recorder("typer")
    core = ModuleType("typer.core")
    core.TyperGroup = type("TyperGroup", (), {})  # type: ignore[attr-defined]
    names = {"Typer": _Typer, "Option": _Option, "Argument": _Argument, "Exit": _Exit}
    names.update(Context=type("Context", (), {}), echo=_echo, core=core)
    for name, value in names.items():
        setattr(typer, name, value)
    return typer


def _real_typer() -> Any:
    recorder = sys.modules.pop("typer")
    core = sys.modules.pop("typer.core")
    try:
        import typer
    except BaseException:
        sys.modules.update({"typer": recorder, "typer.core": core})
        raise
    return typer


# --- parsing, with Click's rules for the kinds of parameter the daily commands use ---------


class _Spec:
    """One parameter of a command function, as Typer would make it."""

    def __init__(self, name: str, annotation: Any) -> None:
        base, info = _split(annotation)
        if info is None or info.options.get("unsupported"):
            raise NotHot(name)
        known = {"help", "show_default", "min", "max", "rich_help_panel", "metavar"}
        known |= {"autocompletion", "shell_complete"}  # completion: only Typer asks for it
        acting = {"callback", "is_eager"}  # e.g. --version: acts only when given
        if set(info.options) - known - acting:
            raise NotHot(name)  # envvar, prompts, ...: Typer reads them even when not given
        self.usable = not (set(info.options) & acting)
        self.name, self.kind = name, info.kind
        self.min, self.max = info.options.get("min"), info.options.get("max")
        self.multiple = get_origin(base) is list  # --var a --var b: Typer's list, or None
        if self.multiple:
            if info.kind == "argument" or "/" in "".join(info.decls):
                raise NotHot(name)
            (base,) = get_args(base)
        self.type = base
        if base not in (str, int, float, bool, Path) or (self.multiple and base is bool):
            raise NotHot(name)
        self.flag = base is bool
        self.off: tuple[str, ...] = ()
        if info.kind == "argument":
            self.opts: tuple[str, ...] = ()
            if self.flag:
                raise NotHot(name)
            return
        decls = info.decls or (f"--{name.replace('_', '-')}",)
        if any("/" in d for d in decls) or (self.flag and not info.decls):
            if info.decls:
                raise NotHot(name)
            self.off = (f"--no-{name.replace('_', '-')}",)
        self.opts = decls

    def convert(self, text: str) -> Any:
        if self.type in (int, float):
            try:
                value = self.type(text)
            except ValueError:
                raise NotHot(self.name) from None
            if (self.min is not None and value < self.min) or (
                self.max is not None and value > self.max
            ):
                raise NotHot(self.name)
            return value
        return Path(text) if self.type is Path else text


def _split(annotation: Any) -> tuple[Any, _Param | None]:
    args = get_args(annotation)
    if not args or not isinstance(args[-1], _Param):
        return annotation, None
    base, info = args[0], args[-1]
    options = [a for a in get_args(base) if a is not type(None)]
    if get_origin(base) not in (None, list) and len(options) == 1:  # X | None
        base = options[0]
    if get_origin(base) is list and len(get_args(base)) == 1:
        return base, info  # a repeatable option
    if get_args(base):
        return object, info  # other unions and generics: not parsed here
    return base, info


def specs(function: Any) -> list[_Spec]:
    """The parameters of a Typer command function, but its ``ctx``."""
    code = function.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    annotations = function.__annotations__
    found = []
    for name in names:
        annotation = annotations.get(name)
        if annotation is not None and getattr(annotation, "__name__", "") == "Context":
            continue
        found.append(_Spec(name, annotation))
    return found


def parse(params: list[_Spec], words: list[str], *, stop_at_word: bool) -> tuple[dict, list]:
    """(values by parameter name, the words left) for ``words`` read as Click reads them.
    With ``stop_at_word`` (the root), the first plain word ends the reading."""
    options = {opt: p for p in params for opt in (*p.opts, *p.off)}
    arguments = [p for p in params if p.kind == "argument"]
    values: dict[str, Any] = {}
    plain: list[str] = []
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word == "--":
            if stop_at_word:
                raise NotHot(word)
            plain += rest
            break
        if word.startswith("-") and word != "-":
            if word.startswith("--"):
                name, equals, attached = word.partition("=")
            else:  # -c email, or -cemail
                name, equals, attached = word[:2], "", word[2:]
                if attached.startswith("="):
                    raise NotHot(word)
            param = options.get(name)
            if param is None or not param.usable:
                raise NotHot(word)  # --help, a typo, an option of another command, --version
            if param.flag:
                if equals or attached:
                    raise NotHot(word)
                values[param.name] = name not in param.off
                continue
            if equals or attached:
                value = attached
            elif rest and not (rest[0].startswith("-") and rest[0] != "-"):
                value = rest.pop(0)
            else:
                raise NotHot(word)  # no value, or one that looks like an option: Click decides
            if param.multiple:
                values.setdefault(param.name, []).append(param.convert(value))
            else:
                values[param.name] = param.convert(value)
            continue
        if stop_at_word:
            return values, [word, *rest]
        plain.append(word)
    if stop_at_word:
        return values, []
    if len(plain) > len(arguments):
        raise NotHot("extra arguments")
    for param, word in zip(arguments, plain, strict=False):
        values[param.name] = param.convert(word)
    if len(plain) < len(arguments):
        raise NotHot("missing argument")
    return values, []


# --- running ---------------------------------------------------------------------------------


class _Context:
    """What the commands ask of Click's context: the root's object, and closing."""

    def __init__(self, parent: _Context | None = None) -> None:
        self.parent, self.obj, self.closing = parent, None, []

    def find_root(self) -> _Context:
        return self.parent.find_root() if self.parent else self

    def call_on_close(self, function: Any) -> Any:
        self.closing.append(function)
        return function

    def close(self) -> None:
        for function in reversed(self.closing):
            function()


def run(argv: list[str]) -> bool:
    """Run ``argv`` here if it is a daily command; False (having run nothing) if not."""
    if any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ):
        return False
    from followup_cli.cli import boundary

    try:
        boundary.check_arguments(argv)
    except Exception:  # not UTF-8: the Typer app says so, in its one line
        return False
    boundary.tolerant_streams()
    saved = {name: sys.modules.get(name) for name in ("typer", "typer.core")}
    typer = _recorder()
    sys.modules.update({"typer": typer, "typer.core": typer.core})
    try:
        call = _prepare(argv)
    except NotHot:
        call = None
    except Exception:  # a module that does not import against the recorder
        call = None
    if call is None:
        _forget(saved)
        return False
    typer.importing = False
    _invoke(call)
    return True


def _prepare(argv: list[str]) -> Any:
    from followup_cli.cli import app as cli
    from followup_cli.core.errors import FollowupError

    try:
        argv = cli.expand_argv(argv)
    except FollowupError:
        raise NotHot("config") from None
    name = cli._command_name(argv)
    if name not in HOT_COMMANDS:
        raise NotHot(str(name))
    cli.load_commands(argv)
    recorded: _Typer = cli.app
    if not isinstance(recorded, _Typer) or name not in recorded.commands:
        raise NotHot(name)
    root_values, rest = parse(specs(recorded.root), argv, stop_at_word=True)
    function = recorded.commands[name]
    values, _ = parse(specs(function), rest[1:], stop_at_word=False)

    def call() -> None:
        root = _Context()
        context = _Context(root)
        try:
            cli.guarded(lambda: recorded.root(root, **root_values), root)
            cli.guarded(lambda: function(context, **values), root)
        finally:
            context.close()
            root.close()

    return call


def _invoke(call: Any) -> None:
    """Click's standalone ending: an exit code, "Aborted!"; a reader that closed the pipe
    ends quietly with 0, as in the Typer app (``boundary.finish``)."""
    from followup_cli.cli import boundary

    try:
        boundary.finish(call)
    except _Exit as done:
        sys.exit(done.exit_code)
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)
    except Exception as error:
        real = type(error).__module__.startswith("typer")
        if real and hasattr(error, "exit_code"):  # the real Typer's Exit / Abort
            if type(error).__name__ == "Abort":
                sys.stderr.write("Aborted!\n")
            sys.exit(error.exit_code)
        raise


def _forget(saved: dict[str, ModuleType | None]) -> None:
    """Drop every module imported against the recorder, so the real Typer app starts clean."""
    for name in [n for n in sys.modules if n == _CLI or n.startswith(_CLI + ".")]:
        del sys.modules[name]
    for name, module in saved.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module
