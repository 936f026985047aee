"""The generated clients, imported from a real build, against the real app on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.live_server import live_server
from trading_api.app import create_app


def load_client(project: Path, module: str) -> ModuleType:
    path = project / "client_generated" / f"{module}_v1_client.py"
    name = f"generated_{module}_v1_client"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    client_module = importlib.util.module_from_spec(spec)
    sys.modules[name] = client_module  # pydantic resolves forward references through it
    spec.loader.exec_module(client_module)
    return client_module


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def broker(built_template: Path) -> ModuleType:
    return load_client(built_template, "broker")


@pytest.fixture(scope="module")
def datafeed(built_template: Path) -> ModuleType:
    return load_client(built_template, "datafeed")


def test_the_clients_are_standalone(broker: ModuleType, datafeed: ModuleType) -> None:
    for client in (broker, datafeed):
        source = Path(client.__file__ or "").read_text()
        assert "trading_api" not in source


def test_place_list_and_cancel_an_order(broker: ModuleType, base_url: str) -> None:
    with broker.BrokerV1Client(base_url, timeout=10) as client:
        filled = client.place_order(broker.OrderCreate(symbol="AAPL", side=broker.Side.BUY, qty=10))
        assert isinstance(filled, broker.OrderPublic)
        assert filled.status == broker.OrderStatus.FILLED
        working = client.place_order(
            broker.OrderCreate(
                symbol="MSFT",
                side=broker.Side.BUY,
                qty=5,
                type_=broker.OrderType.LIMIT,
                limit_price=1.0,
            )
        )
        assert working.status == broker.OrderStatus.WORKING
        listed = client.list_orders()
        assert {filled.id, working.id} <= {order.id for order in listed}
        assert all(isinstance(order, broker.OrderPublic) for order in listed)
        cancelled = client.cancel_order(working.id)
        assert cancelled.status == broker.OrderStatus.CANCELLED
        assert client.get_order(working.id).status == broker.OrderStatus.CANCELLED
        positions = client.list_positions()
        assert any(p.symbol == "AAPL" for p in positions)


def test_unknown_order_raises_a_typed_404(broker: ModuleType, base_url: str) -> None:
    with broker.BrokerV1Client(base_url) as client, pytest.raises(broker.ApiError) as caught:
        client.get_order("ORD-999999")
    assert caught.value.status_code == 404
    assert "ORD-999999" in str(caught.value.body)


def test_invalid_body_raises_a_typed_422(broker: ModuleType, base_url: str) -> None:
    with (
        broker.BrokerV1Client(base_url) as client,
        pytest.raises(broker.ApiValidationError) as caught,
    ):
        client.place_order(broker.OrderCreate(symbol="AAPL", side=broker.Side.BUY, qty=-3))
    assert caught.value.status_code == 422
    assert caught.value.errors and caught.value.errors[0].loc[-1] == "qty"


def test_fetch_bars(datafeed: ModuleType, base_url: str) -> None:
    start = 1_704_205_800  # 2024-01-02 14:30 UTC
    with datafeed.DatafeedV1Client(base_url) as client:
        bars = client.get_history("AAPL", datafeed.Resolution.VALUE_60, start, start + 6 * 3600)
    assert len(bars) == 6
    assert all(isinstance(bar, datafeed.BarPublic) for bar in bars)
    assert all(
        bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high for bar in bars
    )


def test_bad_range_raises_a_typed_422(datafeed: ModuleType, base_url: str) -> None:
    with datafeed.DatafeedV1Client(base_url) as client, pytest.raises(datafeed.ApiValidationError):
        client.get_history("AAPL", datafeed.Resolution.VALUE_60, 2_000, 1_000)


def test_async_client(broker: ModuleType, datafeed: ModuleType, base_url: str) -> None:
    async def scenario() -> tuple[object, list[object]]:
        async with broker.AsyncBrokerV1Client(base_url) as client:
            account = await client.get_account()
        async with datafeed.AsyncDatafeedV1Client(base_url) as client:
            quotes = await client.get_quotes(["AAPL", "EURUSD"])
        return account, quotes

    account, quotes = asyncio.run(scenario())
    assert isinstance(account, broker.AccountPublic)
    assert [quote.symbol for quote in quotes] == ["AAPL", "EURUSD"]
