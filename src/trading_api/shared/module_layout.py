"""Where modules and their API versions live on disk; stdlib only: scanning imports no FastAPI."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from trading_api.shared.module_errors import ModuleContractError

MODULES_PACKAGE = "trading_api.modules"
DEFAULT_MODULES_DIR = Path(__file__).resolve().parent.parent / "modules"

# "v1.py", "v2.py", "v10.py": no leading zero, so every version has exactly one file name.
_VERSION_FILE = re.compile(r"v([1-9][0-9]*)\.py")
# Anything that looks like it was meant as a version file ("v0.py", "v01.py", "V2.py").
_VERSION_LIKE_FILE = re.compile(r"[vV][0-9]+\.py")


def module_class_name(name: str) -> str:
    """Name of the class a module package defines: "market_data" -> "MarketDataModule"."""
    return "".join(part.capitalize() for part in name.split("_")) + "Module"


def version_base_path(module_name: str, version: int) -> str:
    """URL prefix a module version is mounted under: ("broker", 1) -> "/api/v1/broker"."""
    return f"/api/v{version}/{module_name}"


def is_module_name(name: str) -> bool:
    """True if `name` can name a module package: a lowercase, non-keyword Python identifier."""
    return name.isidentifier() and name == name.lower() and not keyword.iskeyword(name)


def check_module_name(name: str, module_dir: Path | None = None) -> None:
    """Raise ModuleContractError if `name` cannot name a module package."""
    if is_module_name(name):
        return
    where = f"folder {module_dir}" if module_dir is not None else f"module name {name!r}"
    suggestion = re.sub(r"[^a-z0-9_]", "_", name.lower()).lstrip("0123456789") or "my_module"
    raise ModuleContractError(
        f"{where}: {name!r} is not a valid module name; a module folder must be a lowercase "
        f"Python identifier (letters, digits, underscores, not a keyword), e.g. {suggestion!r}. "
        f"Rename the folder, or prefix it with '_' to keep it out of discovery."
    )


def discover_module_names(modules_dir: Path = DEFAULT_MODULES_DIR) -> list[str]:
    """Sorted names of the module packages in `modules_dir`.

    A module is a sub-folder holding an `__init__.py`; names starting with "_" or "." are skipped
    (private helpers, caches). A module folder with an invalid name raises ModuleContractError.
    """
    names: list[str] = []
    for child in sorted(modules_dir.iterdir()):
        if child.name.startswith(("_", ".")) or not (child / "__init__.py").is_file():
            continue
        check_module_name(child.name, child)
        names.append(child.name)
    return names


def api_versions(module_dir: Path) -> list[int]:
    """API versions of the module in `module_dir`, from its `api/v<N>.py` files, sorted numerically.

    A file that looks like a version but is not canonical ("v0.py", "v01.py") raises
    ModuleContractError instead of being silently ignored.
    """
    api_dir = module_dir / "api"
    if not api_dir.is_dir():
        return []
    versions: list[int] = []
    for child in api_dir.iterdir():
        if not child.is_file():
            continue
        match = _VERSION_FILE.fullmatch(child.name)
        if match is not None:
            versions.append(int(match.group(1)))
        elif _VERSION_LIKE_FILE.fullmatch(child.name):
            raise ModuleContractError(
                f"{child}: {child.name!r} is not a valid API version file name; use 'v<N>.py' "
                f"with N a positive integer without leading zeros (v1.py, v2.py, v10.py)."
            )
    return sorted(versions)
