"""The platform's clipboard and mail client, for `followup work`'s ``c`` and ``M``.

The clipboard is the platform's own command when there is one (pbcopy, wl-copy, xclip,
xsel, clip.exe); otherwise the terminal is asked to take the text (OSC 52, which most
terminal emulators and tmux understand). A ``mailto:`` URL goes to the platform's opener.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from typing import Any

from followup_cli.core.errors import FollowupError

CLIPBOARDS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("pbcopy", (), None),  # macOS
    ("wl-copy", (), "WAYLAND_DISPLAY"),
    ("xclip", ("-selection", "clipboard"), "DISPLAY"),
    ("xsel", ("--clipboard", "--input"), "DISPLAY"),
    ("clip.exe", (), None),  # Windows, and WSL
)


def copy(text: str, output: Any = None) -> str:
    """Put ``text`` on the clipboard; say how."""
    for command, args, needs in CLIPBOARDS:
        path = shutil.which(command)
        if path is None or (needs and not os.environ.get(needs)):
            continue
        done = subprocess.run([path, *args], input=text.encode(), check=False, timeout=5)
        if done.returncode == 0:
            return command
    if output is not None:
        encoded = base64.b64encode(text.encode()).decode()
        output.write_raw(f"\x1b]52;c;{encoded}\x07")
        output.flush()
        return "sent to the terminal's clipboard, OSC 52"
    raise FollowupError("No clipboard here: install xclip or wl-copy, or use followup draft.")


def opener() -> list[str] | None:
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform == "win32":
        return ["cmd", "/c", "start", ""]
    found = shutil.which("xdg-open")
    return [found] if found else None


def open_url(url: str) -> str:
    """Hand a ``mailto:`` URL to the mail client; say what happened."""
    command = opener()
    if command is None:
        raise FollowupError(
            "No program here opens mailto: links (xdg-open): use c to copy the draft, or "
            "followup draft PROSPECT --eml FILE."
        )
    subprocess.Popen(  # noqa: S603 - the platform's own opener, the URL as one argument
        [*command, url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return "Opened in your mail client: send it from there, then press s."
