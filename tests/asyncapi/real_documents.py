"""The AsyncAPI and OpenAPI documents of the repository's real modules, built in-process.

Exporting needs the generated router classes (`ws_generated/`, build output of `ws_routers:M`):
they are (re)written first with the real generator, which leaves unchanged files untouched.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from apigen.producers.asyncapi_spec import build_asyncapi
from apigen.producers.openapi_spec import build_openapi
from apigen.producers.ws_routers import generate_ws_routers
from tests.support.doit_project import PROJECT_ROOT
from trading_api.shared.module_layout import api_versions, discover_module_names

SRC = PROJECT_ROOT / "src"
MODULES_DIR = SRC / "trading_api" / "modules"


@functools.cache
def module_versions() -> tuple[tuple[str, int], ...]:
    """Every (module, version) of the project, after generating the WebSocket routers."""
    pairs = []
    for module in discover_module_names(MODULES_DIR):
        package_dir = MODULES_DIR / module
        if (package_dir / "ws").is_dir():
            failure = generate_ws_routers(module, str(package_dir))
            assert failure is None, failure
        pairs += [(module, version) for version in api_versions(package_dir)]
    return tuple(pairs)


@functools.cache
def _asyncapi(module: str, version: int) -> str:
    from apigen.spec_json import canonical_json

    return canonical_json(build_asyncapi(str(SRC), module, version))


def asyncapi_document(module: str, version: int = 1) -> dict[str, Any]:
    """A fresh copy (tests may change it) of the exported document."""
    import json

    module_versions()
    return dict(json.loads(_asyncapi(module, version)))


def asyncapi_text(module: str, version: int = 1) -> str:
    module_versions()
    return _asyncapi(module, version)


def openapi_document(module: str, version: int = 1) -> dict[str, Any]:
    module_versions()
    return build_openapi(str(SRC), module, version)


def ws_modules() -> tuple[tuple[str, int], ...]:
    """The (module, version) pairs that declare WebSocket routes."""
    return tuple(
        (module, version)
        for module, version in module_versions()
        if (MODULES_DIR / module / "ws" / f"v{version}.py").is_file()
    )


def write_json(folder: Path, name: str, document: Any) -> Path:
    from apigen.spec_json import canonical_json

    path = folder / name
    path.write_text(canonical_json(document), encoding="utf-8")
    return path
