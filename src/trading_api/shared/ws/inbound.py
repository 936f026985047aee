"""Read one client frame: size limit, JSON, `type`, payload; what to do with it or the error."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic import ValidationError

from trading_api.shared.ws.frames import PING_TYPE, WsAction, request_type
from trading_api.shared.ws.router import WsRouter

_SUFFIXES = {f".{action.value}": action for action in WsAction}


class RouteRequest(NamedTuple):
    """A valid `<route>.subscribe` or `<route>.unsubscribe`."""

    router: WsRouter[Any, Any]
    action: WsAction
    request: Any  # an instance of router.request_model


class Ping(NamedTuple):
    """A client `ping`; its payload is echoed in the `pong`."""

    payload: Any


class ProtocolError(NamedTuple):
    """A frame the server cannot act on; the message goes back in an `error` frame."""

    message: str


ClientFrame = RouteRequest | Ping | ProtocolError


def _utf8_size_exceeds(text: str, limit: int) -> bool:
    # A str of n characters encodes to n..4n UTF-8 bytes: only encode when it could matter.
    if len(text) > limit:
        return True
    return len(text) * 4 > limit and len(text.encode()) > limit


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _validation_summary(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(payload)'}: {error['msg']}"
        for error in exc.errors()
    )


def read_text_frame(
    text: str, routers: Mapping[str, WsRouter[Any, Any]], max_frame_bytes: int
) -> ClientFrame:
    """Classify one text frame; never raises for anything a client can send."""
    if _utf8_size_exceeds(text, max_frame_bytes):
        return ProtocolError(
            f"frame too large: {len(text.encode())} bytes, the limit is {max_frame_bytes}"
        )
    try:
        frame = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        return ProtocolError(f"malformed JSON: {exc}")
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return ProtocolError('a frame must be a JSON object with a string "type"')
    frame_type: str = frame["type"]
    payload = frame.get("payload", {})
    if frame_type == PING_TYPE:
        return Ping(payload)
    route, dot, suffix = frame_type.rpartition(".")
    action = _SUFFIXES.get(dot + suffix)
    router = routers.get(route)
    if action is None or router is None:
        known = sorted(request_type(r, a) for r in routers for a in WsAction)
        return ProtocolError(
            f"unknown message type {frame_type!r}; expected one of: "
            f"{', '.join([*known, PING_TYPE])}"
        )
    try:
        request = router.parse_request(payload)
    except ValidationError as exc:
        return ProtocolError(f"invalid {frame_type} payload: {_validation_summary(exc)}")
    return RouteRequest(router, action, request)
