"""asyncapi:M — describe each API version's WebSocket routes as an AsyncAPI 3.0 document.

The document is built from the generated router classes (`Module.ws_routers(version)`: each has
`route`, `request_model` and `data_model`) and the wire protocol of the WebSocket layer
(docs/websocket-protocol.md); payload schemas come from the pydantic models. No service is
started. docs/asyncapi-and-ws-client.md explains each choice of representation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from apigen import warm_worker
from apigen.spec_writer import write_version_specs
from apigen.user_code import run_user_code
from apigen.user_errors import UserError, user_facing

if TYPE_CHECKING:
    from pydantic import BaseModel

ASYNCAPI_VERSION = "3.0.0"
SCHEMA_REF = "#/components/schemas/"
MESSAGE_REF = "#/components/messages/"
# One server whose host is a variable: the document does not know where the app is deployed; a
# client substitutes the host (and scheme) of its own base URL.
SERVER_NAME = "api"
DEFAULT_HOST = "127.0.0.1:8000"  # where `python -m trading_api` serves by default
# Components every document defines for the protocol itself.
RESPONSE_SCHEMA = "SubscriptionResponse"
ERROR_COMPONENT = "ProtocolError"
ERROR_TYPE = "error"
ERROR_KEY = "error"  # the protocol error's key in every channel's `messages`
_ROUTE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_READABLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class RouterClass(Protocol):
    """What the exporter reads from a generated router class (WebSocket contract, point 3)."""

    route: ClassVar[str]
    request_model: ClassVar[type[BaseModel]]
    data_model: ClassVar[type[BaseModel]]


class FrameKind(NamedTuple):
    """One kind of frame of a route."""

    key: str  # its key in the channel's `messages`, e.g. "subscribeResponse"
    suffix: str  # message and schema component name = PascalCase(route) + suffix
    type_suffix: str  # the wire "type" = route + type_suffix, e.g. ".subscribe.response"


SUBSCRIBE = FrameKind("subscribe", "Subscribe", ".subscribe")
UNSUBSCRIBE = FrameKind("unsubscribe", "Unsubscribe", ".unsubscribe")
SUBSCRIBE_RESPONSE = FrameKind("subscribeResponse", "SubscribeResponse", ".subscribe.response")
UNSUBSCRIBE_RESPONSE = FrameKind(
    "unsubscribeResponse", "UnsubscribeResponse", ".unsubscribe.response"
)
UPDATE = FrameKind("update", "Update", ".update")
ROUTE_FRAMES = (SUBSCRIBE, UNSUBSCRIBE, SUBSCRIBE_RESPONSE, UNSUBSCRIBE_RESPONSE, UPDATE)


class RouteSchemas(NamedTuple):
    """One route and the component names of its request and data schemas."""

    route: str
    prefix: str  # PascalCase of the route: "broker-connection" -> "BrokerConnection"
    request: str
    data: str


def ws_address(module: str, version: int) -> str:
    """Where the version app serves its WebSocket endpoint (WebSocket contract, point 4)."""
    return f"/api/v{version}/{module}/ws"


def pascal_route(route: str) -> str:
    """`broker-connection` -> `BrokerConnection`."""
    return "".join(word.capitalize() for word in route.split("-"))


def build_asyncapi(src_dir: str, module: str, version: int) -> dict[str, Any]:
    """Import the module and return the AsyncAPI document of one version's WebSocket routes."""

    def build() -> dict[str, Any]:
        from trading_api.shared.module_loader import load_module

        loaded = load_module(module)
        routers = loaded.ws_routers(version)
        return asyncapi_document(routers, module=module, title=loaded.title, version=version)

    return run_user_code(src_dir, f"building the {module} v{version} WebSocket API", build)


def asyncapi_document(
    routers: Sequence[type[RouterClass]], *, module: str, title: str, version: int
) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of these router classes; the same input gives the same dict."""
    owner = f"{module} v{version}"
    _check_routes(routers, owner)
    models, routes = payload_schemas(routers, owner)
    envelopes = _envelope_schemas(routes)
    taken = sorted(set(envelopes) & set(models))
    if taken:
        raise UserError.at(
            None,
            None,
            f"{owner}: WebSocket model name(s) {', '.join(taken)} are also names of the "
            "protocol's frame schemas (<Route>Subscribe, <Route>Update, SubscriptionResponse, "
            "ProtocolError, ...); rename the model(s)",
        )
    address = ws_address(module, version)
    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"{title} WebSocket API",
            "version": f"v{version}",
            "description": _description(module, version, address, has_routes=bool(routes)),
        },
        "defaultContentType": "application/json",
        "servers": {SERVER_NAME: _server()},
        "channels": {route.route: _channel(route, address) for route in routes},
        "operations": dict(_operations(routes)),
    }
    if routes:  # a version without WebSocket routes has no endpoint, and no frames to describe
        document["components"] = {
            "schemas": dict(sorted({**models, **envelopes}.items())),
            "messages": _messages(routes),
        }
    return document


def _description(module: str, version: int, address: str, *, has_routes: bool) -> str:
    if not has_routes:
        return f"Version {version} of the {module} module has no WebSocket routes."
    return (
        f"WebSocket routes of version {version} of the {module} module, multiplexed on one "
        f"connection at {address}. Every frame is a JSON text frame with a string "
        '"type": subscribe with `<route>.subscribe`, receive `<route>.update` frames for the '
        "topic the response names, stop with `<route>.unsubscribe`. Operations are described "
        "from the server's side: it receives subscriptions and sends updates."
    )


def _check_routes(routers: Sequence[type[RouterClass]], owner: str) -> None:
    names = [router.route for router in routers]
    problems = [
        f"{owner}: route name {name!r} is not kebab-case (like 'bars' or 'broker-connection')"
        for name in names
        if not (isinstance(name, str) and _ROUTE_NAME.fullmatch(name))
    ]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    problems += [f"{owner}: route {name!r} is declared more than once" for name in duplicates]
    if problems:
        raise UserError.at(None, None, "; ".join(problems))


def _server() -> dict[str, Any]:
    return {
        "host": "{host}",
        "protocol": "ws",
        "description": (
            "The app itself. A client takes host and port from its base URL, uses wss when that "
            "URL is https, and appends the channel address to the base URL's path."
        ),
        "variables": {
            "host": {"default": DEFAULT_HOST, "description": "host[:port] the app is served at"}
        },
    }


def _channel(route: RouteSchemas, address: str) -> dict[str, Any]:
    messages = {
        kind.key: {"$ref": MESSAGE_REF + route.prefix + kind.suffix} for kind in ROUTE_FRAMES
    }
    messages[ERROR_KEY] = {"$ref": MESSAGE_REF + ERROR_COMPONENT}
    return {
        "address": address,
        "title": route.route,
        "description": (
            f"Route '{route.route}': subscribe with {route.request}, receive {route.data} "
            "updates. All routes of a module version share its one WebSocket endpoint; a "
            'frame\'s "type" says which route it belongs to.'
        ),
        "messages": messages,
    }


def _operations(routes: Sequence[RouteSchemas]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Per route: the server receives (un)subscribe requests and replies; it sends updates."""
    for route in routes:
        channel = {"$ref": f"#/channels/{route.route}"}
        refs = {
            key: {"$ref": f"#/channels/{route.route}/messages/{key}"}
            for key in [*(kind.key for kind in ROUTE_FRAMES), ERROR_KEY]
        }
        for request, response, title, verb in (
            (SUBSCRIBE, SUBSCRIBE_RESPONSE, "Subscribe to", "start"),
            (UNSUBSCRIBE, UNSUBSCRIBE_RESPONSE, "Unsubscribe from", "stop"),
        ):
            yield (
                f"{route.route}.{request.key}",
                {
                    "action": "receive",
                    "channel": channel,
                    "title": f"{title} {route.route}",
                    "summary": (
                        f"A client asks to {verb} receiving '{route.route}' updates; the server "
                        f"answers with `{route.route}{response.type_suffix}`, or with "
                        f"`{ERROR_TYPE}` when it cannot process the frame."
                    ),
                    "messages": [refs[request.key]],
                    "reply": {
                        "channel": channel,
                        "messages": [refs[response.key], refs[ERROR_KEY]],
                    },
                },
            )
        yield (
            f"{route.route}.{UPDATE.key}",
            {
                "action": "send",
                "channel": channel,
                "title": f"{route.route} updates",
                "summary": (
                    f"The server sends a `{route.route}{UPDATE.type_suffix}` frame for each new "
                    f"{route.data} of a topic the client subscribed to, and an `{ERROR_TYPE}` "
                    "frame naming the topic when it had to drop updates for a slow client."
                ),
                "messages": [refs[UPDATE.key], refs[ERROR_KEY]],
            },
        )


_MESSAGE_SUMMARIES = {
    SUBSCRIBE: "Start receiving '{route}' updates for one {request}.",
    UNSUBSCRIBE: "Stop the '{route}' subscription made with the same {request}.",
    SUBSCRIBE_RESPONSE: "Whether the subscription started, and the topic its updates carry.",
    UNSUBSCRIBE_RESPONSE: "Whether the subscription stopped.",
    UPDATE: "One {data} of a subscribed '{route}' topic.",
}


def _messages(routes: Sequence[RouteSchemas]) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    for route in routes:
        for kind in ROUTE_FRAMES:
            wire_type = route.route + kind.type_suffix
            summary = _MESSAGE_SUMMARIES[kind]
            messages[route.prefix + kind.suffix] = {
                "name": wire_type,
                "title": wire_type,
                "summary": summary.format(
                    route=route.route, request=route.request, data=route.data
                ),
                "payload": {"$ref": SCHEMA_REF + route.prefix + kind.suffix},
            }
    messages[ERROR_COMPONENT] = {
        "name": ERROR_TYPE,
        "title": ERROR_TYPE,
        "summary": (
            "The server could not process a frame (malformed JSON, unknown type, invalid "
            "payload, oversized frame; `topic` is empty), or it dropped updates of the `topic` "
            "it names because the client read too slowly."
        ),
        "payload": {"$ref": SCHEMA_REF + ERROR_COMPONENT},
    }
    return messages


def _envelope_schemas(routes: Sequence[RouteSchemas]) -> dict[str, Any]:
    """The frame schemas: an object with a `const` "type" around each payload."""
    envelopes: dict[str, Any] = {}
    for route in routes:
        payloads = {
            SUBSCRIBE: route.request,
            UNSUBSCRIBE: route.request,
            SUBSCRIBE_RESPONSE: RESPONSE_SCHEMA,
            UNSUBSCRIBE_RESPONSE: RESPONSE_SCHEMA,
            UPDATE: route.data,
        }
        for kind, payload in payloads.items():
            name = route.prefix + kind.suffix
            envelopes[name] = _envelope(
                name, route.route + kind.type_suffix, payload, with_topic=kind is UPDATE
            )
    envelopes[ERROR_COMPONENT] = _envelope(
        ERROR_COMPONENT, ERROR_TYPE, RESPONSE_SCHEMA, with_topic=False
    )
    envelopes[RESPONSE_SCHEMA] = {
        "description": (
            'The server\'s answer to a request: `status` "ok" or "error", a human-readable '
            "`message`, and the `topic` the request concerns (empty when unknown)."
        ),
        "properties": {
            "status": {"enum": ["ok", "error"], "title": "Status", "type": "string"},
            "message": {"title": "Message", "type": "string"},
            "topic": {"title": "Topic", "type": "string"},
        },
        "required": ["status", "message", "topic"],
        "title": RESPONSE_SCHEMA,
        "type": "object",
    }
    return envelopes


def _envelope(name: str, wire_type: str, payload: str, *, with_topic: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"type": {"const": wire_type, "title": "Type", "type": "string"}}
    if with_topic:
        properties["topic"] = {
            "description": "The topic of the subscription this update belongs to",
            "title": "Topic",
            "type": "string",
        }
    properties["payload"] = {"$ref": SCHEMA_REF + payload}
    return {
        "description": f'The "{wire_type}" frame.',
        "properties": properties,
        "required": list(properties),
        "title": name,
        "type": "object",
    }


def payload_schemas(
    routers: Sequence[type[RouterClass]], owner: str
) -> tuple[dict[str, Any], list[RouteSchemas]]:
    """(component schemas of every request and data model, each route's component names).

    One `models_json_schema` call for the whole version, so a model shared by two routes is one
    component. Requests are described as the server validates them, data as it serialises them;
    a model whose two schemas differ becomes `<Name>Input` and `<Name>Output`.
    """
    from pydantic.json_schema import models_json_schema

    wanted: list[tuple[type[BaseModel], Any]] = []
    for router in routers:
        for pair in ((router.request_model, "validation"), (router.data_model, "serialization")):
            if pair not in wanted:
                wanted.append(pair)
    if not wanted:
        return {}, []
    refs, top = models_json_schema(
        wanted, ref_template=SCHEMA_REF + "{model}", schema_generator=_readable_names_generator()
    )
    definitions: dict[str, Any] = top.get("$defs", {})
    renames = _readable_keys(definitions, owner)

    def component(model: type[BaseModel], mode: str) -> str:
        key = str(refs[(model, mode)]["$ref"]).removeprefix(SCHEMA_REF)  # type: ignore[index]
        return renames.get(key, key)

    routes = [
        RouteSchemas(
            router.route,
            pascal_route(router.route),
            component(router.request_model, "validation"),
            component(router.data_model, "serialization"),
        )
        for router in routers
    ]
    schemas = {renames.get(k, k): _rename_refs(v, renames) for k, v in definitions.items()}
    return dict(sorted(schemas.items())), routes


def _readable_names_generator() -> Any:
    """pydantic's schema generator, naming a parametrised generic `Page[BarPublic]`
    `PageBarPublic` instead of `Page_BarPublic_`."""
    from pydantic.json_schema import GenerateJsonSchema

    class ReadableNames(GenerateJsonSchema):
        def normalize_name(self, name: str) -> str:
            if "." in name:
                # pydantic's fallback for two classes of the same name, module-qualified:
                # kept as is, so `_readable_keys` can report the clash.
                return super().normalize_name(name)
            return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^\w]+", name))

    return ReadableNames


def _readable_keys(definitions: Mapping[str, Any], owner: str) -> dict[str, str]:
    """{pydantic's key: readable key} for keys that need renaming; UserError for name clashes."""
    renames: dict[str, str] = {}
    clashes: set[str] = set()
    for key in definitions:
        base, _, mode = key.partition("-")
        if "__" in base:
            clashes.add(re.sub(r"__\d+$", "", base).replace("__", "."))
        elif mode:
            renames[key] = base + mode
    if clashes:
        names = sorted({name.rsplit(".", 1)[-1] for name in clashes})
        raise UserError.at(
            None,
            None,
            f"{owner}: different WebSocket models share a class name ({', '.join(names)}: "
            f"{', '.join(sorted(clashes))}); component names must be unique, rename one",
        )
    final = [renames.get(key, key) for key in definitions]
    bad = sorted({name for name in final if not _READABLE_NAME.fullmatch(name)})
    twice = sorted({name for name in final if final.count(name) > 1})
    if bad or twice:
        raise UserError.at(
            None,
            None,
            f"{owner}: cannot name the schema component(s) {', '.join(bad + twice)}; "
            "rename the model(s) to plain class names",
        )
    return renames


def _rename_refs(value: Any, renames: Mapping[str, str]) -> Any:
    """`value` with every `$ref` to a renamed component pointing at its new name."""
    if isinstance(value, dict):
        result = {key: _rename_refs(item, renames) for key, item in value.items()}
        ref = result.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            target = ref.removeprefix(SCHEMA_REF)
            result["$ref"] = SCHEMA_REF + renames.get(target, target)
        return result
    if isinstance(value, list):
        return [_rename_refs(item, renames) for item in value]
    return value


@user_facing
def export_asyncapi(
    src_dir: str, module: str, versions: list[int], outputs: list[str]
) -> dict[str, Any]:
    """doit action for asyncapi:M: in the warm worker when one runs, else in-process."""
    args = (src_dir, module, versions, outputs)
    return dict(warm_worker.call(write_asyncapi_specs, args, warm_here="fastapi"))


def write_asyncapi_specs(
    src_dir: str, module: str, versions: list[int], outputs: list[str]
) -> dict[str, Any]:
    """One AsyncAPI file per API version, rewritten only when its bytes change; what changed."""
    return write_version_specs(build_asyncapi, src_dir, module, versions, outputs)
