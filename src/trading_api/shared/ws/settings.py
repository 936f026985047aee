"""Per-connection limits of the WebSocket endpoint (docs/websocket-protocol.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WsSettings:
    """Limits of every connection to one module version's `/ws` endpoint.

    `send_queue_size`: frames waiting to be sent to one client; when full, its oldest updates are
    dropped (and the client told), so a slow client never holds up publishing.
    `max_frame_bytes`: largest client frame (UTF-8 bytes) the server reads; larger ones get an
    `error` reply and the connection stays open.
    `heartbeat_interval`: seconds of outbound silence after which the server sends `heartbeat`.
    """

    send_queue_size: int = 256
    max_frame_bytes: int = 64 * 1024
    heartbeat_interval: float = 15.0

    def __post_init__(self) -> None:
        if self.send_queue_size < 1:
            raise ValueError(f"send_queue_size must be at least 1, got {self.send_queue_size}")
        if self.max_frame_bytes < 1:
            raise ValueError(f"max_frame_bytes must be at least 1, got {self.max_frame_bytes}")
        if self.heartbeat_interval <= 0:
            raise ValueError(f"heartbeat_interval must be > 0, got {self.heartbeat_interval}")
