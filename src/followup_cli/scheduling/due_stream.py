"""`today --all`: every touch due in a window, uncapped, read from SQLite while it is printed.

``scheduling.agenda`` hands over how a row becomes a due touch and how the bounced addresses
among some touches are found; this module imports nothing of it, so the capped `today`
never loads it.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from followup_cli.core.vocab import CHANNELS
from followup_cli.store import agenda as agenda_rows


class DueStream:
    """The triggers' few touches (``head``), then the rest read from SQLite in `today`'s
    order (by channel, most urgent first) a batch at a time while they are printed, so
    memory stays flat and the cost follows the rows. The bounced addresses of the head, then
    of each batch, are added to ``bad_addresses`` before its touches are handed out.
    Iterating again reads the rows again."""

    BATCH = 500

    def __init__(
        self,
        rows: Callable[[], Iterator[Any]],
        *,
        build: Callable[[Any], Any],
        bounced: Callable[[list[Any]], dict[int, str]],
        head: list[Any],
        counts: dict[str, int],
        bad_addresses: dict[int, str],
    ) -> None:
        self.rows, self.build, self.bounced = rows, build, bounced
        self.head, self.counts, self.bad_addresses = head, counts, bad_addresses
        bad_addresses.update(bounced(head))

    def __len__(self) -> int:
        return len(self.head) + sum(self.counts.get(channel, 0) for channel in CHANNELS)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        yield from self.head
        yield from self._rest()

    def _rest(self) -> Iterator[Any]:
        rows = self.rows()
        while batch := [self.build(row) for row in itertools.islice(rows, self.BATCH)]:
            self.bad_addresses.update(self.bounced(batch))
            yield from batch

    def by_channel(self) -> Iterator[tuple[str, Iterable[Any]]]:
        """As ``Agenda.by_channel``: the triggers' touches, then each channel's together."""
        if self.head:
            yield "trigger", sorted(self.head, key=lambda i: (-i.score, i.due_at))
        yield from itertools.groupby(self._rest(), key=lambda item: item.channel)


def stream(
    conn: sqlite3.Connection,
    *,
    until: str,
    after: str | None,
    channel: str | None,
    day_starts: list[str],
    weights: Any,
    **parts: Any,
) -> tuple[DueStream, dict[str, int]]:
    """Every touch due after ``after`` (if given) up to ``until``, as a ``DueStream`` (given
    its ``build``, ``bounced``, ``head`` and ``bad_addresses``), and how many per channel."""
    counts = agenda_rows.due_per_channel(conn, until=until, after=after, channel=channel)

    def rows() -> Iterator[Any]:
        return agenda_rows.due_in_order(
            conn,
            until=until,
            after=after,
            day_starts=day_starts,
            weights=weights,
            channel=channel,
            channels=CHANNELS,
        )

    return DueStream(rows, counts=counts, **parts), counts
