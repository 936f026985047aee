"""What a module's service implements to serve WebSocket topics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeAlias, runtime_checkable

from pydantic import BaseModel

Publish: TypeAlias = Callable[[BaseModel], Awaitable[None]]


@runtime_checkable
class WsTopicService(Protocol):
    """A service whose topics the subscription hub opens and closes.

    The hub calls `create_topic` when the first client subscribes to `topic` (the topic key,
    `<route>:<canonical request JSON>`) and `remove_topic` when the last one leaves. Between the
    two, the service calls `publish` with instances of the route's data model; `publish` never
    blocks on slow clients. `create_topic` may raise `ServiceError` (or `ValueError`) to refuse a
    request: the subscriber gets a `<route>.subscribe.response` with status "error".
    """

    async def create_topic(
        self, route: str, topic: str, request: BaseModel, publish: Publish
    ) -> None: ...

    async def remove_topic(self, route: str, topic: str) -> None: ...
