"""Fixtures: the demo API's generated client, written once per session and imported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.client.demo_app import create_demo_app, demo_spec
from tests.client.generated import import_client, write_client
from tests.support.live_server import live_server


@pytest.fixture(scope="session")
def demo_openapi() -> dict[str, Any]:
    return demo_spec()


@pytest.fixture(scope="session")
def demo_client_path(
    tmp_path_factory: pytest.TempPathFactory, demo_openapi: dict[str, Any]
) -> Path:
    return write_client(demo_openapi, tmp_path_factory.mktemp("demo_client"), module="demo")


@pytest.fixture(scope="session")
def demo(demo_client_path: Path) -> ModuleType:
    """The generated demo client module."""
    return import_client(demo_client_path)


@pytest.fixture()
def base_url() -> Iterator[str]:
    """A live uvicorn server with a fresh demo app."""
    with live_server(create_demo_app()) as url:
        yield url
