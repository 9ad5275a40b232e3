"""The mailbox as a source of truth: reading Maildir, mbox, .eml and read-only IMAP, telling
replies from auto-replies, bounces and newsletters, and logging the touches they mean. May
import ``pipeline``, ``scheduling``, ``store`` and ``core``; ``today``, ``show`` and ``log``
never import it.
"""
