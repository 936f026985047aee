"""Datafeed module API through the mounted app: configuration, symbols, history bars, quotes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

START = 1_704_205_800  # 2024-01-02 14:30 UTC
HOUR, DAY, WEEK = 3_600, 86_400, 7 * 86_400


def _history(datafeed: httpx.Client, **params: Any) -> httpx.Response:
    return datafeed.get("/history", params={"symbol": "AAPL", "resolution": "60", **params})


def _bars(datafeed: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = _history(datafeed, **params)
    assert response.status_code == 200, response.text
    bars: list[dict[str, Any]] = response.json()
    return bars


def _error_locs(response: httpx.Response) -> list[list[str | int]]:
    assert response.status_code == 422, response.text
    return [error["loc"] for error in response.json()["detail"]]


def test_configuration_lists_resolutions_exchanges_and_types(datafeed: httpx.Client) -> None:
    response = datafeed.get("/config")
    assert response.status_code == 200
    config = response.json()
    assert config["supported_resolutions"] == ["1", "5", "15", "30", "60", "240", "1D", "1W"]
    assert {e["value"] for e in config["exchanges"]} == {"NASDAQ", "NYSE", "FX", "CRYPTO"}
    assert {t["value"] for t in config["symbol_types"]} == {"stock", "forex", "crypto"}
    assert config["currency_codes"] == ["USD"]
    assert config["max_bars"] == 5000


def test_search_ranks_ticker_prefix_first(datafeed: httpx.Client) -> None:
    results = datafeed.get("/symbols/search", params={"query": "usd"}).json()
    symbols = [r["symbol"] for r in results]
    assert symbols == ["BTCUSD", "ETHUSD", "EURUSD", "GBPUSD"]  # no ticker starts with USD
    first = datafeed.get("/symbols/search", params={"query": "a"}).json()[0]
    assert first == {
        "symbol": "AAPL",
        "full_name": "NASDAQ:AAPL",
        "description": "Apple Inc.",
        "exchange": "NASDAQ",
        "type": "stock",
    }
    by_name = datafeed.get("/symbols/search", params={"query": "microsoft"}).json()
    assert [r["symbol"] for r in by_name] == ["MSFT"]


def test_search_filters_by_exchange_type_and_limit(datafeed: httpx.Client) -> None:
    fx = datafeed.get("/symbols/search", params={"query": "", "exchange": "fx"}).json()
    assert [r["symbol"] for r in fx] == ["EURUSD", "GBPUSD"]
    crypto = datafeed.get("/symbols/search", params={"type": "crypto"}).json()
    assert [r["symbol"] for r in crypto] == ["BTCUSD", "ETHUSD"]
    assert len(datafeed.get("/symbols/search", params={"limit": 3}).json()) == 3
    assert len(datafeed.get("/symbols/search").json()) == 9
    assert datafeed.get("/symbols/search", params={"query": "zzz"}).json() == []


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"type": "bond"}, ["query", "type"]),
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 101}, ["query", "limit"]),
    ],
)
def test_search_rejects_invalid_params(
    datafeed: httpx.Client, params: dict[str, Any], loc: list[str]
) -> None:
    assert _error_locs(datafeed.get("/symbols/search", params=params)) == [loc]


def test_resolve_symbol_by_ticker_or_full_name(datafeed: httpx.Client) -> None:
    info = datafeed.get("/symbols/AAPL").json()
    assert (info["name"], info["full_name"], info["exchange"], info["type"]) == (
        "AAPL",
        "NASDAQ:AAPL",
        "NASDAQ",
        "stock",
    )
    assert info["pricescale"] == 100
    assert "1D" in info["supported_resolutions"]
    assert datafeed.get("/symbols/NASDAQ:AAPL").json() == info
    assert datafeed.get("/symbols/eurusd").json()["pricescale"] == 100_000


@pytest.mark.parametrize("symbol", ["NOPE", "NYSE:AAPL"])
def test_resolve_unknown_symbol_is_404(datafeed: httpx.Client, symbol: str) -> None:
    response = datafeed.get(f"/symbols/{symbol}")
    assert response.status_code == 404
    assert symbol in response.json()["detail"]


def test_history_bars_cover_the_range_on_the_resolution_grid(datafeed: httpx.Client) -> None:
    bars = _bars(datafeed, **{"from": START, "to": START + 5 * HOUR})
    times = [bar["time"] for bar in bars]
    # START is 14:30, so the first whole-hour bar opens at 15:00; [from, to) holds five opens.
    assert times == [START + 30 * 60 + k * HOUR for k in range(5)]
    for bar in bars:
        assert bar["high"] >= max(bar["open"], bar["close"])
        assert bar["low"] <= min(bar["open"], bar["close"])
        assert bar["low"] > 0
        assert bar["volume"] > 0
    # consecutive bars chain: each opens where the previous closed
    assert all(a["close"] == b["open"] for a, b in itertools.pairwise(bars))


def test_history_is_deterministic(datafeed: httpx.Client) -> None:
    params = {"from": START, "to": START + 50 * HOUR}
    first = _bars(datafeed, **params)
    assert len(first) == 50
    assert _bars(datafeed, **params) == first
    assert _bars(datafeed, **params, symbol="MSFT") != first


def test_daily_and_weekly_bars_align_to_midnight_and_monday(datafeed: httpx.Client) -> None:
    daily = _bars(datafeed, resolution="1D", **{"from": START, "to": START + 10 * DAY})
    assert len(daily) == 10
    assert all(bar["time"] % DAY == 0 for bar in daily)
    weekly = _bars(datafeed, resolution="1W", **{"from": START, "to": START + 10 * WEEK})
    assert len(weekly) == 10
    opens = [datetime.fromtimestamp(bar["time"], UTC) for bar in weekly]
    assert all((o.weekday(), o.hour, o.minute) == (0, 0, 0) for o in opens)


def test_countback_returns_that_many_bars_before_to(datafeed: httpx.Client) -> None:
    to = START + 100 * HOUR
    bars = _bars(datafeed, countback=7, **{"from": to - HOUR, "to": to})
    assert len(bars) == 7
    assert bars[-1]["time"] < to <= bars[-1]["time"] + HOUR
    assert bars == _bars(datafeed, **{"from": bars[0]["time"], "to": to})


def test_history_of_unknown_symbol_is_404(datafeed: httpx.Client) -> None:
    response = _history(datafeed, symbol="NOPE", **{"from": START, "to": START + HOUR})
    assert response.status_code == 404
    assert "NOPE" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"from": START, "to": START}, ["query", "to"]),
        ({"from": START + HOUR, "to": START}, ["query", "to"]),
        ({"from": START, "to": START + HOUR, "resolution": "2"}, ["query", "resolution"]),
        ({"to": START}, ["query", "from"]),
        ({"from": -1, "to": START}, ["query", "from"]),
        ({"from": START, "to": START + HOUR, "countback": 0}, ["query", "countback"]),
        ({"from": 0, "to": START, "resolution": "1"}, ["query", "from"]),  # too many bars
    ],
)
def test_history_rejects_invalid_params(
    datafeed: httpx.Client, params: dict[str, Any], loc: list[str]
) -> None:
    assert _error_locs(_history(datafeed, **params)) == [loc]


def test_quotes_in_requested_order_with_consistent_prices(datafeed: httpx.Client) -> None:
    response = datafeed.get("/quotes", params={"symbols": ["EURUSD", "aapl"]})
    assert response.status_code == 200
    quotes = response.json()
    assert [q["symbol"] for q in quotes] == ["EURUSD", "AAPL"]
    for quote in quotes:
        assert 0 < quote["bid"] < quote["ask"]
        assert quote["bid"] <= quote["last"] <= quote["ask"]
        previous = quote["last"] - quote["change"]
        assert quote["change_percent"] == pytest.approx(quote["change"] / previous * 100, abs=1e-3)


def test_quotes_of_unknown_symbols_is_404_naming_them(datafeed: httpx.Client) -> None:
    response = datafeed.get("/quotes", params={"symbols": ["AAPL", "NOPE", "ZZZ"]})
    assert response.status_code == 404
    assert "'NOPE'" in response.json()["detail"]
    assert "'ZZZ'" in response.json()["detail"]


def test_quotes_need_at_least_one_symbol(datafeed: httpx.Client) -> None:
    assert _error_locs(datafeed.get("/quotes")) == [["query", "symbols"]]
