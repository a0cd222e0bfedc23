"""The core's public entry points, found rather than listed: the registries of the
permissions matrix and of the hostile-input proof must each hold a row for every one,
so a new service cannot slip past either."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import internhost.core.services as services_pkg


def entry_points(*extra: str) -> set[str]:
    """``"module.function"`` for every public function of ``core/services/*.py``, the
    roster and time-clock importers and the ``extra`` modules (dotted names; their
    last part is used)."""
    modules = {
        f"internhost.core.services.{m.name}": m.name
        for m in pkgutil.iter_modules(services_pkg.__path__)
    }
    for name in ("internhost.core.importers.roster", "internhost.core.importers.hours", *extra):
        modules[name] = name.rpartition(".")[2]
    found = set()
    for module_name, short in modules.items():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module_name
                and not name.startswith("_")
            ):
                found.add(f"{short}.{name}")
    return found
