"""Commands for writing messages: `draft`, `templates`, `value`, `me`, `check`."""

from __future__ import annotations
