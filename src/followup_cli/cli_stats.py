"""Commands that measure follow-up: `stats`, `review`."""

from __future__ import annotations
