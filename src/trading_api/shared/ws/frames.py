"""Frames of the subscription protocol, built as JSON text (docs/websocket-protocol.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

ERROR_TYPE = "error"
HEARTBEAT_TYPE = "heartbeat"
PING_TYPE = "ping"
PONG_TYPE = "pong"


class WsAction(StrEnum):
    """What a client asks of a route: `<route>.subscribe` or `<route>.unsubscribe`."""

    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"


class WsStatus(StrEnum):
    """Outcome of a client request."""

    OK = "ok"
    ERROR = "error"


class WsResponsePayload(BaseModel):
    """Payload of `<route>.subscribe.response`, `<route>.unsubscribe.response` and `error`."""

    status: WsStatus
    message: str
    topic: str = ""


def request_type(route: str, action: WsAction) -> str:
    """The type of a client request: ("bars", subscribe) -> "bars.subscribe"."""
    return f"{route}.{action.value}"


def response_type(route: str, action: WsAction) -> str:
    """The type of its answer: ("bars", subscribe) -> "bars.subscribe.response"."""
    return f"{route}.{action.value}.response"


def update_type(route: str) -> str:
    """The type of an update: "bars" -> "bars.update"."""
    return f"{route}.update"


def _frame(frame_type: str, payload: Any) -> str:
    return json.dumps({"type": frame_type, "payload": payload}, separators=(",", ":"))


def response_frame(route: str, action: WsAction, status: WsStatus, message: str, topic: str) -> str:
    """The answer to one subscribe or unsubscribe request."""
    payload = WsResponsePayload(status=status, message=message, topic=topic)
    return _frame(response_type(route, action), payload.model_dump(mode="json"))


def error_frame(message: str, topic: str = "") -> str:
    """A protocol error (bad frame) or, with `topic`, updates of that topic dropped."""
    payload = WsResponsePayload(status=WsStatus.ERROR, message=message, topic=topic)
    return _frame(ERROR_TYPE, payload.model_dump(mode="json"))


def update_frame(route: str, topic: str, data: BaseModel) -> str:
    """One update of `topic`; the data is serialised once, however many clients receive it."""
    head = json.dumps({"type": update_type(route), "topic": topic}, separators=(",", ":"))
    return f'{head[:-1]},"payload":{data.model_dump_json()}}}'


def heartbeat_frame(interval: float) -> str:
    """Sent after `interval` seconds without any other frame to the client."""
    return _frame(HEARTBEAT_TYPE, {"interval_seconds": interval})


def pong_frame(payload: Any) -> str:
    """The answer to a client `ping`: its payload, echoed."""
    return _frame(PONG_TYPE, payload)
