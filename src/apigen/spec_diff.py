"""What changed between two versions of a spec, and whether it breaks a client's user.

"Breaking" is judged for someone using the generated client: anything that can make their
code stop working or stop type-checking. Operations, schemas, fields, field types, required
fields, enum values, parameters and validation constraints (bounds, lengths, patterns) are
compared; OpenAPI and AsyncAPI documents alike (for AsyncAPI, operations are its `operations`
and schemas its payload schemas). The generated clients do not enforce constraints, so a
tighter constraint is breaking (the server now refuses values it accepted) and a looser one is
not.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Change(NamedTuple):
    sign: str  # "+" added, "-" removed, "~" changed
    what: str
    breaking: bool

    def render(self) -> str:
        return f"{self.sign} {self.what}" + ("  [BREAKING]" if self.breaking else "")


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return [*_operations(old, new), *_schemas(old, new)]


def _operations(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = _operation_index(old), _operation_index(new)
    changes = [
        Change("-", f"operation {name}", True) for name in sorted(before.keys() - after.keys())
    ]
    changes += [
        Change("+", f"operation {name}", False) for name in sorted(after.keys() - before.keys())
    ]
    for name in sorted(before.keys() & after.keys()):
        changes += _parameters(name, before[name], after[name])
    return changes


def _operation_index(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{operation id (or METHOD path): operation} for OpenAPI paths and AsyncAPI operations."""
    index: dict[str, dict[str, Any]] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                name = operation.get("operationId") or f"{method.upper()} {path}"
                index[name] = operation
    for name, operation in (document.get("operations") or {}).items():
        if isinstance(operation, dict):
            index[name] = operation
    return index


def _parameters(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def index(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            f"{p.get('in')}:{p.get('name')}": p
            for p in operation.get("parameters") or []
            if isinstance(p, dict)
        }

    before, after = index(old), index(new)
    changes = [
        Change("-", f"parameter {key.split(':', 1)[1]} of {name}", True)
        for key in sorted(before.keys() - after.keys())
    ]
    for key in sorted(after.keys() - before.keys()):
        required = bool(after[key].get("required"))
        changes.append(Change("+", f"parameter {key.split(':', 1)[1]} of {name}", required))
    for key in sorted(before.keys() & after.keys()):
        if _type(before[key].get("schema")) != _type(after[key].get("schema")):
            changes.append(
                Change(
                    "~",
                    f"parameter {key.split(':', 1)[1]} of {name}: "
                    f"{_type(before[key].get('schema'))} -> {_type(after[key].get('schema'))}",
                    True,
                )
            )
        if not before[key].get("required") and after[key].get("required"):
            changes.append(
                Change("~", f"parameter {key.split(':', 1)[1]} of {name} now required", True)
            )
        changes += _constraints(
            f"parameter {key.split(':', 1)[1]} of {name}",
            before[key].get("schema"),
            after[key].get("schema"),
        )
    return changes


def _schemas(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before = (old.get("components") or {}).get("schemas") or {}
    after = (new.get("components") or {}).get("schemas") or {}
    changes = [Change("-", f"schema {name}", True) for name in sorted(before.keys() - after.keys())]
    changes += [
        Change("+", f"schema {name}", False) for name in sorted(after.keys() - before.keys())
    ]
    for name in sorted(before.keys() & after.keys()):
        changes += _schema(name, before[name], after[name])
    return changes


def _schema(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if isinstance(old_enum, list) and isinstance(new_enum, list):
        changes += [
            Change("-", f"value {v!r} of {name}", True) for v in old_enum if v not in new_enum
        ]
        changes += [
            Change("+", f"value {v!r} of {name}", False) for v in new_enum if v not in old_enum
        ]
    before, after = old.get("properties") or {}, new.get("properties") or {}
    required_before, required_after = set(old.get("required") or ()), set(new.get("required") or ())
    changes += [
        Change("-", f"field {name}.{f}", True) for f in sorted(before.keys() - after.keys())
    ]
    for field in sorted(after.keys() - before.keys()):
        changes.append(Change("+", f"field {name}.{field}", field in required_after))
    for field in sorted(before.keys() & after.keys()):
        old_type, new_type = _type(before[field]), _type(after[field])
        if old_type != new_type:
            changes.append(Change("~", f"field {name}.{field}: {old_type} -> {new_type}", True))
        if (field in required_before) != (field in required_after):
            now = "required" if field in required_after else "optional"
            changes.append(Change("~", f"field {name}.{field} now {now}", True))
        changes += _constraints(f"field {name}.{field}", before[field], after[field])
    return changes


# Validation keywords, by the direction that tightens them.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
_OTHER_CONSTRAINTS = ("pattern", "format", "multipleOf")


def _constraints(what: str, old: Any, new: Any) -> list[Change]:
    """Constraint changes of one field or parameter; tighter ones are breaking."""
    before, after = _constraint_values(old), _constraint_values(new)
    changes = []
    for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_OTHER_CONSTRAINTS):
        old_value, new_value = before.get(keyword), after.get(keyword)
        if old_value == new_value:
            continue
        if new_value is None:
            tighter = False
        elif old_value is None:
            tighter = True
        elif keyword in _LOWER_BOUNDS:
            tighter = _greater(new_value, old_value)
        elif keyword in _UPPER_BOUNDS:
            tighter = _greater(old_value, new_value)
        else:
            tighter = True  # another pattern or format: values valid before may not be now
        rendered = f"{what}: {keyword} {_show(old_value)} -> {_show(new_value)}"
        changes.append(Change("~", rendered, tighter))
    return changes


def _constraint_values(schema: Any) -> dict[str, Any]:
    """The constraints of a schema, including those inside a nullable `anyOf` wrapper."""
    if not isinstance(schema, dict):
        return {}
    keywords = (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_OTHER_CONSTRAINTS)
    found = {keyword: schema[keyword] for keyword in keywords if keyword in schema}
    for union in ("anyOf", "oneOf"):
        for option in schema.get(union) or ():
            for keyword, value in _constraint_values(option).items():
                found.setdefault(keyword, value)
    return found


def _greater(left: Any, right: Any) -> bool:
    try:
        return bool(left > right)
    except TypeError:
        return True  # not comparable: treat as a change that may break


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value)


def _type(schema: Any) -> str:
    """A short, comparable description of a schema's type (refs by name, unions sorted)."""
    if not isinstance(schema, dict):
        return "any"
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return " | ".join(sorted(_type(option) for option in schema[union]))
    if schema.get("type") == "array":
        return f"list[{_type(schema.get('items'))}]"
    if "const" in schema:
        return json.dumps(schema["const"])
    return str(schema.get("type", "any"))
