"""Bookkeeping a service needs to serve topics: requests, publishers and simulation tasks.

A service keeps one `ActiveTopics`; its `create_topic` calls `open` (optionally with a periodic
producer), its `remove_topic` calls `close`, and its state-changing methods call `emit` to
publish to every open topic of a route whose request matches. `emit` is safe from any thread:
it hands the publishing to the event loop the topic was opened on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import NamedTuple

from pydantic import BaseModel

from trading_api.shared.ws.topic_service import Publish

# tick number (0, 1, 2...) -> the updates to publish at that tick
Producer = Callable[[int], Iterable[BaseModel]]

_log = logging.getLogger(__name__)


class _OpenTopic(NamedTuple):
    route: str
    request: BaseModel
    publish: Publish
    loop: asyncio.AbstractEventLoop
    task: asyncio.Task[None] | None


async def _publish_all(publish: Publish, updates: Iterable[BaseModel]) -> None:
    for update in updates:
        await publish(update)


async def _publish_logged(publish: Publish, updates: Iterable[BaseModel]) -> None:
    try:
        await _publish_all(publish, updates)
    except Exception:
        _log.exception("publishing %d update(s) failed", len(list(updates)))


class ActiveTopics:
    """The topics one service currently serves, keyed by topic key."""

    def __init__(self) -> None:
        self.opened_total = 0
        self.closed_total = 0
        self._topics: dict[str, _OpenTopic] = {}
        self._lock = threading.Lock()  # `emit` may run on another thread than open/close
        self._background: set[asyncio.Task[None]] = set()

    def open_topics(self) -> list[str]:
        """Keys of the open topics, in opening order."""
        with self._lock:
            return list(self._topics)

    def open(
        self,
        route: str,
        topic: str,
        request: BaseModel,
        publish: Publish,
        producer: Producer | None = None,
        interval: float = 1.0,
    ) -> None:
        """Start serving `topic`; with `producer`, publish `producer(k)` at tick k, every
        `interval` seconds, starting now."""
        with self._lock:
            if topic in self._topics:
                raise RuntimeError(f"topic {topic!r} is already open (one hub per service)")
        loop = asyncio.get_running_loop()
        task = None
        if producer is not None:
            task = loop.create_task(self._run(topic, publish, producer, interval))
        with self._lock:
            self._topics[topic] = _OpenTopic(route, request, publish, loop, task)
            self.opened_total += 1

    async def close(self, topic: str) -> None:
        """Stop serving `topic` (no-op if it is not open) and wait for its task to end."""
        with self._lock:
            active = self._topics.pop(topic, None)
            if active is None:
                return
            self.closed_total += 1
        if active.task is not None:
            active.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await active.task

    def emit(self, route: str, updates_for: Callable[[BaseModel], Iterable[BaseModel]]) -> None:
        """Publish `updates_for(request)` to every open topic of `route` (in order, soon)."""
        with self._lock:
            targets = [t for t in self._topics.values() if t.route == route]
        for target in targets:
            updates = list(updates_for(target.request))
            if updates:
                target.loop.call_soon_threadsafe(self._spawn, target.publish, updates)

    def _spawn(self, publish: Publish, updates: list[BaseModel]) -> None:
        task = asyncio.get_running_loop().create_task(_publish_logged(publish, updates))
        self._background.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._background.discard)

    async def _run(self, topic: str, publish: Publish, producer: Producer, interval: float) -> None:
        tick = 0
        try:
            while True:
                await _publish_all(publish, producer(tick))
                tick += 1
                await asyncio.sleep(interval)
        except asyncio.CancelledError:
            raise
        except Exception:
            _log.exception("simulation of topic %r stopped", topic)
