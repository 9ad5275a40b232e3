"""The ground everything stands on: errors, the vocabulary (channels, outcomes, stages),
dates, the user's settings and where cadence and template files live.

Imports only the standard library and other ``core`` modules.
"""
