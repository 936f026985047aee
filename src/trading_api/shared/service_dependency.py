"""FastAPI dependency handing a route its module's service, kept in the versioned app's state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request

ServiceT = TypeVar("ServiceT")

SERVICE_STATE_KEY = "service"


def service_dependency(service_type: type[ServiceT]) -> Callable[[Request], Awaitable[ServiceT]]:
    """A dependency returning `request.app.state.service`, checked to be a `service_type`.

    Use it through an `Annotated` alias:
    `BrokerServiceDep = Annotated[BrokerService, Depends(service_dependency(BrokerService))]`.
    """

    async def get_service(request: Request) -> ServiceT:
        service = getattr(request.app.state, SERVICE_STATE_KEY, None)
        if not isinstance(service, service_type):
            raise RuntimeError(
                f"app {request.app.title!r} holds {type(service).__name__} in "
                f"state.{SERVICE_STATE_KEY}, expected {service_type.__name__}; build the app "
                f"with trading_api.shared.versioned_app.create_version_app()"
            )
        return service

    get_service.__name__ = f"get_{service_type.__name__}"
    return get_service
