"""Find module packages on disk and instantiate their `<Name>Module` classes."""

from __future__ import annotations

import importlib
from typing import Any

from trading_api.shared.module_contract import Module
from trading_api.shared.module_errors import ModuleContractError
from trading_api.shared.module_layout import (
    DEFAULT_MODULES_DIR,
    MODULES_PACKAGE,
    api_versions,
    check_module_name,
    discover_module_names,
    module_class_name,
)

__all__ = [
    "DEFAULT_MODULES_DIR",
    "MODULES_PACKAGE",
    "api_versions",
    "discover_module_names",
    "load_module",
    "load_modules",
    "module_class_name",
]


def load_module(name: str) -> Module[Any]:
    """Import `trading_api.modules.<name>` and instantiate its `<Name>Module` class."""
    check_module_name(name)
    package_name = f"{MODULES_PACKAGE}.{name}"
    try:
        package = importlib.import_module(package_name)
    except ModuleNotFoundError as exc:
        if exc.name != package_name:
            raise  # the package exists but one of its own imports is missing
        raise ModuleContractError(
            f"no module {name!r}: expected a package at {DEFAULT_MODULES_DIR / name}/__init__.py "
            f"(found: {', '.join(discover_module_names()) or 'none'})"
        ) from exc
    class_name = module_class_name(name)
    module_class = getattr(package, class_name, None)
    where = package.__file__ or package.__name__
    if not (isinstance(module_class, type) and issubclass(module_class, Module)):
        raise ModuleContractError(
            f"{where}: module {name!r} must define `class {class_name}(Module)` "
            f"(from trading_api.shared.module_contract)"
        )
    module: Module[Any] = module_class()
    if getattr(module, "name", None) != name:
        raise ModuleContractError(
            f"{where}: {class_name}.name must be {name!r} (the folder name), "
            f"found {getattr(module, 'name', None)!r}"
        )
    return module


def load_modules() -> list[Module[Any]]:
    """Load every module discovered in the modules folder, sorted by name."""
    return [load_module(name) for name in discover_module_names(DEFAULT_MODULES_DIR)]
