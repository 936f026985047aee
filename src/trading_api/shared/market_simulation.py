"""Deterministic simulated market shared by the broker and the datafeed: symbols, clock, prices.

Everything is a pure function of (symbol, time), seeded by a stable hash (blake2b, not Python's
per-process randomised `hash`), so runs, tests and generated examples are reproducible offline.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from trading_api.models.market_data import SymbolType

# 2024-01-02 14:30:00 UTC, a Tuesday market open: the simulated clock starts here.
SIMULATION_EPOCH: Final = 1_704_205_800

_DAY: Final = 86_400


@dataclass(frozen=True)
class SimulatedSymbol:
    """One instrument of the fixed simulated universe."""

    ticker: str
    description: str
    exchange: str
    type: SymbolType
    currency: str
    pricescale: int
    price_band: tuple[float, float]
    volatility: float

    @property
    def full_name(self) -> str:
        """Exchange-qualified name, e.g. NASDAQ:AAPL."""
        return f"{self.exchange}:{self.ticker}"

    @property
    def tick_size(self) -> float:
        """Smallest price increment."""
        return 1 / self.pricescale


_STOCK, _FOREX, _CRYPTO = SymbolType.STOCK, SymbolType.FOREX, SymbolType.CRYPTO

# fmt: off
SYMBOLS: Final[dict[str, SimulatedSymbol]] = {
    s.ticker: s
    for s in (
        # ticker, description, exchange, type, currency, pricescale, price band, volatility
        SimulatedSymbol("AAPL", "Apple Inc.", "NASDAQ", _STOCK, "USD", 100, (150.0, 250.0), 1.0),
        SimulatedSymbol("MSFT", "Microsoft Corporation", "NASDAQ", _STOCK, "USD", 100,
                        (300.0, 450.0), 1.0),
        SimulatedSymbol("GOOGL", "Alphabet Inc. Class A", "NASDAQ", _STOCK, "USD", 100,
                        (120.0, 180.0), 1.0),
        SimulatedSymbol("TSLA", "Tesla, Inc.", "NASDAQ", _STOCK, "USD", 100, (150.0, 300.0), 1.8),
        SimulatedSymbol("JPM", "JPMorgan Chase & Co.", "NYSE", _STOCK, "USD", 100,
                        (140.0, 200.0), 0.8),
        SimulatedSymbol("EURUSD", "Euro / US Dollar", "FX", _FOREX, "USD", 100_000,
                        (1.05, 1.15), 0.15),
        SimulatedSymbol("GBPUSD", "British Pound / US Dollar", "FX", _FOREX, "USD", 100_000,
                        (1.20, 1.32), 0.15),
        SimulatedSymbol("BTCUSD", "Bitcoin / US Dollar", "CRYPTO", _CRYPTO, "USD", 100,
                        (40_000.0, 70_000.0), 2.5),
        SimulatedSymbol("ETHUSD", "Ethereum / US Dollar", "CRYPTO", _CRYPTO, "USD", 100,
                        (2_000.0, 4_000.0), 2.5),
    )
}
# fmt: on

EXCHANGE_DESCRIPTIONS: Final[dict[str, str]] = {
    "NASDAQ": "Nasdaq Stock Market",
    "NYSE": "New York Stock Exchange",
    "FX": "Simulated foreign exchange",
    "CRYPTO": "Simulated crypto exchange",
}


def find_symbol(name: str) -> SimulatedSymbol | None:
    """The symbol named `name` ("aapl", "AAPL" or "NASDAQ:AAPL"), or None if unknown."""
    exchange, _, ticker = name.strip().upper().rpartition(":")
    symbol = SYMBOLS.get(ticker)
    if symbol is None or (exchange and exchange != symbol.exchange):
        return None
    return symbol


def _fraction(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) derived from `parts`."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def round_to_tick(symbol: SimulatedSymbol, price: float) -> float:
    """`price` rounded to the symbol's tick, never below one tick."""
    return max(round(price * symbol.pricescale), 1) / symbol.pricescale


def base_price(symbol: SimulatedSymbol) -> float:
    """The symbol's reference price: a stable point inside its price band."""
    low, high = symbol.price_band
    return low + (high - low) * _fraction(symbol.ticker, "base")


def price_at(symbol: SimulatedSymbol, time: int) -> float:
    """Simulated last price at Unix second `time`: slow, daily and intraday waves around base."""
    waves = (
        (0.06, 29 * _DAY),
        (0.015, _DAY),
        (0.004, 97 * 60),
    )
    drift = sum(
        amplitude * math.sin(2 * math.pi * (time / period + _fraction(symbol.ticker, period)))
        for amplitude, period in waves
    )
    return round_to_tick(symbol, base_price(symbol) * math.exp(symbol.volatility * drift))


@dataclass(frozen=True)
class SimulatedBar:
    """OHLCV of one bar."""

    time: int
    open: float
    high: float
    low: float
    close: float
    volume: float


def bar_at(symbol: SimulatedSymbol, time: int, seconds: int) -> SimulatedBar:
    """The bar opening at `time` and lasting `seconds`; high/low always enclose open and close."""
    open_, close = price_at(symbol, time), price_at(symbol, time + seconds)
    reach = base_price(symbol) * symbol.volatility * 0.002 * math.sqrt(seconds / 60)
    high = round_to_tick(symbol, max(open_, close) + reach * _fraction(symbol.ticker, time, "h"))
    low = round_to_tick(symbol, min(open_, close) - reach * _fraction(symbol.ticker, time, "l"))
    volume = round(1_000 * seconds / 60 * (0.5 + _fraction(symbol.ticker, time, "v")))
    return SimulatedBar(time, open_, max(high, open_, close), min(low, open_, close), close, volume)


def spread(symbol: SimulatedSymbol) -> float:
    """Bid/ask spread: a few ticks."""
    return symbol.tick_size * (2 if symbol.type is SymbolType.STOCK else 5)


class SimulatedClock:
    """Deterministic clock: starts at SIMULATION_EPOCH and moves one second per `tick()`."""

    def __init__(self, start: int = SIMULATION_EPOCH) -> None:
        self._now = start

    def now(self) -> int:
        """Current simulated time, Unix seconds."""
        return self._now

    def tick(self) -> int:
        """Advance one second and return the new time."""
        self._now += 1
        return self._now

    def now_datetime(self) -> datetime:
        """Current simulated time as an aware UTC datetime."""
        return datetime.fromtimestamp(self._now, UTC)
