"""The package's shape: one folder per area, layers that import in one direction, no import
circles, and SQL only in ``store/``. Built from the source with ``ast``, so an import inside a
function counts as much as one at the top of a file."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import followup_cli

PACKAGE = Path(followup_cli.__file__).parent
ROOT = "followup_cli"

DOMAIN = {"pipeline", "scheduling", "drafting", "data", "insight", "mail"}
AREAS = {"cli", "views", "core", "store"} | DOMAIN
# What each area may import from the package (besides itself).
ALLOWED = {
    "cli": AREAS,
    "views": DOMAIN | {"store", "core"},
    **{area: DOMAIN | {"store", "core"} for area in DOMAIN},
    "store": {"core"},
    "core": set(),
}
# Third-party libraries that belong to the surface, not to the domain.
SURFACE_ONLY = {"typer": {"cli"}, "click": {"cli"}, "rich": {"cli", "views"}}
SQL_CALLS = {"execute", "executemany", "executescript"}
# The full-screen library of `followup work`: imported by its screen module alone, which
# only the `work` command imports (inside the command), so no other command loads it.
FULL_SCREEN = {"prompt_toolkit": {"cli"}}
FULL_SCREEN_MODULES = {f"{ROOT}.cli.work_app"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def trees() -> dict[str, ast.Module]:
    return {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


TREES = trees()


def imported(tree: ast.Module) -> set[str]:
    """Every module of the package, and every top-level third-party package, this source
    imports anywhere (``from x import y`` counts ``x.y`` when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                if f"{node.module}.{alias.name}" in MODULES:
                    found.add(f"{node.module}.{alias.name}")
    return found


def graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (a package's own ``__init__`` left out when a
    submodule of it is named, so ``from followup_cli.store import memo`` is one edge)."""
    edges = {}
    for name, tree in TREES.items():
        targets = {t for t in imported(tree) if t in MODULES and t != name}
        edges[name] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)}
    return edges


def area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in AREAS) else None


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_package_has_no_import_circle():
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_finder_finds_a_circle():
    # The check above must be able to fail: a circle of three is found, a chain is not.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_every_module_lives_in_an_area_folder():
    loose = {
        name
        for name in MODULES
        if area(name) is None and name not in {ROOT, f"{ROOT}.main", f"{ROOT}.__main__"}
    }
    assert not loose, f"put these in an area folder: {sorted(loose)}"


@pytest.mark.parametrize("folder", sorted(AREAS))
def test_each_folder_says_what_lives_there_and_what_it_may_import(folder):
    docstring = ast.get_docstring(TREES[f"{ROOT}.{folder}"]) or ""
    assert len(docstring) > 40, f"{folder}/__init__.py needs a docstring"
    assert "import" in docstring.lower(), f"{folder}/__init__.py should say what it may import"


def test_layers_import_in_one_direction():
    wrong = []
    for name, targets in graph().items():
        here = area(name)
        if here is None:
            continue
        for target in targets:
            there = area(target)
            if there and there != here and there not in ALLOWED[here]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_domain_and_store_never_import_the_terminal_libraries():
    wrong = []
    for name, tree in TREES.items():
        here = area(name)
        for target in imported(tree):
            top = target.split(".")[0]
            allowed = SURFACE_ONLY.get(top) or FULL_SCREEN.get(top)
            if allowed is not None and here not in allowed:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def sql_callers() -> set[str]:
    callers = set()
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
            ):
                callers.add(name)
    return callers


def test_only_the_store_talks_to_the_database():
    outside = {name for name in sql_callers() if area(name) != "store"}
    assert not outside, f"move this SQL behind a store function: {sorted(outside)}"


def test_no_module_outgrows_its_idea():
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 520
    }
    assert not long, f"split along a natural seam: {long}"


def test_the_full_screen_library_loads_only_for_work():
    users = {
        name
        for name, tree in TREES.items()
        if any(target.split(".")[0] in FULL_SCREEN for target in imported(tree))
    }
    assert users <= FULL_SCREEN_MODULES, f"only {sorted(FULL_SCREEN_MODULES)} may: {users}"
    importers = {name for name, targets in graph().items() if targets & FULL_SCREEN_MODULES}
    assert importers <= {f"{ROOT}.cli.work"}, sorted(importers)
    on_import = {  # what cli/work.py imports as it is loaded (at the top, not in a function)
        node.module
        for node in TREES[f"{ROOT}.cli.work"].body
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not on_import & FULL_SCREEN_MODULES
