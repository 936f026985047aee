"""Find modules and their API versions by looking at folders only: no import, no parsing.

The module contract (docs/architecture.md): `modules/<name>/` is a package named by a
lowercase Python identifier, holding `__init__.py` (the `<Name>Module` class) and one
`api/v<N>.py` per API version. Versions sort numerically, so v10 comes after v2.
"""

from __future__ import annotations

import keyword
import os
from pathlib import Path
from typing import NamedTuple

from apigen.derived_names import module_class_name
from apigen.findings import Finding

# Folders the app itself owns: a module by one of these names would shadow them.
RESERVED_MODULE_NAMES = frozenset({"shared", "models", "modules", "app", "api", "ws"})


class ModuleSource(NamedTuple):
    """One module as found on disk."""

    name: str
    package_dir: Path
    versions: tuple[int, ...]

    @property
    def class_name(self) -> str:
        return module_class_name(self.name)

    def api_file(self, version: int) -> Path:
        return self.package_dir / "api" / f"v{version}.py"


class Discovery(NamedTuple):
    modules: tuple[ModuleSource, ...]
    problems: tuple[Finding, ...]

    def module(self, name: str) -> ModuleSource:
        for module in self.modules:
            if module.name == name:
                return module
        raise KeyError(name)


def discover_modules(modules_dir: Path) -> Discovery:
    """Scan `modules_dir`; folders that break the contract become problems, not modules."""
    modules: list[ModuleSource] = []
    problems: list[Finding] = []
    try:
        entries = sorted(os.scandir(modules_dir), key=lambda entry: entry.name)
    except FileNotFoundError:
        return Discovery((), (Finding(str(modules_dir), None, "modules folder not found"),))
    for entry in entries:
        if not entry.is_dir() or entry.name.startswith(("_", ".")):
            continue
        folder = Path(modules_dir, entry.name)
        problem = _name_problem(entry.name) or (
            _outside_problem(folder, modules_dir) if entry.is_symlink() else None
        )
        if problem:
            problems.append(Finding(str(folder), None, problem))
            continue
        if not (folder / "__init__.py").is_file():
            problems.append(Finding(str(folder), None, _no_init_problem(folder)))
            continue
        versions, version_folders = _api_versions(folder / "api")
        problems.extend(version_folders)
        if not versions:
            problems.append(
                Finding(
                    str(folder / "api"),
                    None,
                    f"module '{entry.name}' has no API version; add api/v1.py defining "
                    "`router = APIRouter()`",
                )
            )
            continue
        modules.append(ModuleSource(entry.name, folder, versions))
    problems.extend(_derived_name_clashes(modules))
    clashing = {Path(problem.path or "").name for problem in problems}
    kept = tuple(module for module in modules if module.name not in clashing)
    return Discovery(kept, tuple(problems))


def _outside_problem(folder: Path, modules_dir: Path) -> str | None:
    """apigen writes a module's generated routers into its folder: a module folder that is a
    symlink to somewhere outside the project would make the build write there."""
    target = folder.resolve()
    project = modules_dir.resolve().parents[2]  # <project>/src/<package>/modules
    if target.is_relative_to(project):
        return None
    return (
        f"module folder is a symlink to {target}, outside the project; the build writes "
        "generated files into module folders, so copy the module into the project instead"
    )


def _no_init_problem(folder: Path) -> str:
    class_name = module_class_name(folder.name)
    if all(name == "__pycache__" for name in os.listdir(folder)):
        # What a branch switch or a moved module leaves behind: git removes the files, not
        # the folder or Python's caches.
        return (
            "module folder is empty (left behind by a branch switch or a move?); remove it, or "
            f"add __init__.py defining class {class_name} and api/v1.py"
        )
    return (
        f"module folder has no __init__.py; add one defining class {class_name}, or remove the "
        "folder"
    )


def _derived_name_clashes(modules: list[ModuleSource]) -> list[Finding]:
    """Module names that give the same class names (`ab_` and `ab` are both `AbModule`,
    `AbV1Client`...): the generated files and the clients index would collide."""
    by_class: dict[str, list[ModuleSource]] = {}
    for module in modules:
        by_class.setdefault(module.class_name, []).append(module)
    problems: list[Finding] = []
    for class_name, group in sorted(by_class.items()):
        if len(group) > 1:
            names = " and ".join(f"'{module.name}'" for module in group)
            problems.extend(
                Finding(
                    str(module.package_dir),
                    None,
                    f"modules {names} derive the same class name {class_name}; rename one "
                    "of the folders",
                )
                for module in group
            )
    return problems


def is_module_name(name: str) -> bool:
    """A lowercase ASCII Python identifier that starts with a letter and is not a keyword."""
    return (
        name.isascii()
        and name[:1].isalpha()
        and name.isidentifier()
        and name == name.lower()
        and not keyword.iskeyword(name)
    )


def version_of(file_name: str) -> int | None:
    """`v12.py` -> 12; None for anything else (`v0.py`, `v01.py`, `helpers.py`)."""
    digits = file_name[1:-3]
    if (
        file_name.startswith("v")
        and file_name.endswith(".py")
        and digits.isascii()
        and digits.isdigit()
        and not digits.startswith("0")
    ):
        return int(digits)
    return None


def _name_problem(name: str) -> str | None:
    if not is_module_name(name):
        import re  # only on this error path: regexes cost time on the no-op path

        suggestion = re.sub(r"[^a-z0-9_]", "_", name.lower()).strip("_") or "module"
        if suggestion[0].isdigit() or keyword.iskeyword(suggestion):
            suggestion = f"m_{suggestion}"
        what = (
            "is a Python keyword"
            if keyword.iskeyword(name)
            else "is not a lowercase Python identifier"
        )
        return f"module folder name '{name}' {what}; rename the folder, e.g. to '{suggestion}'"
    if name in RESERVED_MODULE_NAMES:
        return f"module folder name '{name}' is reserved by the project; choose another name"
    return None


def _api_versions(api_dir: Path) -> tuple[tuple[int, ...], list[Finding]]:
    """The versions `api/v<N>.py` defines, and a problem for each `api/v<N>/` folder (an API
    version is a file: such a folder would otherwise be silently ignored)."""
    try:
        names = os.listdir(api_dir)
    except (FileNotFoundError, NotADirectoryError):
        return (), []
    versions = tuple(sorted(v for v in map(version_of, names) if v is not None))
    folders = [
        Finding(
            str(api_dir / name),
            None,
            f"an API version is a file, api/{name}.py, not a folder; define the version's "
            f"router in api/{name}.py (it may include routers from a folder named otherwise, "
            f"e.g. api/{name}_routes/)",
        )
        for name in sorted(names)
        if version_of(f"{name}.py") is not None and (api_dir / name).is_dir()
    ]
    return versions, folders
