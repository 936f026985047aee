"""Account: balances, margin and leverage."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AccountPublic(BaseModel):
    """Balances of the simulated account."""

    id: str
    currency: str = "USD"
    balance: float = Field(description="Cash: deposits + realized P&L - commissions")
    equity: float = Field(description="balance + unrealized P&L")
    unrealized_pnl: float
    realized_pnl: float
    margin_used: float = Field(ge=0)
    available_funds: float = Field(description="equity - margin_used")
    updated_at: datetime


class LeverageInfo(BaseModel):
    """Leverage of one symbol and the range it may be set to."""

    symbol: str
    leverage: float = Field(ge=1)
    min_leverage: float = Field(ge=1)
    max_leverage: float = Field(ge=1)
    step: float = Field(gt=0)


class LeverageUpdate(BaseModel):
    """A new leverage for a symbol."""

    model_config = ConfigDict(extra="forbid")

    # strict and finite, as the order models' numbers (trading_api.models.orders.Price)
    leverage: float = Field(
        ge=1,
        le=100,
        strict=True,
        allow_inf_nan=False,
        description="Must lie within the symbol's range",
    )


class LeveragePreview(BaseModel):
    """Effect of changing a symbol's leverage, without changing it."""

    symbol: str
    current_leverage: float
    new_leverage: float
    margin_used_now: float
    margin_used_after: float
    available_funds_after: float
    warnings: list[str] = Field(default_factory=list)


class EquitySubscriptionRequest(BaseModel):
    """Subscribe to the account's balances and equity: after every change, and periodically."""

    model_config = ConfigDict(extra="forbid")
