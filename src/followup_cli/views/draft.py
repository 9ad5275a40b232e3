"""How drafts, templates, the value bank and the sender profile look.

Standard output carries only the thing asked for (the draft, a URL, JSON), so that
`followup draft dana | pbcopy` copies exactly the message; notes and warnings go to
standard error.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError

# Rich and the consoles (views.render) are imported by the functions that print with them:
# a draft into a pipe, the daily case for `followup draft dana | pbcopy`, needs neither.


class EditorError(FollowupError):
    pass


# --- drafts ---------------------------------------------------------------------------------


def draft(result: Any, *, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    """The draft itself: JSON, plain text when piped, a panel on a terminal."""
    if as_json:
        from followup_cli.views.json_output import print_json

        print_json({**result.public(), **(extra or {})})
        return
    from followup_cli.views.paint import is_terminal

    if not is_terminal():
        sys.stdout.write(result.text())
        sys.stdout.flush()
        return
    from rich.panel import Panel
    from rich.text import Text

    from followup_cli.views import render

    content = Text()
    if result.subject is not None:
        content.append("Subject: ", style="bold")
        content.append(result.subject + "\n\n", style="bold")
    content.append(result.body)
    to = result.prospect.email or result.prospect.phone or ""
    title = f"{result.template.name} · {result.channel}"
    if result.template.variants:
        title += f" · variant {result.variant}"
    subtitle = f"to {result.prospect.name}" + (f" <{to}>" if to else "")
    if result.value is not None:
        subtitle += f" · value #{result.value.id}"
    render.out.print(
        Panel(content, title=title, title_align="left", subtitle=subtitle, subtitle_align="left")
    )


def warnings(result: Any) -> None:
    for finding in result.warnings:
        status(f"Warning [{finding.code}]: {finding.message}", "warning")


def status(message: str, style: str = "green") -> None:
    """A line on standard error: painted by Rich at a terminal, the bare line when piped
    (what Rich writes there too, so `draft` into a pipe never imports it)."""
    from followup_cli.views.paint import is_terminal

    if not is_terminal(sys.stderr):
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()
        return
    from rich.text import Text

    from followup_cli.views import render

    render.err.print(Text(message, style=style), soft_wrap=True)


def logged(result: Any, *, now: datetime, tz: tzinfo) -> None:
    """What `--log` recorded and when the next touch is due (on standard error)."""
    from followup_cli import store
    from followup_cli.views.agenda import day_label

    touch, person = result.touch, result.prospect
    step = f" (step {touch.step} of {touch.cadence})" if touch.step else ""
    outcome = touch.outcome.replace("_", " ")
    status(f"Logged {touch.channel} to {person.name}: {outcome}{step}.")
    if result.effect:
        status(result.effect, "")
    due = store.from_text(person.next_due_at)
    if due is None:
        status(f"No next touch: {person.next_why}", "yellow")
        return
    purpose = (person.next_purpose or "").rstrip(".")
    status(
        f"Next: {person.next_channel} {day_label(due, now, tz)} at "
        f"{due.astimezone(tz):%H:%M} — {purpose}{'' if purpose.endswith('?') else '.'}",
        "",
    )


def edit(text: str) -> str:
    """Open ``$VISUAL`` (or ``$EDITOR``) on ``text`` and return what the user saved."""
    import shlex
    import subprocess
    import tempfile

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise EditorError(
            "--edit needs an editor: set VISUAL or EDITOR (e.g. export EDITOR=nano), "
            "or leave out --edit and paste the draft."
        )
    handle, name = tempfile.mkstemp(prefix="followup-draft-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            done = subprocess.run([*shlex.split(command), str(path)], check=False)
        except OSError as error:
            raise EditorError(
                f"Cannot start the editor {command!r}: {error.strerror}. Check VISUAL/EDITOR."
            ) from None
        if done.returncode != 0:
            raise EditorError(
                f"The editor exited with status {done.returncode}: the draft was not used "
                "(nothing logged)."
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


# --- message checks -------------------------------------------------------------------------


def findings(found: list[Any], *, as_json: bool) -> None:
    from rich.text import Text

    from followup_cli.views import render

    if as_json:
        render.json_out(
            {
                "passed": not found,
                "findings": [{"code": f.code, "message": f.message} for f in found],
            }
        )
        return
    if not found:
        render.note("The message passes every follow-up rule.", "green")
        return
    for finding in found:
        line = Text(f"{finding.code}: ", style="bold red")
        line.append(finding.message)
        render.out.print(line, soft_wrap=True)


# --- templates ------------------------------------------------------------------------------


def template_list(items: list[dict[str, Any]]) -> None:
    from rich.table import Table

    from followup_cli.views import render

    table = Table(show_edge=False)
    for column in ("Name", "Channel", "Purpose", "Source", "Variants"):
        table.add_column(column)
    for item in items:
        table.add_row(
            item["name"],
            item["channel"],
            item["purpose"],
            item["origin"],
            ", ".join(item["variants"]),
        )
    render.out.print(table)


def template_show(template: Any) -> None:
    from rich.text import Text

    from followup_cli.views import render

    assert template.path is not None
    render.out.print(Text(f"# {template.path} ({template.origin})", style="dim"), soft_wrap=True)
    sys.stdout.write(template.path.read_text(encoding="utf-8"))
    sys.stdout.flush()


# --- value bank -----------------------------------------------------------------------------


def value_list(items: list[Any]) -> None:
    from rich.table import Table

    from followup_cli.views import render

    if not items:
        render.note(
            'The value bank is empty: followup value add "TITLE" --url URL --kind report', "dim"
        )
        return
    table = Table(show_edge=False)
    for column in ("#", "Title", "Kind", "Tags", "URL", "Sent", "Last sent"):
        table.add_column(column, justify="right" if column in ("#", "Sent") else "left")
    for item in items:
        table.add_row(
            str(item.id),
            item.title,
            item.kind,
            ", ".join(item.tags),
            item.url or "",
            str(item.times_sent),
            (item.last_sent_at or "")[:10],
        )
    render.out.print(table)


def value_saved(item: Any, verb: str) -> None:
    from followup_cli.views import render

    tags = f" [{', '.join(item.tags)}]" if item.tags else ""
    render.note(f"{verb} value item #{item.id}: {item.title} ({item.kind}){tags}.", "green")


# --- the sender profile ---------------------------------------------------------------------


def sender(profile: Any, *, zone: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from followup_cli.views import render

    if profile.is_empty():
        render.note(
            'No sender profile yet: followup me --name "Sam Ortiz" --company Northwind '
            '--phone "+1 303 555 0100" --email sam@northwind.example',
            "yellow",
        )
        render.note(f"Timezone: {zone}")
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for label, text in (
        ("Name", profile.name),
        ("Company", profile.company),
        ("Title", profile.title),
        ("Phone", profile.phone),
        ("Email", profile.email),
        ("Signature", profile.signature_text),
        ("Timezone", zone),
    ):
        grid.add_row(label, Text(text or "—"))
    render.out.print(grid)


# --- email ---------------------------------------------------------------------------------


def write_eml(message: Any, path: Path) -> None:
    from email.policy import SMTP

    from followup_cli.core import safe_files

    # CRLF line ends, as RFC 5322 says; owner-only, all at once, `-` for standard output
    safe_files.write_bytes(path, message.as_bytes(policy=SMTP), example="draft.eml")


def email_message(
    draft: Any,
    *,
    now: datetime,
    tz: Any = None,
    attachments: tuple[Path, ...] = (),
    thread: Any = None,
) -> Any:
    """The draft as an RFC 5322 message (an ``email.message.EmailMessage``): dated in the
    user's zone ``tz``, with ``attachments`` (files), and with a ``thread``
    (``drafting.thread.Thread``), a reply in it."""
    import mimetypes
    from email.message import EmailMessage
    from email.utils import format_datetime, formataddr, make_msgid

    _require_email(draft, "--eml")
    me = draft.sender
    message = EmailMessage()
    message["To"] = formataddr((draft.prospect.name, draft.prospect.email or ""))
    if me.email:  # without it the mail client sends the draft from your default account
        message["From"] = formataddr((me.name or "", me.email))
    message["Subject"] = draft.subject or ""
    message["Date"] = format_datetime(now.astimezone(tz) if tz is not None else now)
    domain = me.email.split("@", 1)[1] if me.email else "followup.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    if thread is not None:
        message["In-Reply-To"] = thread.in_reply_to
        message["References"] = " ".join(thread.references)
    message["X-Unsent"] = "1"  # Outlook and others open it as a draft, ready to send
    message.set_content(draft.body + "\n", charset="utf-8")
    for path in attachments:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        message.add_attachment(
            read_attachment(path), maintype=main, subtype=sub, filename=path.name
        )
    return message


def read_attachment(path: Path) -> bytes:
    """A file to attach, or a one-line error saying why it cannot be."""
    from followup_cli.drafting.draft import DraftError

    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DraftError(f"No such file to attach: {path} (check the path).") from None
    except IsADirectoryError:
        raise DraftError(f"{path} is a folder: --attach takes a file.") from None
    except OSError as error:
        raise DraftError(f"Cannot attach {path}: {error.strerror}.") from None


def mailto(draft: Any) -> str:
    """A ``mailto:`` URL (RFC 6068) with the subject and body filled in."""
    from urllib.parse import quote

    _require_email(draft, "--mailto")
    body = draft.body.replace("\n", "\r\n")
    query = f"subject={quote(draft.subject or '', safe='')}&body={quote(body, safe='')}"
    return f"mailto:{quote(draft.prospect.email or '', safe='@')}?{query}"


def _require_email(draft: Any, option: str) -> None:
    from followup_cli.drafting.draft import DraftError

    if draft.channel != "email":
        raise DraftError(
            f"{option} needs an email draft, and {draft.template.name} is a {draft.channel} "
            "script: add --channel email or --template NAME."
        )
    if not draft.prospect.email:
        raise DraftError(
            f"{draft.prospect.name} has no email address: followup edit {draft.prospect.id} "
            "--email ..."
        )
