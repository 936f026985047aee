"""Executions: the fills that orders produce."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trading_api.models.market_data import SubscribedSymbol
from trading_api.models.orders import Side


class ExecutionPublic(BaseModel):
    """One fill of an order."""

    id: str = Field(examples=["EXE-000001"])
    order_id: str
    symbol: str
    side: Side
    qty: float = Field(gt=0)
    price: float = Field(gt=0)
    commission: float = Field(ge=0)
    time: datetime


class ExecutionsSubscriptionRequest(BaseModel):
    """Subscribe to new executions (fills)."""

    model_config = ConfigDict(extra="forbid")

    symbol: SubscribedSymbol | None = Field(
        default=None, description="Only executions in this symbol; every execution if null"
    )
