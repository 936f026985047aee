"""Core module: health and the API versions every module serves."""

from __future__ import annotations

from trading_api.modules.core.service import CoreService
from trading_api.shared.module_contract import Module


class CoreModule(Module[CoreService]):
    """Backend self-description: health check and version discovery."""

    name = "core"

    def create_service(self) -> CoreService:
        """A service that reads the module folder once, at creation."""
        return CoreService()
