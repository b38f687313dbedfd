"""The package's layering: no import cycles, and nothing depends on the command line.

Every import statement counts, also one inside a function: a cycle postponed to run time
is still a cycle."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import govscan

PACKAGE = Path(govscan.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(node: ast.Import | ast.ImportFrom, importer: Path, known: set[str]) -> set[str]:
    """The modules of govscan an import statement names: ``from a import b`` names ``a.b``
    when that is a module, else ``a``, whose name ``b`` is."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & known
    origin = node.module or ""
    if node.level:  # relative: from the importer's package up
        package = module_name(importer).split(".")
        if importer.name != "__init__.py":
            package.pop()
        package = package[: len(package) - node.level + 1]
        origin = ".".join([*package, *filter(None, [node.module])])
    submodules = {f"{origin}.{alias.name}" for alias in node.names}
    return (submodules & known) | ({origin} & known if submodules - known else set())


def import_graph() -> dict[str, set[str]]:
    """Each module of govscan → the modules of govscan it imports, wherever in its code."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in imported(node, path, set(known))
            if target != name
        }
    return graph


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "govscan.store.db" in graph["govscan.cli"]
    assert "govscan.scheduler" in graph["govscan.cli"]  # imported where the service starts


def test_no_import_cycles():
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as error:
        raise AssertionError(f"import cycle: {' → '.join(error.args[1])}") from None


def test_nothing_imports_the_command_line():
    importers = sorted(name for name, targets in import_graph().items() if "govscan.cli" in targets)
    assert importers == []
