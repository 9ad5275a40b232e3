"""`followup config`: the settings as data, one value read, one value written, the editor.

``set`` edits the file's text in place (comments and order survive): it replaces the key's
line, or adds it to its table, then checks the whole new file before writing it, so a bad
value leaves the file as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from followup_cli.core.errors import InvalidConfig
from followup_cli.core.settings import Settings, parse

DOC_HINT = "see the README's Configuration section"


def effective(chosen: Settings) -> dict[str, Any]:
    """Every setting with the value in force (the file's, or the default), as JSON data."""
    window = chosen.send_window
    return {
        "timezone": chosen.timezone,
        "week_start": chosen.week_start,
        "date_format": chosen.date_format,
        "database": str(chosen.database) if chosen.database else None,
        "default_command": chosen.default_command,
        "send_window": f"{window[0]:%H:%M}-{window[1]:%H:%M}" if window else None,
        "business_days": chosen.business_days,
        "me": {
            "addresses": list(chosen.me.addresses),
            "email": chosen.me.email,
            "name": chosen.me.name,
        },
        "default_cadence": dict(chosen.default_cadence),
        "today": {"limit": chosen.today.limit},
        "urgency": asdict(chosen.urgency),
        "colors": _colors(chosen),
        "aliases": dict(chosen.aliases),
        "mail": {
            "company_domain_pause": chosen.mail.company_domain_pause,
            "accounts": [_account(account) for account in chosen.mail.accounts],
        },
    }


def _colors(chosen: Settings) -> dict[str, str]:
    from followup_cli.core.settings import COLOR_ELEMENTS

    return {**COLOR_ELEMENTS, **chosen.colors}


def _account(account: Any) -> dict[str, Any]:
    data = asdict(account)
    data.pop("line")
    data["path"] = str(account.path) if account.path else None
    data["folders"] = list(account.folders)
    return data


def get(chosen: Settings, key: str) -> Any:
    """The value of a dotted key (``today.limit``, ``colors``, ``mail.accounts``)."""
    value: Any = effective(chosen)
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            known = ", ".join(_keys(effective(chosen)))
            raise InvalidConfig(f"No setting {key!r}: known settings are {known}.")
        value = value[part]
    return value


def _keys(data: dict[str, Any], prefix: str = "") -> list[str]:
    found = []
    for key, value in data.items():
        if isinstance(value, dict) and key not in ("default_cadence", "colors", "aliases"):
            found += _keys(value, f"{prefix}{key}.")
        else:
            found.append(f"{prefix}{key}")
    return found


def toml_value(raw: str) -> Any:
    """What ``config set`` stores: a TOML value when ``raw`` is one (``20``, ``true``,
    ``["a@x.com"]``), else the text as a string (so ``Europe/Paris`` needs no quotes)."""
    import tomllib

    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def toml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def set_value(
    path: Path, key: str, raw: str, check: Callable[[Settings], object] | None = None
) -> Any:
    """Write ``key = raw`` into the config file at ``path`` (made if missing), checked first
    (``check`` adds what only the surface can judge, such as a Rich style)."""
    parts = key.split(".")
    if len(parts) > 2 or not all(re.fullmatch(r"[A-Za-z0-9_-]+", part) for part in parts):
        raise InvalidConfig(
            f"{key!r} cannot be set from the command line: use `followup config edit` ({DOC_HINT})."
        )
    if parts[0] == "mail" and parts[-1] == "accounts":
        raise InvalidConfig("Mail accounts are tables: add them with `followup config edit`.")
    value = toml_value(raw)
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidConfig(f"{path}: cannot read the config file ({error}).") from None
    updated = _with_line(text, parts, f"{parts[-1]} = {toml_text(value)}")
    chosen = parse(updated, path)  # raises, naming the line, before anything is written
    if check is not None:
        check(chosen)
    import tomllib

    written = tomllib.loads(updated)
    for part in parts:
        written = written.get(part) if isinstance(written, dict) else None
    if written != value:
        raise InvalidConfig(
            f"{path}: {key} is written in a form `config set` does not edit: change it with "
            "`followup config edit`."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(updated, encoding="utf-8")
    os.replace(scratch, path)
    return value


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


def _with_line(text: str, parts: list[str], line: str) -> str:
    lines = text.splitlines()
    table = parts[:-1]
    key = re.escape(parts[-1])
    current: list[str] = []
    start = end = None  # the table's first body line and one past its last
    for number, content in enumerate(lines):
        header = _HEADER.match(content)
        if header:
            if start is not None and end is None:
                end = number
            current = [p.strip().strip("\"'") for p in header.group(1).split(".")]
            if current == table:
                start = number + 1
            continue
        if current == table and re.match(rf'^\s*["\']?{key}["\']?\s*=', content):
            lines[number] = line
            return "\n".join(lines) + "\n"
    if not table:  # a top-level key goes before the first table
        first = next((n for n, c in enumerate(lines) if _HEADER.match(c)), len(lines))
        lines.insert(first, line)
        return "\n".join(lines) + "\n"
    if start is None:
        tail = [""] if lines and lines[-1].strip() else []
        return "\n".join(lines + tail + [f"[{'.'.join(table)}]", line]) + "\n"
    end = len(lines) if end is None else end
    while end > start and not lines[end - 1].strip():
        end -= 1
    lines.insert(end, line)
    return "\n".join(lines) + "\n"


def editor_command() -> list[str]:
    """``$VISUAL``, then ``$EDITOR``, then the first of vi and nano found (notepad on Windows)."""
    import shlex

    for name in ("VISUAL", "EDITOR"):
        chosen = os.environ.get(name, "").strip()
        if chosen:
            return shlex.split(chosen, posix=sys.platform != "win32")
    if sys.platform == "win32":
        return ["notepad"]
    for candidate in ("vi", "nano"):
        if shutil.which(candidate):
            return [candidate]
    raise InvalidConfig("No editor found: set $VISUAL or $EDITOR (e.g. export EDITOR=nano).")


STARTER = """\
# followup's settings: every key is described in the README's Configuration section.
# An unknown key is an error that names this file and the line.
"""
