"""The two Rich consoles every view prints to: standard output and standard error."""

from __future__ import annotations

from rich.console import Console

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)
