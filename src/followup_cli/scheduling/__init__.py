"""When each next touch is due: cadence files and their checks, the scheduler, enrollments,
and the day's agenda. Plain Python: may import ``pipeline``, ``store`` and ``core``, never
Typer or Rich.
"""
