"""OpenAPI paths -> `Operation`s: method names, typed parameters, request body and response."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from apigen.client.domain import (
    BodyDump,
    BodyEncoding,
    Operation,
    Parameter,
    ParameterLocation,
    PathPart,
    RequestBody,
    Response,
    ResponseParse,
    TypeExpr,
    TypeKind,
)
from apigen.client.literals import (
    UnsupportedLiteral,
    comment_text,
    docstring_literal,
    python_literal,
)
from apigen.client.names import METHOD_RESERVED, PARAMETER_RESERVED, NameAllocator, snake_case
from apigen.client.safe_text import ClassName, CommentText, PyCode, PyLiteral, PythonIdentifier
from apigen.client.schema_types import (
    ANY,
    BYTES,
    SchemaTyper,
    accepts_literal,
    enum_member_source,
    optional,
)
from apigen.client.spec_reader import SpecNode

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"\{([^{}]*)\}")
# OpenAPI: header parameters with these names "SHALL be ignored" (httpx sets them itself).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_NO_CONTENT_STATUSES = frozenset({"204", "205", "304"})
_FORM = "application/x-www-form-urlencoded"


def server_prefix(root: SpecNode) -> tuple[str, str | None]:
    """(path prefix from servers[0].url, a note when the server URL had more than a path).

    FastAPI puts the mount point here ("/api/v1/broker"); the client prepends it to every path.
    """
    servers = root.get("servers")
    if servers is None or not servers.value:
        return "", None
    server = servers.child(0)
    url = server.child("url").text()
    variables = server.get("variables")
    for name, variable in [] if variables is None else variables.items():
        default = variable.child("default")
        url = url.replace("{" + name + "}", str(default.value))
    parts = urlsplit(url)
    note = None
    if parts.scheme or parts.netloc:
        note = f"The document names the server {url!r}; pass its origin as base_url."
    return parts.path.rstrip("/"), note


def is_json_media(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


class OperationBuilder:
    """Builds every operation of the document, with method names unique across the client."""

    def __init__(
        self,
        root: SpecNode,
        typer: SchemaTyper,
        prefix: str,
        enum_members: Mapping[ClassName, Mapping[Any, PythonIdentifier]],
    ) -> None:
        self._root = root
        self._typer = typer
        self._prefix = prefix
        self._enum_members = enum_members
        self._method_names = NameAllocator(METHOD_RESERVED)
        self.features: set[str] = set()

    def build(self) -> tuple[Operation, ...]:
        paths = self._root.get("paths")
        if paths is None:
            return ()
        operations: list[Operation] = []
        for path, item in paths.items():
            if not path.startswith("/"):
                raise item.error(f"path {path!r} must start with '/'")
            shared = item.get("parameters")
            for method in HTTP_METHODS:
                node = item.get(method)
                if node is not None:
                    operations.append(self._operation(path, method, node, shared))
        return tuple(operations)

    def _operation(
        self, path: str, method: str, node: SpecNode, shared: SpecNode | None
    ) -> Operation:
        node.mapping()
        operation_id = node.optional_text("operationId") or f"{method} {path}"
        name = self._method_names.identifier(
            snake_case(operation_id, fallback="operation", reserved=METHOD_RESERVED)
        )
        names = NameAllocator()
        notes: list[CommentText] = []
        parameters = self._parameters(node, shared, names, notes)
        body = self._request_body(node, names, notes)
        path_parts = self._path_parts(path, node, parameters)
        response = self._response(node, notes)
        all_parameters = [*parameters, *([body.parameter] if body is not None else [])]
        return Operation(
            name=name,
            http_method=python_literal(method.upper()),
            path=path_parts,
            doc=self._doc(node, method, path),
            required=tuple(p for p in all_parameters if p.default is None),
            optional=tuple(p for p in all_parameters if p.default is not None),
            query=tuple(p for p in parameters if p.location is ParameterLocation.QUERY),
            headers=tuple(p for p in parameters if p.location is ParameterLocation.HEADER),
            body=body,
            response=response,
            notes=tuple(notes),
        )

    def _doc(self, node: SpecNode, method: str, path: str) -> PyLiteral:
        summary = node.optional_text("summary") or ""
        description = node.optional_text("description") or ""
        lines = [text.strip() for text in (summary, description) if text.strip()]
        if node.flag("deprecated"):
            lines.append("Deprecated.")
        lines.append(f"`{method.upper()} {self._prefix}{path}`")
        return docstring_literal("\n\n".join(lines), indent=8)

    def _resolve(self, node: SpecNode, section: str) -> SpecNode:
        """Follow a `$ref` to #/components/<section>/<name> (once; chains are followed too)."""
        seen: set[str] = set()
        while node.is_mapping() and "$ref" in node.mapping():
            ref_node = node.child("$ref")
            ref = ref_node.text()
            prefix = f"#/components/{section}/"
            if not ref.startswith(prefix) or ref in seen:
                raise ref_node.error(f"expected a $ref to {prefix}<name>, found {ref!r}")
            seen.add(ref)
            key = ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
            components = self._root.get("components")
            targets = None if components is None else components.get(section)
            target = None if targets is None else targets.get(key)
            if target is None:
                raise ref_node.error(f"$ref {ref!r} points to nothing")
            node = target
        return node

    def _parameters(
        self,
        node: SpecNode,
        shared: SpecNode | None,
        names: NameAllocator,
        notes: list[CommentText],
    ) -> list[Parameter]:
        declared: dict[tuple[str, str], SpecNode] = {}
        for source in (shared, node.get("parameters")):
            for parameter in [] if source is None else source.elements():
                parameter = self._resolve(parameter, "parameters")
                wire = parameter.child("name").text()
                location = parameter.child("in").text()
                if location not in ("path", "query", "header", "cookie"):
                    raise parameter.child("in").error(f"unknown parameter location {location!r}")
                declared[(location, wire)] = parameter
        built: list[Parameter] = []
        # Path parameters first: they lead the signature, in the order the path names them.
        for location in ("path", "query", "header", "cookie"):
            for (where, wire), parameter in declared.items():
                if where != location:
                    continue
                if location == "cookie":
                    notes.append(comment_text(f"cookie parameter {wire!r} is not supported"))
                    continue
                if location == "header" and wire.lower() in _IGNORED_HEADERS:
                    continue
                built.append(
                    self._parameter(wire, ParameterLocation(location), parameter, names, notes)
                )
        return built

    def _parameter(
        self,
        wire: str,
        location: ParameterLocation,
        node: SpecNode,
        names: NameAllocator,
        notes: list[CommentText],
    ) -> Parameter:
        schema = node.get("schema")
        content = node.get("content")
        if schema is None and content is not None:
            schema = next((media.get("schema") for _, media in content.items()), None)
        expr = ANY if schema is None else self._typer.type_of(schema)
        required = location is ParameterLocation.PATH or node.flag("required")
        name = names.identifier(snake_case(wire, fallback="param", reserved=PARAMETER_RESERVED))
        default: PyCode | None = None
        if not required:
            default_node = (
                None if schema is None or not schema.is_mapping() else schema.get("default")
            )
            default = self._parameter_default(expr, default_node)
            if default is None:
                expr = optional(expr)
                default = PyCode("None")
        self.features |= expr.all_features()
        _note(notes, f"parameter {name}", expr)
        return Parameter(
            name=name,
            wire_name=python_literal(wire),
            raw_name=wire,
            location=location,
            annotation=expr.source,
            default=default,
        )

    def _parameter_default(self, expr: TypeExpr, node: SpecNode | None) -> PyCode | None:
        """An immutable default from the spec, or None (the server then applies its default)."""
        if node is None or node.value is None or isinstance(node.value, list | dict):
            return None
        member = enum_member_source(expr, node.value, self._enum_members)
        if member is not None:
            return member
        if not accepts_literal(expr, node.value):
            return None
        try:
            return PyCode(python_literal(node.value))
        except UnsupportedLiteral:
            return None

    def _request_body(
        self, node: SpecNode, names: NameAllocator, notes: list[CommentText]
    ) -> RequestBody | None:
        body_node = node.get("requestBody")
        if body_node is None:
            return None
        body_node = self._resolve(body_node, "requestBodies")
        media_types = list(body_node.child("content").items())
        if not media_types:
            return None
        media_type, media = _pick_media(media_types)
        schema = media.get("schema")
        expr = ANY if schema is None else self._typer.type_of(schema)
        if is_json_media(media_type):
            encoding = BodyEncoding.JSON
        elif media_type.split(";", 1)[0].strip().lower() == _FORM:
            encoding = BodyEncoding.FORM
        else:
            encoding = BodyEncoding.RAW
            expr = BYTES
        dump = BodyDump.ADAPTER
        if expr.kind is TypeKind.MODEL:
            dump = BodyDump.MODEL
        elif expr.kind is TypeKind.ANY or encoding is BodyEncoding.RAW:
            dump = BodyDump.AS_IS
        required = body_node.flag("required")
        default = None
        if not required:
            expr = optional(expr)
            default = PyCode("None")
        self.features |= expr.all_features()
        name = names.identifier(snake_case("body", fallback="body", reserved=PARAMETER_RESERVED))
        parameter = Parameter(
            name=name,
            wire_name=python_literal("body"),
            raw_name="body",
            location=ParameterLocation.BODY,
            annotation=expr.source,
            default=default,
        )
        _note(notes, f"parameter {name}", expr)
        return RequestBody(
            parameter=parameter,
            encoding=encoding,
            dump=dump,
            type_source=expr.source,
            content_type=python_literal(media_type),
        )

    def _response(self, node: SpecNode, notes: list[CommentText]) -> Response:
        responses = node.get("responses")
        status, chosen = _success_response([] if responses is None else list(responses.items()))
        if chosen is None:
            notes.append(comment_text("the document declares no success response"))
            return Response(ResponseParse.JSON, PyCode("Any"), None)
        chosen = self._resolve(chosen, "responses")
        content = chosen.get("content")
        if status in _NO_CONTENT_STATUSES or content is None or not content.mapping():
            return Response(ResponseParse.NONE, PyCode("None"), None)
        media_type, media = _pick_media(list(content.items()))
        if not is_json_media(media_type):
            if media_type.lower().startswith("text/"):
                return Response(ResponseParse.TEXT, PyCode("str"), None)
            return Response(ResponseParse.BYTES, PyCode("bytes"), None)
        schema = media.get("schema")
        expr = ANY if schema is None else self._typer.type_of(schema)
        self.features |= expr.all_features()
        _note(notes, "response", expr)
        if expr.kind is TypeKind.MODEL:
            return Response(ResponseParse.MODEL, expr.source, expr.class_name)
        if expr.kind is TypeKind.ANY:
            return Response(ResponseParse.JSON, PyCode("Any"), None)
        return Response(ResponseParse.ADAPTER, expr.source, None)

    def _path_parts(
        self, path: str, node: SpecNode, parameters: list[Parameter]
    ) -> tuple[PathPart, ...]:
        by_wire = {p.raw_name: p.name for p in parameters if p.location is ParameterLocation.PATH}
        parts: list[PathPart] = []
        text = self._prefix
        position = 0
        for match in _PATH_TEMPLATE.finditer(path):
            text += path[position : match.start()]
            wire = match.group(1)
            if wire not in by_wire:
                raise node.error(f"path {path!r} uses {{{wire}}} but declares no such parameter")
            parts.append(PathPart(python_literal(text), None))
            parts.append(PathPart(None, by_wire[wire]))
            text = ""
            position = match.end()
        text += path[position:]
        if text or not parts:
            parts.append(PathPart(python_literal(text), None))
        return tuple(parts)


def _pick_media(media_types: list[tuple[str, SpecNode]]) -> tuple[str, SpecNode]:
    """JSON first, then form data, then whatever comes first."""
    for media_type, media in media_types:
        if is_json_media(media_type):
            return media_type, media
    for media_type, media in media_types:
        if media_type.split(";", 1)[0].strip().lower() == _FORM:
            return media_type, media
    return media_types[0]


def _success_response(
    responses: list[tuple[str, SpecNode]],
) -> tuple[str, SpecNode | None]:
    """The lowest 2xx response, else 2XX, else default."""
    exact = sorted(
        (item for item in responses if item[0].isdigit() and item[0].startswith("2")),
        key=lambda item: item[0],
    )
    if exact:
        return exact[0]
    for wanted in ("2XX", "2xx", "default"):
        for status, node in responses:
            if status == wanted:
                return status, node
    return "", None


def _note(notes: list[CommentText], what: str, expr: TypeExpr) -> None:
    note = expr.first_note()
    if note is not None:
        notes.append(comment_text(f"{what}: {note}"))
