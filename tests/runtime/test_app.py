"""Root app and versioned sub-apps: mounting, OpenAPI specs, docs, and the import rules."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from openapi_spec_validator import validate
from starlette.routing import Mount

import trading_api
from trading_api.app import create_app
from trading_api.shared.module_loader import load_module
from trading_api.shared.versioned_app import create_version_app

PACKAGE_DIR = Path(trading_api.__file__).parent
EXPECTED_MOUNTS = {("broker", 1), ("core", 1), ("datafeed", 1)}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def _specs(client: httpx.Client) -> dict[str, dict[str, Any]]:
    specs = {}
    for mounted in client.get("/").json():
        response = client.get(mounted["openapi_url"])
        assert response.status_code == 200, mounted
        specs[mounted["base_path"]] = response.json()
    return specs


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_index_lists_every_module_version_with_its_urls(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    mounted = response.json()
    assert {(m["module"], m["version"]) for m in mounted} == EXPECTED_MOUNTS
    broker = next(m for m in mounted if m["module"] == "broker")
    assert broker == {
        "module": "broker",
        "version": 1,
        "base_path": "/api/v1/broker",
        "docs_url": "/api/v1/broker/docs",
        "openapi_url": "/api/v1/broker/openapi.json",
    }


def test_root_app_has_its_own_small_spec_and_docs(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert list(spec["paths"]) == ["/"]
    assert spec["paths"]["/"]["get"]["operationId"] == "list_apis"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


def test_each_sub_app_serves_its_spec_with_title_version_and_server(client: httpx.Client) -> None:
    specs = _specs(client)
    assert set(specs) == {"/api/v1/broker", "/api/v1/core", "/api/v1/datafeed"}
    assert specs["/api/v1/broker"]["info"]["title"] == "Broker API"
    assert specs["/api/v1/datafeed"]["info"]["title"] == "Datafeed API"
    for base_path, spec in specs.items():
        assert spec["info"]["version"] == "v1"
        assert spec["servers"] == [{"url": base_path}]


def test_each_sub_app_serves_docs_pointing_at_its_own_spec(client: httpx.Client) -> None:
    for mounted in client.get("/").json():
        docs = client.get(mounted["docs_url"])
        assert docs.status_code == 200
        assert "swagger-ui" in docs.text
        assert f"'{mounted['openapi_url']}'" in docs.text


def test_every_served_spec_is_valid_openapi(client: httpx.Client) -> None:
    validate(client.get("/openapi.json").json())
    for spec in _specs(client).values():
        validate(spec)


def test_every_operation_has_a_unique_snake_case_operation_id(client: httpx.Client) -> None:
    for base_path, spec in _specs(client).items():
        ids = [operation.get("operationId") for _, _, operation in _operations(spec)]
        assert ids, base_path
        assert all(isinstance(i, str) and SNAKE_CASE.fullmatch(i) for i in ids), (base_path, ids)
        assert len(ids) == len(set(ids)), (base_path, ids)


def test_every_operation_has_a_description_and_a_typed_success_response(
    client: httpx.Client,
) -> None:
    for base_path, spec in _specs(client).items():
        for method, path, operation in _operations(spec):
            where = f"{method.upper()} {base_path}{path}"
            assert operation.get("description"), where
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert len(success) == 1, where
            schema = operation["responses"][success[0]]["content"]["application/json"]["schema"]
            assert schema.get("$ref") or schema.get("type") == "array", where


def test_a_component_name_means_the_same_schema_in_every_spec(client: httpx.Client) -> None:
    seen: dict[str, str] = {}
    for spec in _specs(client).values():
        for name, schema in spec["components"]["schemas"].items():
            assert not name.endswith(("-Input", "-Output")), name
            canonical = json.dumps(schema, sort_keys=True)
            assert seen.setdefault(name, canonical) == canonical, f"two schemas named {name}"
    # Spot-check the spec really exercises enums, nullables, arrays, nested refs and constraints.
    assert seen["Side"] and '"enum"' in seen["Side"]
    order = json.loads(seen["OrderCreate"])
    assert order["properties"]["qty"]["minimum"] == 1e-9
    brackets = json.loads(seen["PositionBrackets"])
    assert {"type": "number", "exclusiveMinimum": 0, "maximum": 1e9} in [
        {key: item[key] for key in ("type", "exclusiveMinimum", "maximum") if key in item}
        for item in brackets["properties"]["take_profit"]["anyOf"]
    ]
    assert {"type": "null"} in order["properties"]["limit_price"]["anyOf"]
    position = json.loads(seen["PositionPublic"])
    assert position["properties"]["brackets"]["$ref"] == "#/components/schemas/PositionBrackets"


def test_version_app_holds_the_module_service_and_only_that_modules_routes() -> None:
    module = load_module("broker")
    app = create_version_app(module, 1)
    assert app.state.service is module.service
    assert module.service is module.service  # created once
    assert app.title == "Broker API"
    assert app.version == "v1"
    paths = set(app.openapi()["paths"])
    assert "/orders" in paths
    assert not any(path.startswith(("/health", "/history")) for path in paths)


def test_apps_built_from_the_same_modules_share_their_services() -> None:
    modules = [load_module("broker")]
    for app in (create_app(modules), create_app(modules)):
        mounts = [r for r in app.routes if isinstance(r, Mount)]
        assert [m.path for m in mounts] == ["/api/v1/broker"]
        assert mounts[0].app.state.service is modules[0].service  # type: ignore[attr-defined]


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_modules_never_import_each_other_and_shared_never_imports_modules() -> None:
    modules_dir = PACKAGE_DIR / "modules"
    for module_dir in (d for d in modules_dir.iterdir() if (d / "__init__.py").is_file()):
        own = f"trading_api.modules.{module_dir.name}"
        for path in module_dir.rglob("*.py"):
            for name in _imported_names(path):
                if name.startswith("trading_api.modules"):
                    assert name == own or name.startswith(own + "."), f"{path} imports {name}"
    for path in [*(PACKAGE_DIR / "shared").rglob("*.py"), *(PACKAGE_DIR / "models").rglob("*.py")]:
        for name in _imported_names(path):
            assert not name.startswith("trading_api.modules"), f"{path} imports {name}"
    for path in (PACKAGE_DIR / "models").rglob("*.py"):
        for name in _imported_names(path):
            if name.startswith("trading_api."):
                assert name.startswith("trading_api.models"), f"{path} imports {name}"


def test_importing_the_package_and_module_layout_does_not_import_fastapi() -> None:
    code = (
        "import sys, trading_api, trading_api.shared.module_layout; "
        "print(sorted(m for m in ('fastapi', 'pydantic', 'uvicorn') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
