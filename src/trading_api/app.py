"""Root application: mounts every module version's sub-app at /api/v<N>/<module>."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request

from trading_api.models.system import MountedApiPublic
from trading_api.shared.module_contract import Module
from trading_api.shared.module_layout import version_base_path
from trading_api.shared.module_loader import load_modules
from trading_api.shared.versioned_app import create_version_app

_MOUNTED_STATE_KEY = "mounted_apis"

_index_router = APIRouter(tags=["index"])


@_index_router.get("/", operation_id="list_apis", response_model=list[MountedApiPublic])
async def list_apis(request: Request) -> list[MountedApiPublic]:
    """List the mounted module versions with their docs and OpenAPI URLs."""
    mounted: list[MountedApiPublic] = getattr(request.app.state, _MOUNTED_STATE_KEY)
    return mounted


def create_app(modules: Sequence[Module[Any]] | None = None) -> FastAPI:
    """The whole backend: every discovered module (or `modules`), every API version, mounted."""
    app = FastAPI(
        title="Trading API",
        version="0.1.0",
        description="Index of the module APIs; each has its own /docs under its base path.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.include_router(_index_router)
    mounted: list[MountedApiPublic] = []
    for module in load_modules() if modules is None else modules:
        for version in module.versions():
            base_path = version_base_path(module.name, version)
            app.mount(base_path, create_version_app(module, version))
            mounted.append(
                MountedApiPublic(
                    module=module.name,
                    version=version,
                    base_path=base_path,
                    docs_url=f"{base_path}/docs",
                    openapi_url=f"{base_path}/openapi.json",
                )
            )
    setattr(app.state, _MOUNTED_STATE_KEY, mounted)
    return app
