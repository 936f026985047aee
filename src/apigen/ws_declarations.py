"""Read a module's WebSocket declarations with `ast`: no import, no regex.

A declaration file `modules/<m>/ws/v<N>.py` holds lines like

    BarsRouter: TypeAlias = WsRouter[BarsSubscriptionRequest, BarPublic]

with both models imported by name (`from trading_api.models.market_data import ...`). Each
becomes a generated router class (producers/ws_routers.py); the route name is the kebab-case of
the alias without its `Router` suffix (`BrokerConnectionRouter` -> `broker-connection`).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

from apigen.findings import Finding
from apigen.module_discovery import version_of

BASE_CLASS = "WsRouter"
SUFFIX = "Router"


class Declaration(NamedTuple):
    """One `Name: TypeAlias = WsRouter[Request, Data]` line, with where its models come from."""

    class_name: str
    request_model: str
    request_module: str
    data_model: str
    data_module: str
    line: int

    @property
    def route(self) -> str:
        """`BrokerConnectionRouter` -> `broker-connection`."""
        return self.snake_name.replace("_", "-")

    @property
    def snake_name(self) -> str:
        """`BrokerConnectionRouter` -> `broker_connection`: file and method names."""
        stem = self.class_name[: -len(SUFFIX)]
        return "".join(
            f"_{char.lower()}" if char.isupper() and index else char.lower()
            for index, char in enumerate(stem)
        )


class Declarations(NamedTuple):
    items: tuple[Declaration, ...]
    problems: tuple[Finding, ...]


def read_declarations(path: Path) -> Declarations:
    """All declarations of one file, and every problem with a file:line and what to do."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as error:
        return Declarations((), (Finding(str(path), error.lineno, f"syntax error: {error.msg}"),))
    imported = _imported_names(tree)
    items: list[Declaration] = []
    problems: list[Finding] = []
    routes: dict[str, int] = {}
    for node in tree.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        where = (str(path), node.lineno)
        if not _is_type_alias(node.annotation):
            continue
        models = _router_arguments(node.value)
        if models is None:
            problems.append(
                Finding(
                    *where,
                    f"'{name}' is not a WebSocket router declaration; write "
                    f"`{name}: TypeAlias = WsRouter[RequestModel, DataModel]`",
                )
            )
            continue
        if not name.endswith(SUFFIX) or name == SUFFIX or not name[0].isupper():
            problems.append(
                Finding(
                    *where, f"router alias '{name}' must be a CamelCase name ending in 'Router'"
                )
            )
            continue
        unknown = [model for model in models if model not in imported]
        if unknown:
            problems.extend(
                Finding(
                    *where,
                    f"'{name}' names unknown model '{model}'; import it by name, e.g. "
                    f"`from trading_api.models.<domain> import {model}`",
                )
                for model in unknown
            )
            continue
        request, data = models
        declaration = Declaration(
            name, request, imported[request], data, imported[data], node.lineno
        )
        if declaration.route in routes:
            problems.append(
                Finding(
                    *where,
                    f"duplicate route '{declaration.route}' (first declared on line "
                    f"{routes[declaration.route]}); rename one of the aliases",
                )
            )
            continue
        routes[declaration.route] = node.lineno
        items.append(declaration)
    return Declarations(tuple(items), tuple(problems))


def _is_type_alias(annotation: ast.expr) -> bool:
    return (isinstance(annotation, ast.Name) and annotation.id == "TypeAlias") or (
        isinstance(annotation, ast.Attribute) and annotation.attr == "TypeAlias"
    )


def _router_arguments(value: ast.expr | None) -> tuple[str, str] | None:
    """(`Request`, `Data`) of `WsRouter[Request, Data]`, or None for anything else."""
    if not isinstance(value, ast.Subscript):
        return None
    base = value.value
    base_name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
    if base_name != BASE_CLASS or not isinstance(value.slice, ast.Tuple):
        return None
    elements = value.slice.elts
    if len(elements) != 2 or not all(isinstance(element, ast.Name) for element in elements):
        return None
    return elements[0].id, elements[1].id  # type: ignore[attr-defined]


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """{local name: absolute module} for every `from X import Name` at the top of the file."""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
    return names


def generated_files(package_dir: Path, versions: dict[int, tuple[Declaration, ...]]) -> list[Path]:
    """Every file ws_routers writes for these declarations (the task's targets)."""
    root = package_dir / "ws_generated"
    files = [root / "__init__.py"] if versions else []
    for version, declarations in sorted(versions.items()):
        folder = root / f"v{version}"
        files.append(folder / "__init__.py")
        files.extend(folder / f"{d.snake_name}.py" for d in declarations)
    return files


def declared_versions(package_dir: Path) -> dict[int, Path]:
    """{N: ws/v<N>.py} for the module's declaration files."""
    folder = package_dir / "ws"
    if not folder.is_dir():
        return {}
    found = {version_of(path.name): path for path in folder.iterdir()}
    return {v: found[v] for v in sorted(v for v in found if v is not None)}
