"""The library of cadences and templates: the shipped ones inside the package, and the
user's own in their config dir, which override shipped ones by name.

Kept free of the cadence model and of YAML: every command checks whether a cadence file
changed, and that check should cost a few stat calls.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

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


# (kind, suffixes) → (the folders and their mtimes when listed, what was found)
_listed: dict[tuple[str, tuple[str, ...]], tuple[tuple[Any, ...], dict[str, Path]]] = {}
_SETTLED_NS = 2_000_000_000  # a folder changed this recently may change again unseen


def files(kind: str, suffixes: tuple[str, ...]) -> dict[str, Path]:
    """Every file of ``kind`` by name (the file name without its suffix); a user's file
    overrides the shipped one of the same name.

    A command asks several times (the fingerprint, each cadence it loads), so the listing is
    kept while neither folder's modification time changes: adding, removing or renaming a
    file changes it. A folder modified in the last two seconds is listed every time, since
    a second change within the clock's resolution would not show."""
    folders = (shipped_dir(kind), user_dir(kind))
    stamps = tuple(_mtime(folder) for folder in folders)
    key = (kind, suffixes)
    cached = _listed.get(key)
    if cached and cached[0] == (folders, stamps):
        return dict(cached[1])
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(suffixes) and entry.is_file():
                found[entry.name.rsplit(".", 1)[0]] = Path(entry.path)
    settled = time.time_ns() - _SETTLED_NS
    if all(stamp is None or stamp < settled for stamp in stamps):
        _listed[key] = ((folders, stamps), found)
    return dict(found)


def _mtime(folder: Path) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def cadence_files() -> dict[str, Path]:
    return files("cadences", (".yaml", ".yml"))


def template_files() -> dict[str, Path]:
    return files("templates", (".j2",))


FINGERPRINT_KEY = "cadence_fingerprint"  # in the meta table: the files last scheduled with
# In the meta table: {cadence name: why its file does not load}, for the cadences people are
# in. Those people keep their last good plan (a broken file never hides anyone).
BROKEN_KEY = "broken_cadences"


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
