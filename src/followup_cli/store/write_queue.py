"""Writers take turns, first come first served: a lock file beside the database
(``followup.db.lock``) that each write transaction holds, blocking, while it waits for and
holds SQLite's write lock.

Why: SQLite makes a waiting writer poll, sleeping up to 100 ms between tries, so under load
the process that just committed often wins again and some writers starve for tens of
seconds. A blocked ``flock`` is woken by the kernel the moment the lock is free, but every
waiter is woken and the first one the scheduler runs wins: with 40 writers, some wait ten
times as long as others. So in front of the ``flock`` there is a queue: a writer takes a
ticket (a counter in the file), holds the byte of its ticket (a POSIX record lock) until
its write is done, and waits for the byte of the ticket before it. Only the next writer
in line is woken, and nobody is overtaken. A writer that dies releases its byte with its
locks, so the one behind it moves up; the ``flock`` alone keeps writers apart, whatever
the queue does (an older followup that knows only the ``flock`` just queues there).

Readers never touch this file. Where it cannot be had (Windows, a read-only folder, a
network file system refusing it) writers fall back to SQLite's own waiting, which is always
there too; where only the queue cannot be had, to the ``flock`` alone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

_COUNTER = 8  # bytes at the start of the file: the next ticket
_SLOTS = 1 << 20  # one lock byte per ticket, modulo this (far more than writers at once)
_BASE = 1 << 20  # where the tickets' bytes start (past the counter's guard byte, 0)


def _path(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("PRAGMA database_list").fetchone()
    return f"{row[2]}.lock" if row and row[2] else None  # "" for an in-memory database


@contextlib.contextmanager
def turn(conn: sqlite3.Connection, patience: float) -> Iterator[bool]:
    """Hold the writers' lock for the block; yields whether it is held (False: fall back).
    Gives up waiting (yielding False) after ``patience`` seconds."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield False
        return
    path = _path(conn)
    fd = None
    if path:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    if fd is None:
        yield False
        return
    try:
        deadline = time.monotonic() + patience
        ticket = _queue(fd, fcntl, deadline)
        held = _acquire(fd, fcntl, deadline)
        try:
            yield held
        finally:
            if held:
                fcntl.flock(fd, fcntl.LOCK_UN)
            if ticket is not None:  # the next in line may go
                with contextlib.suppress(OSError):
                    fcntl.lockf(fd, fcntl.LOCK_UN, 1, _slot(ticket))
    finally:
        os.close(fd)  # releases anything still held


def _slot(ticket: int) -> int:
    return _BASE + ticket % _SLOTS


def _queue(fd: int, fcntl: Any, deadline: float) -> int | None:
    """Take a ticket and wait until the writer before it is done: the ticket (its byte is
    held until ``turn`` ends), or None when the queue cannot be used here (then the
    ``flock`` alone decides the order)."""
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 0)  # the counter's guard: held for microseconds
    except OSError:
        return None
    try:
        raw = os.pread(fd, _COUNTER, 0)
        ticket = int.from_bytes(raw, "little") if len(raw) == _COUNTER else 0
        os.pwrite(fd, (ticket + 1).to_bytes(_COUNTER, "little"), 0)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _slot(ticket))
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, 0)
    ahead = _slot(ticket - 1)
    waited = _wait(
        lambda: fcntl.lockf(fd, fcntl.LOCK_EX, 1, ahead),
        lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, ahead),
        deadline,
    )
    if waited:
        with contextlib.suppress(OSError):
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, ahead)  # only its release was wanted
    return ticket


def _acquire(fd: int, fcntl: Any, deadline: float) -> bool:
    return _wait(
        lambda: fcntl.flock(fd, fcntl.LOCK_EX),
        lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB),
        deadline,
    )


def _wait(block: Callable[[], Any], attempt: Callable[[], Any], deadline: float) -> bool:
    """Take a lock: ``attempt`` (non-blocking) first, then ``block`` until ``deadline``
    (woken by the kernel when it is free); False if it cannot be had in time or at all."""
    try:
        attempt()
        return True
    except (BlockingIOError, PermissionError):  # lockf says EACCES where flock says EAGAIN
        pass
    except OSError:
        return False  # not supported here
    patience = deadline - time.monotonic()
    if patience <= 0:
        return False
    import threading  # only a writer that has to wait gets here

    if threading.current_thread() is threading.main_thread() and hasattr(os, "setitimer"):
        import signal

        def expired(*_: object) -> None:
            raise TimeoutError

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, patience)
        try:
            block()  # the kernel wakes us as soon as it is free
            return True
        except (TimeoutError, OSError):
            return False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    while time.monotonic() < deadline:  # not the main thread: no alarm, so poll
        time.sleep(0.002)
        try:
            attempt()
            return True
        except (BlockingIOError, PermissionError):
            continue
        except OSError:
            return False
    return False
