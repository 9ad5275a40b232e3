"""Data in and out: CSV and JSON import, export, the calendar feed, search and the demo
book; ``columns`` and ``files`` hold what the readers and writers share, and import nothing
else of ours. May import ``pipeline``, ``scheduling``, ``drafting``, ``store`` and ``core``;
the SQL is behind ``store.imports``, ``store.exports`` and ``store.search``.
"""
