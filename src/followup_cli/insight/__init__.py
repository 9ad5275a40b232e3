"""What the record says about the user's follow-up: stats and the weekly review. May import
``scheduling``, ``store`` and ``core``.
"""
