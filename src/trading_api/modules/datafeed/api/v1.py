"""Datafeed API v1: configuration, symbol search and resolution, history bars and quotes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from trading_api.models.market_data import (
    BarPublic,
    DatafeedConfigPublic,
    QuotePublic,
    Resolution,
    SymbolInfoPublic,
    SymbolMatchPublic,
    SymbolType,
)
from trading_api.modules.datafeed.service import MAX_BARS, MAX_TIME, DatafeedService
from trading_api.shared.service_dependency import service_dependency
from trading_api.shared.service_errors import error_responses

router = APIRouter(tags=["market data"])

DatafeedServiceDep = Annotated[DatafeedService, Depends(service_dependency(DatafeedService))]
SymbolQuery = Annotated[
    str, Query(min_length=1, max_length=32, description="Ticker or EXCHANGE:TICKER")
]


@router.get("/config", operation_id="get_configuration", response_model=DatafeedConfigPublic)
async def get_configuration(service: DatafeedServiceDep) -> DatafeedConfigPublic:
    """Get the resolutions, exchanges and symbol types the datafeed supports."""
    return service.configuration()


@router.get(
    "/symbols/search", operation_id="search_symbols", response_model=list[SymbolMatchPublic]
)
async def search_symbols(
    service: DatafeedServiceDep,
    query: Annotated[str, Query(max_length=64, description="Part of a ticker or name")] = "",
    exchange: Annotated[str | None, Query(max_length=32, description="Only this exchange")] = None,
    symbol_type: Annotated[
        SymbolType | None, Query(alias="type", description="Only this symbol type")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Most results to return")] = 30,
) -> list[SymbolMatchPublic]:
    """Search symbols by ticker or name, optionally within one exchange or type."""
    return service.search_symbols(query, exchange=exchange, symbol_type=symbol_type, limit=limit)


@router.get(
    "/symbols/{symbol}",
    operation_id="resolve_symbol",
    response_model=SymbolInfoPublic,
    responses=error_responses(404),
)
async def resolve_symbol(
    symbol: Annotated[
        str, Path(min_length=1, max_length=32, description="Ticker or EXCHANGE:TICKER")
    ],
    service: DatafeedServiceDep,
) -> SymbolInfoPublic:
    """Resolve a symbol to its full description; 404 if unknown."""
    return service.resolve_symbol(symbol)


@router.get(
    "/history",
    operation_id="get_history",
    response_model=list[BarPublic],
    responses=error_responses(404),
)
async def get_history(
    service: DatafeedServiceDep,
    symbol: SymbolQuery,
    resolution: Annotated[Resolution, Query(description="Bar size")],
    from_time: Annotated[
        int, Query(alias="from", ge=0, le=MAX_TIME, description="Range start, Unix seconds")
    ],
    to_time: Annotated[
        int, Query(alias="to", ge=0, le=MAX_TIME, description="Range end (exclusive), Unix s")
    ],
    countback: Annotated[
        int | None, Query(ge=1, le=MAX_BARS, description="Return this many bars before `to`")
    ] = None,
) -> list[BarPublic]:
    """Get OHLCV bars opening in [from, to); 404 unknown symbol, 422 if from >= to."""
    return service.history(symbol, resolution, from_time, to_time, countback)


@router.get(
    "/quotes",
    operation_id="get_quotes",
    response_model=list[QuotePublic],
    responses=error_responses(404),
)
async def get_quotes(
    service: DatafeedServiceDep,
    symbols: Annotated[
        list[str], Query(min_length=1, max_length=50, description="Tickers; repeat the parameter")
    ],
) -> list[QuotePublic]:
    """Get current quotes of one or more symbols; 404 naming any unknown symbol."""
    return service.quotes(symbols)
