"""Datafeed module: simulated market data (configuration, symbols, history bars, quotes)."""

from __future__ import annotations

from trading_api.modules.datafeed.service import DatafeedService
from trading_api.shared.module_contract import Module


class DatafeedModule(Module[DatafeedService]):
    """Market data of the fixed simulated symbol universe."""

    name = "datafeed"

    def create_service(self) -> DatafeedService:
        """A feed with its own simulated clock."""
        return DatafeedService()
