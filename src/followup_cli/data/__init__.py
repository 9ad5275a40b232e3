"""Data in and out: CSV and JSON import, export, the calendar feed, search and the demo
book. May import ``pipeline``, ``scheduling``, ``drafting``, ``store`` and ``core``.
"""
