"""Orders: what a client sends to place, preview or modify one, and what the broker reports back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from trading_api.models.market_data import SubscribedSymbol

# Smallest quantity the broker accounts for: positions are kept to nine decimals, so a smaller
# order would fill and leave a position of size zero.
MIN_QUANTITY: Final = 1e-9
MAX_QUANTITY: Final = 1e7
MAX_PRICE: Final = 1e9

# Numbers in request bodies are JSON numbers, as documented: strict, so `true` and "5" are
# refused rather than read as 1.0 and 5.0; finite, since Python's JSON parser reads the
# non-standard literals NaN and Infinity ("Input should be a finite number").
Price = Annotated[
    float,
    Field(
        gt=0,
        le=MAX_PRICE,
        strict=True,
        allow_inf_nan=False,
        description="Price in the symbol's currency",
    ),
]
Quantity = Annotated[
    float,
    Field(
        ge=MIN_QUANTITY,
        le=MAX_QUANTITY,
        strict=True,
        allow_inf_nan=False,
        description="Quantity in units of the symbol",
    ),
]
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


# The price fields and the order types that need each; the same table checks creates and updates.
PRICE_FIELDS: Final = {
    "limit_price": frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT}),
    "stop_price": frozenset({OrderType.STOP, OrderType.STOP_LIMIT}),
}


def price_field_problem(order_type: OrderType, field: str, value: float | None) -> str | None:
    """Why `field` (a key of PRICE_FIELDS) cannot be `value` in a `order_type` order, or None."""
    needed = order_type in PRICE_FIELDS[field]
    if needed and value is None:
        return f"a {order_type.value} order requires {field}"
    if not needed and value is not None:
        return f"a {order_type.value} order does not accept {field}"
    return None


class OrderCreate(BaseModel):
    """An order to place or preview."""

    model_config = ConfigDict(extra="forbid")

    symbol: SymbolName
    side: Side
    type: OrderType = OrderType.MARKET
    qty: Quantity
    # validate_default: a missing price the type needs is an error at that field too
    limit_price: Price | None = Field(default=None, validate_default=True)
    stop_price: Price | None = Field(default=None, validate_default=True)
    time_in_force: TimeInForce = TimeInForce.DAY

    @field_validator("limit_price", "stop_price")
    @classmethod
    def _price_matches_type(cls, value: float | None, info: ValidationInfo) -> float | None:
        order_type = info.data.get("type")  # absent when `type` itself is invalid
        assert info.field_name is not None
        if order_type is not None:
            problem = price_field_problem(order_type, info.field_name, value)
            if problem is not None:
                raise ValueError(problem)
        return value


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
