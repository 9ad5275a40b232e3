"""The pipeline: prospects and the touches logged with them (what a touch's outcome does to
the prospect's stage and cadence). May import ``scheduling``, ``store`` and ``core``.
"""
