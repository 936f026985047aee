"""AsyncAPI 3 document -> `WsClientModule`: the models, enums and routes the template renders.

The models and enums come from the HTTP client's model layer (`apigen.client.spec_model`): the
same JSON Schema typing, naming, defaults and ordering rules, so both clients of an API read
alike. This module adds what is WebSocket-specific: one route per channel, read from the
channel's messages as `apigen.producers.asyncapi_spec` writes them (docs/asyncapi-and-ws-client.md).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from apigen.client.domain import EnumModel, Model, ModelField
from apigen.client.literals import docstring_literal, python_literal
from apigen.client.model_order import dependency_order
from apigen.client.names import (
    BUILTIN_TYPE_NAMES,
    NameAllocator,
    pascal_case,
    snake_case,
    upper_snake_case,
)
from apigen.client.safe_text import ClassName, PyCode, PythonIdentifier
from apigen.client.schema_types import (
    SCHEMA_REF_PREFIX,
    Component,
    ComponentKind,
    SchemaTyper,
)
from apigen.client.spec_model import MODULE_CLASS_NAMES, _DocumentBuilder
from apigen.client.spec_reader import SpecError, SpecNode, check_unicode
from apigen.ws_client.domain import WsClientModule, WsImports, WsRoute

# Names the generated module defines or imports itself; a schema class never takes them.
WS_MODULE_CLASS_NAMES = MODULE_CLASS_NAMES | {
    "AsyncGenerator",
    "Callable",
    "ClassVar",
    "ClientConnection",
    "ConnectionClosed",
    "NamedTuple",
    "TypeVar",
    "WebSocketException",
    "WsConnectionError",
    "WsError",
    "WsSubscriptionError",
}
# Public attributes of the generated client, and the types its annotations use: a route method
# never takes them.
WS_METHOD_RESERVED = BUILTIN_TYPE_NAMES | {"aclose", "connect", "url"}
# The channel message keys the exporter writes (asyncapi_spec.ROUTE_FRAMES, plus "error").
REQUIRED_MESSAGES = (
    "subscribe",
    "subscribeResponse",
    "unsubscribe",
    "unsubscribeResponse",
    "update",
)
ERROR_MESSAGE = "error"
DEFAULT_ERROR_TYPE = "error"
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json")


def ws_client_class_name(module: str, version: int) -> ClassName:
    """`("market_data", 1)` -> `MarketDataV1WsClient`."""
    if version < 0:
        raise ValueError(f"API version must be >= 0, got {version}")
    return ClassName(f"{pascal_case(module, fallback='Api')}V{version}WsClient")


def build_ws_client_module(spec: Mapping[str, Any], *, module: str, version: int) -> WsClientModule:
    """Read the whole document into domain objects; raises `SpecError` for a broken document."""
    check_unicode(spec)
    return _WsDocumentBuilder(SpecNode(spec), module=module, version=version).build_ws()


class _WsDocumentBuilder(_DocumentBuilder):
    """The HTTP client's document builder, reused for its schema -> model/enum layer."""

    def __init__(self, root: SpecNode, *, module: str, version: int) -> None:
        super().__init__(root, module=module, version=version)
        self._client = ws_client_class_name(module, version)

    def _taken_class_names(self) -> set[str]:
        return set(WS_MODULE_CLASS_NAMES) | {self._client}

    def build_ws(self) -> WsClientModule:
        root = self._root
        root.mapping()
        asyncapi = root.child("asyncapi")
        if not asyncapi.text().startswith("3."):
            raise asyncapi.error(f"expected an AsyncAPI 3.x document, found {asyncapi.text()!r}")
        info = root.child("info")
        about = f"{info.child('title').text()!r}, API version {info.child('version').text()!r}"
        components = self._components()
        typer = SchemaTyper(components)
        enums = [self._enum(c) for c in components.values() if c.kind is ComponentKind.ENUM]
        models = [
            self._model(c, typer) for c in components.values() if c.kind is ComponentKind.MODEL
        ]
        ordered, rebuild = dependency_order(models)
        routes, path, error_type = _RouteReader(root, components, models).read()
        return WsClientModule(
            docstring=docstring_literal(_module_doc(about, self._client, routes)),
            imports=self._ws_imports(enums, has_models=bool(models)),
            enums=tuple(enums),
            models=ordered,
            rebuild=rebuild,
            routes=routes,
            client_class=self._client,
            client_doc=docstring_literal(
                f"WebSocket client for {about}: one async-iterator method per route, all "
                "multiplexed on one connection.",
                indent=4,
            ),
            path=python_literal(path),
            error_type=python_literal(error_type),
        )

    def _ws_imports(self, enums: list[EnumModel], *, has_models: bool) -> WsImports:
        features = self._features
        typing_names = {"Any", "ClassVar", "NamedTuple", "Self", "TypeVar"}
        if "Literal" in features:
            typing_names.add("Literal")
        pydantic_names = {"TypeAdapter"}
        if has_models:
            pydantic_names |= {"BaseModel", "ConfigDict"}
        if self._uses_field_call:
            pydantic_names.add("Field")
        stdlib = ["import asyncio", "import json", "import logging"]
        if "datetime" in features:
            stdlib.append("import datetime as _dt")
        if "uuid" in features:
            stdlib.append("import uuid as _uuid")
        enum_bases = sorted({str(enum.base) for enum in enums})
        return WsImports(
            stdlib_modules=tuple(PyCode(line) for line in sorted(stdlib)),
            enum_names=PyCode(", ".join(enum_bases)) if enum_bases else None,
            typing_names=PyCode(", ".join(sorted(typing_names))),
            pydantic_names=PyCode(", ".join(sorted(pydantic_names))),
        )


class _RouteReader:
    """Channels -> routes: each channel's messages name its frame types and payload types."""

    def __init__(
        self, root: SpecNode, components: Mapping[str, Component], models: list[Model]
    ) -> None:
        self._root = root
        self._components = components
        self._models = {model.name: model for model in models}
        self._methods = NameAllocator()
        self._constants = NameAllocator()

    def read(self) -> tuple[tuple[WsRoute, ...], str, str]:
        """(routes, the endpoint path all channels share, the error frame's type)."""
        channels = self._root.get("channels")
        routes: list[WsRoute] = []
        addresses: dict[str, str] = {}
        error_types: dict[str, str] = {}
        for channel_id, channel in [] if channels is None else channels.items():
            channel = _resolve(self._root, channel)
            address = channel.child("address")
            addresses.setdefault(address.text(), address.pointer)
            routes.append(self._route(channel_id, channel))
            error = channel.child("messages").get(ERROR_MESSAGE)
            if error is not None:
                error_types.setdefault(self._envelope(error)[1], error.pointer)
        if len(addresses) > 1:
            raise SpecError(
                list(addresses.values())[1],
                f"channels at different addresses ({', '.join(addresses)}): the client "
                "multiplexes every route on one connection, so all need the same address",
            )
        if len(error_types) > 1:
            raise SpecError(list(error_types.values())[1], "channels disagree on the error type")
        path = next(iter(addresses), "")
        if path and not path.startswith("/"):
            raise SpecError(next(iter(addresses.values())), f"expected a path, found {path!r}")
        return tuple(routes), path, next(iter(error_types), DEFAULT_ERROR_TYPE)

    def _route(self, channel_id: str, channel: SpecNode) -> WsRoute:
        messages = channel.child("messages")
        frames = {key: self._envelope(messages.child(key)) for key in REQUIRED_MESSAGES}
        request_field = self._payload_field(frames["subscribe"][0], messages.child("subscribe"))
        update_model = frames["update"][0]
        data_field = self._payload_field(update_model, messages.child("update"))
        method = self._methods.identifier(
            snake_case(channel_id, fallback="route", reserved=WS_METHOD_RESERVED)
        )
        constant = self._constants.identifier(
            PythonIdentifier(f"_ROUTE_{upper_snake_case(channel_id, fallback='ROUTE')}")
        )
        data = data_field.annotation
        return WsRoute(
            method=method,
            constant=constant,
            name=python_literal(channel_id),
            subscribe_type=python_literal(frames["subscribe"][1]),
            subscribe_response_type=python_literal(frames["subscribeResponse"][1]),
            unsubscribe_type=python_literal(frames["unsubscribe"][1]),
            unsubscribe_response_type=python_literal(frames["unsubscribeResponse"][1]),
            update_type=python_literal(frames["update"][1]),
            request_annotation=request_field.annotation,
            data_annotation=data,
            update_model=update_model.name,
            update_payload_field=data_field.name,
            doc=docstring_literal(
                f"Subscribe to {channel_id!r} for `request` and yield each {data} update.\n\n"
                "The subscription starts with the iteration and ends (unsubscribe) when the "
                "iteration stops: wrap the call in `contextlib.aclosing` to stop it at a known "
                "point. Raises WsSubscriptionError when the server refuses the subscription, "
                "WsConnectionError when the connection is lost.",
                indent=8,
            ),
        )

    def _envelope(self, message_node: SpecNode) -> tuple[Model, str]:
        """(the frame's model, its wire "type") for a channel message."""
        message = _resolve(self._root, message_node)
        payload = message.child("payload")
        if payload.is_mapping() and "schemaFormat" in payload.mapping():
            schema_format = payload.child("schemaFormat").text()
            if not schema_format.startswith(_JSON_SCHEMA_FORMATS):
                raise payload.error(f"unsupported schemaFormat {schema_format!r}")
            payload = payload.child("schema")
        ref = payload.child("$ref")
        key = ref.text().removeprefix(SCHEMA_REF_PREFIX).replace("~1", "/").replace("~0", "~")
        component = self._components.get(key)
        if not ref.text().startswith(SCHEMA_REF_PREFIX) or component is None:
            raise ref.error(f"expected a reference to an object in {SCHEMA_REF_PREFIX}")
        if component.kind is not ComponentKind.MODEL or component.class_name is None:
            raise ref.error("the frame schema must be an object with properties")
        frame_type = component.node.child("properties").child("type").child("const")
        return self._models[component.class_name], frame_type.text()

    def _payload_field(self, model: Model, where: SpecNode) -> ModelField:
        """The field of `model` that holds the frame's "payload"."""
        for field in model.fields:
            wire = field.name if field.alias is None else ast.literal_eval(field.alias)
            if wire == "payload":
                return field
        raise where.error(f"the frame schema of {model.name} has no 'payload' property")


def _resolve(root: SpecNode, node: SpecNode) -> SpecNode:
    """`node`, or the object its local `$ref` points to (references may chain)."""
    for _ in range(32):
        if not (node.is_mapping() and "$ref" in node.mapping()):
            return node
        ref = node.child("$ref")
        if not ref.text().startswith("#/"):
            raise ref.error(f"only local references are supported, found {ref.text()!r}")
        target = root
        for token in ref.text()[2:].split("/"):
            target = target.child(token.replace("~1", "/").replace("~0", "~"))
        node = target
    raise node.error("too many chained references")


def _module_doc(about: str, client: ClassName, routes: tuple[WsRoute, ...]) -> str:
    example = ""
    if routes:
        first = routes[0]
        example = (
            "\n\nUse:\n\n"
            f'    async with {client}("http://127.0.0.1:8000") as ws:\n'
            f"        async for update in ws.{first.method}({first.request_annotation}(...)):\n"
            "            ..."
        )
    return (
        f"Typed WebSocket client for {about}.\n\n"
        "Generated by apigen from the AsyncAPI document. Do not edit this file:\n"
        "change the API and run `doit generate` instead." + example
    )


__all__ = ["build_ws_client_module", "ws_client_class_name"]
