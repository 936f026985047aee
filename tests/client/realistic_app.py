"""A realistic module API for timing the client generator: 18 operations, 36 schemas.

Shaped like the trading backend's modules (enums, nullable fields, nested models, lists, path,
query and body parameters), but self-contained so measurements do not move when the backend does.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query
from pydantic import BaseModel, Field


class Side(StrEnum):
    BUY = "buy"
    SELL = "sell"


class OrderType(StrEnum):
    MARKET = "market"
    LIMIT = "limit"
    STOP = "stop"
    STOP_LIMIT = "stop_limit"


class TimeInForce(StrEnum):
    DAY = "day"
    GTC = "gtc"
    IOC = "ioc"


class OrderStatus(StrEnum):
    WORKING = "working"
    FILLED = "filled"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class PositionSide(StrEnum):
    LONG = "long"
    SHORT = "short"


class Resolution(StrEnum):
    MINUTE = "1m"
    FIVE_MINUTES = "5m"
    HOUR = "1h"
    DAY = "1d"


class AssetClass(StrEnum):
    EQUITY = "equity"
    FX = "fx"
    CRYPTO = "crypto"


class AlertCondition(StrEnum):
    ABOVE = "above"
    BELOW = "below"


class Exchange(BaseModel):
    code: str
    name: str
    timezone: str = "UTC"


class Instrument(BaseModel):
    """A tradable symbol."""

    symbol: str = Field(description="Ticker, e.g. AAPL")
    name: str
    asset_class: AssetClass
    exchange: Exchange
    tick_size: float = 0.01
    lot_size: float = 1
    tradable: bool = True
    tags: list[str] = []


class InstrumentPage(BaseModel):
    items: list[Instrument]
    next_cursor: str | None = None


class Quote(BaseModel):
    symbol: str
    bid: float
    ask: float
    last: float | None = None
    time: datetime


class Bar(BaseModel):
    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float


class BarSeries(BaseModel):
    symbol: str
    resolution: Resolution
    bars: list[Bar]
    no_data: bool = False


class BookLevel(BaseModel):
    price: float
    size: float


class OrderBook(BaseModel):
    symbol: str
    bids: list[BookLevel]
    asks: list[BookLevel]
    time: datetime


class OrderCreate(BaseModel):
    """An order to place or preview."""

    symbol: str
    side: Side
    type: OrderType = OrderType.MARKET
    qty: float = Field(gt=0)
    limit_price: float | None = None
    stop_price: float | None = None
    time_in_force: TimeInForce = TimeInForce.DAY
    client_order_id: str | None = Field(default=None, alias="clientOrderId")


class OrderModify(BaseModel):
    qty: float | None = None
    limit_price: float | None = None
    stop_price: float | None = None


class Execution(BaseModel):
    id: str
    order_id: str
    price: float
    qty: float
    commission: float = 0
    time: datetime


class Order(BaseModel):
    id: str
    symbol: str
    side: Side
    type: OrderType
    qty: float
    filled_qty: float = 0
    limit_price: float | None
    stop_price: float | None
    status: OrderStatus
    time_in_force: TimeInForce
    executions: list[Execution] = []
    created_at: datetime
    updated_at: datetime | None = None


class OrderPreview(BaseModel):
    order: OrderCreate
    estimated_price: float
    estimated_commission: float
    margin_required: float
    warnings: list[str] = []


class Position(BaseModel):
    id: str
    symbol: str
    side: PositionSide
    qty: float
    avg_price: float
    unrealized_pnl: float
    realized_pnl: float = 0


class PositionClose(BaseModel):
    qty: float | None = Field(default=None, description="Close all when omitted")


class Balance(BaseModel):
    currency: str
    cash: float
    reserved: float = 0


class MarginInfo(BaseModel):
    used: float
    available: float
    level: float | None = None


class Account(BaseModel):
    """Balances and margin of the account."""

    id: str
    balances: list[Balance]
    margin: MarginInfo
    equity: float
    updated_at: datetime


class LeverageInfo(BaseModel):
    symbol: str
    leverage: float
    min_leverage: float
    max_leverage: float


class LeverageUpdate(BaseModel):
    leverage: float = Field(gt=0)


class Watchlist(BaseModel):
    id: str
    name: str
    symbols: list[str]
    created_on: date


class WatchlistCreate(BaseModel):
    name: str
    symbols: list[str] = []


class Alert(BaseModel):
    id: str
    symbol: str
    condition: AlertCondition
    price: float
    note: str | None = None
    triggered_at: datetime | None = None


class AlertCreate(BaseModel):
    symbol: str
    condition: AlertCondition
    price: float
    note: str | None = None


class ErrorBody(BaseModel):
    detail: str


class Health(BaseModel):
    ok: bool
    version: str
    uptime_seconds: float
    details: dict[str, Any] = {}


def create_realistic_app() -> FastAPI:
    """The module's versioned app; only its OpenAPI document is used (handlers never run)."""
    router = APIRouter()
    errors: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}

    @router.get("/instruments", operation_id="list_instruments", response_model=InstrumentPage)
    def list_instruments(
        asset_class: AssetClass | None = None,
        search: str | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> InstrumentPage:
        """List instruments, optionally filtered by asset class and a search text."""
        raise NotImplementedError

    @router.get("/instruments/{symbol}", operation_id="get_instrument", response_model=Instrument)
    def get_instrument(symbol: str) -> Instrument:
        """One instrument."""
        raise NotImplementedError

    @router.get("/quotes", operation_id="get_quotes", response_model=list[Quote])
    def get_quotes(symbols: Annotated[list[str], Query()]) -> list[Quote]:
        """Latest quotes of several symbols."""
        raise NotImplementedError

    @router.get("/bars/{symbol}", operation_id="get_bars", response_model=BarSeries)
    def get_bars(
        symbol: str, resolution: Resolution, start: datetime, end: datetime | None = None
    ) -> BarSeries:
        """Historical bars of a symbol."""
        raise NotImplementedError

    @router.get("/book/{symbol}", operation_id="get_order_book", response_model=OrderBook)
    def get_order_book(symbol: str, depth: int = 10) -> OrderBook:
        """Order book snapshot."""
        raise NotImplementedError

    @router.get("/orders", operation_id="list_orders", response_model=list[Order])
    def list_orders(status: OrderStatus | None = None, symbol: str | None = None) -> list[Order]:
        """Orders in placement order, optionally filtered by status and symbol."""
        raise NotImplementedError

    @router.post("/orders", operation_id="place_order", response_model=Order, status_code=201)
    def place_order(order: OrderCreate) -> Order:
        """Place an order."""
        raise NotImplementedError

    @router.post("/orders/preview", operation_id="preview_order", response_model=OrderPreview)
    def preview_order(order: OrderCreate) -> OrderPreview:
        """What placing an order would cost, without placing it."""
        raise NotImplementedError

    @router.patch("/orders/{order_id}", operation_id="modify_order", response_model=Order)
    def modify_order(order_id: str, changes: OrderModify) -> Order:
        """Change a working order."""
        raise NotImplementedError

    @router.delete("/orders/{order_id}", operation_id="cancel_order", status_code=204)
    def cancel_order(order_id: str) -> None:
        """Cancel a working order."""
        raise NotImplementedError

    @router.get("/positions", operation_id="list_positions", response_model=list[Position])
    def list_positions() -> list[Position]:
        """Open positions."""
        raise NotImplementedError

    @router.post(
        "/positions/{position_id}/close", operation_id="close_position", response_model=Order
    )
    def close_position(position_id: str, request: PositionClose) -> Order:
        """Close a position, fully or partly."""
        raise NotImplementedError

    @router.get("/account", operation_id="get_account", response_model=Account)
    def get_account() -> Account:
        """The account's balances and margin."""
        raise NotImplementedError

    @router.put("/leverage/{symbol}", operation_id="set_leverage", response_model=LeverageInfo)
    def set_leverage(symbol: str, update: LeverageUpdate) -> LeverageInfo:
        """Set a symbol's leverage."""
        raise NotImplementedError

    @router.get("/watchlists", operation_id="list_watchlists", response_model=list[Watchlist])
    def list_watchlists() -> list[Watchlist]:
        """Saved watchlists."""
        raise NotImplementedError

    @router.post("/watchlists", operation_id="create_watchlist", response_model=Watchlist)
    def create_watchlist(watchlist: WatchlistCreate) -> Watchlist:
        """Save a watchlist."""
        raise NotImplementedError

    @router.post("/alerts", operation_id="create_alert", response_model=Alert)
    def create_alert(alert: AlertCreate) -> Alert:
        """Create a price alert."""
        raise NotImplementedError

    @router.get("/health", operation_id="health", response_model=Health)
    def health() -> Health:
        """Liveness and version."""
        raise NotImplementedError

    app = FastAPI(title="Markets API", version="1.4.0", servers=[{"url": "/api/v1/markets"}])
    app.include_router(router, responses=errors)
    return app


def realistic_spec() -> dict[str, Any]:
    return create_realistic_app().openapi()
