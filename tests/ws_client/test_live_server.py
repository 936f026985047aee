"""The generated WebSocket clients against the real app on 127.0.0.1 (uvicorn, real sockets)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar

import httpx
import pytest

from tests.ws_client.conftest import LiveApp

T = TypeVar("T")


def run(coroutine: Awaitable[T], timeout: float = 30) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, timeout)

    return asyncio.run(bounded())


async def eventually(condition: Callable[[], bool], timeout: float = 5) -> None:
    """The server runs in another thread: wait until it has caught up."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def take(iterator: Any, count: int) -> list[Any]:
    items = []
    async with contextlib.aclosing(iterator):
        async for item in iterator:
            items.append(item)
            if len(items) == count:
                break
    return items


def test_bars_arrive_as_typed_models(live: LiveApp, datafeed_ws: ModuleType) -> None:
    async def scenario() -> list[Any]:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url) as ws:
            request = datafeed_ws.BarsSubscriptionRequest(symbol="AAPL")
            return await take(ws.bars(request), 3)

    bars = run(scenario())
    assert all(isinstance(bar, datafeed_ws.BarPublic) for bar in bars)
    assert [bar.time for bar in bars] == sorted(bar.time for bar in bars)
    assert all(bar.low <= bar.close <= bar.high for bar in bars)


def test_routes_are_multiplexed_on_one_connection(live: LiveApp, datafeed_ws: ModuleType) -> None:
    async def scenario() -> tuple[list[Any], list[Any], dict[str, int]]:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url) as ws:
            bars_request = datafeed_ws.BarsSubscriptionRequest(symbol="MSFT")
            quotes_request = datafeed_ws.QuotesSubscriptionRequest(symbols=["AAPL", "BTCUSD"])
            bars_iterator, quotes_iterator = ws.bars(bars_request), ws.quotes(quotes_request)
            async with contextlib.aclosing(bars_iterator), contextlib.aclosing(quotes_iterator):
                bars = [await anext(bars_iterator)]
                quotes = [await anext(quotes_iterator)]
                topics = live.topics("datafeed")  # both subscriptions are active here
                more_bars, more_quotes = await asyncio.gather(
                    take(bars_iterator, 1), take(quotes_iterator, 3)
                )
            return bars + more_bars, quotes + more_quotes, topics

    bars, quotes, topics = run(scenario())
    assert len(bars) == 2 and len(quotes) == 4
    assert all(isinstance(bar, datafeed_ws.BarPublic) for bar in bars)
    assert all(isinstance(quote, datafeed_ws.QuotePublic) for quote in quotes)
    assert {quote.symbol for quote in quotes} <= {"AAPL", "BTCUSD"}
    assert len(topics) == 2 and set(topics.values()) == {1}  # one connection in each topic


def test_stopping_the_iteration_unsubscribes(live: LiveApp, datafeed_ws: ModuleType) -> None:
    async def scenario() -> None:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url) as ws:
            request = datafeed_ws.BarsSubscriptionRequest(symbol="TSLA")
            await take(ws.bars(request), 1)  # closed by contextlib.aclosing
            assert live.topics("datafeed") == {}
            async for _ in ws.bars(request):
                break  # no aclosing: the event loop finalises the generator
            await eventually(lambda: live.topics("datafeed") == {})
            # The connection is still usable afterwards.
            assert len(await take(ws.bars(request), 1)) == 1

    run(scenario())


def test_one_topic_iterated_twice_stays_until_both_stop(
    live: LiveApp, datafeed_ws: ModuleType
) -> None:
    async def scenario() -> None:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url) as ws:
            request = datafeed_ws.QuotesSubscriptionRequest(symbols=["EURUSD"])
            first, second = ws.quotes(request), ws.quotes(request)
            async with contextlib.aclosing(first), contextlib.aclosing(second):
                await anext(first)
                await anext(second)
                await first.aclose()
                assert len(live.topics("datafeed")) == 1  # the other iteration still reads
                assert (await anext(second)).symbol == "EURUSD"
            assert live.topics("datafeed") == {}

    run(scenario())


def test_a_refused_subscription_raises_the_servers_message(
    live: LiveApp, datafeed_ws: ModuleType
) -> None:
    async def scenario() -> Any:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url) as ws:
            request = datafeed_ws.BarsSubscriptionRequest(symbol="NOSUCH")
            with pytest.raises(datafeed_ws.WsSubscriptionError) as raised:
                await take(ws.bars(request), 1)
            # The connection survives a refusal.
            good = datafeed_ws.BarsSubscriptionRequest(symbol="AAPL")
            assert len(await take(ws.bars(good), 1)) == 1
            return raised.value

    error = run(scenario())
    assert error.route == "bars"
    assert "unknown symbol 'NOSUCH'" in error.message
    assert error.topic.startswith("bars:")
    assert isinstance(error, Exception) and "bars: unknown symbol" in str(error)


def test_a_payload_the_server_rejects_raises_with_its_message(
    live: LiveApp, datafeed_ws: ModuleType
) -> None:
    async def scenario() -> Any:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url) as ws:
            # The generated models carry no constraints; the server's model wants a symbol.
            request = datafeed_ws.QuotesSubscriptionRequest(symbols=[])
            with pytest.raises(datafeed_ws.WsSubscriptionError) as raised:
                await take(ws.quotes(request), 1)
            return raised.value

    error = run(scenario())
    assert "invalid quotes.subscribe payload" in error.message
    assert error.topic == ""


def test_an_order_placed_over_rest_arrives_as_a_typed_update(
    live: LiveApp, broker_ws: ModuleType
) -> None:
    async def scenario() -> tuple[Any, dict[str, Any]]:
        async with broker_ws.BrokerV1WsClient(live.base_url) as ws:
            orders = ws.orders(broker_ws.OrdersSubscriptionRequest())
            async with contextlib.aclosing(orders):
                first = asyncio.ensure_future(anext(orders))
                await eventually(lambda: len(live.topics("broker")) == 1)
                async with httpx.AsyncClient(base_url=live.base_url) as http:
                    response = await http.post(
                        "/api/v1/broker/orders",
                        json={"symbol": "AAPL", "side": "buy", "qty": 1, "type": "market"},
                    )
                    response.raise_for_status()
                return await first, response.json()

    update, placed = run(scenario())
    assert isinstance(update, broker_ws.OrderPublic)
    assert update.id == placed["id"]
    assert update.side is broker_ws.Side.BUY


def test_every_broker_route_subscribes(live: LiveApp, broker_ws: ModuleType) -> None:
    async def scenario() -> list[Any]:
        async with broker_ws.BrokerV1WsClient(live.base_url) as ws:
            connection = ws.broker_connection(broker_ws.BrokerConnectionSubscriptionRequest())
            status = await take(connection, 1)
            for method, request in (
                (ws.positions, broker_ws.PositionsSubscriptionRequest()),
                (ws.executions, broker_ws.ExecutionsSubscriptionRequest()),
                (ws.equity, broker_ws.EquitySubscriptionRequest()),
            ):
                iterator = method(request)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(take(iterator, 1), 0.3)  # subscribed, maybe quiet
            return status

    (status,) = run(scenario())
    assert isinstance(status, broker_ws.BrokerConnectionPublic)


def test_closing_the_client_ends_running_iterations(live: LiveApp, datafeed_ws: ModuleType) -> None:
    async def scenario() -> None:
        ws = datafeed_ws.DatafeedV1WsClient(live.base_url)
        await ws.connect()
        request = datafeed_ws.BarsSubscriptionRequest(symbol="AAPL")
        reader = asyncio.create_task(take(ws.bars(request), 10_000))
        await eventually(lambda: len(live.topics("datafeed")) == 1)
        await ws.aclose()
        with pytest.raises(datafeed_ws.WsConnectionError, match="closed"):
            await reader
        await eventually(lambda: live.topics("datafeed") == {})  # the server let go as well
        with pytest.raises(datafeed_ws.WsConnectionError, match="not connected"):
            await take(ws.bars(request), 1)

    run(scenario())


def test_connection_failures_raise_ws_connection_error(datafeed_ws: ModuleType) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, never listening: connections are refused

        async def scenario() -> None:
            client = datafeed_ws.DatafeedV1WsClient(f"http://127.0.0.1:{port}", open_timeout=2)
            with pytest.raises(datafeed_ws.WsConnectionError, match="cannot connect"):
                async with client:
                    pass

        run(scenario())


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        ("http://127.0.0.1:8000", "ws://127.0.0.1:8000/api/v1/datafeed/ws"),
        ("https://example.com/", "wss://example.com/api/v1/datafeed/ws"),
        ("ws://example.com:81/prefix/", "ws://example.com:81/prefix/api/v1/datafeed/ws"),
        ("wss://example.com", "wss://example.com/api/v1/datafeed/ws"),
    ],
)
def test_base_url_forms(datafeed_ws: ModuleType, base_url: str, url: str) -> None:
    assert datafeed_ws.DatafeedV1WsClient(base_url).url == url


@pytest.mark.parametrize("base_url", ["127.0.0.1:8000", "ftp://x", "http://"])
def test_bad_base_urls_are_rejected(datafeed_ws: ModuleType, base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        datafeed_ws.DatafeedV1WsClient(base_url)


def test_a_slow_iteration_loses_its_oldest_updates_not_the_connection(
    live: LiveApp, datafeed_ws: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    live.service("datafeed").update_interval = 0.01  # a bar every 10 ms from now on

    async def scenario() -> tuple[list[Any], list[Any]]:
        async with datafeed_ws.DatafeedV1WsClient(live.base_url, max_queue=3) as ws:
            slow = ws.bars(datafeed_ws.BarsSubscriptionRequest(symbol="AAPL"))
            async with contextlib.aclosing(slow):
                first = await anext(slow)
                await asyncio.sleep(0.5)  # ~50 bars arrive meanwhile; 3 are kept
                kept = [await anext(slow) for _ in range(3)]
                fresh = await anext(slow)
                other = await take(
                    ws.quotes(datafeed_ws.QuotesSubscriptionRequest(symbols=["AAPL"])), 2
                )
            return [first, *kept, fresh], other

    with caplog.at_level("WARNING"):
        bars, quotes = run(scenario())
    assert bars[1].time - bars[0].time > 60 * 10  # the bars in between were dropped
    assert [bar.time for bar in bars] == sorted({bar.time for bar in bars})
    assert len(quotes) == 2
    assert "read too slowly; dropping the oldest" in caplog.text
