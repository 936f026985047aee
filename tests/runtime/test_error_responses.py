"""The error contract of every module (docs/error-responses.md), on a real server.

422: `{"detail": [{"type", "loc", "msg", "input", ...}]}`, `loc` naming the offending field and
`msg` saying what is wrong; 404 and 409: `{"detail": "..."}` naming the missing item or the
state that forbids the operation; 405 with every allowed method in `Allow`. Never a 5xx, even
for inputs Python reads but JSON does not allow (NaN, Infinity) or bodies that are not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.live_server import live_server
from trading_api.app import create_app

BROKER = "/api/v1/broker"
DATAFEED = "/api/v1/datafeed"
ORDER = {"symbol": "AAPL", "side": "buy", "qty": 1}
HISTORY = {"symbol": "AAPL", "resolution": "60", "from": 1_704_205_800, "to": 1_704_209_400}
MAX_TIME = 253_402_300_799  # 9999-12-31 23:59:59 UTC
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    """One server for the requests that change nothing (every one here is refused)."""
    with live_server(create_app()) as url, httpx.Client(base_url=url, timeout=10) as http:
        yield http


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    """The validation errors of a 422, each checked to have the documented fields."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    errors: list[dict[str, Any]] = response.json()["detail"]
    assert errors
    for error in errors:
        assert {"type", "loc", "msg"} <= set(error), error
        assert error["loc"][0] in ("body", "query", "path"), error
        assert error["msg"], error
    return errors


def _detail(response: httpx.Response, status: int) -> str:
    """The `detail` message of a 404 or 409 (an ErrorPublic: that one field, a string)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["detail"]
    assert isinstance(body["detail"], str)
    return body["detail"]


# ---- 422: invalid bodies -------------------------------------------------------------------------

# (method, path, request keyword arguments, loc of the one error, words its msg contains)
INVALID_BODIES: list[tuple[str, str, dict[str, Any], list[str | int], str]] = [
    # wrong types
    ("POST", "/orders", {"json": {**ORDER, "qty": "ten"}}, ["body", "qty"], "valid number"),
    # numbers are JSON numbers: no reading true as 1 or "5" as 5
    ("POST", "/orders", {"json": {**ORDER, "qty": True}}, ["body", "qty"], "valid number"),
    ("PATCH", "/orders/ORD-000001", {"json": {"qty": "5"}}, ["body", "qty"], "valid number"),
    ("PUT", "/leverage/AAPL", {"json": {"leverage": True}}, ["body", "leverage"], "valid number"),
    ("POST", "/orders", {"json": {**ORDER, "symbol": 5}}, ["body", "symbol"], "valid string"),
    ("POST", "/orders", {"json": "AAPL"}, ["body"], "valid dictionary"),
    ("PUT", "/leverage/AAPL", {"json": {"leverage": "2x"}}, ["body", "leverage"], "valid number"),
    (
        "PUT",
        "/positions/AAPL/brackets",
        {"json": {"take_profit": "high"}},
        ["body", "take_profit"],
        "valid number",
    ),
    # out of range: zero, negative, below the broker's resolution, huge
    ("POST", "/orders", {"json": {**ORDER, "qty": 0}}, ["body", "qty"], "greater than or equal"),
    ("POST", "/orders", {"json": {**ORDER, "qty": -5}}, ["body", "qty"], "greater than or equal"),
    ("POST", "/orders", {"json": {**ORDER, "qty": 1e-10}}, ["body", "qty"], "greater than or eq"),
    ("POST", "/orders", {"json": {**ORDER, "qty": 1e12}}, ["body", "qty"], "less than or equal"),
    (
        "POST",
        "/orders/preview",
        {"json": {**ORDER, "type": "limit", "limit_price": 0}},
        ["body", "limit_price"],
        "greater than 0",
    ),
    ("PUT", "/leverage/AAPL", {"json": {"leverage": 0.5}}, ["body", "leverage"], "greater than"),
    # bad enum values
    ("POST", "/orders", {"json": {**ORDER, "side": "hold"}}, ["body", "side"], "'buy' or 'sell'"),
    (
        "POST",
        "/orders",
        {"json": {**ORDER, "time_in_force": "ioc"}},
        ["body", "time_in_force"],
        "'day' or 'gtc'",
    ),
    # extra nonsense
    ("POST", "/orders", {"json": {**ORDER, "colour": "red"}}, ["body", "colour"], "Extra inputs"),
    ("PATCH", "/orders/ORD-000001", {"json": {"price": 1}}, ["body", "price"], "Extra inputs"),
    (
        "PUT",
        "/leverage/AAPL",
        {"json": {"leverage": 2, "margin": 1}},
        ["body", "margin"],
        "Extra inputs",
    ),
    # the price fields an order type needs, at the field concerned
    (
        "POST",
        "/orders",
        {"json": {**ORDER, "type": "stop"}},
        ["body", "stop_price"],
        "a stop order requires stop_price",
    ),
    (
        "POST",
        "/orders/preview",
        {"json": {**ORDER, "stop_price": 90}},
        ["body", "stop_price"],
        "a market order does not accept stop_price",
    ),
    # unknown symbol inside an action's body: the body is wrong, not a missing resource
    ("POST", "/orders", {"json": {**ORDER, "symbol": "NOPE"}}, ["body", "symbol"], "'NOPE'"),
    # not JSON, not text, not a JSON the standard allows
    ("POST", "/orders", {"content": b'{"symbol": ', "headers": JSON}, ["body", 11], "JSON decode"),
    (
        "POST",
        "/orders",
        {"content": b'{"symbol": "\xff"}', "headers": JSON},
        ["body"],
        "not utf-8 text (invalid start byte at byte 12)",
    ),
    (
        "POST",
        "/orders",
        {"content": b'{"symbol": "AAPL", "side": "buy", "qty": NaN}', "headers": JSON},
        ["body", "qty"],
        "finite number",
    ),
    (
        "PUT",
        "/leverage/AAPL",
        {"content": b'{"leverage": Infinity}', "headers": JSON},
        ["body", "leverage"],
        "finite number",
    ),
    (
        "PUT",
        "/positions/AAPL/brackets",
        {"content": b'{"stop_loss": -Infinity}', "headers": JSON},
        ["body", "stop_loss"],
        "finite number",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "request_args", "loc", "words"),
    INVALID_BODIES,
    ids=[f"{method} {path} {loc[-1]} {words}" for method, path, _, loc, words in INVALID_BODIES],
)
def test_invalid_body_is_422_naming_the_field_and_the_problem(
    api: httpx.Client,
    method: str,
    path: str,
    request_args: dict[str, Any],
    loc: list[str | int],
    words: str,
) -> None:
    (error,) = _errors(api.request(method, f"{BROKER}{path}", **request_args))
    assert error["loc"] == loc
    assert words in error["msg"]


def test_every_missing_field_is_named(api: httpx.Client) -> None:
    errors = _errors(api.post(f"{BROKER}/orders", json={}))
    assert [(e["loc"], e["msg"]) for e in errors] == [
        (["body", field], "Field required") for field in ("symbol", "side", "qty")
    ]
    errors = _errors(api.put(f"{BROKER}/leverage/AAPL"))
    assert [(e["loc"], e["msg"]) for e in errors] == [(["body"], "Field required")]


def test_non_finite_input_is_echoed_as_a_string(api: httpx.Client) -> None:
    body = b'{"symbol": NaN, "side": "buy", "qty": Infinity}'
    errors = _errors(api.post(f"{BROKER}/orders", content=body, headers=JSON))
    assert [(e["loc"], e["input"]) for e in errors] == [
        (["body", "symbol"], "NaN"),
        (["body", "qty"], "Infinity"),
    ]


# ---- 422: invalid query and path parameters ------------------------------------------------------

TOO_LONG = "X" * 33

# (path, query parameters, loc of the one error, words its msg contains)
INVALID_PARAMETERS: list[tuple[str, dict[str, Any], list[str], str]] = [
    (f"{BROKER}/orders", {"status": "open"}, ["query", "status"], "'working', 'filled'"),
    (f"{BROKER}/orders", {"symbol": TOO_LONG}, ["query", "symbol"], "at most 32 characters"),
    (f"{BROKER}/orders/{TOO_LONG}", {}, ["path", "order_id"], "at most 32 characters"),
    (f"{BROKER}/executions/{TOO_LONG}", {}, ["path", "symbol"], "at most 32 characters"),
    (f"{BROKER}/leverage/{TOO_LONG}", {}, ["path", "symbol"], "at most 32 characters"),
    (f"{DATAFEED}/symbols/{TOO_LONG}", {}, ["path", "symbol"], "at most 32 characters"),
    (f"{DATAFEED}/symbols/search", {"limit": "ten"}, ["query", "limit"], "valid integer"),
    (f"{DATAFEED}/symbols/search", {"type": "bond"}, ["query", "type"], "'stock', 'forex'"),
    (f"{DATAFEED}/history", {**HISTORY, "resolution": "2h"}, ["query", "resolution"], "'1D'"),
    (f"{DATAFEED}/history", {**HISTORY, "from": "yesterday"}, ["query", "from"], "valid integer"),
    (f"{DATAFEED}/history", {**HISTORY, "to": MAX_TIME + 1}, ["query", "to"], str(MAX_TIME)),
    (f"{DATAFEED}/history", {**HISTORY, "to": 10**40}, ["query", "to"], "less than or equal"),
    (f"{DATAFEED}/history", {**HISTORY, "countback": -1}, ["query", "countback"], "greater"),
    (
        f"{DATAFEED}/history",
        {k: v for k, v in HISTORY.items() if k != "symbol"},
        ["query", "symbol"],
        "Field required",
    ),
    (f"{DATAFEED}/quotes", {"symbols": ["AAPL"] * 51}, ["query", "symbols"], "at most 50 items"),
]


@pytest.mark.parametrize(
    ("path", "params", "loc", "words"),
    INVALID_PARAMETERS,
    ids=[f"{path.rsplit('/api/v1', 1)[-1]} {loc[-1]}" for path, _, loc, _ in INVALID_PARAMETERS],
)
def test_invalid_parameter_is_422_naming_it_and_the_problem(
    api: httpx.Client, path: str, params: dict[str, Any], loc: list[str], words: str
) -> None:
    (error,) = _errors(api.get(path, params=params))
    assert error["loc"] == loc
    assert words in error["msg"]


@pytest.mark.parametrize(
    ("qty", "words"),
    [
        ("abc", "valid number"),
        ("nan", "finite number"),
        ("inf", "finite number"),
        ("1e400", "finite number"),
        ("0", "greater than or equal"),
        ("1e-10", "greater than or equal"),
        ("1e8", "less than or equal"),
    ],
)
def test_invalid_close_quantity_is_422(api: httpx.Client, qty: str, words: str) -> None:
    (error,) = _errors(api.post(f"{BROKER}/positions/AAPL/close", params={"qty": qty}))
    assert (error["loc"], error["input"]) == (["query", "qty"], qty)
    assert words in error["msg"]


def test_close_quantity_beyond_the_position_is_422_with_the_sizes(broker: httpx.Client) -> None:
    assert broker.post("/orders", json={**ORDER, "qty": 2}).status_code == 201
    (error,) = _errors(broker.post("/positions/AAPL/close", params={"qty": "1e7"}))
    assert error["loc"] == ["query", "qty"]
    assert error["msg"] == "qty 10000000.0 exceeds the 2.0 open in AAPL"


# ---- 404: unknown items, named -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "json", "words"),
    [
        ("GET", f"{BROKER}/orders/ORD-424242", None, "unknown order id 'ORD-424242'"),
        ("PATCH", f"{BROKER}/orders/ORD-424242", {"qty": 1}, "unknown order id 'ORD-424242'"),
        ("DELETE", f"{BROKER}/orders/ORD-424242", None, "unknown order id 'ORD-424242'"),
        ("POST", f"{BROKER}/positions/MSFT/close", None, "no open position in 'MSFT'"),
        ("POST", f"{BROKER}/positions/NOPE/close", None, "unknown symbol 'NOPE'"),
        (
            "PUT",
            f"{BROKER}/positions/MSFT/brackets",
            {"take_profit": 500},
            "no open position in 'MSFT'",
        ),
        ("PUT", f"{BROKER}/positions/NOPE/brackets", {}, "unknown symbol 'NOPE'"),
        ("GET", f"{BROKER}/executions/NOPE", None, "unknown symbol 'NOPE'"),
        ("GET", f"{BROKER}/leverage/NOPE", None, "unknown symbol 'NOPE'"),
        ("PUT", f"{BROKER}/leverage/NOPE", {"leverage": 2}, "unknown symbol 'NOPE'"),
        ("POST", f"{BROKER}/leverage/NOPE/preview", {"leverage": 2}, "unknown symbol 'NOPE'"),
        ("GET", f"{DATAFEED}/symbols/NOPE", None, "unknown symbol 'NOPE'"),
        ("GET", f"{DATAFEED}/symbols/NYSE:AAPL", None, "unknown symbol 'NYSE:AAPL'"),
    ],
)
def test_unknown_item_is_404_naming_it(
    api: httpx.Client, method: str, path: str, json: dict[str, Any] | None, words: str
) -> None:
    assert words in _detail(api.request(method, path, json=json), 404)


def test_unknown_symbol_in_datafeed_queries_is_404_naming_it(api: httpx.Client) -> None:
    history = api.get(f"{DATAFEED}/history", params={**HISTORY, "symbol": "NOPE"})
    assert "unknown symbol 'NOPE'" in _detail(history, 404)
    quotes = api.get(f"{DATAFEED}/quotes", params={"symbols": ["AAPL", "NOPE", "ZZZ"]})
    assert "unknown symbols: 'NOPE', 'ZZZ'" in _detail(quotes, 404)


# ---- 409: the item's state forbids the operation -------------------------------------------------


def test_changing_a_filled_order_is_409_naming_its_state(broker: httpx.Client) -> None:
    order = broker.post("/orders", json=ORDER).json()
    cancel = broker.delete(f"/orders/{order['id']}")
    assert _detail(cancel, 409) == (
        f"order {order['id']} is filled; only working orders can be cancelled"
    )
    modify = broker.patch(f"/orders/{order['id']}", json={"qty": 2})
    assert "only working orders can be modified" in _detail(modify, 409)


# ---- 405: every allowed method listed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", f"{BROKER}/orders", "GET, POST"),
        ("PUT", f"{BROKER}/orders", "GET, POST"),
        ("OPTIONS", f"{BROKER}/orders/preview", "POST"),  # GET: order id 'preview', a 404
        ("POST", f"{BROKER}/orders/ORD-000001", "DELETE, GET, PATCH"),
        ("DELETE", f"{BROKER}/leverage/AAPL", "GET, PUT"),
        ("POST", f"{DATAFEED}/quotes", "GET"),
        ("POST", "/api/v1/core/health", "GET"),
    ],
)
def test_wrong_method_is_405_listing_every_allowed_method(
    api: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = api.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"detail": "Method Not Allowed"}


# ---- quantities at the broker's resolution -------------------------------------------------------


def test_smallest_quantities_add_up_to_a_position_that_can_be_closed(broker: httpx.Client) -> None:
    # Before MIN_QUANTITY, two fills of 1e-10 rounded to a position of size 0: GET /positions
    # then failed with a 500.
    for _ in range(2):
        assert broker.post("/orders", json={**ORDER, "qty": 1e-9}).status_code == 201
    (position,) = broker.get("/positions").json()
    assert position["qty"] == 2e-9
    closed = broker.post("/positions/AAPL/close")
    assert (closed.status_code, closed.json()["qty"]) == (200, 2e-9)
    assert broker.get("/positions").json() == []
