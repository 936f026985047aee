"""The WebSocket client's domain objects: what the template renders, every text already safe.

Built by `spec_model` from the AsyncAPI document; read (never computed on) by the templates.
Models and enums are the HTTP client's own domain objects (`apigen.client.domain`).
"""

from __future__ import annotations

from dataclasses import dataclass

from apigen.client.domain import EnumModel, Model
from apigen.client.safe_text import ClassName, PyCode, PyLiteral, PythonIdentifier


@dataclass(frozen=True, slots=True)
class WsRoute:
    """One route: an async-iterator method of the client and the frame types it exchanges."""

    method: PythonIdentifier  # "broker_connection"
    constant: PythonIdentifier  # "_ROUTE_BROKER_CONNECTION", the module-level `_Route(...)`
    name: PyLiteral  # the channel id, '"broker-connection"'
    subscribe_type: PyLiteral
    subscribe_response_type: PyLiteral
    unsubscribe_type: PyLiteral
    unsubscribe_response_type: PyLiteral
    update_type: PyLiteral
    request_annotation: PyCode  # the subscribe payload's type, "BarsSubscriptionRequest"
    data_annotation: PyCode  # the update payload's type, "BarPublic"
    update_model: ClassName  # the update frame's model, "BarsUpdate"
    update_payload_field: PythonIdentifier  # its payload field, "payload"
    doc: PyLiteral


@dataclass(frozen=True, slots=True)
class WsImports:
    """Import lines that depend on what the document needs (each line sorted as ruff sorts)."""

    stdlib_modules: tuple[PyCode, ...]  # "import datetime as _dt", ...
    enum_names: PyCode | None  # "IntEnum, StrEnum", or None: no enum
    typing_names: PyCode
    pydantic_names: PyCode


@dataclass(frozen=True, slots=True)
class WsClientModule:
    docstring: PyLiteral
    imports: WsImports
    enums: tuple[EnumModel, ...]
    models: tuple[Model, ...]
    rebuild: tuple[ClassName, ...]
    routes: tuple[WsRoute, ...]
    client_class: ClassName
    client_doc: PyLiteral
    path: PyLiteral  # the WebSocket endpoint's path, '"/api/v1/datafeed/ws"'
    error_type: PyLiteral  # the protocol error frame's type, '"error"'
