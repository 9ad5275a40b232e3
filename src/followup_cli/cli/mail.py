"""`followup mail`: touches logged from the user's own mail (Maildir, mbox, .eml,
read-only IMAP). Nothing is ever sent, and no mail leaves the machine."""

# No `from __future__ import annotations` here: Typer reads these annotations at run
# time, and string annotations cost ~14 ms per command to evaluate.

from pathlib import Path
from typing import Annotated

import typer

from followup_cli.cli.app import DbOption, JsonOption, app, session
from followup_cli.core.errors import InvalidValue

mail_app = typer.Typer(
    help="Log touches from your mailbox: sent mail, replies, out-of-office and bounces.",
    no_args_is_help=True,
)
app.add_typer(mail_app, name="mail")

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Say what would be logged; write nothing.")
]
ExplainOption = Annotated[
    bool, typer.Option("--explain", help="A line per message: what it is, and why (not) logged.")
]


@mail_app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Maildir folders, mbox files, .eml files or folders.")
    ],
    dry_run: DryRunOption = False,
    explain: ExplainOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Log the touches that the mail in these folders and files means.

    Example: followup mail import ~/Mail/work/INBOX ~/Mail/work/Sent
    """
    from followup_cli.mail import accounts, run

    s = session(ctx, db)
    result = run.import_paths(
        s.conn, paths, accounts.load(), now=s.now, user_tz=s.tz, dry_run=dry_run
    )
    _show([result], s.tz, explain, json)


@mail_app.command()
def sync(
    ctx: typer.Context,
    account: Annotated[
        str | None, typer.Option(help="Only this account (its name in config.toml).")
    ] = None,
    dry_run: DryRunOption = False,
    explain: ExplainOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Read what is new in every mail account of config.toml and log what it means.

    Example: followup mail sync --dry-run --explain
    """
    from followup_cli.mail import accounts, run

    s = session(ctx, db)
    settings = accounts.load()
    chosen = [a for a in settings.accounts if account in (None, a.name)]
    if not chosen:
        names = ", ".join(a.name for a in settings.accounts)
        raise InvalidValue(
            f"No mail account named {account!r}: use one of {names}."
            if account and names
            else "No mail accounts yet: add a [[mail.accounts]] table to config.toml "
            "(see the README, Mail)."
        )
    results = [
        run.sync_account(s.conn, a, settings, now=s.now, user_tz=s.tz, dry_run=dry_run)
        for a in chosen
    ]
    _show(results, s.tz, explain, json)


@mail_app.command()
def status(ctx: typer.Context, json: JsonOption = False, db: DbOption = None) -> None:
    """Per account: the last sync, messages read, touches logged.

    Example: followup mail status
    """
    from followup_cli.mail import run

    s = session(ctx, db)
    rows, bad = run.status(s.conn)
    if json:
        from followup_cli.views.json_output import print_json

        print_json(
            {
                "accounts": [
                    {
                        "account": r["account"],
                        "last_sync": r["last_sync"],
                        "syncs": r["syncs"],
                        "messages": r["seen"],
                        "touches": r["logged"],
                    }
                    for r in rows
                ],
                "bad_addresses": bad,
            }
        )
        return
    from followup_cli.views import mail as mail_view

    mail_view.status(rows, bad)


def _show(results, tz, explain: bool, json: bool) -> None:
    if json:
        from followup_cli.views.json_output import print_json

        print_json([r.public() for r in results])
        return
    from followup_cli.views import mail as mail_view

    for result in results:
        mail_view.sync_result(result, tz=tz, explain=explain)
