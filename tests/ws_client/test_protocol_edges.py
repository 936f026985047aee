"""The generated client against scripted WebSocket servers: frames the real app rarely sends."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from types import ModuleType
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

BAR = {"time": 60, "open": 1.0, "high": 2.0, "low": 0.5, "close": 1.5, "volume": 10.0}
TOPIC = 'bars:{"resolution":"1","symbol":"AAPL"}'

Script = Callable[[ServerConnection, dict[str, Any]], Awaitable[None]]


@contextlib.asynccontextmanager
async def scripted_server(script: Script) -> AsyncIterator[str]:
    """A WebSocket server on 127.0.0.1 that runs `script` for each client frame."""

    async def handler(connection: ServerConnection) -> None:
        async for message in connection:
            await script(connection, json.loads(message))

    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"http://127.0.0.1:{port}"


def frame(frame_type: str, payload: Any, **extra: Any) -> str:
    return json.dumps({"type": frame_type, **extra, "payload": payload})


def ok(frame_type: str, topic: str = TOPIC) -> str:
    return frame(frame_type, {"status": "ok", "message": "ok", "topic": topic})


def test_updates_before_the_response_notices_and_unknown_frames(
    datafeed_ws: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    async def script(connection: ServerConnection, received: dict[str, Any]) -> None:
        if received["type"] == "bars.subscribe":
            assert received["payload"] == {"symbol": "AAPL", "resolution": "1"}
            await connection.send(frame("bars.update", BAR, topic=TOPIC))  # before the response
            await connection.send(ok("bars.subscribe.response"))
            notice = {"status": "error", "message": "dropped 3 updates", "topic": TOPIC}
            await connection.send(frame("error", notice))
            await connection.send(frame("heartbeat", {"interval_seconds": 1}))
            await connection.send(frame("bars.update", {**BAR, "time": 120}, topic=TOPIC))
            await connection.send(frame("bars.update", {**BAR, "time": 180}, topic="other"))
        elif received["type"] == "bars.unsubscribe":
            await connection.send(ok("bars.unsubscribe.response"))

    async def scenario() -> list[Any]:
        async with scripted_server(script) as url, datafeed_ws.DatafeedV1WsClient(url) as ws:
            bars = ws.bars(datafeed_ws.BarsSubscriptionRequest(symbol="AAPL"))
            async with contextlib.aclosing(bars):
                return [await anext(bars), await anext(bars)]

    with caplog.at_level("WARNING"):
        bars = asyncio.run(scenario())
    assert [bar.time for bar in bars] == [60, 120]
    assert "dropped 3 updates" in caplog.text


def test_a_server_that_never_answers_times_out(datafeed_ws: ModuleType) -> None:
    async def silent(connection: ServerConnection, received: dict[str, Any]) -> None:
        pass

    async def scenario() -> None:
        async with (
            scripted_server(silent) as url,
            datafeed_ws.DatafeedV1WsClient(url, reply_timeout=0.2) as ws,
        ):
            bars = ws.bars(datafeed_ws.BarsSubscriptionRequest(symbol="AAPL"))
            with pytest.raises(datafeed_ws.WsError, match=r"no reply to bars\.subscribe"):
                await anext(bars)

    asyncio.run(scenario())


def test_a_server_going_away_ends_the_iteration(datafeed_ws: ModuleType) -> None:
    async def script(connection: ServerConnection, received: dict[str, Any]) -> None:
        await connection.send(ok("bars.subscribe.response"))
        await connection.send(frame("bars.update", BAR, topic=TOPIC))
        await connection.close(1011, "going away")

    async def scenario() -> list[Any]:
        got: list[Any] = []
        async with scripted_server(script) as url, datafeed_ws.DatafeedV1WsClient(url) as ws:
            with pytest.raises(datafeed_ws.WsConnectionError, match="going away"):
                async for bar in ws.bars(datafeed_ws.BarsSubscriptionRequest(symbol="AAPL")):
                    got.append(bar)  # the update sent before closing still arrives
        return got

    assert [bar.time for bar in asyncio.run(scenario())] == [60]


def test_an_error_frame_answering_a_request_is_a_subscription_error(
    datafeed_ws: ModuleType,
) -> None:
    async def script(connection: ServerConnection, received: dict[str, Any]) -> None:
        payload = {"status": "error", "message": "invalid bars.subscribe payload", "topic": ""}
        await connection.send(frame("error", payload))

    async def scenario() -> Any:
        async with scripted_server(script) as url, datafeed_ws.DatafeedV1WsClient(url) as ws:
            with pytest.raises(datafeed_ws.WsSubscriptionError) as raised:
                await anext(ws.bars(datafeed_ws.BarsSubscriptionRequest(symbol="AAPL")))
            return raised.value

    error = asyncio.run(scenario())
    assert (error.route, error.message, error.topic) == (
        "bars",
        "invalid bars.subscribe payload",
        "",
    )
