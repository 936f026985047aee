"""Market data: datafeed configuration, symbols, bars and quotes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


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
