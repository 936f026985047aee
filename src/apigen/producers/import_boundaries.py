"""check_imports — the backend's layering, checked statically from each file's imports.

- a module (`trading_api.modules.<m>`) imports no other module;
- `trading_api.models` imports nothing else from the app;
- `trading_api.shared` never imports `trading_api.modules` statically (it loads them with
  importlib, so no module's import closure contains another module);
- nothing in `trading_api` imports the build package `apigen`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from apigen.findings import Finding
from apigen.user_errors import UserError, user_facing


def layer_of(dotted: str, package: str) -> tuple[str, str | None]:
    """(`modules`, `broker`) for trading_api.modules.broker.x; (`models`, None) ...;
    (`outside`, None) for anything that is not the backend."""
    parts = dotted.split(".")
    if parts[0] != package:
        return ("outside", None)
    layer = parts[1] if len(parts) > 1 else "root"
    owner = parts[2] if layer == "modules" and len(parts) > 2 else None
    return (layer, owner)


def check_file(path: Path, dotted: str, package: str, build_package: str) -> list[Finding]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError:
        return []  # validate:M and the exporters report syntax errors with file and line
    return check_tree(tree, path, dotted, package, build_package)


def check_tree(
    tree: ast.Module, path: Path, dotted: str, package: str, build_package: str
) -> list[Finding]:
    """The layering problems of one parsed file whose module name is `dotted`."""
    layer, owner = layer_of(dotted, package)
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [node.module]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            base = dotted.split(".")
            base = base[: len(base) - node.level + (1 if path.name == "__init__.py" else 0)]
            targets = [".".join([*base, node.module] if node.module else base)]
        else:
            continue
        for target in targets:
            problem = _problem(layer, owner, target, package, build_package)
            if problem:
                findings.append(Finding(str(path), node.lineno, problem))
    return findings


def _problem(layer: str, owner: str | None, target: str, package: str, build: str) -> str | None:
    if target == build or target.startswith(build + "."):
        return f"imports the build package '{build}'; the runtime must never import it"
    target_layer, target_owner = layer_of(target, package)
    if layer == "modules" and target_layer == "modules" and target_owner not in (None, owner):
        return (
            f"module '{owner}' imports module '{target_owner}' ({target}); modules may import "
            f"only {package}.models and {package}.shared: move what they share there"
        )
    if layer == "models" and target_layer not in ("models", "outside"):
        return f"models import '{target}'; {package}.models must import nothing else from the app"
    if layer == "shared" and target_layer == "modules":
        return (
            f"shared code imports '{target}'; {package}.shared must not import modules "
            "(load them with importlib, as module_loader does)"
        )
    return None


@user_facing
def check_imports(files: list[str], src_dir: str, package: str, build_package: str) -> None:
    """doit action for check_imports."""
    root = Path(src_dir)
    findings = []
    for file in files:
        path = Path(file)
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        findings += check_file(path, ".".join(parts), package, build_package)
    if findings:
        raise UserError(findings)
