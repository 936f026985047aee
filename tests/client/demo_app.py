"""A small FastAPI app that exercises what the client generator must type: enums, nullable and
aliased fields, defaults, arrays, nested and recursive refs, path/query/header/body parameters,
list and primitive responses, 204, 404 and 422. Mounted under /api/v1/demo like the backend.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field

PREFIX = "/api/v1/demo"


class Side(StrEnum):
    BUY = "buy"
    SELL = "sell"


class OrderType(StrEnum):
    """How an order is priced."""

    MARKET = "market"
    LIMIT = "limit"
    STOP_LIMIT = "stop-limit"


class OrderStatus(StrEnum):
    WORKING = "working"
    CANCELLED = "cancelled"


class Fill(BaseModel):
    """One execution of an order."""

    price: float
    qty: float
    at: datetime


class OrderCreate(BaseModel):
    """An order to place."""

    symbol: str = Field(description="Ticker, e.g. AAPL")
    side: Side
    type: OrderType = OrderType.MARKET
    qty: float = Field(gt=0)
    limit_price: float | None = None
    tags: list[str] = []
    client_id: str | None = Field(default=None, alias="clientId")


class Order(BaseModel):
    id: str
    symbol: str
    side: Side
    type: OrderType
    qty: float
    limit_price: float | None
    status: OrderStatus
    fills: list[Fill] = []
    tags: list[str]
    created_at: datetime
    client_id: str | None = Field(default=None, alias="clientId")
    note: str | None


class OrderPage(BaseModel):
    items: list[Order]
    next_cursor: str | None = None
    total: int = 0


class TreeNode(BaseModel):
    """A recursive structure: needs forward references in the client."""

    name: str
    children: list[TreeNode] = []


class EchoedHeaders(BaseModel):
    api_key: str | None
    request_id: str | None


def create_demo_app() -> FastAPI:
    """The parent app with the demo API mounted at PREFIX; fresh state per call."""
    api = FastAPI(title="Demo API", version="1.0.0", servers=[{"url": PREFIX}])
    orders: dict[str, Order] = {}

    @api.post("/orders", operation_id="createOrder", response_model=Order, status_code=201)
    def create_order(body: OrderCreate) -> Order:
        """Place an order."""
        order = Order(
            id=f"o{len(orders) + 1}",
            symbol=body.symbol,
            side=body.side,
            type=body.type,
            qty=body.qty,
            limit_price=body.limit_price,
            status=OrderStatus.WORKING,
            fills=[Fill(price=101.5, qty=body.qty, at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))],
            tags=body.tags,
            created_at=datetime(2024, 1, 2, tzinfo=UTC),
            clientId=body.client_id,
            note=None,
        )
        orders[order.id] = order
        return order

    @api.get("/orders", operation_id="listOrders", response_model=list[Order])
    def list_orders(
        status: OrderStatus | None = None,
        symbols: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI query default
        limit: int = 10,
    ) -> list[Order]:
        """List orders, optionally filtered."""
        found = [
            order
            for order in orders.values()
            if (status is None or order.status == status)
            and (not symbols or order.symbol in symbols)
        ]
        return found[:limit]

    @api.get("/orders/{order_id}", operation_id="get_order", response_model=Order)
    def get_order(order_id: str) -> Order:
        if order_id not in orders:
            raise HTTPException(status_code=404, detail=f"order {order_id} not found")
        return orders[order_id]

    @api.delete("/orders/{order_id}", operation_id="cancelOrder", status_code=204)
    def cancel_order(order_id: str) -> None:
        if order_id not in orders:
            raise HTTPException(status_code=404, detail=f"order {order_id} not found")
        orders[order_id] = orders[order_id].model_copy(update={"status": OrderStatus.CANCELLED})

    @api.put("/orders/{order_id}/tags", operation_id="replaceTags", response_model=list[str])
    def replace_tags(order_id: str, tags: Annotated[list[str], Body()]) -> list[str]:
        if order_id not in orders:
            raise HTTPException(status_code=404, detail=f"order {order_id} not found")
        orders[order_id] = orders[order_id].model_copy(update={"tags": tags})
        return tags

    @api.get("/orders-page", operation_id="getOrderPage", response_model=OrderPage)
    def get_order_page(cursor: str | None = None) -> OrderPage:
        items = list(orders.values())
        return OrderPage(items=items, next_cursor=None if cursor else "next", total=len(items))

    @api.get("/count", operation_id="countOrders", response_model=int)
    def count_orders(side: Side = Side.BUY) -> int:
        return sum(1 for order in orders.values() if order.side == side)

    @api.get("/quotes/{side}/{symbol}", operation_id="quote", response_model=float)
    def quote(side: Side, symbol: str, size: float | None = None) -> float:
        """Price for a side and symbol (path segments are percent-encoded)."""
        return {"buy": 101.0, "sell": 100.0}[side.value] + len(symbol) / 100 + (size or 0)

    @api.get("/tree", operation_id="getTree", response_model=TreeNode)
    def get_tree(depth: int = 2) -> TreeNode:
        node = TreeNode(name="leaf")
        for level in range(depth):
            node = TreeNode(name=f"level{level}", children=[node])
        return node

    @api.get("/echo-headers", operation_id="echoHeaders", response_model=EchoedHeaders)
    def echo_headers(
        request: Request, x_request_id: Annotated[str | None, Header()] = None
    ) -> EchoedHeaders:
        return EchoedHeaders(api_key=request.headers.get("x-api-key"), request_id=x_request_id)

    @api.get("/slow", operation_id="slow", response_model=str)
    async def slow(seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "done"

    @api.get("/anything", operation_id="anything")
    def anything() -> Any:
        return {"free": ["form", 1]}

    root = FastAPI()
    root.mount(PREFIX, api)
    root.state.api = api
    return root


def demo_spec() -> dict[str, Any]:
    api: FastAPI = create_demo_app().state.api
    return api.openapi()
