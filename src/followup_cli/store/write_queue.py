"""Writers take turns: a lock file beside the database (``followup.db.lock``) that each
write transaction holds, blocking, while it waits for and holds SQLite's write lock.

Why: SQLite makes a waiting writer poll, sleeping up to 100 ms between tries, so under load
the process that just committed often wins again and some writers starve for tens of
seconds. A blocked ``flock`` is woken by the kernel the moment the lock is free. Readers
never touch this file. Where it cannot be had (Windows, a read-only folder, a network file
system refusing it) writers fall back to SQLite's own waiting, which is always there too.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator


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
        held = _acquire(fd, fcntl, patience)
        try:
            yield held
        finally:
            if held:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, fcntl: object, patience: float) -> bool:
    lock_ex, lock_nb = fcntl.LOCK_EX, fcntl.LOCK_NB  # type: ignore[attr-defined]
    flock = fcntl.flock  # type: ignore[attr-defined]
    try:
        flock(fd, lock_ex | lock_nb)
        return True
    except BlockingIOError:
        pass
    except OSError:
        return False  # not supported here
    if threading.current_thread() is threading.main_thread() and hasattr(os, "setitimer"):
        import signal

        def expired(*_: object) -> None:
            raise TimeoutError

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, patience)
        try:
            flock(fd, lock_ex)  # the kernel wakes us as soon as it is free
            return True
        except (TimeoutError, OSError):
            return False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:  # not the main thread: no alarm, so poll
        time.sleep(0.002)
        try:
            flock(fd, lock_ex | lock_nb)
            return True
        except BlockingIOError:
            continue
        except OSError:
            return False
    return False
