"""Positions: net holdings per symbol, with optional take-profit and stop-loss brackets."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trading_api.models.market_data import SubscribedSymbol
from trading_api.models.orders import Price


class PositionSide(StrEnum):
    """Direction of a position."""

    LONG = "long"
    SHORT = "short"


class PositionBrackets(BaseModel):
    """Take-profit and stop-loss prices of a position; null means no bracket."""

    model_config = ConfigDict(extra="forbid")

    take_profit: Price | None = None
    stop_loss: Price | None = None


class PositionPublic(BaseModel):
    """A net open position."""

    symbol: str
    side: PositionSide
    qty: float = Field(gt=0, description="Absolute position size")
    avg_price: float
    market_price: float
    unrealized_pnl: float
    realized_pnl: float
    brackets: PositionBrackets = Field(default_factory=PositionBrackets)


class PositionsSubscriptionRequest(BaseModel):
    """Subscribe to open positions: after every change, and revalued periodically."""

    model_config = ConfigDict(extra="forbid")

    symbol: SubscribedSymbol | None = Field(
        default=None, description="Only the position in this symbol; every position if null"
    )
