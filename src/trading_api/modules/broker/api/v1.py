"""Broker API v1: orders, positions, executions, account and leverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query

from trading_api.models.account import AccountPublic, LeverageInfo, LeveragePreview, LeverageUpdate
from trading_api.models.executions import ExecutionPublic
from trading_api.models.orders import (
    MAX_QUANTITY,
    MIN_QUANTITY,
    OrderCreate,
    OrderPreview,
    OrderPublic,
    OrderStatus,
    OrderUpdate,
)
from trading_api.models.positions import PositionBrackets, PositionPublic
from trading_api.modules.broker.service import BrokerService
from trading_api.shared.service_dependency import service_dependency
from trading_api.shared.service_errors import error_responses

router = APIRouter()

BrokerServiceDep = Annotated[BrokerService, Depends(service_dependency(BrokerService))]
OrderId = Annotated[
    str, Path(min_length=1, max_length=32, description="Order id", examples=["ORD-000001"])
]
Symbol = Annotated[
    str, Path(min_length=1, max_length=32, description="Ticker, e.g. AAPL", examples=["AAPL"])
]

# ---- orders -------------------------------------------------------------------------------------


@router.post(
    "/orders",
    operation_id="place_order",
    response_model=OrderPublic,
    status_code=201,
    tags=["orders"],
)
async def place_order(
    order: Annotated[OrderCreate, Body()], service: BrokerServiceDep
) -> OrderPublic:
    """Place an order: market orders fill at once, others stay working; 422 unknown symbol."""
    return service.place_order(order)


@router.post(
    "/orders/preview", operation_id="preview_order", response_model=OrderPreview, tags=["orders"]
)
async def preview_order(
    order: Annotated[OrderCreate, Body()], service: BrokerServiceDep
) -> OrderPreview:
    """Estimate price, commission and margin of an order without placing it."""
    return service.preview_order(order)


@router.get(
    "/orders", operation_id="list_orders", response_model=list[OrderPublic], tags=["orders"]
)
async def list_orders(
    service: BrokerServiceDep,
    status: Annotated[OrderStatus | None, Query(description="Only orders in this status")] = None,
    symbol: Annotated[
        str | None, Query(max_length=32, description="Only orders in this symbol")
    ] = None,
) -> list[OrderPublic]:
    """List orders in placement order, optionally filtered by status and symbol."""
    return service.list_orders(status=status, symbol=symbol)


@router.get(
    "/orders/{order_id}",
    operation_id="get_order",
    response_model=OrderPublic,
    responses=error_responses(404),
    tags=["orders"],
)
async def get_order(order_id: OrderId, service: BrokerServiceDep) -> OrderPublic:
    """Get one order; 404 if the id is unknown."""
    return service.get_order(order_id)


@router.patch(
    "/orders/{order_id}",
    operation_id="modify_order",
    response_model=OrderPublic,
    responses=error_responses(404, 409),
    tags=["orders"],
)
async def modify_order(
    order_id: OrderId, update: Annotated[OrderUpdate, Body()], service: BrokerServiceDep
) -> OrderPublic:
    """Change a working order's qty or prices; 409 if it is no longer working."""
    return service.modify_order(order_id, update)


@router.delete(
    "/orders/{order_id}",
    operation_id="cancel_order",
    response_model=OrderPublic,
    responses=error_responses(404, 409),
    tags=["orders"],
)
async def cancel_order(order_id: OrderId, service: BrokerServiceDep) -> OrderPublic:
    """Cancel a working order and return it; 409 if it is no longer working."""
    return service.cancel_order(order_id)


# ---- positions and executions -------------------------------------------------------------------


@router.get(
    "/positions",
    operation_id="list_positions",
    response_model=list[PositionPublic],
    tags=["positions"],
)
async def list_positions(service: BrokerServiceDep) -> list[PositionPublic]:
    """List open positions, valued at the current simulated price."""
    return service.list_positions()


@router.post(
    "/positions/{symbol}/close",
    operation_id="close_position",
    response_model=OrderPublic,
    responses=error_responses(404),
    tags=["positions"],
)
async def close_position(
    symbol: Symbol,
    service: BrokerServiceDep,
    qty: Annotated[
        float | None,
        Query(
            ge=MIN_QUANTITY,
            le=MAX_QUANTITY,
            allow_inf_nan=False,
            description="Quantity to close; the whole position if omitted",
        ),
    ] = None,
) -> OrderPublic:
    """Close a position (or part of it) with a market order; 404 if there is no position."""
    return service.close_position(symbol, qty)


@router.put(
    "/positions/{symbol}/brackets",
    operation_id="set_position_brackets",
    response_model=PositionPublic,
    responses=error_responses(404),
    tags=["positions"],
)
async def set_position_brackets(
    symbol: Symbol, brackets: Annotated[PositionBrackets, Body()], service: BrokerServiceDep
) -> PositionPublic:
    """Set a position's take-profit and stop-loss; 422 if on the wrong side of the market."""
    return service.set_position_brackets(symbol, brackets)


@router.get(
    "/executions/{symbol}",
    operation_id="list_executions",
    response_model=list[ExecutionPublic],
    responses=error_responses(404),
    tags=["executions"],
)
async def list_executions(symbol: Symbol, service: BrokerServiceDep) -> list[ExecutionPublic]:
    """List the executions in a symbol, oldest first; 404 if the symbol is unknown."""
    return service.list_executions(symbol)


# ---- account and leverage -----------------------------------------------------------------------


@router.get("/account", operation_id="get_account", response_model=AccountPublic, tags=["account"])
async def get_account(service: BrokerServiceDep) -> AccountPublic:
    """Get balances, P&L and margin of the simulated account."""
    return service.get_account()


@router.get(
    "/leverage/{symbol}",
    operation_id="get_leverage",
    response_model=LeverageInfo,
    responses=error_responses(404),
    tags=["account"],
)
async def get_leverage(symbol: Symbol, service: BrokerServiceDep) -> LeverageInfo:
    """Get a symbol's leverage and the range it may be set to."""
    return service.get_leverage(symbol)


@router.put(
    "/leverage/{symbol}",
    operation_id="set_leverage",
    response_model=LeverageInfo,
    responses=error_responses(404, 409),
    tags=["account"],
)
async def set_leverage(
    symbol: Symbol, update: Annotated[LeverageUpdate, Body()], service: BrokerServiceDep
) -> LeverageInfo:
    """Set a symbol's leverage; 422 outside its range, 409 if margin would exceed equity."""
    return service.set_leverage(symbol, update)


@router.post(
    "/leverage/{symbol}/preview",
    operation_id="preview_leverage",
    response_model=LeveragePreview,
    responses=error_responses(404),
    tags=["account"],
)
async def preview_leverage(
    symbol: Symbol, update: Annotated[LeverageUpdate, Body()], service: BrokerServiceDep
) -> LeveragePreview:
    """Show the margin effect of a new leverage without setting it."""
    return service.preview_leverage(symbol, update)
