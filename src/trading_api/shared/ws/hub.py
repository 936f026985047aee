"""Per-app subscription hub: reference-counted topics shared by every connection of a version app.

The service's `create_topic` runs when a topic gets its first subscriber and `remove_topic`
when its last one leaves (unsubscribe or disconnect). Opening and closing one topic is
serialised by a per-topic lock, so concurrent first subscribers open it once; other topics are
never held up.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable
from typing import Any, NamedTuple

from pydantic import BaseModel

from trading_api.shared.service_errors import ServiceError
from trading_api.shared.ws.connection import WsConnection
from trading_api.shared.ws.router import WsRouter
from trading_api.shared.ws.topic_service import WsTopicService

_log = logging.getLogger(__name__)


class HubReply(NamedTuple):
    """Outcome of a subscribe or unsubscribe: the topic key, ok or not, and a message."""

    topic: str
    ok: bool
    message: str


class _Topic:
    """One open topic: its router and the connections subscribed to it."""

    def __init__(self, key: str, router: WsRouter[Any, Any]) -> None:
        self.key = key
        self.router = router
        self.subscribers: set[WsConnection] = set()
        self.open = False  # publishing before opening or after closing reaches nobody

    async def publish(self, data: BaseModel) -> None:
        """The callable the service publishes with: queue `data` for every subscriber."""
        checked = self.router.check_data(data)
        if not self.open or not self.subscribers:
            return
        text = self.router.update_frame(self.key, checked)  # serialised once for all subscribers
        for connection in self.subscribers:
            connection.send_update(self.key, text)


class SubscriptionHub:
    """Topics of one version app, keyed by `<route>:<canonical request JSON>`."""

    def __init__(self, service: WsTopicService, routers: Iterable[WsRouter[Any, Any]]) -> None:
        self.service = service
        self.routers: dict[str, WsRouter[Any, Any]] = {router.route: router for router in routers}
        self._topics: dict[str, _Topic] = {}
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def subscriber_counts(self) -> dict[str, int]:
        """Open topics and how many connections each has (a snapshot, safe from any thread)."""
        # list() copies the items in one step, so a topic opening meanwhile cannot break this.
        return {key: len(topic.subscribers) for key, topic in list(self._topics.items())}

    def connections(self, key: str) -> list[WsConnection]:
        """The connections subscribed to topic `key` (none if it is not open)."""
        topic = self._topics.get(key)
        return list(topic.subscribers) if topic is not None else []

    async def subscribe(
        self, connection: WsConnection, router: WsRouter[Any, Any], request: BaseModel
    ) -> HubReply:
        """Add `connection` to the topic of `request`, opening the topic if it is new."""
        key = router.topic_key(request)
        async with self._lock(key):
            topic = self._topics.get(key)
            if topic is None:
                topic = _Topic(key, router)
                refusal = await self._open(topic, request)
                if refusal is not None:
                    return HubReply(key, False, refusal)
            if connection in topic.subscribers:
                return HubReply(key, True, "already subscribed")
            topic.subscribers.add(connection)
            connection.topics.add(key)
            return HubReply(key, True, "subscribed")

    async def unsubscribe(
        self, connection: WsConnection, router: WsRouter[Any, Any], request: BaseModel
    ) -> HubReply:
        """Remove `connection` from the topic of `request`, closing it if it was the last."""
        key = router.topic_key(request)
        if key not in connection.topics:
            return HubReply(key, False, "not subscribed to this topic")
        await self._leave(connection, key)
        return HubReply(key, True, "unsubscribed")

    async def leave_all(self, connection: WsConnection) -> None:
        """Unsubscribe `connection` from everything (it disconnected)."""
        for key in list(connection.topics):
            await self._leave(connection, key)

    async def _open(self, topic: _Topic, request: BaseModel) -> str | None:
        """Ask the service to open `topic`; the refusal message, or None once it is open."""
        route = topic.router.route
        try:
            await self.service.create_topic(route, topic.key, request, topic.publish)
        except (ServiceError, ValueError) as exc:
            return str(exc)
        except Exception:
            _log.exception("create_topic(%r, %r) failed", route, topic.key)
            return "internal error while opening the topic"
        topic.open = True
        self._topics[topic.key] = topic
        return None

    async def _leave(self, connection: WsConnection, key: str) -> None:
        async with self._lock(key):
            connection.topics.discard(key)
            topic = self._topics.get(key)
            if topic is None:
                return
            topic.subscribers.discard(connection)
            if topic.subscribers:
                return
            topic.open = False
            del self._topics[key]
            try:
                await self.service.remove_topic(topic.router.route, key)
            except Exception:
                _log.exception("remove_topic(%r, %r) failed", topic.router.route, key)

    def _lock(self, key: str) -> asyncio.Lock:
        # Weak values: a lock lives only while some coroutine holds or awaits it.
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock
