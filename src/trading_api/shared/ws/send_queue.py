"""Bounded per-connection send queue: a slow client loses its oldest updates, never stalls others.

Publishing only ever appends to queues, so it never waits for a client. When a queue is full,
the oldest queued update is dropped to make room, and a gap marker takes its place: when the
writer reaches it, the client gets an `error` frame naming the topic and how many of its updates
were lost there. Everything queued before the gap (e.g. the subscribe response) still comes
first, and every update of that topic after it is newer than the lost ones. Replies (responses,
errors, pongs) are never dropped: they are bounded instead by the endpoint reading no further
client frame while the queue holds `capacity` of them.
"""

from __future__ import annotations

from asyncio import Event
from collections import deque
from typing import NamedTuple

from trading_api.shared.ws.frames import error_frame


class _Outgoing(NamedTuple):
    text: str
    topic: str | None  # set for updates, which may be dropped; None for replies


class _Gap:
    """Where `count` updates of `topic` were dropped; at most one per topic in the queue."""

    __slots__ = ("count", "topic")

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.count = 0


def dropped_message(count: int) -> str:
    """Text of the notice telling a client it lost `count` updates of a topic."""
    return (
        f"dropped {count} update{'s' if count != 1 else ''} of this topic: the connection's send "
        f"queue was full (the client reads too slowly); fetch the current state over REST"
    )


class SendQueue:
    """Frames waiting to be written to one client, oldest first; holds at most `capacity`
    frames, plus one gap marker per topic that lost updates."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.dropped_total = 0
        self._items: deque[_Outgoing | _Gap] = deque()
        self._frames = 0  # items that are frames, not gaps
        self._replies = 0
        self._gaps: dict[str, _Gap] = {}  # topic -> its gap marker in _items
        self._ready = Event()
        self._room = Event()
        self._room.set()

    def __len__(self) -> int:
        return self._frames

    def has_items(self) -> bool:
        """Whether `get()` would return at once (a frame or a drop notice is waiting)."""
        return bool(self._items)

    def put_update(self, topic: str, text: str) -> None:
        """Queue an update of `topic`; if full, drop the oldest update (maybe this one)."""
        if self._frames >= self.capacity and not self._drop_oldest_update():
            self._record_drop(topic, len(self._items))  # only replies queued: this update goes
            return
        self._append(_Outgoing(text, topic))

    def put_reply(self, text: str) -> None:
        """Queue a response or error frame; replies are never dropped."""
        if self._frames >= self.capacity:
            self._drop_oldest_update()
        self._replies += 1
        self._update_room()
        self._append(_Outgoing(text, None))

    async def wait_for_room(self) -> None:
        """Wait until fewer than `capacity` replies are queued (so reading a request is safe)."""
        await self._room.wait()

    async def get(self) -> str:
        """The next frame to send, oldest first; a gap marker becomes its drop notice."""
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        item = self._items.popleft()
        if isinstance(item, _Gap):
            del self._gaps[item.topic]
            return error_frame(dropped_message(item.count), item.topic)
        self._frames -= 1
        if item.topic is None:
            self._replies -= 1
            self._update_room()
        return item.text

    def _append(self, item: _Outgoing) -> None:
        self._items.append(item)
        self._frames += 1
        self._ready.set()

    def _drop_oldest_update(self) -> bool:
        for index, item in enumerate(self._items):
            if isinstance(item, _Outgoing) and item.topic is not None:
                del self._items[index]
                self._frames -= 1
                self._record_drop(item.topic, index)
                return True
        return False

    def _record_drop(self, topic: str, index: int) -> None:
        # Updates are dropped oldest first, so a topic's existing gap is right before `index`
        # as far as that topic is concerned: counting the drop there keeps the notice exact.
        gap = self._gaps.get(topic)
        if gap is None:
            gap = self._gaps[topic] = _Gap(topic)
            self._items.insert(index, gap)
            self._ready.set()
        gap.count += 1
        self.dropped_total += 1

    def _update_room(self) -> None:
        if self._replies < self.capacity:
            self._room.set()
        else:
            self._room.clear()
