"""Build the FastAPI sub-app of one module version, mounted at /api/v<N>/<module> (WS at /ws)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from trading_api.shared.http_errors import install_http_error_handlers
from trading_api.shared.module_contract import Module
from trading_api.shared.module_layout import version_base_path
from trading_api.shared.service_dependency import SERVICE_STATE_KEY
from trading_api.shared.service_errors import install_service_error_handlers
from trading_api.shared.ws import install_ws_endpoint


def create_version_app(module: Module[Any], version: int) -> FastAPI:
    """A standalone app for `module` at `version`, with its own /docs and /openapi.json.

    If the module declares WebSocket topics for `version`, the app also serves them at `/ws`
    (docs/websocket-protocol.md), with a subscription hub of its own.
    """
    app = FastAPI(
        title=f"{module.title} API",
        version=f"v{version}",
        description=f"Version {version} of the {module.name} module of the trading API.",
        servers=[{"url": version_base_path(module.name, version)}],
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    setattr(app.state, SERVICE_STATE_KEY, module.service)
    router = module.router(version)
    install_http_error_handlers(app, router.routes)
    install_service_error_handlers(app)
    app.include_router(router)
    ws_routers = module.ws_routers(version)
    if ws_routers:
        owner = f"module {module.name!r} v{version}"
        install_ws_endpoint(app, module.service, ws_routers, module.ws_settings, owner)
    return app
