"""Checks that a client rendered from a (hostile) document holds only the code the templates write.

`check_http_client(spec, source)` and `check_ws_client(spec, source)` raise AssertionError
naming the first problem. They read the generated source as a Python AST and require:

- it encodes as UTF-8, contains no raw control, format, surrogate, private-use, unassigned or
  line/paragraph-separator character (they are escaped), compiles, and every comment is one line
  of printable ASCII;
- the module is exactly: a docstring; imports from a fixed allowlist (each imported name used);
  the fixed runtime, statement for statement identical to the one rendered for an empty
  document; enum classes (`StrEnum`/`IntEnum` bases, members = literals); model classes
  (`BaseModel` base, `model_config = ConfigDict(...)`, annotated fields whose values are
  literals, enum members or `Field(...)` with literal aliases and literal-only default
  factories); `X.model_rebuild()` for models; for the WebSocket client, `_ROUTE_... = _Route(<six
  string literals>)`; the client class(es) with one method per operation whose bodies call only
  the client's own helpers;
- every annotation is a type expression over the module's own names; no call anywhere outside
  that allowlist, so no spec text can run (`__import__` can appear only inside string literals);
- every identifier the spec names (classes, fields, enum members, methods, parameters) is an
  ASCII, non-keyword identifier, unique in its scope, and shadows nothing the module uses
  (builtins, imports, the module's own definitions, the types used in the class);
- what the client embeds round-trips: enum values, field wire names (aliases), defaults,
  query/header wire names, the HTTP method and the URL path, content types, WebSocket frame
  types, the endpoint path evaluate (`ast.literal_eval`) to exactly the document's values;
  descriptions, summaries, titles and versions appear in the docstrings with only whitespace
  changed (docstrings are wrapped and re-indented).

`exec_client(source)` imports the module for real (pydantic, httpx, websockets) and checks that
every model is complete and its fields' aliases are the wire names.
"""

from __future__ import annotations

import ast
import builtins
import functools
import keyword
import math
import sys
import unicodedata
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import CodeType, ModuleType
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from apigen.client import render_client
from apigen.client.names import client_class_name
from apigen.ws_client import render_ws_client
from apigen.ws_client.spec_model import ws_client_class_name
from tests.client.spec_strategies import MODULE, VERSION

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
FORM = "application/x-www-form-urlencoded"
# Raw characters the generated source never contains: they are escaped in literals and
# docstrings, replaced in comments ("\n" is the only line break; docstrings keep tabs).
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# (module, name, asname) of `from module import name as asname`; (None, name, asname) for
# `import name as asname`. Everything the templates may import, and nothing else.
HTTP_IMPORTS = frozenset(
    {
        ("__future__", "annotations", None),
        (None, "contextlib", None),
        (None, "datetime", "_dt"),
        (None, "uuid", "_uuid"),
        ("collections.abc", "Mapping", None),
        ("enum", "Enum", None),
        ("enum", "IntEnum", None),
        ("enum", "StrEnum", None),
        ("types", "TracebackType", None),
        ("typing", "Any", None),
        ("typing", "Literal", None),
        ("typing", "Self", None),
        ("urllib.parse", "quote", "_quote"),
        (None, "httpx", None),
        ("pydantic", "BaseModel", None),
        ("pydantic", "ConfigDict", None),
        ("pydantic", "Field", None),
        ("pydantic", "TypeAdapter", None),
    }
)
WS_IMPORTS = frozenset(
    {
        ("__future__", "annotations", None),
        (None, "asyncio", None),
        (None, "json", None),
        (None, "logging", None),
        (None, "datetime", "_dt"),
        (None, "uuid", "_uuid"),
        ("collections", "deque", None),
        ("collections.abc", "AsyncGenerator", None),
        ("collections.abc", "Callable", None),
        ("collections.abc", "Mapping", None),
        ("enum", "IntEnum", None),
        ("enum", "StrEnum", None),
        ("types", "TracebackType", None),
        ("typing", "Any", None),
        ("typing", "ClassVar", None),
        ("typing", "Literal", None),
        ("typing", "NamedTuple", None),
        ("typing", "Self", None),
        ("typing", "TypeVar", None),
        ("urllib.parse", "urlsplit", None),
        ("urllib.parse", "urlunsplit", None),
        ("pydantic", "BaseModel", None),
        ("pydantic", "ConfigDict", None),
        ("pydantic", "Field", None),
        ("pydantic", "TypeAdapter", None),
        ("websockets.asyncio.client", "ClientConnection", None),
        ("websockets.asyncio.client", "connect", None),
        ("websockets.exceptions", "ConnectionClosed", None),
        ("websockets.exceptions", "WebSocketException", None),
    }
)
# Names an annotation may use besides the module's enum and model classes.
TYPE_NAMES = frozenset({"Any", "str", "int", "float", "bool", "bytes", "list", "dict"})
FORMATTED_TYPES = {"_dt": {"datetime", "date", "time", "timedelta"}, "_uuid": {"UUID"}}
ANNOTATION_NAMES = TYPE_NAMES | {"Literal", *FORMATTED_TYPES}
MODEL_CONFIG = "model_config = ConfigDict(populate_by_name=True, protected_namespaces=())"
FIELD_KEYWORDS = frozenset(
    {"default", "default_factory", "validation_alias", "serialization_alias"}
)
# What a field must not be named: every public attribute of BaseModel, its metaclass's included.
BASE_MODEL_ATTRIBUTES = frozenset(
    name
    for name in {*dir(BaseModel), *dir(type(BaseModel))}
    if not name.startswith("_") and hasattr(BaseModel, name)
)
# What a generated HTTP method body may call: `self._request`, `_path_value(p)`, `_adapter(T)`
# and the methods of what those return.
METHOD_CALLS = frozenset(
    {"_request", "_path_value", "_adapter", "model_validate_json", "validate_json"}
    | {"dump_python", "model_dump", "json"}
)
METHOD_LOCALS = frozenset({"self", "_response", "_parsed", "_path_value", "_adapter"})
IMPORT_TIME_CALLS = frozenset({"ConfigDict", "Field", "model_rebuild", "_Route"})
RESERVED_HTTP_METHODS = frozenset({"close", "aclose"})
RESERVED_WS_METHODS = frozenset({"connect", "aclose", "url"})

EMPTY_OPENAPI = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
EMPTY_ASYNCAPI = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"}, "channels": {}}


def norm(text: str) -> str:
    """Text with every run of whitespace (str.split's, so Unicode) as one space."""
    return " ".join(text.split())


def _fail(where: str, problem: str) -> AssertionError:
    return AssertionError(f"{where}: {problem}")


def _dump(node: ast.AST) -> str:
    return ast.dump(node, annotate_fields=True, include_attributes=False)


def _is_identifier(name: str) -> bool:
    """ASCII, a valid identifier, not a keyword, and not `l`, `O` or `I` (ruff's E741-E743)."""
    valid = name.isascii() and name.isidentifier() and not keyword.iskeyword(name)
    return valid and name not in ("l", "O", "I")


def _identical(a: Any, b: Any) -> bool:
    """Equal and of the same JSON type throughout (1 is not True, 1.0 is not 1, -0.0 not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_identical(a[k], b[k]) for k in a)
    return bool(a == b)


def _has_literal(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_has_literal(item) for item in value)
    if isinstance(value, dict):
        return all(_has_literal(item) for item in value.values())
    return True


def _is_literal(node: ast.AST) -> bool:
    """A JSON-like literal: constants (no bytes, complex, Ellipsis), negated numbers, lists,
    dicts with string keys. Nothing that `ast.literal_eval` would also accept beyond that
    (`set()`, `1+2j`, tuples)."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (str, int, float, bool, type(None))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = node.operand
        return isinstance(operand, ast.Constant) and type(operand.value) in (int, float)
    if isinstance(node, ast.List):
        return all(_is_literal(item) for item in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            isinstance(key, ast.Constant) and isinstance(key.value, str) for key in node.keys
        ) and all(_is_literal(value) for value in node.values)
    return False


def _literal(node: ast.AST, where: str) -> Any:
    if not _is_literal(node):
        raise _fail(where, f"expected a literal, found {ast.unparse(node)[:120]!r}")
    return ast.literal_eval(node)


def _string(node: ast.AST, where: str) -> str:
    value = _literal(node, where)
    if not isinstance(value, str):
        raise _fail(where, f"expected a string literal, found {value!r:.80}")
    return value


def _docstring(body: list[ast.stmt]) -> tuple[str | None, list[ast.stmt]]:
    """(the leading docstring, the rest of the body)."""
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        value = body[0].value.value
        if isinstance(value, str):
            return value, body[1:]
    return None, body


def _expect_doc(actual: str | None, expected: str | None, where: str) -> None:
    """A docstring must say exactly the expected text, whitespace aside."""
    if expected is None or not expected.split():
        if actual is not None:
            raise _fail(where, f"unexpected docstring {actual[:80]!r}")
        return
    if actual is None:
        raise _fail(where, f"missing docstring for {expected[:80]!r}")
    if norm(actual) != norm(expected):
        raise _fail(where, f"docstring {norm(actual)[:200]!r} != {norm(expected)[:200]!r}")


def _description(schema: Any) -> str | None:
    if isinstance(schema, Mapping):
        text = schema.get("description")
        if isinstance(text, str):
            return text
    return None


# --- the source as text ------------------------------------------------------------------------


def check_text(source: str) -> ast.Module:
    """Encoding and raw characters; returns the AST (compiled by `_parse_module`)."""
    source.encode("utf-8")  # a lone surrogate would raise here
    bad = {
        char
        for char in set(source)
        if char not in "\t\n" and unicodedata.category(char) in FORBIDDEN_CATEGORIES
    }
    if bad:
        for number, line in enumerate(source.split("\n"), 1):
            if bad & set(line):
                raise _fail(f"line {number}", f"raw {sorted(bad)} in the source: {line[:120]!r}")
    tree = ast.parse(source)
    return tree


def _check_comments(lines: list[str], statements: list[ast.stmt]) -> None:
    """Every comment (the templates write them on lines of their own) is printable ASCII."""
    in_strings: set[int] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Constant) and node.end_lineno != node.lineno:
                in_strings.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
    first = statements[0].lineno if statements else len(lines) + 1
    for number in range(first, len(lines) + 1):
        text = lines[number - 1].lstrip()
        commented = text.startswith("#") and number not in in_strings
        if commented and not all(" " <= char <= "~" for char in text):
            raise _fail(f"line {number}", f"comment not printable ASCII: {text!r}")


# --- type expressions ---------------------------------------------------------------------------


def _check_type(node: ast.AST, classes: frozenset[str], where: str) -> None:
    """An annotation: the module's classes, builtin types, `_dt`/`_uuid` types, `Any`, `None`,
    `list[T]`, `dict[str, T]`, `Literal[...]` of literals, and `|` unions of those."""
    if isinstance(node, ast.Name):
        if node.id in TYPE_NAMES or node.id in classes:
            return
    elif isinstance(node, ast.Constant) and node.value is None:
        return
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.attr in FORMATTED_TYPES.get(node.value.id, ()):
            return
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        _check_type(node.left, classes, where)
        _check_type(node.right, classes, where)
        return
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        generic, index = node.value.id, node.slice
        if generic == "list":
            _check_type(index, classes, where)
            return
        if generic == "dict" and isinstance(index, ast.Tuple) and len(index.elts) == 2:
            key, value = index.elts
            if isinstance(key, ast.Name) and key.id == "str":
                _check_type(value, classes, where)
                return
        if generic == "Literal":
            values = index.elts if isinstance(index, ast.Tuple) else [index]
            for value in values:
                literal = _literal(value, where)
                if type(literal) not in (str, int, bool):
                    raise _fail(where, f"Literal of {literal!r}")
                if type(literal) is int and abs(literal) >= 2**63:
                    raise _fail(where, f"Literal[{literal}]: mypy takes 64-bit integers only")
            return
    raise _fail(where, f"not a type expression of the module: {ast.unparse(node)[:120]!r}")


def _names_in(node: ast.AST) -> set[str]:
    """The names `node` reads."""
    return {
        child.id
        for child in ast.walk(node)
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load)
    }


# --- the module's structure ---------------------------------------------------------------------


@dataclass
class FieldInfo:
    name: str
    wire: str
    annotation: ast.expr
    value: ast.expr | None
    doc: str | None


@dataclass
class ModelInfo:
    name: str
    doc: str | None
    fields: list[FieldInfo]


@dataclass
class EnumInfo:
    name: str
    base: str
    doc: str | None
    members: dict[str, Any]


@dataclass
class ModuleInfo:
    docstring: str
    code: CodeType
    enums: list[EnumInfo] = field(default_factory=list)
    models: list[ModelInfo] = field(default_factory=list)
    routes: list[ast.Assign] = field(default_factory=list)
    clients: list[ast.ClassDef] = field(default_factory=list)
    bound: dict[str, str] = field(default_factory=dict)  # module-level name -> what bound it

    @property
    def classes(self) -> frozenset[str]:
        return frozenset([e.name for e in self.enums] + [m.name for m in self.models])

    @property
    def enum_members(self) -> dict[str, dict[str, Any]]:
        return {enum.name: enum.members for enum in self.enums}


@dataclass(frozen=True)
class _Reference:
    """The module rendered for an empty document: the fixed runtime every client contains."""

    text: str  # the source of the statements between the imports and the classes
    count: int  # how many statements that is
    names: frozenset[str]  # the names those statements bind
    loaded: frozenset[str]  # the names they read


@functools.cache
def _reference(kind: str) -> _Reference:
    if kind == "http":
        source = render_client(EMPTY_OPENAPI, module=MODULE, version=VERSION)
        clients = {client_class_name(MODULE, VERSION), f"Async{client_class_name(MODULE, VERSION)}"}
    else:
        source = render_ws_client(EMPTY_ASYNCAPI, module=MODULE, version=VERSION)
        clients = {ws_client_class_name(MODULE, VERSION)}
    fixed: list[ast.stmt] = []
    for statement in ast.parse(source).body[1:]:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if isinstance(statement, ast.ClassDef) and statement.name in clients:
            continue
        fixed.append(statement)
    names = {name for statement in fixed for name in _bound_names(statement)}
    loaded = set().union(*(_names_in(statement) for statement in fixed))
    text = _segment(source.split("\n"), fixed)
    return _Reference(text, len(fixed), frozenset(names), frozenset(loaded))


def _segment(lines: list[str], statements: list[ast.stmt]) -> str:
    """The source lines from the first statement to the end of the last."""
    return "\n".join(lines[statements[0].lineno - 1 : statements[-1].end_lineno])


def _bound_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [t.id for t in statement.targets if isinstance(t, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    return []


def _bind(info: ModuleInfo, name: str, what: str) -> None:
    if name in info.bound:
        raise _fail("module", f"{name!r} bound twice: by {info.bound[name]} and by {what}")
    info.bound[name] = what


def _check_imports(imports: list[ast.stmt], allowed: frozenset[Any], info: ModuleInfo) -> None:
    for statement in imports:
        for alias in statement.names:  # type: ignore[attr-defined]
            if isinstance(statement, ast.ImportFrom):
                if statement.level != 0:
                    raise _fail("imports", "relative import")
                entry = (statement.module, alias.name, alias.asname)
            else:
                entry = (None, alias.name, alias.asname)
            if entry not in allowed:
                raise _fail("imports", f"import not in the allowlist: {ast.unparse(statement)}")
            bound = alias.asname or alias.name
            if bound != "annotations":
                _bind(info, bound, "an import")


def _split_module(
    tree: ast.Module, lines: list[str], kind: str
) -> tuple[str, list[ast.stmt], list[ast.stmt]]:
    """(docstring, imports, the statements after the fixed runtime)."""
    docstring, body = _docstring(list(tree.body))
    if docstring is None:
        raise _fail("module", "no module docstring")
    position = 0
    while position < len(body) and isinstance(body[position], ast.Import | ast.ImportFrom):
        position += 1
    imports, rest = body[:position], body[position:]
    reference = _reference(kind)
    fixed = rest[: reference.count]
    # The same text, statement for statement: the fixed runtime is never formatted or changed.
    if len(fixed) != reference.count or _segment(lines, fixed) != reference.text:
        raise _fail("module", "the fixed runtime differs from the one of an empty document")
    return docstring, imports, rest[reference.count :]


def _check_enum(node: ast.ClassDef) -> EnumInfo:
    where = f"enum {node.name}"
    doc, body = _docstring(node.body)
    members: dict[str, Any] = {}
    base = node.bases[0].id if isinstance(node.bases[0], ast.Name) else ""
    for statement in body:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            raise _fail(where, f"unexpected statement {ast.unparse(statement)[:120]!r}")
        name = statement.targets[0].id
        value = _literal(statement.value, f"{where}.{name}")
        expected_type = str if base == "StrEnum" else int
        if type(value) is not expected_type:
            raise _fail(where, f"member {name} = {value!r} in a {base}")
        if not _is_identifier(name) or name.startswith("_") or name == "mro":
            raise _fail(where, f"bad member name {name!r}")
        if name in members:
            raise _fail(where, f"member {name} defined twice")
        if any(_identical(value, other) for other in members.values()):
            raise _fail(where, f"value {value!r} defined twice")
        members[name] = value
    if not members:
        raise _fail(where, "no members")
    return EnumInfo(node.name, base, doc, members)


def _check_field_value(
    value: ast.expr, classes: frozenset[str], info: ModuleInfo, where: str
) -> None:
    """A field's right-hand side: literal, enum member, or Field(...) of those."""
    if _is_literal(value) or _enum_member(value, info) is not None:
        return
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "Field"
    ):
        raise _fail(where, f"unexpected field value {ast.unparse(value)[:120]!r}")
    if value.args:
        raise _fail(where, "Field() with positional arguments")
    keywords = [k.arg or "**" for k in value.keywords]
    if len(set(keywords)) != len(keywords) or not set(keywords) <= FIELD_KEYWORDS:
        raise _fail(where, f"Field() keywords {keywords}")
    for keyword_node in value.keywords:
        argument = keyword_node.value
        if keyword_node.arg in ("validation_alias", "serialization_alias"):
            _string(argument, where)
        elif keyword_node.arg == "default":
            if not (_is_literal(argument) or _enum_member(argument, info) is not None):
                raise _fail(where, f"default {ast.unparse(argument)[:120]!r}")
        else:
            _check_factory(argument, classes, where)


def _check_factory(node: ast.expr, classes: frozenset[str], where: str) -> None:
    """`list`, `dict`, `lambda: <literal>`, `lambda: _adapter(T).validate_python(<literal>)`."""
    if isinstance(node, ast.Name) and node.id in ("list", "dict"):
        return
    if isinstance(node, ast.Lambda) and not (
        node.args.args or node.args.kwonlyargs or node.args.vararg or node.args.kwarg
    ):
        body = node.body
        if _is_literal(body):
            return
        validated = _adapter_call(body, "validate_python", classes, where)
        if validated is not None and len(validated.args) == 1 and not validated.keywords:
            _literal(validated.args[0], where)
            return
    raise _fail(where, f"unexpected default factory {ast.unparse(node)[:120]!r}")


def _adapter_call(
    node: ast.expr, method: str, classes: frozenset[str], where: str
) -> ast.Call | None:
    """`node` if it is `_adapter(<type>).<method>(...)`, else None."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
    ):
        return None
    inner = node.func.value
    if not (
        isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Name)
        and inner.func.id == "_adapter"
        and len(inner.args) == 1
        and not inner.keywords
    ):
        return None
    _check_type(inner.args[0], classes, where)
    return node


def _enum_member(node: ast.AST, info: ModuleInfo) -> Any:
    """The value of `Enum.MEMBER` (a box, so that a None value is told from no member)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        members = info.enum_members.get(node.value.id)
        if members is not None and node.attr in members:
            return (members[node.attr],)
    return None


def _check_model(node: ast.ClassDef, classes: frozenset[str], info: ModuleInfo) -> ModelInfo:
    where = f"model {node.name}"
    doc, body = _docstring(node.body)
    if not body or _dump(body[0]) != _dump(ast.parse(MODEL_CONFIG).body[0]):
        raise _fail(where, "the first statement is not the fixed model_config")
    fields: list[FieldInfo] = []
    names: set[str] = set()
    position = 1
    while position < len(body):
        statement = body[position]
        position += 1
        if not (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.simple == 1
        ):
            raise _fail(where, f"unexpected statement {ast.unparse(statement)[:120]!r}")
        name = statement.target.id
        field_where = f"{where}.{name}"
        if not _is_identifier(name) or name.startswith("_"):
            raise _fail(field_where, "not a valid public identifier")
        if name in names or name == "model_config" or name in BASE_MODEL_ATTRIBUTES:
            raise _fail(field_where, "duplicate or shadows a BaseModel attribute")
        names.add(name)
        _check_type(statement.annotation, classes, field_where)
        wire = name
        if statement.value is not None:
            _check_field_value(statement.value, classes, info, field_where)
            alias = _alias(statement.value, field_where)
            wire = name if alias is None else alias
        field_doc, _ = _docstring(body[position : position + 1])
        if field_doc is not None:
            position += 1
        fields.append(FieldInfo(name, wire, statement.annotation, statement.value, field_doc))
    # A field must not shadow a name its class body uses (annotations are resolved in the class
    # namespace first): `list: list[str]`, or a field named like a class.
    used: set[str] = set()
    for statement in body:
        used |= _names_in(statement)
    shadowing = names & (used | ANNOTATION_NAMES | classes | {"Field", "ConfigDict", "_adapter"})
    if shadowing:
        raise _fail(where, f"fields shadow names the class uses: {sorted(shadowing)}")
    wires = [f.wire for f in fields]
    if len(set(wires)) != len(wires):
        raise _fail(where, f"two fields for one wire name: {wires}")
    return ModelInfo(node.name, doc, fields)


def _alias(value: ast.expr, where: str) -> str | None:
    if not isinstance(value, ast.Call):
        return None
    aliases = {k.arg: _string(k.value, where) for k in value.keywords if k.arg and "alias" in k.arg}
    if not aliases:
        return None
    if (
        set(aliases) != {"validation_alias", "serialization_alias"}
        or len(set(aliases.values())) != 1
    ):
        raise _fail(where, f"aliases disagree: {aliases}")
    return aliases["validation_alias"]


def _check_class_name(name: str, info: ModuleInfo) -> None:
    if not _is_identifier(name) or name.startswith("_"):
        raise _fail("module", f"class name {name!r} is not a valid public identifier")
    if hasattr(builtins, name):
        raise _fail("module", f"class {name} shadows a builtin")
    if unicodedata.normalize("NFKC", name) != name:
        raise _fail("module", f"class name {name!r} changes under NFKC")


def _check_spec_part(statements: list[ast.stmt], info: ModuleInfo, kind: str) -> None:
    """Enums, models, rebuilds, route constants and client classes, in the template's order."""
    client_bases = {"_SyncClient", "_AsyncClient"} if kind == "http" else {"_WsClient"}
    stage = 0  # 0 enums, 1 models, 2 rebuilds, 3 route constants, 4 clients
    pending_models: list[ast.ClassDef] = []
    for statement in statements:
        if isinstance(statement, ast.ClassDef):
            if statement.decorator_list or statement.keywords or len(statement.bases) != 1:
                raise _fail(f"class {statement.name}", "unexpected decorators, keywords or bases")
            base = statement.bases[0]
            base_name = base.id if isinstance(base, ast.Name) else ast.unparse(base)
            _bind(info, statement.name, f"class {statement.name}")
            if base_name in ("StrEnum", "IntEnum") and stage == 0:
                _check_class_name(statement.name, info)
                info.enums.append(_check_enum(statement))
                continue
            if base_name == "BaseModel" and stage <= 1:
                stage = 1
                _check_class_name(statement.name, info)
                pending_models.append(statement)
                continue
            if base_name in client_bases:
                stage = 4
                info.clients.append(statement)
                continue
            raise _fail(f"class {statement.name}", f"unexpected base {base_name}")
        if (
            isinstance(statement, ast.Expr)
            and stage in (1, 2)
            and isinstance(statement.value, ast.Call)
            and not statement.value.args
            and not statement.value.keywords
            and isinstance(statement.value.func, ast.Attribute)
            and statement.value.func.attr == "model_rebuild"
            and isinstance(statement.value.func.value, ast.Name)
            and statement.value.func.value.id in {m.name for m in pending_models}
        ):
            stage = 2
            continue
        if kind == "ws" and isinstance(statement, ast.Assign) and stage <= 3:
            stage = 3
            info.routes.append(statement)
            for name in _bound_names(statement):
                _bind(info, name, "a route constant")
            continue
        raise _fail("module", f"unexpected statement {ast.unparse(statement)[:160]!r}")
    classes = frozenset([e.name for e in info.enums] + [m.name for m in pending_models])
    for node in pending_models:
        info.models.append(_check_model(node, classes, info))


def _check_names_used(spec_part: list[ast.stmt], info: ModuleInfo, kind: str) -> None:
    """Every imported name is used; the part made from the document has no dunder identifier
    at all (its names come from the sanitiser, which never starts a name with "_"), so neither
    `__import__` nor any other dunder is reachable from spec text."""
    loaded = set(_reference(kind).loaded)
    for statement in spec_part:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                loaded.add(node.id)
            for name in _identifiers(node):
                if name.startswith("__"):
                    raise _fail("module", f"dunder {name!r} in the code made from the document")
    for name, what in info.bound.items():
        if what == "an import" and name not in loaded:
            raise _fail("imports", f"{name} is imported but never used")


def _identifiers(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg else []
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    return []


def _import_time_calls(node: ast.AST) -> Iterator[ast.Call]:
    """Calls that run when the module is imported (class bodies included; function and lambda
    bodies excluded, their defaults included)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                yield from _import_time_calls(default)
        return
    if isinstance(node, ast.Call):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _import_time_calls(child)


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _check_calls(statements: list[ast.stmt]) -> None:
    """In the part made from the document, a call is only to the module's own helpers and
    pydantic's configuration, and at import time only `ConfigDict(...)`, `Field(...)`,
    `X.model_rebuild()` and `_Route(...)` run: nothing from the spec is ever called."""
    allowed = METHOD_CALLS | {"ConfigDict", "Field", "model_rebuild", "validate_python"}
    allowed |= {"_Route", "_updates", "model_validate"}
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and _call_name(node) not in allowed:
                raise _fail("module", f"unexpected call {ast.unparse(node)[:160]!r}")
        for call in _import_time_calls(statement):
            if _call_name(call) not in IMPORT_TIME_CALLS:
                raise _fail("module", f"call at import time {ast.unparse(call)[:160]!r}")


def _parse_module(source: str, kind: str) -> tuple[ast.Module, ModuleInfo]:
    tree = check_text(source)
    code = compile(tree, "<generated client>", "exec", dont_inherit=True)
    lines = source.split("\n")
    docstring, imports, rest = _split_module(tree, lines, kind)
    _check_comments(lines, rest)
    info = ModuleInfo(docstring, code)
    _check_imports(imports, HTTP_IMPORTS if kind == "http" else WS_IMPORTS, info)
    for name in _reference(kind).names:
        _bind(info, name, "the fixed runtime")
    _check_spec_part(rest, info, kind)
    _check_calls(rest)
    _check_names_used(rest, info, kind)
    return tree, info


# --- the document side --------------------------------------------------------------------------


def component_kind(schema: Any) -> str:
    """What a component schema becomes (docs/client-generation.md, "Types"):
    "str_enum", "int_enum", "model" or "alias"."""
    if not isinstance(schema, Mapping):
        return "alias"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and "$ref" not in schema:
        if all(isinstance(v, str) for v in enum) and schema.get("type", "string") == "string":
            return "str_enum"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in enum) and schema.get(
            "type", "integer"
        ) in ("integer", "number"):
            return "int_enum"
        return "alias"
    if "$ref" in schema or "anyOf" in schema or "oneOf" in schema:
        return "alias"
    if schema.get("type") == "object" or "properties" in schema:
        only_extra = "properties" not in schema and schema.get("additionalProperties") not in (
            None,
            False,
        )
        return "alias" if only_extra else "model"
    if "allOf" in schema and "type" not in schema:
        return "model"
    return "alias"


def _schemas(spec: Mapping[str, Any]) -> dict[str, Any]:
    components = spec.get("components") or {}
    return dict(components.get("schemas") or {})


def _check_enums_round_trip(spec: Mapping[str, Any], info: ModuleInfo) -> None:
    spec_enums = [
        (key, schema)
        for key, schema in _schemas(spec).items()
        if component_kind(schema) in ("str_enum", "int_enum")
    ]
    if len(spec_enums) != len(info.enums):
        raise _fail("enums", f"{len(spec_enums)} enum schemas but {len(info.enums)} enum classes")
    for (key, schema), enum in zip(spec_enums, info.enums, strict=True):
        where = f"enum {enum.name} (schema {key!r})"
        expected: list[Any] = []
        for value in schema["enum"]:
            if value not in expected:
                expected.append(value)
        actual = list(enum.members.values())
        if not _identical(actual, expected):
            raise _fail(where, f"values {actual!r:.200} != {expected!r:.200}")
        base = "StrEnum" if component_kind(schema) == "str_enum" else "IntEnum"
        if enum.base != base:
            raise _fail(where, f"base {enum.base}, expected {base}")
        _expect_doc(enum.doc, _description(schema), where)


def _right_hand_side(value: ast.expr | None) -> tuple[ast.expr | None, ast.expr | None]:
    """(default, default_factory) of a field's value (`Field(...)` or a plain default)."""
    if isinstance(value, ast.Call):
        arguments = {k.arg: k.value for k in value.keywords}
        return arguments.get("default"), arguments.get("default_factory")
    return value, None


def _default_problem(
    default_node: ast.expr | None,
    factory: ast.expr | None,
    default: Any,
    info: ModuleInfo,
    where: str,
) -> str | None:
    """Why the rendered default does not stand for the JSON `default`, or None."""
    if factory is not None:
        if isinstance(factory, ast.Name):
            empty: Any = [] if factory.id == "list" else {}
            return None if _identical(empty, default) else f"{factory.id}() != {default!r:.80}"
        assert isinstance(factory, ast.Lambda)
        body = factory.body
        literal = body if _is_literal(body) else body.args[0]  # type: ignore[attr-defined]
        got = _literal(literal, where)
        return None if _identical(got, default) else f"{got!r:.80} != {default!r:.80}"
    if default_node is None:
        return f"no default rendered for {default!r:.80}"
    member = _enum_member(default_node, info)
    if member is not None:
        shown = ast.unparse(default_node)
        return None if _identical(member[0], default) else f"{shown} != {default!r:.80}"
    got = _literal(default_node, where)
    if got is None and (default is None or not _has_literal(default)):
        return None  # null, or a value without a Python literal (NaN): optional instead
    return None if _identical(got, default) else f"{got!r:.80} != {default!r:.80}"


def _is_none(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _field_problem(
    field_info: FieldInfo, schema: Any, required: bool, info: ModuleInfo, where: str
) -> str | None:
    doc = _description(schema)
    expected_doc = doc if doc is not None and doc.split() else None
    if (field_info.doc is None) != (expected_doc is None):
        return "docstring presence"
    if field_info.doc is not None and norm(field_info.doc) != norm(expected_doc or ""):
        return f"docstring {norm(field_info.doc)[:120]!r} != {norm(expected_doc or '')[:120]!r}"
    default_node, factory = _right_hand_side(field_info.value)
    if isinstance(schema, Mapping) and "default" in schema:
        problem = _default_problem(default_node, factory, schema["default"], info, where)
        if problem is not None:
            return problem
    elif required:
        if default_node is not None or factory is not None:
            return "a required field has a default"
    elif not _is_none(default_node) or factory is not None:
        return "an optional field without `= None`"
    if _is_none(default_node):
        annotation = field_info.annotation
        constants = [n.value for n in ast.walk(annotation) if isinstance(n, ast.Constant)]
        if None not in constants and ast.unparse(annotation) != "Any":
            return f"default None but the annotation is {ast.unparse(annotation)}"
    return None


def _model_problem(model: ModelInfo, schema: Mapping[str, Any], info: ModuleInfo) -> str | None:
    properties = schema.get("properties") or {}
    if [f.wire for f in model.fields] != list(properties):
        return "wire names differ"
    doc = _description(schema)
    if (model.doc is None) != (doc is None or not doc.split()):
        return "docstring presence"
    if model.doc is not None and norm(model.doc) != norm(doc or ""):
        return "docstring text"
    required = set(schema.get("required") or ())
    for field_info in model.fields:
        where = f"model {model.name}.{field_info.name}"
        problem = _field_problem(
            field_info, properties[field_info.wire], field_info.wire in required, info, where
        )
        if problem is not None:
            return f"field {field_info.name}: {problem}"
    return None


def _check_models_round_trip(spec: Mapping[str, Any], info: ModuleInfo) -> None:
    """Each model class stands for its own object schema: its fields' wire names are the
    properties in order, its docstrings the descriptions, its defaults the defaults. Models are
    in dependency order, so classes are matched to schemas they fit, one to one. (`allOf`
    schemas are flattened by the renderer: a document with them is only counted.)"""
    spec_models = [s for s in _schemas(spec).values() if component_kind(s) == "model"]
    if len(spec_models) != len(info.models):
        raise _fail("models", f"{len(spec_models)} object schemas, {len(info.models)} models")
    if any("allOf" in schema for schema in spec_models):
        return
    fits: list[list[int]] = []
    for model in info.models:
        problems = [_model_problem(model, schema, info) for schema in spec_models]
        fits.append([number for number, problem in enumerate(problems) if problem is None])
        if not fits[-1]:
            raise _fail(f"model {model.name}", f"matches no schema: {problems}")
    if not _one_to_one(fits, len(spec_models)):
        raise _fail("models", "two classes stand for one schema and none for another")


def _one_to_one(fits: list[list[int]], count: int) -> bool:
    """Whether each row can take a different column among its `fits` (augmenting paths)."""
    owner: list[int | None] = [None] * count

    def take(row: int, seen: set[int]) -> bool:
        for column in fits[row]:
            if column not in seen:
                seen.add(column)
                holder = owner[column]
                if holder is None or take(holder, seen):
                    owner[column] = row
                    return True
        return False

    return all(take(row, set()) for row in range(len(fits)))


def _server_prefix(spec: Mapping[str, Any]) -> str:
    servers = spec.get("servers") or []
    if not servers:
        return ""
    url = servers[0]["url"]
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable["default"]))
    return str(urlsplit(url).path).rstrip("/")


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any], Any]]:
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method], item.get("parameters")


def _is_json(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def _pick_media(content: Mapping[str, Any]) -> str:
    for media_type in content:
        if _is_json(media_type):
            return media_type
    for media_type in content:
        if media_type.split(";", 1)[0].strip().lower() == FORM:
            return media_type
    return next(iter(content))


@dataclass
class _Method:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    positional: list[str]
    keyword_only: dict[str, ast.expr]  # name -> default
    request: ast.Call


def _check_method(node: ast.stmt, info: ModuleInfo, aio: bool, reserved: frozenset[str]) -> _Method:
    wanted = ast.AsyncFunctionDef if aio else ast.FunctionDef
    if not isinstance(node, wanted) or node.decorator_list:
        raise _fail("client", f"unexpected statement {ast.unparse(node)[:120]!r}")
    where = f"method {node.name}"
    if not _is_identifier(node.name) or node.name.startswith("_") or node.name in reserved:
        raise _fail(where, "not a valid public, unreserved identifier")
    arguments = node.args
    if arguments.posonlyargs or arguments.vararg or arguments.kwarg:
        raise _fail(where, "unexpected kind of parameter")
    positional = [a.arg for a in arguments.args]
    if positional[:1] != ["self"] or arguments.defaults:
        raise _fail(where, "expected (self, required..., *, optional=...)")
    keyword_only: dict[str, ast.expr] = {}
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if default is None or not (_is_literal(default) or _enum_member(default, info)):
            shown = None if default is None else ast.unparse(default)
            raise _fail(where, f"default of {argument.arg} is {shown}")
        keyword_only[argument.arg] = default
    parameters = positional[1:] + list(keyword_only)
    for name in parameters:
        if not _is_identifier(name) or name.startswith("_") or name in METHOD_LOCALS:
            raise _fail(where, f"parameter {name!r} is not a valid public identifier")
        if name in ANNOTATION_NAMES or name in info.classes:
            raise _fail(where, f"parameter {name!r} shadows a name the method uses")
    for argument in [*arguments.args[1:], *arguments.kwonlyargs]:
        if argument.annotation is None:
            raise _fail(where, f"parameter {argument.arg} has no annotation")
        _check_type(argument.annotation, info.classes, where)
    if node.returns is None:
        raise _fail(where, "no return annotation")
    _check_type(node.returns, info.classes, where)
    _, body = _docstring(node.body)
    allowed_names = set(parameters) | METHOD_LOCALS | ANNOTATION_NAMES | info.classes
    requests: list[ast.Call] = []
    for statement in body:
        if not isinstance(statement, ast.Expr | ast.Assign | ast.AnnAssign | ast.Return):
            raise _fail(where, f"unexpected statement {ast.unparse(statement)[:120]!r}")
        for child in ast.walk(statement):
            if isinstance(child, ast.Name) and child.id not in allowed_names:
                raise _fail(where, f"unexpected name {child.id!r}")
            if isinstance(child, ast.Await) and not aio:
                raise _fail(where, "await in a sync method")
            if isinstance(child, ast.Call):
                callee = _call_name(child)
                if callee not in METHOD_CALLS:
                    raise _fail(where, f"unexpected call {ast.unparse(child)[:120]!r}")
                if callee == "_request":
                    requests.append(child)
            if isinstance(child, ast.Lambda | ast.FunctionDef | ast.ClassDef):
                raise _fail(where, "a nested definition")
    if len(requests) != 1:
        raise _fail(where, f"{len(requests)} requests")
    return _Method(node, positional[1:], keyword_only, requests[0])


def _dict_pairs(node: ast.expr, where: str) -> list[tuple[str, str]]:
    if not isinstance(node, ast.Dict):
        raise _fail(where, f"expected a dict, found {ast.unparse(node)[:80]!r}")
    pairs = []
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None or not isinstance(value, ast.Name):
            raise _fail(where, f"unexpected entry in {ast.unparse(node)[:80]!r}")
        pairs.append((_string(key, where), value.id))
    return pairs


def _path_pieces(node: ast.expr, where: str) -> list[str | ast.Name]:
    """`"/a/" + _path_value(x) + "/b"` -> ["/a/", Name(x), "/b"]."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _path_pieces(node.left, where) + _path_pieces(node.right, where)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_path_value"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and not node.keywords
    ):
        return [node.args[0]]
    return [_string(node, where)]


def _declared_parameters(
    operation: Mapping[str, Any], shared: Any
) -> dict[tuple[str, str], Mapping[str, Any]] | None:
    declared: dict[tuple[str, str], Mapping[str, Any]] = {}
    for source in (shared, operation.get("parameters")):
        for parameter in source or []:
            if "$ref" in parameter:
                return None  # resolved by the renderer; not generated by the strategies
            declared[(parameter["in"], parameter["name"])] = parameter
    return declared


def _check_operation(
    method: _Method,
    path: str,
    http_method: str,
    operation: Mapping[str, Any],
    shared: Any,
    prefix: str,
    info: ModuleInfo,
) -> None:
    where = f"method {method.node.name} ({http_method.upper()} {path!r:.80})"
    summary = operation.get("summary") or ""
    description = operation.get("description") or ""
    parts = [text.strip() for text in (summary, description) if text.strip()]
    if operation.get("deprecated") is True:
        parts.append("Deprecated.")
    parts.append(f"`{http_method.upper()} {prefix}{path}`")
    doc, _ = _docstring(method.node.body)
    _expect_doc(doc, "\n\n".join(parts), where)
    request = method.request
    if len(request.args) != 2:
        raise _fail(where, "self._request takes the method and the path")
    if _string(request.args[0], where) != http_method.upper():
        raise _fail(where, f"HTTP method {ast.unparse(request.args[0])}")
    declared = _declared_parameters(operation, shared)
    if declared is None:
        return
    path_wires = [wire for (location, wire) in declared if location == "path"]
    query_wires = [wire for (location, wire) in declared if location == "query"]
    header_wires = [
        wire
        for (location, wire) in declared
        if location == "header" and wire.lower() not in IGNORED_HEADERS
    ]
    python_of: dict[tuple[str, str], str] = {}
    path_params = method.positional[: len(path_wires)]
    if len(path_params) != len(path_wires):
        raise _fail(where, f"path parameters {path_params} for {path_wires}")
    for wire, name in zip(path_wires, path_params, strict=True):
        python_of[("path", wire)] = name
    keywords = {k.arg: k.value for k in request.keywords}
    for location, key, wires in (
        ("query", "params", query_wires),
        ("header", "headers", header_wires),
    ):
        pairs = _dict_pairs(keywords[key], where) if key in keywords else []
        if [wire for wire, _ in pairs] != wires:
            raise _fail(where, f"{location} wire names {[w for w, _ in pairs]!r} != {wires!r}")
        for wire, name in pairs:
            python_of[(location, wire)] = name
    rebuilt = ""
    for piece in _path_pieces(request.args[1], where):
        if isinstance(piece, str):
            rebuilt += piece
            continue
        wires_of = [
            wire for (loc, wire), name in python_of.items() if loc == "path" and name == piece.id
        ]
        if len(wires_of) != 1:
            raise _fail(where, f"path value {piece.id} is not a path parameter")
        rebuilt += "{" + wires_of[0] + "}"
    if rebuilt != prefix + path:
        raise _fail(where, f"path {rebuilt!r} != {prefix + path!r}")
    body_names: list[str] = []
    body = operation.get("requestBody")
    content = body.get("content") if isinstance(body, Mapping) else None
    body_keys = {"json", "data", "content"} & set(keywords)
    if content:
        if len(body_keys) != 1:
            raise _fail(where, f"body sent as {sorted(body_keys)}")
        media_type = _pick_media(content)
        sent = _string(keywords["content_type"], where)
        if sent != media_type:
            raise _fail(where, f"content type {sent!r} != {media_type!r}")
        body_value = keywords[body_keys.pop()]
        body_names = sorted(_names_in(body_value) - METHOD_LOCALS - ANNOTATION_NAMES - info.classes)
        if len(body_names) != 1:
            raise _fail(where, f"body value uses {body_names}")
    elif body_keys or "content_type" in keywords:
        raise _fail(where, "a body the document does not declare")
    all_parameters = method.positional + list(method.keyword_only)
    used = list(python_of.values()) + body_names
    if sorted(used) != sorted(all_parameters):
        raise _fail(where, f"parameters {all_parameters} but the request uses {used}")
    for (location, wire), name in python_of.items():
        parameter = declared[(location, wire)]
        required = location == "path" or parameter.get("required") is True
        if required != (name in method.positional):
            raise _fail(where, f"{name} ({location} {wire!r:.40}) required={required}")
        schema = parameter.get("schema")
        default_node = method.keyword_only.get(name)
        if default_node is None:
            continue
        member = _enum_member(default_node, info)
        rendered = member[0] if member is not None else _literal(default_node, where)
        if rendered is None:
            continue  # left to the server
        default = schema.get("default") if isinstance(schema, Mapping) else None
        if not _identical(rendered, default):
            raise _fail(where, f"default of {name}: {rendered!r:.80} != {default!r:.80}")


def _check_no_shadowing_methods(client: ast.ClassDef, names: list[str]) -> None:
    """A method must not be named like a name the class's annotations use: mypy resolves
    annotations in the class namespace first (`def bytes(...)`, then `-> bytes`)."""
    annotation_names: set[str] = set()
    for node in client.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for argument in [*arguments.args, *arguments.kwonlyargs]:
                if argument.annotation is not None:
                    annotation_names |= _names_in(argument.annotation)
            if node.returns is not None:
                annotation_names |= _names_in(node.returns)
    shadowing = annotation_names & set(names)
    if shadowing:
        raise _fail(client.name, f"methods shadow names its annotations use: {sorted(shadowing)}")


def _check_clients(spec: Mapping[str, Any], info: ModuleInfo, client_names: list[str]) -> None:
    if [c.name for c in info.clients] != client_names:
        raise _fail("module", f"client classes {[c.name for c in info.clients]} != {client_names}")
    operations = list(_operations(spec))
    prefix = _server_prefix(spec)
    title, version = spec["info"]["title"], str(spec["info"]["version"])
    method_names: list[list[str]] = []
    for client in info.clients:
        aio = client.name.startswith("Async")
        doc, body = _docstring(client.body)
        for text in (title, version):
            if doc is None or norm(repr(text)) not in norm(doc):
                raise _fail(client.name, f"docstring lacks {text!r:.80}")
        if len(body) != len(operations):
            raise _fail(client.name, f"{len(body)} methods for {len(operations)} operations")
        names = []
        for node, (path, http_method, operation, shared) in zip(body, operations, strict=True):
            method = _check_method(node, info, aio, RESERVED_HTTP_METHODS)
            _check_operation(method, path, http_method, operation, shared, prefix, info)
            names.append(method.node.name)
        if len(set(names)) != len(names):
            raise _fail(client.name, f"duplicate method names {names}")
        _check_no_shadowing_methods(client, names)
        method_names.append(names)
    if method_names[0] != method_names[1]:
        raise _fail("clients", "sync and async methods differ")


def _check_module_docstring(spec: Mapping[str, Any], info: ModuleInfo) -> None:
    for text in (spec["info"]["title"], str(spec["info"]["version"])):
        if norm(repr(text)) not in norm(info.docstring):
            raise _fail("module docstring", f"lacks {text!r:.80}")


def check_http_client(
    spec: Mapping[str, Any], source: str, *, module: str = MODULE, version: int = VERSION
) -> ModuleInfo:
    """All the checks on an HTTP client rendered from `spec` for `module` and `version`."""
    _, info = _parse_module(source, "http")
    _check_module_docstring(spec, info)
    _check_enums_round_trip(spec, info)
    _check_models_round_trip(spec, info)
    client = client_class_name(module, version)
    _check_clients(spec, info, [client, f"Async{client}"])
    return info


# --- WebSocket client ----------------------------------------------------------------------------


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    for _ in range(32):
        if not (isinstance(node, Mapping) and "$ref" in node):
            return node
        target: Any = spec
        for token in node["$ref"][2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    raise AssertionError("reference loop")


def _frame(spec: Mapping[str, Any], message: Any) -> tuple[str, Mapping[str, Any]]:
    """(frame type, frame schema) of a channel message."""
    payload = _resolve(spec, message)["payload"]
    if "schemaFormat" in payload:
        payload = payload["schema"]
    schema = _resolve(spec, payload)
    return schema["properties"]["type"]["const"], schema


def _check_route(
    constant: ast.Assign,
    method_node: ast.stmt,
    channel_id: str,
    channel: Any,
    spec: Mapping[str, Any],
    info: ModuleInfo,
) -> str:
    messages = channel["messages"]
    kinds = ("subscribe", "subscribeResponse", "unsubscribe", "unsubscribeResponse", "update")
    types = [_frame(spec, messages[kind])[0] for kind in kinds]
    target = constant.targets[0]
    where = f"route {channel_id!r:.60}"
    if not (
        len(constant.targets) == 1
        and isinstance(target, ast.Name)
        and _is_identifier(target.id)
        and target.id.startswith("_ROUTE_")
        and isinstance(constant.value, ast.Call)
        and isinstance(constant.value.func, ast.Name)
        and constant.value.func.id == "_Route"
        and not constant.value.keywords
    ):
        raise _fail(where, f"unexpected constant {ast.unparse(constant)[:120]!r}")
    values = [_string(argument, where) for argument in constant.value.args]
    if values != [channel_id, *types]:
        raise _fail(where, f"_Route{tuple(values)!r:.200} != {(channel_id, *types)!r:.200}")
    if not isinstance(method_node, ast.FunctionDef) or method_node.decorator_list:
        raise _fail(where, "the route method is not a plain def")
    name = method_node.name
    if not _is_identifier(name) or name.startswith("_") or name in RESERVED_WS_METHODS:
        raise _fail(where, f"method name {name!r}")
    arguments = method_node.args
    if [a.arg for a in arguments.args] != ["self", "request"] or (
        arguments.kwonlyargs or arguments.vararg or arguments.kwarg or arguments.defaults
    ):
        raise _fail(where, "expected (self, request)")
    request_type = arguments.args[1].annotation
    assert request_type is not None
    _check_type(request_type, info.classes, where)
    returns = method_node.returns
    if not (
        isinstance(returns, ast.Subscript)
        and isinstance(returns.value, ast.Name)
        and returns.value.id == "AsyncGenerator"
        and isinstance(returns.slice, ast.Tuple)
        and len(returns.slice.elts) == 2
    ):
        raise _fail(where, "expected -> AsyncGenerator[T, None]")
    data_type = returns.slice.elts[0]
    _check_type(data_type, info.classes, where)
    doc, body = _docstring(method_node.body)
    if doc is None or norm(repr(channel_id)) not in norm(doc):
        raise _fail(where, "docstring lacks the channel id")
    update = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
    lambda_node = update.args[2] if isinstance(update, ast.Call) and len(update.args) == 3 else None
    if not (
        isinstance(lambda_node, ast.Lambda)
        and isinstance(lambda_node.body, ast.Attribute)
        and isinstance(lambda_node.body.value, ast.Call)
        and isinstance(lambda_node.body.value.func, ast.Attribute)
        and isinstance(lambda_node.body.value.func.value, ast.Name)
    ):
        raise _fail(where, "unexpected method body")
    model_name = lambda_node.body.value.func.value.id
    payload_field = lambda_node.body.attr
    expected = (
        f"return self._updates({target.id}, _adapter({ast.unparse(request_type)})"
        f".dump_python(request, mode='json', by_alias=True), lambda frame: "
        f"{model_name}.model_validate(frame).{payload_field})"
    )
    if _dump(body[0]) != _dump(ast.parse(expected).body[0]):
        raise _fail(where, f"unexpected method body {ast.unparse(body[0])[:160]!r}")
    models = {model.name: model for model in info.models}
    update_model = models.get(model_name)
    fields = {f.name: f for f in update_model.fields} if update_model else {}
    if payload_field not in fields or fields[payload_field].wire != "payload":
        raise _fail(where, f"{model_name}.{payload_field} is not the update's payload")
    if _dump(fields[payload_field].annotation) != _dump(data_type):
        raise _fail(where, "the data type is not the update payload's type")
    type_field = next((f for f in update_model.fields if f.wire == "type"), None)  # type: ignore[union-attr]
    if type_field is None or _dump(type_field.annotation) != _dump(
        ast.parse(f"Literal[{types[4]!r}]", mode="eval").body
    ):
        raise _fail(where, f"{model_name} is not the update frame's model")
    return name


def check_ws_client(
    spec: Mapping[str, Any], source: str, *, module: str = MODULE, version: int = VERSION
) -> ModuleInfo:
    """All the checks on a WebSocket client rendered from `spec` for `module` and `version`."""
    _, info = _parse_module(source, "ws")
    _check_module_docstring(spec, info)
    _check_enums_round_trip(spec, info)
    _check_models_round_trip(spec, info)
    client_name = ws_client_class_name(module, version)
    if [c.name for c in info.clients] != [client_name]:
        raise _fail("module", f"client classes {[c.name for c in info.clients]}")
    client = info.clients[0]
    doc, body = _docstring(client.body)
    channels = list((spec.get("channels") or {}).items())
    if len(info.routes) != len(channels) or len(body) != 3 + len(channels):
        raise _fail("client", f"{len(info.routes)} routes for {len(channels)} channels")
    for text in (spec["info"]["title"], str(spec["info"]["version"])):
        if doc is None or norm(repr(text)) not in norm(doc):
            raise _fail(client.name, f"docstring lacks {text!r:.80}")
    addresses = {channel["address"] for _, channel in channels}
    error_types = {
        _frame(spec, channel["messages"]["error"])[0]
        for _, channel in channels
        if "error" in channel["messages"]
    }
    constants = [
        route.targets[0].id for route in info.routes if isinstance(route.targets[0], ast.Name)
    ]
    expected_head = (
        f"_PATH = {next(iter(addresses), '')!r}\n"
        f"_ROUTES = ({''.join(name + ', ' for name in constants)})\n"
        f"_ERROR_TYPE = {next(iter(error_types), 'error')!r}\n"
    )
    if [_dump(s) for s in body[:3]] != [_dump(s) for s in ast.parse(expected_head).body]:
        raise _fail(client.name, f"unexpected class attributes {ast.unparse(body[:3][0])!r:.200}")
    if len(set(constants)) != len(constants):
        raise _fail("routes", f"duplicate route constants {constants}")
    names = [
        _check_route(constant, node, channel_id, channel, spec, info)
        for constant, node, (channel_id, channel) in zip(
            info.routes, body[3:], channels, strict=True
        )
    ]
    if len(set(names)) != len(names):
        raise _fail(client.name, f"duplicate method names {names}")
    _check_no_shadowing_methods(client, names)
    return info


# --- importing the module ------------------------------------------------------------------------


def exec_client(info: ModuleInfo) -> ModuleType:
    """Import the checked module for real, check its models and enums, and forget it."""
    name = f"_fuzzed_client_{uuid.uuid4().hex}"
    module = ModuleType(name)
    sys.modules[name] = module
    try:
        exec(info.code, module.__dict__)
        for model_info in info.models:
            model = getattr(module, model_info.name)
            if not model.__pydantic_complete__:
                raise _fail(f"model {model_info.name}", "not complete after import")
            for field_info in model_info.fields:
                pydantic_field = model.model_fields[field_info.name]
                alias = pydantic_field.serialization_alias
                wire = field_info.name if alias is None else alias
                if wire != field_info.wire or pydantic_field.validation_alias != alias:
                    raise _fail(f"model {model_info.name}", f"field {field_info.name} aliases")
        for enum_info in info.enums:
            enum = getattr(module, enum_info.name)
            if {m.name: m.value for m in enum} != enum_info.members:
                raise _fail(f"enum {enum_info.name}", "members differ after import")
        return module
    finally:
        del sys.modules[name]
