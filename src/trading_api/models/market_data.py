"""Market data: datafeed configuration, symbols, bars and quotes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Resolution(StrEnum):
    """Bar size, in TradingView notation (minutes, or D/W)."""

    MINUTE_1 = "1"
    MINUTE_5 = "5"
    MINUTE_15 = "15"
    MINUTE_30 = "30"
    HOUR_1 = "60"
    HOUR_4 = "240"
    DAY_1 = "1D"
    WEEK_1 = "1W"


def _normalise_ticker(name: str) -> str:
    return name.strip().upper()


# A symbol in a subscription request, normalised ("aapl " -> "AAPL") so that equal requests
# canonicalise to one topic key.
SubscribedSymbol = Annotated[
    str,
    Field(min_length=1, max_length=32, description="Ticker, any case", examples=["AAPL"]),
    AfterValidator(_normalise_ticker),
]


def _sorted_unique(symbols: list[str]) -> list[str]:
    return sorted(set(symbols))


class SymbolType(StrEnum):
    """Kind of instrument."""

    STOCK = "stock"
    FOREX = "forex"
    CRYPTO = "crypto"


class ExchangePublic(BaseModel):
    """An exchange the datafeed lists symbols of."""

    value: str
    name: str
    description: str


class SymbolTypePublic(BaseModel):
    """A symbol type a search can filter on."""

    name: str
    value: SymbolType


class DatafeedConfigPublic(BaseModel):
    """What the datafeed supports."""

    supported_resolutions: list[Resolution]
    exchanges: list[ExchangePublic]
    symbol_types: list[SymbolTypePublic]
    currency_codes: list[str]
    supports_search: bool = True
    supports_time: bool = True
    max_bars: int = Field(gt=0, description="Most bars one history request may return")


class SymbolMatchPublic(BaseModel):
    """One symbol search result."""

    symbol: str
    full_name: str = Field(examples=["NASDAQ:AAPL"])
    description: str
    exchange: str
    type: SymbolType


class SymbolInfoPublic(BaseModel):
    """Everything a chart needs to know about a symbol."""

    name: str
    ticker: str
    full_name: str
    description: str
    type: SymbolType
    exchange: str
    currency_code: str
    timezone: str = "Etc/UTC"
    session: str = "24x7"
    pricescale: int = Field(gt=0, description="Price increments per unit: 100 -> 0.01")
    minmov: int = Field(default=1, gt=0)
    has_intraday: bool = True
    supported_resolutions: list[Resolution]
    volume_precision: int = Field(default=0, ge=0)


class BarPublic(BaseModel):
    """One OHLCV bar; `time` is the bar's open, in Unix seconds (UTC)."""

    time: int = Field(ge=0)
    open: float = Field(gt=0)
    high: float = Field(gt=0)
    low: float = Field(gt=0)
    close: float = Field(gt=0)
    volume: float = Field(ge=0)


class QuotePublic(BaseModel):
    """Latest quote of a symbol."""

    symbol: str
    bid: float = Field(gt=0)
    ask: float = Field(gt=0)
    last: float = Field(gt=0)
    change: float = Field(description="last - price 24 hours earlier")
    change_percent: float
    volume: float = Field(ge=0)
    time: datetime


class BarsSubscriptionRequest(BaseModel):
    """Subscribe to the bars of one symbol at one resolution (default: 1 minute)."""

    model_config = ConfigDict(extra="forbid")

    symbol: SubscribedSymbol
    resolution: Resolution = Resolution.MINUTE_1


class QuotesSubscriptionRequest(BaseModel):
    """Subscribe to the quotes of one or more symbols; each update is one symbol's quote.

    The symbols are a set: order and repetitions do not matter (they are sorted and deduplicated).
    """

    model_config = ConfigDict(extra="forbid")

    symbols: Annotated[
        list[SubscribedSymbol], Field(min_length=1, max_length=50), AfterValidator(_sorted_unique)
    ]
