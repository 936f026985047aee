"""Broker WebSocket topics v1: orders, positions, executions, equity and the broker connection."""

from typing import TypeAlias

from trading_api.models.account import AccountPublic, EquitySubscriptionRequest
from trading_api.models.broker_connection import (
    BrokerConnectionPublic,
    BrokerConnectionSubscriptionRequest,
)
from trading_api.models.executions import ExecutionPublic, ExecutionsSubscriptionRequest
from trading_api.models.orders import OrderPublic, OrdersSubscriptionRequest
from trading_api.models.positions import PositionPublic, PositionsSubscriptionRequest
from trading_api.shared.ws import WsRouter

OrdersRouter: TypeAlias = WsRouter[OrdersSubscriptionRequest, OrderPublic]
PositionsRouter: TypeAlias = WsRouter[PositionsSubscriptionRequest, PositionPublic]
ExecutionsRouter: TypeAlias = WsRouter[ExecutionsSubscriptionRequest, ExecutionPublic]
EquityRouter: TypeAlias = WsRouter[EquitySubscriptionRequest, AccountPublic]
BrokerConnectionRouter: TypeAlias = WsRouter[
    BrokerConnectionSubscriptionRequest, BrokerConnectionPublic
]
