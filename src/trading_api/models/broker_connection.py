"""Broker connection: whether the backend is connected to its (simulated) broker."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class BrokerConnectionStatus(StrEnum):
    """State of the link between the backend and the broker."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class BrokerConnectionPublic(BaseModel):
    """The broker connection's status at `checked_at`."""

    account_id: str
    status: BrokerConnectionStatus
    message: str
    checked_at: datetime


class BrokerConnectionSubscriptionRequest(BaseModel):
    """Subscribe to the broker connection's status (sent at once, then periodically)."""

    model_config = ConfigDict(extra="forbid")
