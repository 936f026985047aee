"""openapi:M — build each API version's FastAPI app in-process and write its OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apigen import warm_worker
from apigen.findings import Finding
from apigen.spec_writer import write_version_specs
from apigen.user_code import project_relative, run_user_code
from apigen.user_errors import UserError, user_facing


def build_openapi(src_dir: str, module: str, version: int) -> dict[str, Any]:
    """Import the module, build its version app and return the OpenAPI document."""

    def build() -> dict[str, Any]:
        from trading_api.shared.module_loader import load_module
        from trading_api.shared.versioned_app import create_version_app

        app = create_version_app(load_module(module), version)
        api_file = f"{src_dir}/trading_api/modules/{module}/api/v{version}.py"
        _check_routes(app.routes, f"{module} v{version}", project_relative(api_file))
        return app.openapi()

    return run_user_code(src_dir, f"building the {module} v{version} app", build)


def _check_routes(routes: list[Any], owner: str, api_file: str) -> None:
    """Every route, including those of included routers and mounted sub-apps, needs an
    operation id and a response model, and no two share an operation id (validate:M checks
    each file statically; this sees the routes that other files contribute)."""
    from fastapi.routing import APIRoute, APIWebSocketRoute

    findings: list[Finding] = []
    served = 0
    first_use: dict[str, tuple[str, str | None, int | None]] = {}
    for route in _walk_routes(routes):
        served += isinstance(route, APIRoute | APIWebSocketRoute)
        if isinstance(route, APIRoute):
            code = getattr(route.endpoint, "__code__", None)
            path = None if code is None else project_relative(code.co_filename)
            line = None if code is None else code.co_firstlineno
            for attribute in ("operation_id", "response_model"):
                if getattr(route, attribute) is None:
                    findings.append(
                        Finding(path, line, f"route '{route.name}' has no {attribute} ({owner})")
                    )
            operation_id = route.operation_id
            if operation_id is None:
                continue
            if operation_id in first_use:
                name, first_path, first_line = first_use[operation_id]
                findings.append(
                    Finding(
                        path,
                        line,
                        f"route '{route.name}' reuses operation_id '{operation_id}' of route "
                        f"'{name}' ({first_path}:{first_line}); operation ids must be unique "
                        f"within {owner}",
                    )
                )
            else:
                first_use[operation_id] = (route.name, path, line)
    if not served:
        findings.append(
            Finding(
                api_file,
                None,
                f"{owner} serves no routes; declare at least one route on its router, or remove "
                "the file",
            )
        )
    if findings:
        raise UserError(findings)


def _walk_routes(routes: list[Any]) -> Iterator[Any]:
    """Routes at any depth: FastAPI >= 0.160 keeps included routers as `_IncludedRouter`
    entries (with `original_router`); mounted apps keep theirs on `app.routes`."""
    for route in routes:
        included = getattr(route, "original_router", None)
        mounted = getattr(getattr(route, "app", None), "routes", None)
        if included is not None:
            yield from _walk_routes(included.routes)
        elif isinstance(mounted, list):
            yield from _walk_routes(mounted)
        else:
            yield route


@user_facing
def export_openapi(
    src_dir: str, module: str, versions: list[int], outputs: list[str]
) -> dict[str, Any]:
    """doit action for openapi:M: in the warm worker when one runs, else in-process."""
    args = (src_dir, module, versions, outputs)
    return dict(warm_worker.call(write_specs, args, warm_here="fastapi"))


def write_specs(
    src_dir: str, module: str, versions: list[int], outputs: list[str]
) -> dict[str, Any]:
    """One spec file per API version, rewritten only when its bytes change; what changed."""
    return write_version_specs(build_openapi, src_dir, module, versions, outputs)
