"""ws_routers:M — concrete, statically typed WebSocket router classes from the declarations.

Reads `modules/<m>/ws/v<N>.py` with `ast` (apigen.ws_declarations), renders one class per
declaration from `templates/ws_router.py.jinja` into `modules/<m>/ws_generated/v<N>/`, plus an
index defining `ROUTERS`. Writes only files whose bytes change and removes every generated file
(and version folder) that no declaration asks for any more. Runs no subprocess.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

from apigen.atomic_write import write_text_if_changed
from apigen.findings import Finding
from apigen.user_errors import UserError, user_facing
from apigen.ws_declarations import Declaration, declared_versions, read_declarations

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PACKAGE_DOC = '"""Generated WebSocket routers (`doit ws_routers`): do not edit."""\n'


@functools.cache
def _environment() -> Any:
    """One Jinja environment per process: compiling the two templates is ~11 ms of a ~12 ms
    task, and a `doit -n` worker or the warm worker runs many of them. The loader's
    `auto_reload` checks each template's mtime on use, so an edited template is compiled
    again."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # identifiers only: every name was checked by ws_declarations
        auto_reload=True,
    )


def render_routers(module: str, package_dir: Path) -> dict[Path, str]:
    """{generated file: source} for every declaration of the module; UserError on problems."""
    environment = _environment()
    router_template = environment.get_template("ws_router.py.jinja")
    index_template = environment.get_template("ws_routers_index.py.jinja")
    sources: dict[Path, str] = {}
    problems: list[Finding] = []
    declared: dict[int, tuple[Declaration, ...]] = {}
    for version, path in declared_versions(package_dir).items():
        found = read_declarations(path)
        problems.extend(found.problems)
        declared[version] = found.items
        # Named from the module, not from `path`: the bytes must not depend on how the
        # folder was given (relative in doit, absolute elsewhere).
        source = f"{module}/ws/{path.name}"
        context: dict[str, Any] = {"module": module, "version": version, "source": source}
        folder = package_dir / "ws_generated" / f"v{version}"
        for declaration in found.items:
            sources[folder / f"{declaration.snake_name}.py"] = router_template.render(
                d=declaration, imports=_imports(declaration), **context
            )
        sources[folder / "__init__.py"] = index_template.render(declarations=found.items, **context)
    if problems:
        raise UserError(problems)
    if declared:
        sources[package_dir / "ws_generated" / "__init__.py"] = PACKAGE_DOC
    return sources


def _imports(declaration: Declaration) -> list[tuple[str, list[str]]]:
    """`from module import names` lines for the two models, sorted as isort/ruff want them."""
    by_module: dict[str, set[str]] = {}
    by_module.setdefault(declaration.request_module, set()).add(declaration.request_model)
    by_module.setdefault(declaration.data_module, set()).add(declaration.data_model)
    return [(module, sorted(names)) for module, names in sorted(by_module.items())]


def remove_stale(package_dir: Path, keep: set[Path]) -> None:
    """Delete generated files no declaration produces any more, then folders left without any."""
    root = package_dir / "ws_generated"
    if not root.exists():
        return
    for path in root.rglob("*.py"):
        if path not in keep:
            path.unlink()
    folders = [*sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True), root]
    for folder in folders:  # deepest first
        if folder.exists() and not any(folder.rglob("*.py")):
            shutil.rmtree(folder)


LINE_LENGTH = 100


def _black(source: str) -> str:
    """The templates are written the way black formats them; only long model names can make a
    line too long, and then black (in-process) wraps it. Importing black costs ~0.2 s, so it
    is paid only when needed (tests check the output is stable under black either way)."""
    if all(len(line) <= LINE_LENGTH for line in source.splitlines()):
        return source
    import black

    return black.format_str(source, mode=black.Mode(line_length=LINE_LENGTH))


@user_facing
def generate_ws_routers(module: str, package_dir: str) -> None:
    """doit action for ws_routers:M."""
    folder = Path(package_dir)
    sources = render_routers(module, folder)
    for path, source in sources.items():
        write_text_if_changed(path, _black(source))
    remove_stale(folder, set(sources))
