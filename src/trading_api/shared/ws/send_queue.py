"""Bounded per-connection send queue: a slow client loses its oldest updates, never stalls others.

Publishing only ever appends to queues, so it never waits for a client. When a queue is full,
the oldest queued update is dropped to make room, and the client is told which topic lost how
many updates (an `error` frame naming the topic) before the next frame it receives. Responses
and errors are never dropped: they are bounded instead by the endpoint reading no further
client frame while the queue holds `capacity` of them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import NamedTuple

from trading_api.shared.ws.frames import error_frame


class _Outgoing(NamedTuple):
    text: str
    topic: str | None  # set for updates, which may be dropped; None for replies


def dropped_message(count: int) -> str:
    """Text of the notice telling a client it lost `count` updates of a topic."""
    return (
        f"dropped {count} update{'s' if count != 1 else ''} of this topic: the connection's send "
        f"queue was full (the client reads too slowly); fetch the current state over REST"
    )


class SendQueue:
    """Frames waiting to be written to one client, oldest first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.dropped_total = 0
        self._frames: deque[_Outgoing] = deque()
        self._replies = 0
        self._dropped: dict[str, int] = {}  # topic -> updates dropped since the last notice
        self._ready = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()

    def __len__(self) -> int:
        return len(self._frames)

    def put_update(self, topic: str, text: str) -> None:
        """Queue an update of `topic`; if full, drop the oldest update (maybe this one)."""
        if len(self._frames) >= self.capacity and not self._drop_oldest_update():
            self._count_drop(topic)  # the queue holds only replies: this update goes
            return
        self._frames.append(_Outgoing(text, topic))
        self._ready.set()

    def put_reply(self, text: str) -> None:
        """Queue a response or error frame; replies are never dropped."""
        if len(self._frames) >= self.capacity:
            self._drop_oldest_update()
        self._frames.append(_Outgoing(text, None))
        self._replies += 1
        self._update_room()
        self._ready.set()

    async def wait_for_room(self) -> None:
        """Wait until fewer than `capacity` replies are queued (so reading a request is safe)."""
        await self._room.wait()

    async def get(self) -> str:
        """The next frame to send: pending drop notices first, then the oldest queued frame."""
        while not self._frames and not self._dropped:
            self._ready.clear()
            await self._ready.wait()
        if self._dropped:
            topic = next(iter(self._dropped))
            return error_frame(dropped_message(self._dropped.pop(topic)), topic)
        outgoing = self._frames.popleft()
        if outgoing.topic is None:
            self._replies -= 1
            self._update_room()
        return outgoing.text

    def _drop_oldest_update(self) -> bool:
        for index, outgoing in enumerate(self._frames):
            if outgoing.topic is not None:
                del self._frames[index]
                self._count_drop(outgoing.topic)
                return True
        return False

    def _count_drop(self, topic: str) -> None:
        self._dropped[topic] = self._dropped.get(topic, 0) + 1
        self.dropped_total += 1
        self._ready.set()

    def _update_room(self) -> None:
        if self._replies < self.capacity:
            self._room.set()
        else:
            self._room.clear()
