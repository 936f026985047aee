"""Fixtures: a fresh backend (new services, new simulated clock) on a real server per test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.live_server import live_server
from trading_api.app import create_app


@pytest.fixture
def base_url() -> Iterator[str]:
    """Base URL of a freshly created app served by uvicorn on 127.0.0.1."""
    with live_server(create_app()) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    """HTTP client on the fresh app."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


@pytest.fixture
def broker(base_url: str) -> Iterator[httpx.Client]:
    """HTTP client rooted at the broker module's v1 API."""
    with httpx.Client(base_url=f"{base_url}/api/v1/broker", timeout=10) as http:
        yield http


@pytest.fixture
def datafeed(base_url: str) -> Iterator[httpx.Client]:
    """HTTP client rooted at the datafeed module's v1 API."""
    with httpx.Client(base_url=f"{base_url}/api/v1/datafeed", timeout=10) as http:
        yield http
