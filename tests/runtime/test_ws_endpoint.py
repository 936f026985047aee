"""The `/ws` endpoints on a real uvicorn server, driven by a real WebSocket client (websockets).

Services publish every FAST seconds, so each test takes a fraction of a second. Topic opening and
closing are observed through the services' own `ws_topics` bookkeeping (what the hub asked for).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import pytest
from starlette.routing import Mount
from websockets.sync.client import ClientConnection, connect

from tests.support.live_server import live_server
from trading_api.app import create_app
from trading_api.shared.module_contract import Module
from trading_api.shared.module_loader import load_modules
from trading_api.shared.ws import SubscriptionHub, WsSettings

FAST = 0.02  # seconds between simulated updates
BARS_AAPL = 'bars:{"resolution":"1","symbol":"AAPL"}'
ORDERS_ALL = 'orders:{"symbol":null}'
ALL_SYMBOLS = ["AAPL", "MSFT", "GOOGL", "TSLA", "JPM", "EURUSD", "GBPUSD", "BTCUSD", "ETHUSD"]


class WsClient:
    """A test's view of one connection: JSON frames in and out."""

    def __init__(self, url: str, **options: Any) -> None:
        self._stack = ExitStack()
        self.ws: ClientConnection = self._stack.enter_context(
            connect(url, proxy=None, open_timeout=10, **options)
        )

    def send(self, frame: Any) -> None:
        self.ws.send(frame if isinstance(frame, str | bytes) else json.dumps(frame))

    def recv(self, timeout: float = 5) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
        return frame

    def reply(self, timeout: float = 5) -> dict[str, Any]:
        """The next frame that is not an update or heartbeat."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.recv(timeout=max(deadline - time.monotonic(), 0.01))
            if not frame["type"].endswith(".update") and frame["type"] != "heartbeat":
                return frame

    def request(self, frame_type: str, payload: Any) -> dict[str, Any]:
        """Send `<route>.<action>` and return its response's payload."""
        self.send({"type": frame_type, "payload": payload})
        reply = self.reply()
        assert reply["type"] == f"{frame_type}.response", reply
        response: dict[str, Any] = reply["payload"]
        return response

    def subscribe(self, route: str, payload: Any) -> str:
        """Subscribe and return the topic key; fails unless the server says ok."""
        response = self.request(f"{route}.subscribe", payload)
        assert response["status"] == "ok", response
        topic: str = response["topic"]
        return topic

    def updates(self, topic: str, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        """The payloads of the next `count` updates of `topic` (other frames skipped)."""
        deadline = time.monotonic() + timeout
        payloads: list[dict[str, Any]] = []
        while len(payloads) < count:
            frame = self.recv(timeout=max(deadline - time.monotonic(), 0.01))
            if frame["type"].endswith(".update") and frame["topic"] == topic:
                payloads.append(frame["payload"])
        return payloads

    def assert_silent(self, seconds: float) -> None:
        with pytest.raises(TimeoutError):
            frame = self.recv(timeout=seconds)
            pytest.fail(f"expected no frame, got {frame}")

    def close(self) -> None:
        self._stack.close()


def wait_until(condition: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def fast_modules(**settings: Any) -> dict[str, Module[Any]]:
    """Freshly loaded modules whose services publish every FAST seconds."""
    modules = {module.name: module for module in load_modules()}
    for name in ("broker", "datafeed"):
        modules[name].service.update_interval = FAST
        if settings:
            modules[name].ws_settings = WsSettings(**settings)
    return modules


@contextmanager
def serve(modules: dict[str, Module[Any]]) -> Iterator[str]:
    """Serve the whole app over `modules`; yield its ws:// base URL."""
    with live_server(create_app(list(modules.values()))) as base_url:
        yield base_url.replace("http://", "ws://", 1)


@pytest.fixture
def modules() -> dict[str, Module[Any]]:
    return fast_modules()


@pytest.fixture
def ws_base(modules: dict[str, Module[Any]]) -> Iterator[str]:
    with serve(modules) as url:
        yield url


@contextmanager
def clients(url: str, count: int, **options: Any) -> Iterator[list[WsClient]]:
    opened = [WsClient(url, **options) for _ in range(count)]
    try:
        yield opened
    finally:
        for client in opened:
            client.close()


def datafeed_topics(modules: dict[str, Module[Any]]) -> Any:
    return modules["datafeed"].service.ws_topics


# ---- reference-counted topics --------------------------------------------------------------------


def test_two_clients_share_one_topic_until_both_leave(
    modules: dict[str, Module[Any]], ws_base: str
) -> None:
    topics = datafeed_topics(modules)
    with clients(f"{ws_base}/api/v1/datafeed/ws", 2) as (first, second):
        assert first.subscribe("bars", {"symbol": "AAPL"}) == BARS_AAPL
        # Equal after validation: other case, explicit default, other key order, whitespace.
        second.send(
            '{ "payload" : {"resolution": "1", "symbol": " aapl"}, "type": "bars.subscribe"}'
        )
        assert second.reply()["payload"] == {
            "status": "ok",
            "message": "subscribed",
            "topic": BARS_AAPL,
        }
        assert (topics.opened_total, topics.open_topics()) == (1, [BARS_AAPL])

        bars_first = first.updates(BARS_AAPL, 3)
        bars_second = second.updates(BARS_AAPL, 3)
        assert all(bar["time"] % 60 == 0 and bar["low"] <= bar["close"] for bar in bars_first)
        assert bars_second[0]["time"] > bars_first[0]["time"]  # the same stream, further on

        response = first.request("bars.unsubscribe", {"symbol": "AAPL"})
        assert response == {"status": "ok", "message": "unsubscribed", "topic": BARS_AAPL}
        assert topics.closed_total == 0  # the second client still holds the topic
        later = second.updates(BARS_AAPL, 3)
        assert [bar["time"] for bar in later] == sorted({bar["time"] for bar in later})
        first.assert_silent(10 * FAST)

        second.request("bars.unsubscribe", {"symbol": "AAPL", "resolution": "1"})
        wait_until(lambda: topics.closed_total == 1)
        assert topics.open_topics() == []
        assert topics.opened_total == 1


def test_disconnecting_releases_every_topic_of_the_connection(
    modules: dict[str, Module[Any]], ws_base: str
) -> None:
    topics = datafeed_topics(modules)
    with clients(f"{ws_base}/api/v1/datafeed/ws", 2) as (leaving, staying):
        leaving.subscribe("bars", {"symbol": "AAPL"})
        leaving.subscribe("quotes", {"symbols": ["MSFT", "AAPL"]})
        staying.subscribe("bars", {"symbol": "AAPL"})
        assert topics.opened_total == 2
        leaving.close()
        quotes = 'quotes:{"symbols":["AAPL","MSFT"]}'
        wait_until(lambda: topics.open_topics() == [BARS_AAPL])
        assert topics.closed_total == 1  # quotes only: bars still has a subscriber
        staying.updates(BARS_AAPL, 2)
        staying.close()
        wait_until(lambda: topics.closed_total == 2)
        assert quotes not in topics.open_topics()


def test_concurrent_first_subscribers_open_the_topic_once(
    modules: dict[str, Module[Any]], ws_base: str
) -> None:
    with clients(f"{ws_base}/api/v1/datafeed/ws", 6) as many:
        frame = json.dumps({"type": "quotes.subscribe", "payload": {"symbols": ["BTCUSD"]}})
        for client in many:  # all requests in flight before any answer is read
            client.send(frame)
        replies = [client.reply()["payload"] for client in many]
        assert {(r["status"], r["topic"]) for r in replies} == {
            ("ok", 'quotes:{"symbols":["BTCUSD"]}')
        }
        assert datafeed_topics(modules).opened_total == 1
        for client in many:
            assert client.updates('quotes:{"symbols":["BTCUSD"]}', 1)[0]["symbol"] == "BTCUSD"


def test_different_requests_are_different_topics(
    modules: dict[str, Module[Any]], ws_base: str
) -> None:
    with clients(f"{ws_base}/api/v1/datafeed/ws", 1) as (client,):
        one_minute = client.subscribe("bars", {"symbol": "AAPL"})
        five_minutes = client.subscribe("bars", {"symbol": "AAPL", "resolution": "5"})
        assert five_minutes == 'bars:{"resolution":"5","symbol":"AAPL"}' != one_minute
        assert datafeed_topics(modules).opened_total == 2
        assert all(bar["time"] % 300 == 0 for bar in client.updates(five_minutes, 3))


def test_subscribing_twice_is_idempotent_and_unsubscribing_unknown_is_an_error(
    modules: dict[str, Module[Any]], ws_base: str
) -> None:
    topics = datafeed_topics(modules)
    with clients(f"{ws_base}/api/v1/datafeed/ws", 1) as (client,):
        client.subscribe("bars", {"symbol": "AAPL"})
        again = client.request("bars.subscribe", {"symbol": "aapl"})
        assert again == {"status": "ok", "message": "already subscribed", "topic": BARS_AAPL}
        assert topics.opened_total == 1
        client.request("bars.unsubscribe", {"symbol": "AAPL"})  # one unsubscribe is enough
        wait_until(lambda: topics.closed_total == 1)
        missing = client.request("bars.unsubscribe", {"symbol": "AAPL"})
        assert missing == {
            "status": "error",
            "message": "not subscribed to this topic",
            "topic": BARS_AAPL,
        }


def test_quotes_publish_one_update_per_symbol_each_step(ws_base: str) -> None:
    with clients(f"{ws_base}/api/v1/datafeed/ws", 1) as (client,):
        topic = client.subscribe("quotes", {"symbols": ["msft", "AAPL", "MSFT"]})
        assert topic == 'quotes:{"symbols":["AAPL","MSFT"]}'
        quotes = client.updates(topic, 4)
        assert [q["symbol"] for q in quotes] == ["AAPL", "MSFT", "AAPL", "MSFT"]
        assert quotes[0]["time"] == quotes[1]["time"] < quotes[2]["time"]
        assert all(q["bid"] < q["ask"] for q in quotes)


def test_service_refusal_is_an_error_response_and_opens_nothing(
    modules: dict[str, Module[Any]], ws_base: str
) -> None:
    with clients(f"{ws_base}/api/v1/datafeed/ws", 1) as (client,):
        refused = client.request("bars.subscribe", {"symbol": "NOPE"})
        assert refused["status"] == "error"
        assert refused["topic"] == 'bars:{"resolution":"1","symbol":"NOPE"}'
        assert "unknown symbol 'NOPE'" in refused["message"]
        assert datafeed_topics(modules).opened_total == 0
        client.subscribe("bars", {"symbol": "AAPL"})


# ---- broker: REST actions publish to subscribers -------------------------------------------------


def test_placing_an_order_over_rest_publishes_it_to_orders_subscribers(ws_base: str) -> None:
    http_base = ws_base.replace("ws://", "http://", 1) + "/api/v1/broker"
    with (
        clients(f"{ws_base}/api/v1/broker/ws", 2) as (everything, msft_only),
        httpx.Client(base_url=http_base, timeout=10) as broker,
    ):
        assert everything.subscribe("orders", {}) == ORDERS_ALL
        executions = everything.subscribe("executions", {"symbol": "AAPL"})
        msft = msft_only.subscribe("orders", {"symbol": "msft"})
        assert msft == 'orders:{"symbol":"MSFT"}'

        placed = broker.post("/orders", json={"symbol": "AAPL", "side": "buy", "qty": 3}).json()
        [update] = everything.updates(ORDERS_ALL, 1)
        assert update == placed
        assert update["status"] == "filled"
        [fill] = everything.updates(executions, 1)
        assert (fill["order_id"], fill["qty"], fill["price"]) == (
            placed["id"],
            3,
            placed["avg_fill_price"],
        )

        limit = {"symbol": "MSFT", "side": "buy", "type": "limit", "qty": 1, "limit_price": 100}
        working = broker.post("/orders", json=limit).json()
        cancelled = broker.delete(f"/orders/{working['id']}").json()
        # The MSFT subscriber never saw the AAPL order: its first updates are the MSFT ones.
        assert msft_only.updates(msft, 2) == [working, cancelled]
        assert [o["status"] for o in everything.updates(ORDERS_ALL, 2)] == ["working", "cancelled"]


def test_positions_and_equity_follow_fills(ws_base: str) -> None:
    http_base = ws_base.replace("ws://", "http://", 1) + "/api/v1/broker"
    with (
        clients(f"{ws_base}/api/v1/broker/ws", 1) as (client,),
        httpx.Client(base_url=http_base, timeout=10) as broker,
    ):
        positions = client.subscribe("positions", {})
        equity = client.subscribe("equity", {})
        connection = client.subscribe("broker-connection", {})
        assert client.updates(connection, 1)[0]["status"] == "connected"
        assert client.updates(equity, 1)[0]["balance"] == 100_000.0
        broker.post("/orders", json={"symbol": "TSLA", "side": "buy", "qty": 2})
        position = client.updates(positions, 1)[0]
        assert (position["symbol"], position["side"], position["qty"]) == ("TSLA", "long", 2)
        wait_until(lambda: client.updates(equity, 1)[0]["balance"] < 100_000.0)


# ---- bad input: an error reply, and the connection stays open ------------------------------------

BAD_FRAMES = [
    pytest.param("{not json", "malformed JSON", id="malformed-json"),
    pytest.param('{"type": "ping", "payload": NaN}', "malformed JSON", id="nan"),
    pytest.param("[" * 100_000 + "]" * 100_000, "frame too large", id="oversized"),
    pytest.param("[" * 30_000 + "]" * 30_000, "malformed JSON", id="too-deep"),
    pytest.param(
        '["bars.subscribe"]',
        'a frame must be a JSON object with a string "type"',
        id="not-an-object",
    ),
    pytest.param('{"payload": {}}', "a frame must be a JSON object", id="no-type"),
    pytest.param('{"type": "bars.publish"}', "unknown message type 'bars.publish'", id="action"),
    pytest.param('{"type": "candles.subscribe"}', "unknown message type", id="route"),
    pytest.param(
        '{"type": "bars.subscribe", "payload": {"symbol": 42}}',
        "invalid bars.subscribe payload: symbol: Input should be a valid string",
        id="wrong-type",
    ),
    pytest.param(
        '{"type": "bars.subscribe", "payload": {}}',
        "invalid bars.subscribe payload: symbol: Field required",
        id="missing-field",
    ),
    pytest.param(
        '{"type": "bars.subscribe", "payload": {"symbol": "AAPL", "x": 1}}',
        "x: Extra inputs are not permitted",
        id="extra-field",
    ),
    pytest.param(
        '{"type": "bars.subscribe", "payload": {"symbol": "AAPL", "resolution": "2"}}',
        "resolution: Input should be",
        id="bad-enum",
    ),
    pytest.param(
        '{"type": "quotes.subscribe", "payload": {"symbols": []}}',
        "symbols: List should have at least 1 item",
        id="empty-list",
    ),
    pytest.param(
        '{"type": "bars.subscribe", "payload": "AAPL"}',
        "invalid bars.subscribe payload",
        id="payload-not-object",
    ),
    pytest.param(b"\x00\x01binary", "binary frames are not supported", id="binary"),
]


@pytest.mark.parametrize(("frame", "expected"), BAD_FRAMES)
def test_bad_frame_gets_an_error_and_the_connection_stays_open(
    ws_base: str, frame: str | bytes, expected: str
) -> None:
    with clients(f"{ws_base}/api/v1/datafeed/ws", 1) as (client,):
        client.send(frame)
        error = client.reply()
        assert error["type"] == "error"
        assert error["payload"]["status"] == "error"
        assert error["payload"]["topic"] == ""
        assert expected in error["payload"]["message"]
        assert client.subscribe("bars", {"symbol": "AAPL"}) == BARS_AAPL
        assert len(client.updates(BARS_AAPL, 2)) == 2


def test_a_client_sending_garbage_does_not_disturb_others(ws_base: str) -> None:
    with clients(f"{ws_base}/api/v1/datafeed/ws", 2) as (noisy, quiet):
        quiet.subscribe("bars", {"symbol": "AAPL"})
        for param in BAD_FRAMES:
            noisy.send(param.values[0])
        messages = [noisy.reply()["payload"]["message"] for _ in BAD_FRAMES]
        assert all(str(param.values[1]) in m for param, m in zip(BAD_FRAMES, messages, strict=True))
        assert len(quiet.updates(BARS_AAPL, 3)) == 3
        assert noisy.subscribe("bars", {"symbol": "AAPL"}) == BARS_AAPL


def test_frame_limit_is_a_setting() -> None:
    with (
        serve(fast_modules(max_frame_bytes=200)) as url,
        clients(f"{url}/api/v1/datafeed/ws", 1) as (client,),
    ):
        small = {"type": "quotes.subscribe", "payload": {"symbols": ALL_SYMBOLS}}
        client.send({**small, "padding": "x" * 200})
        assert client.reply()["payload"]["message"].endswith("bytes, the limit is 200")
        assert client.subscribe("quotes", small["payload"]).startswith("quotes:")


# ---- heartbeat and ping --------------------------------------------------------------------------


def test_idle_connection_gets_heartbeats_and_ping_gets_pong() -> None:
    with (
        serve(fast_modules(heartbeat_interval=0.1)) as url,
        clients(f"{url}/api/v1/broker/ws", 1) as (client,),
    ):
        started = time.monotonic()
        assert client.recv(timeout=2) == {"type": "heartbeat", "payload": {"interval_seconds": 0.1}}
        assert client.recv(timeout=2)["type"] == "heartbeat"
        assert time.monotonic() - started >= 0.15
        client.send({"type": "ping", "payload": {"seq": 7}})
        assert client.reply() == {"type": "pong", "payload": {"seq": 7}}
        client.send({"type": "ping"})
        assert client.reply() == {"type": "pong", "payload": {}}


# ---- a slow client: its queue drops its oldest updates; nobody else waits ------------------------


def _tiny_receive_buffer(url: str) -> socket.socket:
    """A connected socket whose receive buffer is tiny, so the server's sends to it stall soon."""
    host, port = url.removeprefix("ws://").split("/")[0].split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)  # before connect: small window
    sock.connect((host, int(port)))
    return sock


def test_slow_client_loses_oldest_updates_and_never_blocks_a_fast_one() -> None:
    modules = fast_modules(send_queue_size=8)
    modules["datafeed"].service.update_interval = 0.002
    app = create_app(list(modules.values()))
    hub = _hub(app, "/api/v1/datafeed")
    with live_server(app) as base_url:
        url = base_url.replace("http://", "ws://", 1)
        endpoint = f"{url}/api/v1/datafeed/ws"
        topic = f"quotes:{json.dumps({'symbols': sorted(ALL_SYMBOLS)}, separators=(',', ':'))}"
        # The slow client reads nothing after subscribing: its library stops reading from the
        # socket after one queued message, its kernel buffer is tiny, so the server's writes stall.
        # Both stop reading before they close: don't wait for the server's close frame, which
        # is queued behind the updates they will never read.
        slow = WsClient(
            endpoint,
            sock=_tiny_receive_buffer(endpoint),
            compression=None,
            max_queue=1,
            close_timeout=0.1,
        )
        fast = WsClient(endpoint, close_timeout=0.1)
        try:
            assert slow.subscribe("quotes", {"symbols": ALL_SYMBOLS}) == topic
            assert fast.subscribe("quotes", {"symbols": ALL_SYMBOLS}) == topic  # the same topic
            wait_until(lambda: _dropped(hub, topic) > 0, timeout=30)
            assert all(len(c.queue) <= 8 for c in hub.connections(topic))  # bounded

            # While the slow client's queue overflows, the fast one gets fresh updates on time.
            times: list[float] = []
            for _ in range(5):
                before = time.monotonic()
                fast.updates(topic, 9, timeout=2)
                times.append(time.monotonic() - before)
            assert max(times) < 1.0, times

            # Reading at last, the slow client learns what it lost, then gets newer updates.
            *before, notice_frame = _drain_until_notice(slow, topic)
            notice = notice_frame["payload"]
            assert notice["status"] == "error"
            assert notice["message"].startswith("dropped ")
            assert "send queue was full" in notice["message"]
            assert int(notice["message"].split()[1]) > 0
            newer = slow.updates(topic, 1, timeout=5)[0]
            assert all(newer["time"] >= frame["payload"]["time"] for frame in before)
        finally:
            slow.close()
            fast.close()


def _hub(app: Any, base_path: str) -> SubscriptionHub:
    [mount] = [
        route for route in app.routes if isinstance(route, Mount) and route.path == base_path
    ]
    hub: SubscriptionHub = mount.app.state.ws_hub
    return hub


def _dropped(hub: SubscriptionHub, topic: str) -> int:
    return sum(connection.queue.dropped_total for connection in hub.connections(topic))


def _drain_until_notice(client: WsClient, topic: str) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = client.recv(timeout=10)
        frames.append(frame)
        if frame["type"] == "error":
            assert frame["payload"]["topic"] == topic
            return frames
        assert frame["type"] == "quotes.update", frame
