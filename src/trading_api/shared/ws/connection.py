"""One client connection: its send queue, the task writing it out, and its heartbeat."""

from __future__ import annotations

import asyncio
import logging

from starlette.websockets import WebSocket

from trading_api.shared.ws.frames import heartbeat_frame
from trading_api.shared.ws.send_queue import SendQueue
from trading_api.shared.ws.settings import WsSettings

_log = logging.getLogger(__name__)


class WsConnection:
    """A client's socket and its bounded send queue; only the writer task sends on the socket."""

    def __init__(self, websocket: WebSocket, settings: WsSettings) -> None:
        self.websocket = websocket
        self.settings = settings
        self.queue = SendQueue(settings.send_queue_size)
        self.topics: set[str] = set()  # topic keys this connection is subscribed to

    def send_update(self, topic: str, text: str) -> None:
        """Queue an update frame (never waits; may drop the oldest update, see SendQueue)."""
        self.queue.put_update(topic, text)

    def send_reply(self, text: str) -> None:
        """Queue a response or error frame (never dropped)."""
        self.queue.put_reply(text)

    async def write_frames(self) -> None:
        """Send queued frames until the socket fails; a heartbeat after each quiet interval.

        Sending waits while the client's TCP window is full; meanwhile publishing goes on
        filling (and trimming) the queue, so only this client falls behind.
        """
        interval = self.settings.heartbeat_interval
        while True:
            if self.queue.has_items():  # the common case under load: no timer needed
                text = await self.queue.get()
            else:
                try:
                    text = await asyncio.wait_for(self.queue.get(), timeout=interval)
                except TimeoutError:
                    text = heartbeat_frame(interval)
            try:
                await self.websocket.send_text(text)
            except Exception as exc:  # the client is gone: the reader sees the disconnect
                _log.debug("websocket send failed: %r", exc)
                return
