"""The two Rich consoles every view prints to: standard output and standard error.

Views name what a piece of text is (``"overdue"``, ``"template"``, ``"muted"``) rather than
its colour; the theme maps each element to a Rich style, and ``[colors]`` in config.toml
changes any of them. A style Rich cannot read is an error naming the file and line in
`config set`/`config edit`, and a warning (default colours) anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.theme import Theme

from followup_cli.core.settings import COLOR_ELEMENTS, Settings, settings


def theme(chosen: Settings | None = None) -> Theme:
    """The elements' styles: the defaults, with config.toml's ``[colors]`` over them."""
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    styles = {key: value or "none" for key, value in COLOR_ELEMENTS.items()}
    chosen = chosen or settings()
    for key, value in chosen.colors.items():
        try:
            Style.parse(value or "none")
        except StyleSyntaxError:
            raise chosen.error(
                ("colors", key),
                f'colors.{key} = {value!r} is not a Rich style: use e.g. "bold red", '
                '"#ff8800", "cyan on black" or "".',
            ) from None
        styles[key] = value or "none"
    return Theme(styles)


def _startup_theme() -> tuple[Theme, str | None]:
    """The theme, or the defaults and why: a bad colour must not stop a command (nor the
    red line that reports another error); `config set` and `config edit` refuse one."""
    from followup_cli.core.errors import InvalidConfig
    from followup_cli.core.settings import config_file

    try:
        chosen = settings()
    except InvalidConfig:  # the command that reads the file says what is wrong, once
        return theme(Settings(path=config_file())), None
    try:
        return theme(chosen), None
    except InvalidConfig as error:
        return theme(Settings(path=chosen.path)), str(error)


_theme, _problem = _startup_theme()
out = Console(highlight=False, soft_wrap=False, theme=_theme)
err = Console(stderr=True, highlight=False, theme=_theme)
if _problem:
    err.print(f"Warning: {_problem} (using the default colours)", style="warning", markup=False)


def plain_when_piped(draw: Callable[[], None]) -> None:
    """Run ``draw``. At a terminal it prints as it always does; into a pipe no line is
    wrapped at 80 columns (a table row stays one line, its trailing blanks cut), so
    `followup stats | grep Email` finds the row and its figures."""
    if out.is_terminal:
        draw()
        return
    width = out.width
    out.width = 10_000
    try:
        with out.capture() as captured:
            draw()
    finally:
        out.width = width
    import sys

    lines = captured.get().splitlines()
    sys.stdout.write("".join(line.rstrip() + "\n" for line in lines))
