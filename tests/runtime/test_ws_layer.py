"""The WebSocket layer piece by piece: topic keys, frame reading, send queue, hub, contract."""

from __future__ import annotations

import asyncio
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from starlette.routing import WebSocketRoute

from trading_api.models.market_data import (
    BarPublic,
    BarsSubscriptionRequest,
    QuotePublic,
    QuotesSubscriptionRequest,
)
from trading_api.models.orders import OrdersSubscriptionRequest
from trading_api.modules.datafeed import DatafeedModule
from trading_api.shared.module_contract import Module
from trading_api.shared.module_errors import ModuleContractError
from trading_api.shared.module_loader import load_module
from trading_api.shared.service_errors import NotFoundError
from trading_api.shared.versioned_app import create_version_app
from trading_api.shared.ws import (
    Publish,
    SubscriptionHub,
    WsRouter,
    WsSettings,
    canonical_json,
)
from trading_api.shared.ws.connection import WsConnection
from trading_api.shared.ws.inbound import Ping, ProtocolError, RouteRequest, read_text_frame
from trading_api.shared.ws.send_queue import SendQueue


class BarsRouter(WsRouter[BarsSubscriptionRequest, BarPublic]):
    route = "bars"
    request_model = BarsSubscriptionRequest
    data_model = BarPublic


BAR = BarPublic(time=60, open=1, high=2, low=0.5, close=1.5, volume=10)

# ---- topic keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"symbol": "AAPL"},
        {"symbol": "aapl", "resolution": "1"},
        {"resolution": "1", "symbol": " AAPL "},
    ],
)
def test_equal_requests_have_one_topic_key(payload: dict[str, Any]) -> None:
    router = BarsRouter()
    key = router.topic_key(router.parse_request(payload))
    assert key == 'bars:{"resolution":"1","symbol":"AAPL"}'


def test_canonical_json_applies_defaults_sorts_keys_and_sets() -> None:
    assert canonical_json(OrdersSubscriptionRequest()) == '{"symbol":null}'
    assert canonical_json(OrdersSubscriptionRequest(symbol=None)) == '{"symbol":null}'
    quotes = QuotesSubscriptionRequest.model_validate({"symbols": ["msft", "AAPL", "MSFT"]})
    assert canonical_json(quotes) == '{"symbols":["AAPL","MSFT"]}'
    five = BarsSubscriptionRequest.model_validate({"resolution": "5", "symbol": "X"})
    assert canonical_json(five) == '{"resolution":"5","symbol":"X"}'


def test_router_rejects_invalid_requests_and_foreign_data() -> None:
    router = BarsRouter()
    with pytest.raises(ValidationError):
        router.parse_request({"symbol": "AAPL", "unknown": 1})
    assert router.check_data(BAR) is BAR
    quote = QuotePublic(
        symbol="A", bid=1, ask=2, last=1.5, change=0, change_percent=0, volume=0, time=0
    )
    with pytest.raises(TypeError, match="route 'bars' publishes BarPublic, got QuotePublic"):
        router.check_data(quote)
    frame = json.loads(router.update_frame("bars:k", BAR))
    assert frame == {"type": "bars.update", "topic": "bars:k", "payload": BAR.model_dump()}


# ---- reading client frames -----------------------------------------------------------------------


def test_read_text_frame_classifies_every_frame() -> None:
    routers = {"bars": BarsRouter()}
    request = read_text_frame('{"type":"bars.unsubscribe","payload":{"symbol":"A"}}', routers, 99)
    assert isinstance(request, RouteRequest)
    assert (request.action.value, request.request.symbol) == ("unsubscribe", "A")
    assert read_text_frame('{"type":"ping","payload":[1]}', routers, 99) == Ping([1])
    assert read_text_frame('{"type":"ping"}', routers, 99) == Ping({})
    unknown = read_text_frame('{"type":"bars"}', routers, 99)
    assert isinstance(unknown, ProtocolError)
    assert "expected one of: bars.subscribe, bars.unsubscribe, ping" in unknown.message


def test_frame_limit_counts_utf8_bytes() -> None:
    frame = json.dumps({"type": "ping", "payload": "é" * 20}, ensure_ascii=False)
    size = len(frame.encode())
    assert len(frame) < size  # two bytes per é
    assert read_text_frame(frame, {}, size) == Ping("é" * 20)
    too_large = read_text_frame(frame, {}, size - 1)
    assert too_large == ProtocolError(f"frame too large: {size} bytes, the limit is {size - 1}")


# ---- the send queue ------------------------------------------------------------------------------


def _drain(queue: SendQueue) -> list[str]:
    async def drain() -> list[str]:
        frames = []
        while True:
            try:
                frames.append(await asyncio.wait_for(queue.get(), timeout=0.01))
            except TimeoutError:
                return frames

    return asyncio.run(drain())


def _notice(frame: str) -> tuple[str, int] | None:
    parsed = json.loads(frame)
    if parsed["type"] != "error":
        return None
    return parsed["payload"]["topic"], int(parsed["payload"]["message"].split()[1])


def test_full_queue_drops_oldest_updates_behind_earlier_frames() -> None:
    queue = SendQueue(capacity=3)
    queue.put_reply("subscribed-a")
    for n in range(4):
        queue.put_update("a", f"a{n}")  # a0 and a1 are dropped
    queue.put_update("b", "b0")  # drops a2: the same gap
    assert (len(queue), queue.dropped_total) == (3, 3)
    frames = _drain(queue)
    assert frames[0] == "subscribed-a"  # a notice never overtakes what was queued before the gap
    assert _notice(frames[1]) == ("a", 3)
    assert frames[2:] == ["a3", "b0"]


def test_replies_are_never_dropped_and_updates_give_way() -> None:
    queue = SendQueue(capacity=2)
    queue.put_update("a", "a0")
    queue.put_reply("r0")
    queue.put_reply("r1")  # drops a0
    queue.put_reply("r2")  # over capacity: replies are bounded by reading, not dropping
    queue.put_update("b", "b0")  # nothing to drop but itself
    frames = _drain(queue)
    assert [_notice(frames[0]), *frames[1:4], _notice(frames[4])] == [
        ("a", 1),
        "r0",
        "r1",
        "r2",
        ("b", 1),
    ]


def test_reading_requests_waits_while_replies_fill_the_queue() -> None:
    async def scenario() -> list[bool]:
        queue = SendQueue(capacity=2)
        queue.put_reply("r0")
        queue.put_reply("r1")
        waiting = asyncio.ensure_future(queue.wait_for_room())
        await asyncio.sleep(0.01)
        blocked = not waiting.done()
        await queue.get()
        await asyncio.wait_for(waiting, timeout=1)
        return [blocked, waiting.done()]

    assert asyncio.run(scenario()) == [True, True]


# ---- the hub -------------------------------------------------------------------------------------


class SlowService:
    """A real WsTopicService whose topics take a while to open, and refuse symbol "NOPE"."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.removed: list[str] = []
        self.publishers: dict[str, Publish] = {}

    async def create_topic(
        self, route: str, topic: str, request: BaseModel, publish: Publish
    ) -> None:
        await asyncio.sleep(0.02)  # other subscribers arrive meanwhile
        if getattr(request, "symbol", None) == "NOPE":
            raise NotFoundError("unknown symbol 'NOPE'")
        self.created.append(topic)
        self.publishers[topic] = publish

    async def remove_topic(self, route: str, topic: str) -> None:
        await asyncio.sleep(0.01)
        self.removed.append(topic)


def _connection() -> WsConnection:
    return WsConnection(websocket=None, settings=WsSettings())  # type: ignore[arg-type]


def _queued(connection: WsConnection) -> list[str]:
    return _drain(connection.queue)


def test_hub_opens_a_topic_once_for_concurrent_subscribers_and_closes_it_after_the_last() -> None:
    service, router = SlowService(), BarsRouter()
    hub = SubscriptionHub(service, [router])
    connections = [_connection() for _ in range(5)]
    request = router.parse_request({"symbol": "AAPL"})

    async def scenario() -> None:
        replies = await asyncio.gather(*(hub.subscribe(c, router, request) for c in connections))
        assert {(r.ok, r.message) for r in replies} == {(True, "subscribed")}
        assert hub.subscriber_counts() == {replies[0].topic: 5}
        await service.publishers[replies[0].topic](BAR)
        await asyncio.gather(*(hub.leave_all(c) for c in connections[:4]))
        assert service.removed == []
        await hub.unsubscribe(connections[4], router, request)
        await service.publishers[replies[0].topic](BAR)  # closed: reaches nobody

    asyncio.run(scenario())
    key = 'bars:{"resolution":"1","symbol":"AAPL"}'
    assert (service.created, service.removed, hub.subscriber_counts()) == ([key], [key], {})
    assert all(len(_queued(c)) == 1 for c in connections)  # one update each, nothing after


def test_hub_reports_a_refused_topic_and_opens_nothing() -> None:
    service, router = SlowService(), BarsRouter()
    hub = SubscriptionHub(service, [router])
    connection = _connection()
    reply = asyncio.run(hub.subscribe(connection, router, router.parse_request({"symbol": "NOPE"})))
    assert (reply.ok, reply.message) == (False, "unknown symbol 'NOPE'")
    assert (service.created, hub.subscriber_counts(), connection.topics) == ([], {}, set())


# ---- module contract -----------------------------------------------------------------------------


def test_ws_routers_come_from_the_generated_package_in_declaration_order() -> None:
    broker = load_module("broker").ws_routers(1)
    assert [r.route for r in broker] == [
        "orders",
        "positions",
        "executions",
        "equity",
        "broker-connection",
    ]
    datafeed = load_module("datafeed").ws_routers(1)
    assert [(r.__name__, r.request_model, r.data_model) for r in datafeed] == [
        ("BarsRouter", BarsSubscriptionRequest, BarPublic),
        ("QuotesRouter", QuotesSubscriptionRequest, QuotePublic),
    ]
    assert load_module("core").ws_routers(1) == ()


def test_version_apps_mount_ws_only_when_there_are_routers() -> None:
    def ws_paths(name: str) -> list[str]:
        app = create_version_app(load_module(name), 1)
        return [r.path for r in app.routes if isinstance(r, WebSocketRoute)]

    assert ws_paths("broker") == ws_paths("datafeed") == ["/ws"]
    assert ws_paths("core") == []


class _FakeFeedModule(Module[object]):
    name = "fake_feed"

    def __init__(self, package_dir: Path) -> None:
        super().__init__()
        self._dir = package_dir

    @property
    def package_dir(self) -> Path:
        return self._dir


def test_declarations_without_generated_routers_say_run_doit_generate(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "v1.py").write_text("")
    with pytest.raises(ModuleContractError) as caught:
        _FakeFeedModule(tmp_path).ws_routers(1)
    message = str(caught.value)
    assert str(tmp_path / "ws" / "v1.py") in message
    assert "run `doit generate`" in message
    assert _FakeFeedModule(tmp_path).ws_routers(2) == ()


def test_generated_package_without_routers_is_a_contract_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "v1.py").write_text("")
    for name in ("", ".ws_generated", ".ws_generated.v1"):
        package = types.ModuleType(f"trading_api.modules.fake_feed{name}")
        package.__path__ = []
        monkeypatch.setitem(sys.modules, package.__name__, package)
    with pytest.raises(ModuleContractError, match=r"expected `ROUTERS`.*run `doit generate`"):
        _FakeFeedModule(tmp_path).ws_routers(1)


def test_service_without_topic_methods_is_a_contract_error() -> None:
    class ServiceLessDatafeed(DatafeedModule):
        def create_service(self) -> Any:
            return object()

    with pytest.raises(ModuleContractError, match=r"module 'datafeed' v1: .*create_topic"):
        create_version_app(ServiceLessDatafeed(), 1)


def test_partly_deleted_generated_package_says_run_doit_generate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "v1.py").write_text("")
    generated = tmp_path / "pkg" / "trading_api_fake_feed"
    (generated / "ws_generated" / "v1").mkdir(parents=True)
    for folder in (generated, generated / "ws_generated"):
        (folder / "__init__.py").write_text("")
    (generated / "ws_generated" / "v1" / "__init__.py").write_text("from .bars import BarsRouter\n")
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))

    class Orphan(_FakeFeedModule):
        @property
        def package(self) -> str:
            return "trading_api_fake_feed"

    with pytest.raises(ModuleContractError, match="run `doit generate`"):
        Orphan(tmp_path).ws_routers(1)
