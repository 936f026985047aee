"""Datafeed WebSocket topics v1: bars and quotes."""

from typing import TypeAlias

from trading_api.models.market_data import (
    BarPublic,
    BarsSubscriptionRequest,
    QuotePublic,
    QuotesSubscriptionRequest,
)
from trading_api.shared.ws import WsRouter

BarsRouter: TypeAlias = WsRouter[BarsSubscriptionRequest, BarPublic]
QuotesRouter: TypeAlias = WsRouter[QuotesSubscriptionRequest, QuotePublic]
