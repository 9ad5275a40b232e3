"""`followup config path|show|get|set|edit`: the user's config.toml."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

from typing import Annotated

import typer

from followup_cli.cli.app import JsonOption, app

config_app = typer.Typer(
    help="Your settings in config.toml (in FOLLOWUP_CONFIG_DIR, or ~/.config/followup on "
    "Linux and ~/Library/Application Support/followup on macOS).",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")

KeyArg = Annotated[str, typer.Argument(help="A setting, e.g. today.limit or me.addresses.")]


@config_app.command("path")
def config_path() -> None:
    """Print where config.toml is (it may not exist yet).

    Example: followup config path
    """
    from followup_cli.core.settings import config_file

    typer.echo(str(config_file()))


@config_app.command("show")
def config_show(json: JsonOption = False) -> None:
    """Every setting with the value in force: the file's, or the default.

    Example: followup config show --json
    """
    from followup_cli.core import config_file as domain
    from followup_cli.core.settings import settings

    data = domain.effective(settings())
    if json:
        from followup_cli.views.json_output import print_json

        print_json(data)
        return
    typer.echo(f"# {settings().path}")
    accounts = data["mail"].pop("accounts")
    for key, value in data.items():
        if not isinstance(value, dict):
            typer.echo(f"{key} = {_text(value)}")
    for key, value in data.items():
        if isinstance(value, dict):
            typer.echo(f"\n[{key}]")
            for inner, item in value.items():
                typer.echo(f"{inner} = {_text(item)}")
    for account in accounts:
        typer.echo("\n[[mail.accounts]]")
        for inner, item in account.items():
            if item is not None:
                typer.echo(f"{inner} = {_text(item)}")


def _text(value: object) -> str:
    from followup_cli.core.config_file import toml_text

    return "# not set" if value is None else toml_text(value)


@config_app.command("get")
def config_get(key: KeyArg) -> None:
    """Print one setting's value (a table or list as JSON).

    Example: followup config get today.limit
    """
    from followup_cli.core import config_file as domain
    from followup_cli.core.settings import settings

    value = domain.get(settings(), key)
    if isinstance(value, dict | list):
        import json

        typer.echo(json.dumps(value, ensure_ascii=False))
    else:
        from followup_cli.core.config_file import toml_text

        typer.echo("" if value is None else value if isinstance(value, str) else toml_text(value))


@config_app.command("set")
def config_set(
    key: KeyArg,
    value: Annotated[str, typer.Argument(help='A TOML value (20, true, ["a", "b"]) or text.')],
) -> None:
    """Write one setting into config.toml (checked first: a bad value changes nothing).

    Example: followup config set today.limit 20
    """
    from followup_cli.core import config_file as domain
    from followup_cli.core.settings import config_file
    from followup_cli.views.console import theme

    path = config_file()
    stored = domain.set_value(path, key, value, check=theme)
    typer.echo(f"{key} = {domain.toml_text(stored)}  ({path})")


@config_app.command("edit")
def config_edit() -> None:
    """Open config.toml in $VISUAL or $EDITOR (vi or nano otherwise), then check it.

    Example: EDITOR=nano followup config edit
    """
    import subprocess

    from followup_cli.core import config_file as domain
    from followup_cli.core.errors import InvalidConfig
    from followup_cli.core.settings import config_file, settings

    path = config_file()
    command = domain.editor_command()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(domain.STARTER, encoding="utf-8")
    try:
        subprocess.run([*command, str(path)], check=False)
    except OSError as error:
        raise InvalidConfig(f"Could not start the editor {command[0]!r} ({error}).") from None
    settings()  # a mistake is reported now, with its line, rather than at the next command
    typer.echo(f"{path} is valid.")
