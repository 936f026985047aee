"""Orders: what a client sends to place, preview or modify one, and what the broker reports back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trading_api.models.market_data import SubscribedSymbol

Price = Annotated[float, Field(gt=0, le=1e9, description="Price in the symbol's currency")]
Quantity = Annotated[float, Field(gt=0, le=1e7, description="Quantity in units of the symbol")]
SymbolName = Annotated[
    str,
    Field(min_length=1, max_length=32, description="Ticker, e.g. AAPL", examples=["AAPL"]),
]


class Side(StrEnum):
    """Direction of an order or execution."""

    BUY = "buy"
    SELL = "sell"


class OrderType(StrEnum):
    """How an order is priced."""

    MARKET = "market"
    LIMIT = "limit"
    STOP = "stop"
    STOP_LIMIT = "stop_limit"


class OrderStatus(StrEnum):
    """Life cycle state of an order; only `working` orders can be modified or cancelled."""

    WORKING = "working"
    FILLED = "filled"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class TimeInForce(StrEnum):
    """How long an order stays working."""

    DAY = "day"
    GTC = "gtc"


# Which price fields each order type needs; the same table checks creates and updates.
_NEEDS_LIMIT = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT})
_NEEDS_STOP = frozenset({OrderType.STOP, OrderType.STOP_LIMIT})


def check_prices_for_type(
    order_type: OrderType, limit_price: float | None, stop_price: float | None
) -> None:
    """Raise ValueError unless exactly the price fields `order_type` needs are set."""
    if (limit_price is not None) != (order_type in _NEEDS_LIMIT):
        need = "requires" if order_type in _NEEDS_LIMIT else "does not accept"
        raise ValueError(f"a {order_type.value} order {need} limit_price")
    if (stop_price is not None) != (order_type in _NEEDS_STOP):
        need = "requires" if order_type in _NEEDS_STOP else "does not accept"
        raise ValueError(f"a {order_type.value} order {need} stop_price")


class OrderCreate(BaseModel):
    """An order to place or preview."""

    model_config = ConfigDict(extra="forbid")

    symbol: SymbolName
    side: Side
    type: OrderType = OrderType.MARKET
    qty: Quantity
    limit_price: Price | None = None
    stop_price: Price | None = None
    time_in_force: TimeInForce = TimeInForce.DAY

    @model_validator(mode="after")
    def _prices_match_type(self) -> OrderCreate:
        check_prices_for_type(self.type, self.limit_price, self.stop_price)
        return self


class OrderUpdate(BaseModel):
    """New values for a working order; fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    qty: Quantity | None = None
    limit_price: Price | None = None
    stop_price: Price | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> OrderUpdate:
        if self.qty is None and self.limit_price is None and self.stop_price is None:
            raise ValueError("give at least one of qty, limit_price, stop_price")
        return self


class OrderPublic(BaseModel):
    """An order as the broker knows it."""

    id: str = Field(description="Broker order id", examples=["ORD-000001"])
    symbol: str
    side: Side
    type: OrderType
    qty: float
    limit_price: float | None = None
    stop_price: float | None = None
    time_in_force: TimeInForce
    status: OrderStatus
    filled_qty: float = 0.0
    avg_fill_price: float | None = None
    reject_reason: str | None = None
    created_at: datetime
    updated_at: datetime


class OrderPreview(BaseModel):
    """What placing an order would cost, without placing it."""

    symbol: str
    side: Side
    type: OrderType
    qty: float
    estimated_price: float = Field(description="Market price, or the order's limit/stop price")
    notional: float = Field(description="qty * estimated_price")
    commission: float
    margin_required: float
    available_funds_after: float
    warnings: list[str] = Field(default_factory=list)


class OrdersSubscriptionRequest(BaseModel):
    """Subscribe to order changes (placed, filled, modified, cancelled, rejected)."""

    model_config = ConfigDict(extra="forbid")

    symbol: SubscribedSymbol | None = Field(
        default=None, description="Only orders in this symbol; every order if null"
    )
