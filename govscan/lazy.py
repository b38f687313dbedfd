"""Modules loaded when first used, not when imported (the standard library's recipe with
``importlib.util.LazyLoader``).

A scan's crawl runs beside the process that started it, and a small site's scan should
start at once: the libraries only the checks and the outputs use (the browser's driver,
the certificate parser, the workbook writer, the feed reader) cost that process a third of
its memory and its start-up time while the crawl runs (docs/benchmarks.md).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, executed on its first attribute access. A submodule's parent
    packages are imported at once, so name a package and reach its submodules through it.
    A submodule is also bound on its package, as ``import a.b`` binds it: otherwise a later
    ``import a.b`` elsewhere finds it loaded and ``a.b`` would not be there."""
    if (loaded := sys.modules.get(name)) is not None:
        return loaded
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    package, _, submodule = name.rpartition(".")
    if package:
        setattr(sys.modules[package], submodule, module)
    loader.exec_module(module)
    return module
