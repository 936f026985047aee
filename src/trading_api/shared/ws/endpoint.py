"""The `/ws` endpoint of a version app: reads client frames, answers, cleans up on disconnect."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import FastAPI
from starlette.websockets import WebSocket

from trading_api.shared.module_errors import ModuleContractError
from trading_api.shared.ws.connection import WsConnection
from trading_api.shared.ws.frames import WsAction, WsStatus, error_frame, pong_frame, response_frame
from trading_api.shared.ws.hub import SubscriptionHub
from trading_api.shared.ws.inbound import Ping, ProtocolError, RouteRequest, read_text_frame
from trading_api.shared.ws.router import WsRouter
from trading_api.shared.ws.settings import WsSettings
from trading_api.shared.ws.topic_service import WsTopicService

WS_PATH = "/ws"
HUB_STATE_KEY = "ws_hub"

_log = logging.getLogger(__name__)


async def _answer(hub: SubscriptionHub, connection: WsConnection, message: Any) -> None:
    text = message.get("text")
    if text is None:
        connection.send_reply(error_frame("binary frames are not supported; send JSON text"))
        return
    frame = read_text_frame(text, hub.routers, connection.settings.max_frame_bytes)
    if isinstance(frame, ProtocolError):
        connection.send_reply(error_frame(frame.message))
    elif isinstance(frame, Ping):
        connection.send_reply(pong_frame(frame.payload))
    else:
        await _answer_request(hub, connection, frame)


async def _answer_request(
    hub: SubscriptionHub, connection: WsConnection, frame: RouteRequest
) -> None:
    if frame.action is WsAction.SUBSCRIBE:
        reply = await hub.subscribe(connection, frame.router, frame.request)
    else:
        reply = await hub.unsubscribe(connection, frame.router, frame.request)
    status = WsStatus.OK if reply.ok else WsStatus.ERROR
    connection.send_reply(
        response_frame(frame.router.route, frame.action, status, reply.message, reply.topic)
    )


def websocket_endpoint(
    hub: SubscriptionHub, settings: WsSettings
) -> Callable[[WebSocket], Awaitable[None]]:
    """The endpoint function serving one connection with `hub`'s routes."""

    async def subscriptions(websocket: WebSocket) -> None:
        await websocket.accept()
        connection = WsConnection(websocket, settings)
        writer = asyncio.create_task(connection.write_frames())
        try:
            while True:
                # Replies are never dropped: read no request while the queue is full of them.
                await connection.queue.wait_for_room()
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                try:
                    await _answer(hub, connection, message)
                except Exception:
                    _log.exception("websocket frame handling failed")
                    connection.send_reply(error_frame("internal error handling the frame"))
        finally:
            await hub.leave_all(connection)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer

    return subscriptions


def install_ws_endpoint(
    app: FastAPI,
    service: object,
    router_classes: Sequence[type[WsRouter[Any, Any]]],
    settings: WsSettings,
    owner: str,
) -> SubscriptionHub:
    """Mount the subscription endpoint at `/ws` of `app`, with a hub of its own.

    `owner` names the module version in errors ("module 'broker' v1").
    """
    if not isinstance(service, WsTopicService):
        raise ModuleContractError(
            f"{owner}: declares WebSocket routes but its service {type(service).__name__} does "
            f"not implement create_topic()/remove_topic() (trading_api.shared.ws.WsTopicService)"
        )
    routes = [cls.route for cls in router_classes]
    duplicates = sorted({route for route in routes if routes.count(route) > 1})
    if duplicates:
        raise ModuleContractError(f"{owner}: WebSocket route(s) declared twice: {duplicates}")
    hub = SubscriptionHub(service, [cls() for cls in router_classes])
    setattr(app.state, HUB_STATE_KEY, hub)
    app.add_api_websocket_route(WS_PATH, websocket_endpoint(hub, settings), name="ws")
    return hub
