"""Broker module API through the mounted app: orders, positions, executions, account, leverage."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.live_server import live_server
from trading_api.app import create_app

INITIAL_BALANCE = 100_000.0


def _place(broker: httpx.Client, **order: Any) -> dict[str, Any]:
    response = broker.post("/orders", json=order)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _buy(broker: httpx.Client, symbol: str = "AAPL", qty: float = 10) -> dict[str, Any]:
    return _place(broker, symbol=symbol, side="buy", qty=qty)


def _limit(broker: httpx.Client, price: float = 100.0) -> dict[str, Any]:
    return _place(broker, symbol="AAPL", side="buy", type="limit", qty=5, limit_price=price)


def _error_locs(response: httpx.Response) -> list[list[str | int]]:
    assert response.status_code == 422, response.text
    return [error["loc"] for error in response.json()["detail"]]


# ---- orders --------------------------------------------------------------------------------------


def test_market_order_fills_at_once_with_sequential_id(broker: httpx.Client) -> None:
    order = _buy(broker)
    assert order["id"] == "ORD-000001"
    assert order["status"] == "filled"
    assert order["filled_qty"] == 10
    assert order["avg_fill_price"] > 0
    assert order["type"] == "market"  # default
    assert order["time_in_force"] == "day"  # default
    assert _buy(broker, "MSFT", 1)["id"] == "ORD-000002"


def test_fills_are_deterministic_across_fresh_apps() -> None:
    fills = []
    for _ in range(2):
        with live_server(create_app()) as url:
            body = {"symbol": "TSLA", "side": "buy", "qty": 3}
            order = httpx.post(f"{url}/api/v1/broker/orders", json=body).json()
            fills.append((order["id"], order["avg_fill_price"], order["created_at"]))
    assert fills[0] == fills[1]


def test_limit_order_stays_working_and_can_be_fetched_and_listed(broker: httpx.Client) -> None:
    order = _limit(broker)
    assert order["status"] == "working"
    assert order["avg_fill_price"] is None
    assert broker.get(f"/orders/{order['id']}").json() == order
    _buy(broker)
    assert [o["id"] for o in broker.get("/orders").json()] == ["ORD-000001", "ORD-000002"]
    working = broker.get("/orders", params={"status": "working"}).json()
    assert [o["id"] for o in working] == [order["id"]]
    assert broker.get("/orders", params={"symbol": "msft"}).json() == []
    assert len(broker.get("/orders", params={"symbol": "aapl"}).json()) == 2


def test_stop_and_stop_limit_orders_need_their_prices(broker: httpx.Client) -> None:
    stop = _place(broker, symbol="AAPL", side="sell", type="stop", qty=1, stop_price=50)
    assert (stop["status"], stop["stop_price"], stop["limit_price"]) == ("working", 50, None)
    both = {"symbol": "AAPL", "side": "buy", "type": "stop_limit", "qty": 1, "stop_price": 300}
    assert _error_locs(broker.post("/orders", json=both)) == [["body", "limit_price"]]
    placed = _place(broker, **both, limit_price=301)
    assert placed["status"] == "working"


def test_modify_working_order_changes_only_given_fields(broker: httpx.Client) -> None:
    order = _limit(broker, 100)
    response = broker.patch(f"/orders/{order['id']}", json={"limit_price": 101.5})
    assert response.status_code == 200
    modified = response.json()
    assert (modified["limit_price"], modified["qty"], modified["status"]) == (101.5, 5, "working")
    assert modified["updated_at"] > order["updated_at"]
    modified = broker.patch(f"/orders/{order['id']}", json={"qty": 7}).json()
    assert (modified["limit_price"], modified["qty"]) == (101.5, 7)
    assert broker.get(f"/orders/{order['id']}").json() == modified


def test_modify_rejects_prices_the_order_type_does_not_take(broker: httpx.Client) -> None:
    order = _limit(broker)
    response = broker.patch(f"/orders/{order['id']}", json={"stop_price": 90})
    assert _error_locs(response) == [["body", "stop_price"]]
    assert "does not accept stop_price" in response.json()["detail"][0]["msg"]


def test_cancel_working_order_then_it_can_neither_be_modified_nor_cancelled(
    broker: httpx.Client,
) -> None:
    order = _limit(broker)
    response = broker.delete(f"/orders/{order['id']}")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert broker.get(f"/orders/{order['id']}").json()["status"] == "cancelled"
    again = broker.delete(f"/orders/{order['id']}")
    assert again.status_code == 409
    assert "cancelled" in again.json()["detail"]
    assert broker.patch(f"/orders/{order['id']}", json={"qty": 1}).status_code == 409


def test_filled_order_cannot_be_modified_or_cancelled(broker: httpx.Client) -> None:
    order = _buy(broker)
    assert broker.patch(f"/orders/{order['id']}", json={"qty": 1}).status_code == 409
    assert broker.delete(f"/orders/{order['id']}").status_code == 409


@pytest.mark.parametrize(
    ("method", "body"), [("GET", None), ("PATCH", {"qty": 1}), ("DELETE", None)]
)
def test_unknown_order_id_is_404_with_a_useful_detail(
    broker: httpx.Client, method: str, body: dict[str, Any] | None
) -> None:
    response = broker.request(method, "/orders/ORD-999999", json=body)
    assert response.status_code == 404
    assert "ORD-999999" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"symbol": "AAPL", "side": "buy", "qty": 0}, ["body", "qty"]),
        ({"symbol": "AAPL", "side": "buy", "qty": -1}, ["body", "qty"]),
        ({"symbol": "AAPL", "side": "hold", "qty": 1}, ["body", "side"]),
        ({"symbol": "AAPL", "qty": 1}, ["body", "side"]),
        ({"symbol": "AAPL", "side": "buy", "qty": 1, "type": "iceberg"}, ["body", "type"]),
        ({"symbol": "", "side": "buy", "qty": 1}, ["body", "symbol"]),
        ({"symbol": "AAPL", "side": "buy", "qty": 1, "colour": "red"}, ["body", "colour"]),
        ({"symbol": "AAPL", "side": "buy", "qty": 1, "type": "limit"}, ["body", "limit_price"]),
        ({"symbol": "AAPL", "side": "buy", "qty": 1, "limit_price": 10}, ["body", "limit_price"]),
        ({"symbol": "NOPE", "side": "buy", "qty": 1}, ["body", "symbol"]),
    ],
)
def test_invalid_order_bodies_are_422(
    broker: httpx.Client, body: dict[str, Any], loc: list[str]
) -> None:
    for path in ("/orders", "/orders/preview"):
        assert _error_locs(broker.post(path, json=body)) == [loc], path
    assert broker.get("/orders").json() == []


def test_modify_with_no_change_or_bad_values_is_422(broker: httpx.Client) -> None:
    order = _limit(broker)
    assert _error_locs(broker.patch(f"/orders/{order['id']}", json={})) == [["body"]]
    assert _error_locs(broker.patch(f"/orders/{order['id']}", json={"qty": 0})) == [["body", "qty"]]


def test_preview_estimates_without_placing(broker: httpx.Client) -> None:
    response = broker.post("/orders/preview", json={"symbol": "AAPL", "side": "buy", "qty": 10})
    assert response.status_code == 200
    preview = response.json()
    assert preview["estimated_price"] > 0
    assert preview["notional"] == pytest.approx(10 * preview["estimated_price"], abs=0.01)
    assert preview["commission"] >= 1.0
    assert preview["margin_required"] == pytest.approx(preview["notional"], abs=0.01)
    expected_after = INITIAL_BALANCE - preview["margin_required"] - preview["commission"]
    assert preview["available_funds_after"] == pytest.approx(expected_after, abs=0.02)
    assert preview["warnings"] == []
    assert broker.get("/orders").json() == []
    assert broker.get("/positions").json() == []
    limit = broker.post(
        "/orders/preview",
        json={"symbol": "AAPL", "side": "buy", "qty": 2, "type": "limit", "limit_price": 120},
    ).json()
    assert (limit["estimated_price"], limit["notional"]) == (120, 240)
    assert any("working" in w for w in limit["warnings"])


def test_order_beyond_available_funds_is_rejected_with_reason(broker: httpx.Client) -> None:
    preview = broker.post("/orders/preview", json={"symbol": "BTCUSD", "side": "buy", "qty": 100})
    assert any("insufficient funds" in w for w in preview.json()["warnings"])
    order = _place(broker, symbol="BTCUSD", side="buy", qty=100)
    assert order["status"] == "rejected"
    assert "insufficient funds" in order["reject_reason"]
    assert broker.get("/positions").json() == []
    assert broker.get("/executions/BTCUSD").json() == []


# ---- positions and executions --------------------------------------------------------------------


def test_fills_build_positions_and_executions(broker: httpx.Client) -> None:
    first = _buy(broker, qty=10)
    second = _place(broker, symbol="AAPL", side="sell", qty=4)
    positions = broker.get("/positions").json()
    assert len(positions) == 1
    position = positions[0]
    assert (position["symbol"], position["side"], position["qty"]) == ("AAPL", "long", 6)
    assert position["avg_price"] == first["avg_fill_price"]
    expected_pnl = 4 * (second["avg_fill_price"] - first["avg_fill_price"])
    assert position["realized_pnl"] == pytest.approx(expected_pnl, abs=0.01)
    assert position["brackets"] == {"take_profit": None, "stop_loss": None}
    executions = broker.get("/executions/AAPL").json()
    assert [(e["id"], e["order_id"], e["side"], e["qty"]) for e in executions] == [
        ("EXE-000001", first["id"], "buy", 10),
        ("EXE-000002", second["id"], "sell", 4),
    ]
    assert executions[0]["price"] == first["avg_fill_price"]
    assert broker.get("/executions/msft").json() == []


def test_selling_more_than_held_flips_to_short(broker: httpx.Client) -> None:
    _buy(broker, qty=2)
    sell = _place(broker, symbol="AAPL", side="sell", qty=5)
    (position,) = broker.get("/positions").json()
    assert (position["side"], position["qty"]) == ("short", 3)
    assert position["avg_price"] == sell["avg_fill_price"]


def test_executions_of_unknown_symbol_is_404(broker: httpx.Client) -> None:
    response = broker.get("/executions/NOPE")
    assert response.status_code == 404
    assert "NOPE" in response.json()["detail"]


def test_close_position_partly_then_fully(broker: httpx.Client) -> None:
    _buy(broker, qty=10)
    partial = broker.post("/positions/AAPL/close", params={"qty": 4})
    assert partial.status_code == 200
    assert (partial.json()["side"], partial.json()["qty"], partial.json()["status"]) == (
        "sell",
        4,
        "filled",
    )
    assert broker.get("/positions").json()[0]["qty"] == 6
    rest = broker.post("/positions/aapl/close")
    assert rest.status_code == 200
    assert rest.json()["qty"] == 6
    assert broker.get("/positions").json() == []
    assert broker.post("/positions/AAPL/close").status_code == 404


def test_close_position_errors(broker: httpx.Client) -> None:
    assert broker.post("/positions/MSFT/close").status_code == 404  # no position
    assert broker.post("/positions/NOPE/close").status_code == 404  # unknown symbol
    _buy(broker, qty=2)
    assert _error_locs(broker.post("/positions/AAPL/close", params={"qty": 3})) == [
        ["query", "qty"]
    ]
    assert _error_locs(broker.post("/positions/AAPL/close", params={"qty": 0})) == [
        ["query", "qty"]
    ]
    assert broker.get("/positions").json()[0]["qty"] == 2


def test_set_brackets_on_a_long_position(broker: httpx.Client) -> None:
    _buy(broker)
    market = broker.get("/positions").json()[0]["market_price"]
    brackets = {"take_profit": round(market * 1.1, 2), "stop_loss": round(market * 0.9, 2)}
    response = broker.put("/positions/AAPL/brackets", json=brackets)
    assert response.status_code == 200
    assert response.json()["brackets"] == brackets
    assert broker.get("/positions").json()[0]["brackets"] == brackets
    cleared = broker.put("/positions/AAPL/brackets", json={"take_profit": None})
    assert cleared.json()["brackets"] == {"take_profit": None, "stop_loss": None}


def test_brackets_on_the_wrong_side_of_the_market_are_422(broker: httpx.Client) -> None:
    _buy(broker)
    market = broker.get("/positions").json()[0]["market_price"]
    too_low = broker.put("/positions/AAPL/brackets", json={"take_profit": market * 0.5})
    assert _error_locs(too_low) == [["body", "take_profit"]]
    too_high = broker.put("/positions/AAPL/brackets", json={"stop_loss": market * 2})
    assert _error_locs(too_high) == [["body", "stop_loss"]]
    negative = broker.put("/positions/AAPL/brackets", json={"stop_loss": -1})
    assert _error_locs(negative) == [["body", "stop_loss"]]


def test_brackets_without_position_is_404(broker: httpx.Client) -> None:
    response = broker.put("/positions/AAPL/brackets", json={"take_profit": 1000})
    assert response.status_code == 404
    assert "no open position" in response.json()["detail"]


# ---- account and leverage ------------------------------------------------------------------------


def test_account_starts_funded_and_tracks_commissions_and_margin(broker: httpx.Client) -> None:
    account = broker.get("/account").json()
    assert account["id"] == "SIM-000001"
    assert (account["balance"], account["equity"], account["margin_used"]) == (
        INITIAL_BALANCE,
        INITIAL_BALANCE,
        0,
    )
    order = _buy(broker, qty=10)
    commission = broker.get("/executions/AAPL").json()[0]["commission"]
    account = broker.get("/account").json()
    assert account["balance"] == pytest.approx(INITIAL_BALANCE - commission)
    assert account["margin_used"] == pytest.approx(10 * order["avg_fill_price"], abs=0.01)
    assert account["equity"] == pytest.approx(account["balance"] + account["unrealized_pnl"])
    expected_available = account["equity"] - account["margin_used"]
    assert account["available_funds"] == pytest.approx(expected_available, abs=0.01)


def test_leverage_defaults_and_ranges_per_symbol_type(broker: httpx.Client) -> None:
    aapl = broker.get("/leverage/AAPL").json()
    assert aapl == {
        "symbol": "AAPL",
        "leverage": 1,
        "min_leverage": 1,
        "max_leverage": 4,
        "step": 1,
    }
    assert broker.get("/leverage/EURUSD").json()["max_leverage"] == 50
    assert broker.get("/leverage/NOPE").status_code == 404


def test_set_leverage_changes_margin(broker: httpx.Client) -> None:
    _buy(broker, qty=10)
    margin_before = broker.get("/account").json()["margin_used"]
    response = broker.put("/leverage/AAPL", json={"leverage": 2})
    assert response.status_code == 200
    assert response.json()["leverage"] == 2
    assert broker.get("/leverage/AAPL").json()["leverage"] == 2
    margin_after = broker.get("/account").json()["margin_used"]
    assert margin_after == pytest.approx(margin_before / 2, abs=0.01)


def test_preview_leverage_does_not_change_it(broker: httpx.Client) -> None:
    _buy(broker, qty=10)
    response = broker.post("/leverage/AAPL/preview", json={"leverage": 4})
    assert response.status_code == 200
    preview = response.json()
    assert (preview["current_leverage"], preview["new_leverage"]) == (1, 4)
    assert preview["margin_used_after"] == pytest.approx(preview["margin_used_now"] / 4, abs=0.01)
    assert preview["warnings"] == []
    assert broker.get("/leverage/AAPL").json()["leverage"] == 1


@pytest.mark.parametrize("body", [{"leverage": 10}, {"leverage": 2.5}, {"leverage": 0}, {}])
def test_invalid_leverage_is_422(broker: httpx.Client, body: dict[str, Any]) -> None:
    for method, path in (("PUT", "/leverage/AAPL"), ("POST", "/leverage/AAPL/preview")):
        assert _error_locs(broker.request(method, path, json=body)) == [["body", "leverage"]]
    assert broker.get("/leverage/AAPL").json()["leverage"] == 1


def test_leverage_of_unknown_symbol_is_404(broker: httpx.Client) -> None:
    assert broker.put("/leverage/NOPE", json={"leverage": 2}).status_code == 404
    assert broker.post("/leverage/NOPE/preview", json={"leverage": 2}).status_code == 404
