"""WebSocket subscription layer: routers, reference-counted topics, the `/ws` endpoint.

See docs/websocket-protocol.md for the protocol (frames, topic keys, queue policy, limits).
"""

from trading_api.shared.ws.active_topics import ActiveTopics, Producer
from trading_api.shared.ws.canonical import canonical_json
from trading_api.shared.ws.endpoint import HUB_STATE_KEY, WS_PATH, install_ws_endpoint
from trading_api.shared.ws.frames import WsAction, WsResponsePayload, WsStatus
from trading_api.shared.ws.hub import SubscriptionHub
from trading_api.shared.ws.router import WsRouter
from trading_api.shared.ws.settings import WsSettings
from trading_api.shared.ws.topic_service import Publish, WsTopicService

__all__ = [
    "HUB_STATE_KEY",
    "WS_PATH",
    "ActiveTopics",
    "Producer",
    "Publish",
    "SubscriptionHub",
    "WsAction",
    "WsResponsePayload",
    "WsRouter",
    "WsSettings",
    "WsStatus",
    "WsTopicService",
    "canonical_json",
    "install_ws_endpoint",
]
