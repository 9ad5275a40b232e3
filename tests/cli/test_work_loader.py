"""`followup work`'s background import (cli/work_early.Loader): what the keys and the
prompt_toolkit screen import is loaded in a thread that steps aside, between two modules,
while the main thread answers a key, and never makes the main thread's own imports wait."""

from __future__ import annotations

import sys
import time

import pytest

from followup_cli.cli import work_early


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package of three modules on sys.path; each notes in ``ran`` when its body runs."""
    root = tmp_path / "loadtest_pkg"
    root.mkdir()
    (root / "__init__.py").write_text("ran = []\n")
    for name, body in {
        "keys": "",
        "screen": "from loadtest_pkg import part\n",
        "part": "",
        "other": "",
    }.items():
        noted = f"import loadtest_pkg\nloadtest_pkg.ran.append({name!r})\n"
        (root / f"{name}.py").write_text(body + noted)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in [n for n in sys.modules if n.startswith("loadtest_pkg")]:
        del sys.modules[name]


def ran() -> list[str]:
    return sys.modules["loadtest_pkg"].ran if "loadtest_pkg" in sys.modules else []


def until(condition, limit: float = 10) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.005)


def test_held_it_imports_nothing_more_and_released_it_finishes(package):
    import loadtest_pkg  # noqa: F401 - the package itself, so that `ran` is there

    loader = work_early.Loader(("loadtest_pkg.keys",), "loadtest_pkg.screen")
    loader.hold()  # a key is being answered as the thread starts
    loader.start()
    time.sleep(0.1)
    assert ran() == [] and not loader.ready()  # not even the key modules
    loader.release()
    until(lambda: "loadtest_pkg.screen" in sys.modules)
    loader.hold()  # held again inside the screen's import, before its next module runs
    until(loader.ready, 5)
    loader.release()
    assert ran()[0] == "keys" and set(ran()) == {"keys", "screen", "part"}
    assert not any(isinstance(f, work_early.Loader) for f in sys.meta_path)  # taken off
    screen = sys.modules["loadtest_pkg.screen"]
    assert not isinstance(screen.__loader__, work_early._Paused)
    assert screen.__spec__.loader is screen.__loader__  # the module's own, as if imported plainly


def test_a_held_module_waits_before_it_runs(package, monkeypatch):
    import loadtest_pkg  # noqa: F401

    monkeypatch.setattr(work_early, "HOLD_LIMIT", 5)
    loader = work_early.Loader((), "loadtest_pkg.screen")
    loader.hold()
    loader.start()
    until(lambda: "loadtest_pkg.screen" in sys.modules)  # found, its body not run yet
    time.sleep(0.1)
    assert ran() == []
    loader.release()
    until(loader.ready)
    assert ran() == ["part", "screen"]


def test_the_main_thread_imports_at_once_while_the_loader_is_held(package, monkeypatch):
    """Python holds its global import lock while it asks the finders: a loader that waited
    there would make every import of the key being answered wait for it."""
    import loadtest_pkg  # noqa: F401

    monkeypatch.setattr(work_early, "HOLD_LIMIT", 5)
    loader = work_early.Loader((), "loadtest_pkg.screen")
    loader.hold()
    loader.start()
    until(lambda: "loadtest_pkg.screen" in sys.modules)  # the thread waits inside the import
    started = time.monotonic()
    import loadtest_pkg.other  # noqa: F401 - what a key imports meanwhile

    assert time.monotonic() - started < 1 and "other" in ran()
    assert "screen" not in ran()  # still held
    loader.release()
    until(loader.ready)


def test_the_thread_switch_interval_is_put_back(package):
    before = sys.getswitchinterval()
    loader = work_early.Loader((), "loadtest_pkg.screen").start()
    until(loader.ready)
    loader.thread.join(5)
    assert sys.getswitchinterval() == before
