"""JSON Schema (OpenAPI 3.1 dialect, as pydantic v2 writes it) -> `TypeExpr` Python types.

What cannot be typed degrades to `Any` with a note the template renders as a comment; it never
raises. Only a broken document (a `$ref` to a missing schema, a schema that is not an object)
raises `SpecError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import unquote

from apigen.client.domain import TypeExpr, TypeKind
from apigen.client.literals import UnsupportedLiteral, comment_text, python_literal
from apigen.client.safe_text import ClassName, PyCode, PythonIdentifier
from apigen.client.spec_reader import SpecError, SpecNode

SCHEMA_REF_PREFIX = "#/components/schemas/"

ANY = TypeExpr(TypeKind.ANY, PyCode("Any"))
NONE = TypeExpr(TypeKind.NONE, PyCode("None"))
STR = TypeExpr(TypeKind.STR, PyCode("str"))
INT = TypeExpr(TypeKind.INT, PyCode("int"))
FLOAT = TypeExpr(TypeKind.FLOAT, PyCode("float"))
BOOL = TypeExpr(TypeKind.BOOL, PyCode("bool"))
BYTES = TypeExpr(TypeKind.FORMATTED, PyCode("bytes"))

_DATETIME = frozenset({"datetime"})
_STRING_FORMATS: Mapping[str, TypeExpr] = {
    "date-time": TypeExpr(TypeKind.FORMATTED, PyCode("_dt.datetime"), features=_DATETIME),
    "date": TypeExpr(TypeKind.FORMATTED, PyCode("_dt.date"), features=_DATETIME),
    "time": TypeExpr(TypeKind.FORMATTED, PyCode("_dt.time"), features=_DATETIME),
    "duration": TypeExpr(TypeKind.FORMATTED, PyCode("_dt.timedelta"), features=_DATETIME),
    "uuid": TypeExpr(TypeKind.FORMATTED, PyCode("_uuid.UUID"), features=frozenset({"uuid"})),
}
_PRIMITIVES: Mapping[str, TypeExpr] = {
    "integer": INT,
    "number": FLOAT,
    "boolean": BOOL,
    "null": NONE,
}


# mypy rejects `Literal[n]` for |n| >= 2**63 ("Literal[...] cannot contain arbitrary
# expressions"): such an enum or const degrades to Any.
_LITERAL_INT_LIMIT = 2**63 - 1


def degraded(why: str) -> TypeExpr:
    """`Any`, with a comment saying why the schema could not be typed."""
    return TypeExpr(TypeKind.ANY, PyCode("Any"), note=comment_text(why))


def list_of(item: TypeExpr) -> TypeExpr:
    return TypeExpr(TypeKind.LIST, PyCode(f"list[{item.source}]"), args=(item,))


def dict_of(value: TypeExpr) -> TypeExpr:
    return TypeExpr(TypeKind.DICT, PyCode(f"dict[str, {value.source}]"), args=(STR, value))


def literal_of(values: Iterable[Any]) -> TypeExpr:
    """`Literal[...]` of JSON strings, integers and booleans (None becomes `| None`)."""
    unique: list[Any] = []
    for value in values:
        if not any(value == seen and type(value) is type(seen) for seen in unique):
            unique.append(value)
    plain = [value for value in unique if value is not None]
    if not plain:
        return NONE
    source = PyCode(f"Literal[{', '.join(python_literal(value) for value in plain)}]")
    literal = TypeExpr(
        TypeKind.LITERAL, source, literal_values=tuple(plain), features=frozenset({"Literal"})
    )
    return union_of([literal, NONE]) if len(plain) < len(unique) else literal


def union_of(members: Iterable[TypeExpr]) -> TypeExpr:
    """`A | B | None`: nested unions flattened, duplicates dropped, None last, Any absorbs all."""
    flat: list[TypeExpr] = []
    for member in members:
        flat.extend(member.args if member.kind is TypeKind.UNION else (member,))
    anys = [member for member in flat if member.kind is TypeKind.ANY]
    if anys:
        # Any absorbs the union; keep the note of a degraded member so the reason is shown.
        return next((member for member in anys if member.note is not None), anys[0])
    unique: dict[str, TypeExpr] = {}
    for member in flat:
        unique.setdefault(member.source, member)
    ordered = [m for m in unique.values() if m.kind is not TypeKind.NONE]
    ordered += [m for m in unique.values() if m.kind is TypeKind.NONE]
    if len(ordered) == 1:
        return ordered[0]
    source = PyCode(" | ".join(member.source for member in ordered))
    return TypeExpr(TypeKind.UNION, source, args=tuple(ordered))


def optional(member: TypeExpr) -> TypeExpr:
    return member if member.nullable else union_of([member, NONE])


def accepts_literal(expr: TypeExpr, value: Any) -> bool:
    """Whether `value` (JSON) written as a Python literal type-checks as `expr`."""
    kind = expr.kind
    if kind is TypeKind.ANY:
        return True
    if kind is TypeKind.NONE:
        return value is None
    if kind is TypeKind.STR:
        return isinstance(value, str)
    if kind is TypeKind.BOOL:
        return isinstance(value, bool)
    if kind is TypeKind.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is TypeKind.FLOAT:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is TypeKind.LITERAL:
        return any(value == v and type(value) is type(v) for v in expr.literal_values)
    if kind is TypeKind.LIST:
        return isinstance(value, list) and all(accepts_literal(expr.args[0], v) for v in value)
    if kind is TypeKind.DICT:
        return isinstance(value, dict) and all(
            accepts_literal(expr.args[1], v) for v in value.values()
        )
    if kind is TypeKind.UNION:
        return any(accepts_literal(arg, value) for arg in expr.args)
    return False


def enum_member_source(
    expr: TypeExpr, value: Any, enum_members: Mapping[ClassName, Mapping[Any, PythonIdentifier]]
) -> PyCode | None:
    """`Side.BUY` when `expr` is (or includes) an enum with a member for `value`."""
    candidates = expr.args if expr.kind is TypeKind.UNION else (expr,)
    for candidate in candidates:
        if candidate.kind is TypeKind.ENUM and candidate.class_name is not None:
            members = enum_members.get(candidate.class_name, {})
            if isinstance(value, str | int) and not isinstance(value, bool) and value in members:
                return PyCode(f"{candidate.class_name}.{members[value]}")
    return None


class ComponentKind(Enum):
    MODEL = "model"  # an object: a pydantic model class
    ENUM = "enum"  # string or integer enum: an Enum class
    ALIAS = "alias"  # anything else: its type is used inline wherever it is referenced


@dataclass(frozen=True, slots=True)
class Component:
    key: str
    node: SpecNode
    kind: ComponentKind
    class_name: ClassName | None


def classify(node: SpecNode) -> ComponentKind:
    """Which kind of Python definition a component schema becomes."""
    if not node.is_mapping():
        return ComponentKind.ALIAS
    schema = node.mapping()
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and "$ref" not in schema:
        if all(isinstance(v, str) for v in enum) and schema.get("type", "string") == "string":
            return ComponentKind.ENUM
        if all(isinstance(v, int) and not isinstance(v, bool) for v in enum) and schema.get(
            "type", "integer"
        ) in ("integer", "number"):
            return ComponentKind.ENUM
        return ComponentKind.ALIAS
    if "$ref" in schema or "anyOf" in schema or "oneOf" in schema:
        return ComponentKind.ALIAS
    if schema.get("type") == "object" or "properties" in schema:
        only_extra = "properties" not in schema and schema.get("additionalProperties") not in (
            None,
            False,
        )
        return ComponentKind.ALIAS if only_extra else ComponentKind.MODEL
    if "allOf" in schema and "type" not in schema:
        return ComponentKind.MODEL
    return ComponentKind.ALIAS


class SchemaTyper:
    """Types schemas of one document; knows its components and how each is named."""

    def __init__(self, components: Mapping[str, Component]) -> None:
        self._components = components
        self._inlining: set[str] = set()

    def resolve_ref(self, ref_node: SpecNode) -> Component | None:
        """The component a `$ref` names; None for a reference outside components/schemas."""
        ref = ref_node.text()
        if not ref.startswith(SCHEMA_REF_PREFIX):
            return None
        token = ref[len(SCHEMA_REF_PREFIX) :]
        key = token.replace("~1", "/").replace("~0", "~")
        component = self._components.get(key) or self._components.get(unquote(key))
        if component is None:
            raise ref_node.error(f"$ref {ref!r} points to no schema in #/components/schemas")
        return component

    def type_of(self, node: SpecNode) -> TypeExpr:
        """The Python type of the schema at `node`."""
        if node.value is True or node.value == {}:
            return ANY
        if node.value is False:
            return degraded(f"schema at {node.pointer} accepts nothing")
        schema = node.mapping()
        if "$ref" in schema:
            return self._ref_type(node.child("$ref"))
        if "const" in schema:
            return self._literal(node, [schema["const"]])
        if "enum" in schema:
            return self._literal(node, [item.value for item in node.child("enum").elements()])
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                members = [self.type_of(member) for member in node.child(keyword).elements()]
                if not members:
                    raise node.child(keyword).error("expected at least one schema")
                return union_of(members)
        if "allOf" in schema:
            parts = list(node.child("allOf").elements())
            if len(parts) == 1:
                return self.type_of(parts[0])
            return degraded(f"allOf of several schemas at {node.pointer}")
        declared = schema.get("type")
        if isinstance(declared, list):
            return union_of(self._typed(node, kind) for kind in declared)
        if declared is None:
            if "properties" in schema or "additionalProperties" in schema:
                declared = "object"
            elif "items" in schema:
                declared = "array"
            else:
                return ANY
        return self._typed(node, declared)

    def _typed(self, node: SpecNode, declared: Any) -> TypeExpr:
        schema = node.mapping()
        if declared == "string":
            fmt = schema.get("format")
            return _STRING_FORMATS.get(fmt, STR) if isinstance(fmt, str) else STR
        if isinstance(declared, str) and declared in _PRIMITIVES:
            return _PRIMITIVES[declared]
        if declared == "array":
            items = node.get("items")
            return list_of(ANY if items is None else self.type_of(items))
        if declared == "object":
            return self._object_type(node)
        raise node.child("type").error(f"unknown schema type {declared!r}")

    def _object_type(self, node: SpecNode) -> TypeExpr:
        extra = node.get("additionalProperties")
        if node.get("properties") is not None and node.mapping()["properties"]:
            return degraded(f"inline object with properties at {node.pointer}")
        if extra is None or extra.value is True:
            return dict_of(ANY)
        if extra.value is False:
            return dict_of(ANY)
        return dict_of(self.type_of(extra))

    def _literal(self, node: SpecNode, values: list[Any]) -> TypeExpr:
        literal_kinds = (str, int, bool, type(None))
        if not values or not all(isinstance(v, literal_kinds) for v in values):
            return degraded(f"enum or const of non-literal values at {node.pointer}")
        if any(type(v) is int and abs(v) > _LITERAL_INT_LIMIT for v in values):
            return degraded(f"enum or const integer beyond 64 bits at {node.pointer}")
        try:
            return literal_of(values)
        except UnsupportedLiteral:
            return degraded(f"enum value without a Python literal at {node.pointer}")

    def _ref_type(self, ref_node: SpecNode) -> TypeExpr:
        component = self.resolve_ref(ref_node)
        if component is None:
            return degraded(f"unsupported $ref {ref_node.text()} at {ref_node.pointer}")
        if component.class_name is not None:
            kind = TypeKind.MODEL if component.kind is ComponentKind.MODEL else TypeKind.ENUM
            return TypeExpr(kind, PyCode(component.class_name), class_name=component.class_name)
        if component.key in self._inlining:
            return degraded(f"recursive schema alias {component.key}")
        self._inlining.add(component.key)
        try:
            return self.type_of(component.node)
        finally:
            self._inlining.discard(component.key)


def check_schema_node(node: SpecNode) -> None:
    """A schema must be an object or a boolean (JSON Schema 2020-12)."""
    if not isinstance(node.value, bool) and not node.is_mapping():
        raise SpecError(node.pointer, "expected a schema (an object or a boolean)")
