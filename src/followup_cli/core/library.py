"""The library of cadences and templates: the shipped ones inside the package, and the
user's own in their config dir, which override shipped ones by name.

Kept free of the cadence model and of YAML: every command checks whether a cadence file
changed, and that check should cost a few stat calls.
"""

from __future__ import annotations

import os
from pathlib import Path

# The wheel carries cadences/ and templates/ inside the package (hatchling force-include).
_PACKAGE = Path(__file__).resolve().parents[1]


def shipped_dir(kind: str) -> Path:
    """Where the shipped ``cadences`` or ``templates`` are: inside the installed package,
    or at the top of the source tree when running from an editable checkout."""
    packaged = _PACKAGE / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parents[1] / kind


def user_dir(kind: str) -> Path:
    from followup_cli.core.places import config_dir

    return config_dir() / kind


def files(kind: str, suffixes: tuple[str, ...]) -> dict[str, Path]:
    """Every file of ``kind`` by name (the file name without its suffix); a user's file
    overrides the shipped one of the same name."""
    found: dict[str, Path] = {}
    for folder in (shipped_dir(kind), user_dir(kind)):
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(suffixes) and entry.is_file():
                found[entry.name.rsplit(".", 1)[0]] = Path(entry.path)
    return found


def cadence_files() -> dict[str, Path]:
    return files("cadences", (".yaml", ".yml"))


def template_files() -> dict[str, Path]:
    return files("templates", (".j2",))


FINGERPRINT_KEY = "cadence_fingerprint"  # in the meta table: the files last scheduled with


def cadence_defaults() -> str:
    """config.toml's ``send_window`` and ``business_days``, which every cadence that sets
    neither uses: part of each cadence's signature ("" when the file sets neither)."""
    from followup_cli.core.settings import settings

    chosen = settings()
    if chosen.send_window is None and chosen.business_days is None:
        return ""
    window = f"{chosen.send_window[0]}-{chosen.send_window[1]}" if chosen.send_window else ""
    return f"{window}/{chosen.business_days}"


def fingerprint(files: dict[str, Path]) -> dict[str, str]:
    """A cheap signature of each cadence's content: enough to notice an edit, and the same
    after a reinstall or upgrade that ships identical files (no needless recompute). The
    config defaults that cadences inherit count as content."""
    import zlib

    defaults = cadence_defaults()
    signature = {}
    for name, path in files.items():
        content = path.read_bytes()
        signature[name] = f"{len(content)}:{zlib.crc32(content):08x}"
        if defaults:  # every cadence that sets no window of its own gets this one
            signature[name] += f":{defaults}"
    return signature
