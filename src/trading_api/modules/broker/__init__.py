"""Broker module: a simulated broker for orders, positions, executions, account and leverage."""

from __future__ import annotations

from trading_api.modules.broker.service import BrokerService
from trading_api.shared.module_contract import Module


class BrokerModule(Module[BrokerService]):
    """Trading on one simulated account."""

    name = "broker"

    def create_service(self) -> BrokerService:
        """A fresh simulated account with an empty order book."""
        return BrokerService()
