"""Run one `followup` command with every SQL statement timed: where an import's time goes.

    python benchmarks/sql_time.py import touches.csv --touches

Prints to stderr the 25 statements (their first 150 characters) that took the most CPU time,
with their wall time and how many times each ran, then the process's CPU time, the part of
it inside SQLite and the peak memory. Each connection the command opens is made a subclass of
``sqlite3.Connection`` whose ``execute`` and ``executemany`` are timed (a few microseconds a
call, nothing per row of an ``executemany``).
"""

from __future__ import annotations

import re
import resource
import runpy
import sqlite3
import sys
import time

SPENT: dict[str, list[float]] = {}  # statement -> [calls, CPU seconds, wall seconds]


class Timed(sqlite3.Connection):
    def _timed(self, method, sql, *args):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return method(self, sql, *args)
        finally:
            spent = SPENT.setdefault(re.sub(r"\s+", " ", sql)[:150], [0, 0.0, 0.0])
            spent[0] += 1
            spent[1] += time.process_time() - cpu
            spent[2] += time.perf_counter() - wall

    def execute(self, sql, *args):
        return self._timed(sqlite3.Connection.execute, sql, *args)

    def executemany(self, sql, *args):
        return self._timed(sqlite3.Connection.executemany, sql, *args)


def main() -> None:
    connect = sqlite3.connect

    def timed_connect(*args, **kwargs):
        kwargs.setdefault("factory", Timed)
        return connect(*args, **kwargs)

    sqlite3.connect = timed_connect
    sys.argv = ["followup", *sys.argv[1:]]
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        runpy.run_module("followup_cli", run_name="__main__")
    except SystemExit:
        pass
    finally:
        total = time.process_time() - cpu
        ranked = sorted(SPENT.items(), key=lambda item: -item[1][1])
        for sql, (calls, used, took) in ranked[:25]:
            print(f"{used:7.2f} cpu {took:7.2f} wall x{calls:<6.0f} {sql}", file=sys.stderr)
        in_sql = sum(spent[1] for spent in SPENT.values())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"total cpu {total:.2f}, in sql {in_sql:.2f}, "
            f"wall {time.perf_counter() - wall:.2f}, peak {peak} MiB",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
