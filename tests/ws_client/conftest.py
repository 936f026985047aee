"""Fixtures: WebSocket clients rendered from the real AsyncAPI documents, and a live app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI

from apigen.ws_client import render_ws_client
from tests.asyncapi.real_documents import asyncapi_document
from tests.client.generated import import_client
from tests.support.live_server import live_server
from trading_api.app import create_app


def write_ws_client(folder: Path, module: str, version: int = 1) -> Path:
    path = folder / f"{module}_v{version}_ws_client.py"
    source = render_ws_client(asyncapi_document(module, version), module=module, version=version)
    path.write_text(source, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def ws_client_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ws_clients")
    return {module: write_ws_client(folder, module) for module in ("datafeed", "broker")}


@pytest.fixture(scope="session")
def datafeed_ws(ws_client_files: dict[str, Path]) -> ModuleType:
    """The generated datafeed v1 WebSocket client module."""
    return import_client(ws_client_files["datafeed"])


@pytest.fixture(scope="session")
def broker_ws(ws_client_files: dict[str, Path]) -> ModuleType:
    """The generated broker v1 WebSocket client module."""
    return import_client(ws_client_files["broker"])


class LiveApp:
    """A fresh app served on 127.0.0.1, and a view of its subscription hubs."""

    def __init__(self, app: FastAPI, base_url: str) -> None:
        self.app = app
        self.base_url = base_url

    def state(self, module: str, version: int = 1) -> Any:
        """The `app.state` of a mounted module version."""
        for route in self.app.routes:
            if getattr(route, "path", None) == f"/api/v{version}/{module}":
                return route.app.state  # type: ignore[attr-defined]
        raise LookupError(f"{module} v{version} is not mounted")

    def topics(self, module: str, version: int = 1) -> dict[str, int]:
        """Open topics of a module version's hub and their subscriber counts (server side)."""
        from trading_api.shared.ws import HUB_STATE_KEY

        return dict(getattr(self.state(module, version), HUB_STATE_KEY).subscriber_counts())

    def service(self, module: str, version: int = 1) -> Any:
        from trading_api.shared.service_dependency import SERVICE_STATE_KEY

        return getattr(self.state(module, version), SERVICE_STATE_KEY)


@pytest.fixture
def live() -> Iterator[LiveApp]:
    app = create_app()
    with live_server(app) as base_url:
        yield LiveApp(app, base_url)
