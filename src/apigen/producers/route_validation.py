"""validate:M — check a module's sources statically: syntax, the module contract and routes.

Runs without importing the module, so it is fast and can point at the exact line: every route
must name an `operation_id` and a `response_model` explicitly (FastAPI would otherwise invent
the id and take the model from the return annotation, silently changing the client).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from apigen.derived_names import module_class_name
from apigen.findings import Finding
from apigen.user_errors import UserError, user_facing

ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "delete", "options", "head", "trace", "api_route"}
)
REQUIRED_ROUTE_KEYWORDS = ("operation_id", "response_model")


def check_module(module: str, package_dir: str, versions: Iterable[int]) -> list[Finding]:
    """All findings for one module; empty when it is valid."""
    root = Path(package_dir)
    findings: list[Finding] = []
    trees: dict[Path, ast.Module] = {}
    for path in sorted(root.rglob("*.py")):
        if any(part.endswith("_generated") for part in path.relative_to(root).parts):
            continue
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
            # Some errors only the compiler sees (a misplaced `from __future__`, `return`
            # outside a function): compile the tree too, it costs little.
            compile(tree, str(path), "exec", dont_inherit=True)
            trees[path] = tree
        except SyntaxError as error:
            findings.append(Finding(str(path), error.lineno, f"syntax error: {error.msg}"))
    findings.extend(_layering(module, root, trees))
    init = root / "__init__.py"
    if init in trees and not _defines(trees[init], module_class_name(module), ast.ClassDef):
        findings.append(
            Finding(
                str(init), None, f"module '{module}' must define class {module_class_name(module)}"
            )
        )
    for version in versions:
        api_file = root / "api" / f"v{version}.py"
        if api_file in trees:
            findings.extend(check_api_file(api_file, trees[api_file]))
    return findings


def _layering(module: str, root: Path, trees: dict[Path, ast.Module]) -> list[Finding]:
    """A module imports no other module and never the build package (import_boundaries)."""
    from apigen.producers.import_boundaries import check_tree
    from apigen.project_layout import ProjectLayout

    package = root.parent.parent.name  # src/<package>/modules/<module>
    build_package = ProjectLayout(Path(".")).build_package
    findings = []
    for path, tree in trees.items():
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        dotted = ".".join([package, "modules", module, *parts])
        findings += check_tree(tree, path, dotted, package, build_package)
    return findings


def check_api_file(path: Path, tree: ast.Module) -> list[Finding]:
    findings: list[Finding] = []
    if not _defines(tree, "router", ast.Assign):
        findings.append(
            Finding(str(path), None, "no module-level `router`; define `router = APIRouter()`")
        )
    operation_ids: dict[str, int] = {}
    for route_name, call in _route_calls(tree):
        keywords = {keyword.arg: keyword for keyword in call.keywords}
        if None in keywords:  # **options: cannot be checked statically
            continue
        for required in REQUIRED_ROUTE_KEYWORDS:
            if required not in keywords:
                findings.append(
                    Finding(
                        str(path),
                        call.lineno,
                        f"route '{route_name}' has no {required} "
                        f"(add {required}=... to the route declaration)",
                    )
                )
        operation_id = keywords.get("operation_id")
        if operation_id is not None and isinstance(operation_id.value, ast.Constant):
            value = operation_id.value.value
            if isinstance(value, str) and value in operation_ids:
                findings.append(
                    Finding(
                        str(path),
                        call.lineno,
                        f"route '{route_name}' reuses operation_id '{value}' (first used on "
                        f"line {operation_ids[value]}); operation ids must be unique",
                    )
                )
            elif isinstance(value, str):
                operation_ids[value] = call.lineno
    return findings


def _route_calls(tree: ast.Module) -> Iterable[tuple[str, ast.Call]]:
    """(route name, declaring call) for `@x.get(...)` decorators and `x.add_api_route(...)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in ROUTE_DECORATORS
                ):
                    yield node.name, decorator
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_api_route"
        ):
            endpoint = node.args[1] if len(node.args) > 1 else None
            name = endpoint.id if isinstance(endpoint, ast.Name) else "<add_api_route>"
            yield name, node


def _defines(tree: ast.Module, name: str, kind: type[ast.stmt]) -> bool:
    for node in tree.body:
        if kind is ast.ClassDef and isinstance(node, ast.ClassDef) and node.name == name:
            return True
        if kind is ast.Assign:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if any(isinstance(target, ast.Name) and target.id == name for target in targets):
                return True
    return False


@user_facing
def validate_module(module: str, package_dir: str, versions: list[int]) -> None:
    """doit action for validate:M."""
    findings = check_module(module, package_dir, versions)
    if findings:
        raise UserError(findings)
