"""The client's domain objects: what the template renders, every name and text already made safe.

Built by `spec_model` from the OpenAPI document; read (never computed on) by the Jinja templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from apigen.client.safe_text import ClassName, CommentText, PyCode, PyLiteral, PythonIdentifier


class TypeKind(Enum):
    ANY = "any"
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    NONE = "none"
    LITERAL = "literal"
    LIST = "list"
    DICT = "dict"
    UNION = "union"
    MODEL = "model"
    ENUM = "enum"
    # Types parsed from JSON strings (datetime, UUID, ...): never a JSON literal themselves.
    FORMATTED = "formatted"


@dataclass(frozen=True, slots=True)
class TypeExpr:
    """A Python type for a schema: its annotation source plus what is needed to use it."""

    kind: TypeKind
    source: PyCode
    args: tuple[TypeExpr, ...] = ()
    literal_values: tuple[Any, ...] = ()
    class_name: ClassName | None = None
    # Why the type degraded to Any; rendered as a comment next to its use.
    note: CommentText | None = None
    # What the annotation needs imported: "Literal", "datetime", "uuid".
    features: frozenset[str] = frozenset()

    @property
    def nullable(self) -> bool:
        if self.kind in (TypeKind.NONE, TypeKind.ANY):
            return True
        return self.kind is TypeKind.UNION and any(arg.nullable for arg in self.args)

    def referenced_classes(self) -> frozenset[ClassName]:
        own = frozenset({self.class_name}) if self.class_name is not None else frozenset()
        return own.union(*(arg.referenced_classes() for arg in self.args))

    def all_features(self) -> frozenset[str]:
        return self.features.union(*(arg.all_features() for arg in self.args))

    def first_note(self) -> CommentText | None:
        if self.note is not None:
            return self.note
        return next((note for arg in self.args if (note := arg.first_note()) is not None), None)


@dataclass(frozen=True, slots=True)
class ModelField:
    name: PythonIdentifier
    annotation: PyCode
    # Right-hand side pieces; `default` and `default_factory` are exclusive, both None = required.
    default: PyCode | None
    default_factory: PyCode | None
    alias: PyLiteral | None
    doc: PyLiteral | None
    note: CommentText | None

    @property
    def uses_field_call(self) -> bool:
        return self.alias is not None or self.default_factory is not None

    @property
    def field_arguments(self) -> tuple[tuple[PythonIdentifier, PyCode], ...]:
        """Keyword arguments of the `Field(...)` call, when `uses_field_call`."""
        arguments: list[tuple[PythonIdentifier, PyCode]] = []
        if self.default is not None:
            arguments.append((PythonIdentifier("default"), self.default))
        if self.default_factory is not None:
            arguments.append((PythonIdentifier("default_factory"), self.default_factory))
        if self.alias is not None:
            alias = PyCode(self.alias)
            arguments.append((PythonIdentifier("validation_alias"), alias))
            arguments.append((PythonIdentifier("serialization_alias"), alias))
        return tuple(arguments)


@dataclass(frozen=True, slots=True)
class Model:
    name: ClassName
    doc: PyLiteral | None
    fields: tuple[ModelField, ...]
    references: frozenset[ClassName]


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: PythonIdentifier
    value: PyLiteral


@dataclass(frozen=True, slots=True)
class EnumModel:
    name: ClassName
    base: PyCode
    doc: PyLiteral | None
    members: tuple[EnumMember, ...]
    # Raw JSON value -> member name, for rendering defaults as `Side.BUY`.
    member_by_value: dict[Any, PythonIdentifier] = field(default_factory=dict, compare=False)


class ParameterLocation(Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    BODY = "body"


@dataclass(frozen=True, slots=True)
class Parameter:
    """One argument of a generated method."""

    name: PythonIdentifier
    wire_name: PyLiteral
    # The spec's name, for the builder only (templates render `wire_name`).
    raw_name: str
    location: ParameterLocation
    annotation: PyCode
    # None: a required argument (positional-or-keyword); else keyword-only with this default.
    default: PyCode | None


@dataclass(frozen=True, slots=True)
class PathPart:
    """A piece of the URL path: fixed text, or a path parameter to encode."""

    text: PyLiteral | None
    parameter: PythonIdentifier | None


class BodyEncoding(Enum):
    """How the body is sent; the value is the httpx keyword argument that sends it."""

    JSON = "json"
    FORM = "data"
    RAW = "content"


class BodyDump(Enum):
    """How the body argument becomes JSON-able data."""

    MODEL = "model"  # body.model_dump(...)
    ADAPTER = "adapter"  # _adapter(T).dump_python(...)
    AS_IS = "as_is"  # bytes or already JSON-able


@dataclass(frozen=True, slots=True)
class RequestBody:
    parameter: Parameter
    encoding: BodyEncoding
    dump: BodyDump
    type_source: PyCode
    content_type: PyLiteral

    @property
    def optional(self) -> bool:
        return self.parameter.default is not None

    @property
    def keyword(self) -> PythonIdentifier:
        return PythonIdentifier(self.encoding.value)


class ResponseParse(Enum):
    NONE = "none"
    MODEL = "model"  # Model.model_validate_json(content)
    ADAPTER = "adapter"  # _adapter(T).validate_json(content)
    JSON = "json"  # response.json() as Any
    TEXT = "text"
    BYTES = "bytes"


@dataclass(frozen=True, slots=True)
class Response:
    parse: ResponseParse
    annotation: PyCode
    class_name: ClassName | None


@dataclass(frozen=True, slots=True)
class Operation:
    name: PythonIdentifier
    http_method: PyLiteral
    path: tuple[PathPart, ...]
    doc: PyLiteral
    required: tuple[Parameter, ...]
    optional: tuple[Parameter, ...]
    query: tuple[Parameter, ...]
    headers: tuple[Parameter, ...]
    body: RequestBody | None
    response: Response
    # Comments for the method body: what was not supported or degraded to Any.
    notes: tuple[CommentText, ...]


@dataclass(frozen=True, slots=True)
class Imports:
    """Names imported only when the generated module uses them."""

    typing_names: PyCode
    enum_names: PyCode
    pydantic_names: PyCode
    stdlib_modules: tuple[PyCode, ...]


@dataclass(frozen=True, slots=True)
class ClientModule:
    docstring: PyLiteral
    imports: Imports
    enums: tuple[EnumModel, ...]
    models: tuple[Model, ...]
    rebuild: tuple[ClassName, ...]
    operations: tuple[Operation, ...]
    client_class: ClassName
    async_client_class: ClassName
    client_doc: PyLiteral
    async_client_doc: PyLiteral
