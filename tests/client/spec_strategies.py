"""Hypothesis strategies: hostile OpenAPI 3.1 and AsyncAPI 3.0 documents.

The documents have the shape the project's exporters write (FastAPI's `app.openapi()`,
`apigen.producers.asyncapi_spec`): component schemas that are objects, string and integer enums
and arrays, nested `$ref`s, nullable values as `anyOf [.., {"type": "null"}]`, defaults,
examples, titles and descriptions; paths with path, query, header and cookie parameters, JSON,
form and raw bodies and operationIds; AsyncAPI channels whose messages refer to frame schemas
with a `const` type around a `payload`. Every name and every free text in them is drawn from
hostile alphabets: quotes, triple quotes, backslashes, line breaks of every kind, NUL and other
controls, code (`__import__('os').system(...)`, `\"\"\"; import os; \"\"\"`), Jinja syntax, unicode
look-alikes that NFKC/NFKD fold onto ASCII, Python keywords, soft keywords and builtins, the
generated module's own names, dunders, leading digits, empty strings, and families of names that
differ only in case, punctuation or compatibility characters, so that they collide once
sanitised.

Used by tests/client/test_injection_fuzz.py, tests/ws_client/test_injection_fuzz.py and
benchmarks/fuzz_clients.py; the checks are in tests/client/injection_checks.py.
"""

from __future__ import annotations

import copy
import keyword
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

# The module and version the fuzzed documents are rendered for (they name the client classes,
# which are in NAMES below so that schemas try to take them).
MODULE = "fuzz"
VERSION = 1

INJECTIONS = [
    "__import__('os').system('x')",
    '__import__("os").system("x")',
    '"""; import os; os.system("x"); """',
    "'''; import os; os.system('x'); '''",
    "\"; __import__('os').system('x'); \"",
    "'); __import__('os').system('x'); ('",
    ")\nimport os\nos.system('x')\n(",
    "\n    def injected(self): pass\n",
    "\nclass Injected: pass\n",
    "lambda: __import__('os')",
    "{{ module }}",
    "{{ 7*7 }}",
    "{% for x in y %}{% endfor %}",
    "{%- raw -%}",
    "{# comment #}",
    "}}{{",
    "%s %(x)s {0} {x!r}",
    "# type: ignore",
    "# noqa",
    "\\",
    "\\\\",
    "\\n",
    "\\x00",
    "\\N{BULLET}",
    "\\u2028",
    '"',
    "'",
    '"""',
    "'''",
    '""""',
    '\\"""',
    "`",
    "\\\n",
]
# Line breaks (every kind the tokenizer or an editor may honour), controls, format characters,
# private use, exotic spaces. (Lone surrogates are not text: a document holding one is refused,
# see SURROGATES.)
CONTROLS = [
    "\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x00",
    "\x07",
    "\x1b",
    "\x1c",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\t",
    "\xa0",
    "\u3000",
    "\u200b",
    "\u200e",
    "\u202e",
    "\ufeff",
    "\ue000",
    "\U0010ffff",
]
# JSON's "\ud800" escapes give strings no UTF-8 file can hold; the renderers refuse them.
SURROGATES = ["\ud800", "\udfff", "a\udc00b"]
# Characters that NFKC (Python's identifier normalisation) or NFKD folds onto ASCII letters, and
# other non-ASCII text.
LOOK_ALIKES = [
    "\ufb01",  # LATIN SMALL LIGATURE FI
    "\ufb02",  # fl
    "\u017f",  # LATIN SMALL LETTER LONG S (NFKC: s)
    "\u212a",  # KELVIN SIGN (NFKC: K)
    "\u2126",  # OHM SIGN
    "\uff21",  # FULLWIDTH A
    "\uff46\uff49\uff45\uff4c\uff44",  # fullwidth "field"
    "\U0001d41f\U0001d422\U0001d41e\U0001d425\U0001d41d",  # mathematical bold "field"
    "\u0131",  # dotless i
    "\u0130",  # I with dot above
    "\u00b5",  # micro sign
    "\u00aa",
    "\u01c5",  # Dz digraph
    "e\u0301",  # e + combining acute
    "\u00e9",
    "\u2170",  # small roman numeral one
    "\u2460",  # circled one
    "\u00b2",
    "\u0663",  # Arabic-Indic digit three
    "\u65e5\u672c",
    "\u0430",  # Cyrillic a
]

# Names the generated modules define, import or use (HTTP and WebSocket clients), plus Python's
# keywords, soft keywords and the builtins the modules rely on.
CLIENT_NAMES = [
    "json",
    "httpx",
    "pydantic",
    "websockets",
    "asyncio",
    "logging",
    "contextlib",
    "deque",
    "connect",
    "self",
    "cls",
    "Any",
    "Self",
    "Literal",
    "Field",
    "BaseModel",
    "ConfigDict",
    "TypeAdapter",
    "Enum",
    "StrEnum",
    "IntEnum",
    "Mapping",
    "TracebackType",
    "AsyncGenerator",
    "Callable",
    "ClassVar",
    "NamedTuple",
    "TypeVar",
    "ClientConnection",
    "ConnectionClosed",
    "WebSocketException",
    "quote",
    "_quote",
    "urlsplit",
    "_adapter",
    "_ADAPTERS",
    "_wire_value",
    "_path_value",
    "_dt",
    "datetime",
    "_uuid",
    "uuid",
    "_request",
    "_response",
    "_parsed",
    "_updates",
    "_Route",
    "_ROUTE_X",
    "_ROUTES",
    "_PATH",
    "_ERROR_TYPE",
    "_T",
    "_LOG",
    "params",
    "headers",
    "content",
    "content_type",
    "data",
    "body",
    "close",
    "aclose",
    "url",
    "request",
    "frame",
    "payload",
    "topic",
    "type",
    "ApiError",
    "ApiValidationError",
    "ApiValidationIssue",
    "WsError",
    "WsConnectionError",
    "WsSubscriptionError",
    "_SyncClient",
    "_AsyncClient",
    "_WsClient",
    "FuzzV1Client",
    "AsyncFuzzV1Client",
    "FuzzV1WsClient",
    "model_config",
    "model_dump",
    "model_fields",
    "model_rebuild",
    "schema",
    "validate",
    "copy",
    "dict",
    "__init__",
    "__class__",
    "__dict__",
    "__slots__",
    "__import__",
    "__annotations__",
    "_missing_",
    "_value_",
    "mro",
    "name",
    "value",
    "HTTPValidationError",
    "ValidationError",
]
BUILTIN_NAMES = [
    "list",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "object",
    "set",
    "tuple",
    "id",
    "print",
    "super",
    "isinstance",
    "map",
    "eval",
    "exec",
    "open",
    "getattr",
    "Exception",
    "BaseException",
    "ValueError",
    "TypeError",
    "TimeoutError",
    "OSError",
    "KeyError",
    "NotImplemented",
    "Ellipsis",
]
NAMES = sorted({*keyword.kwlist, *keyword.softkwlist, *CLIENT_NAMES, *BUILTIN_NAMES})

# Bases for families of names that collide once sanitised (see TRANSFORMS).
BASES = [
    "field",
    "fi",
    "class",
    "type",
    "json",
    "self",
    "item",
    "order_id",
    "x",
    "a_b",
    "model_config",
    "close",
    "none",
    "value",
    "request",
    "body",
    "payload",
    "status",
    "ApiError",
    "Side",
]


def _camel(text: str) -> str:
    head, *rest = text.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c in string.ascii_letters else c for c in text)


def _bold(text: str) -> str:
    def one(c: str) -> str:
        if c in string.ascii_uppercase:
            return chr(0x1D400 + ord(c) - ord("A"))
        if c in string.ascii_lowercase:
            return chr(0x1D41A + ord(c) - ord("a"))
        return c

    return "".join(one(c) for c in text)


TRANSFORMS: list[Callable[[str], str]] = [
    lambda s: s,
    str.upper,
    str.lower,
    str.title,
    str.swapcase,
    _camel,
    lambda s: s.replace("_", "-"),
    lambda s: s.replace("_", " "),
    lambda s: s.replace("_", "."),
    lambda s: s + "_",
    lambda s: "_" + s,
    lambda s: "__" + s + "__",
    lambda s: s + "-",
    lambda s: s + "_2",
    lambda s: s + "2",
    lambda s: "1" + s,
    lambda s: " " + s + "\n",
    lambda s: s.replace("fi", "\ufb01"),
    lambda s: s.replace("s", "\u017f"),
    lambda s: s.replace("K", "\u212a").replace("k", "\u212a"),
    _fullwidth,
    _bold,
    lambda s: s + "\u200b",
    lambda s: s.replace("e", "e\u0301"),
]


def _random_texts(seed: int, count: int) -> list[str]:
    """Short strings of arbitrary code points (no surrogates), the same for the same seed: ASCII
    with controls, the BMP, and the astral planes (unassigned and private-use included)."""
    rng = random.Random(seed)
    ranges = [(0, 0x7F), (0x80, 0xD7FF), (0xE000, 0xFFFF), (0x10000, 0x10FFFF)]
    texts = []
    for _ in range(count):
        low, high = ranges[rng.choice([0, 0, 1, 2, 3])]
        texts.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 3))))
    return texts


# Hypothesis spends ~0.1 ms per draw, so a text or a name is one draw from a pool made here,
# the same on every run: the pieces above, alone and joined by two or three, and long texts
# (repeated, with line breaks) that docstrings wrap. Simple entries come first: hypothesis
# shrinks towards them. RICH adds hypothesis' own text strategy (benchmarks/fuzz_clients.py).
PIECES = list(
    dict.fromkeys(
        ["", "a", "x y", *INJECTIONS, *CONTROLS, *LOOK_ALIKES, *NAMES, *_random_texts(0, 400)]
    )
)
_FAMILY_BASES = BASES + NAMES


def _pools(seed: int) -> tuple[list[str], list[str], list[str]]:
    """(short texts, texts, names)."""
    rng = random.Random(seed)
    joined = ["".join(rng.sample(PIECES, rng.randint(2, 3))) for _ in range(2000)]
    short = list(dict.fromkeys([*PIECES, *joined]))
    long = [
        rng.choice([" ", "\n", "\n\n", " \t"]).join([rng.choice(short)] * rng.randint(10, 40))
        for _ in range(300)
    ]
    names = list(
        dict.fromkeys(
            [
                *NAMES,
                # every base and name in each of its colliding variants
                *(transform(base) for base in _FAMILY_BASES for transform in TRANSFORMS),
                *short,
            ]
        )
    )
    return short, [*short, *long], names


SHORT_TEXTS, TEXTS, NAME_POOL = _pools(0)
_BOOL = st.booleans()


# Pools are drawn by index through named functions: hypothesis would print a whole list in the
# repr of sampled_from or of a bound method.
def _short_text(index: int) -> str:
    return SHORT_TEXTS[index]


def _text(index: int) -> str:
    return TEXTS[index]


def _pooled_name(index: int) -> str:
    return NAME_POOL[index]


def _family(base_index: int, transforms: list[int]) -> list[str]:
    return [TRANSFORMS[index](_FAMILY_BASES[base_index]) for index in transforms]


def _join(parts: list[str]) -> str:
    return "".join(parts)


def _pool(pool: list[str], function: Any) -> st.SearchStrategy[str]:
    return st.integers(0, len(pool) - 1).map(function)


@dataclass(frozen=True)
class Alphabet:
    """The strategies for names, texts and JSON values a document is drawn from.

    Every strategy is built once: building strategies while drawing costs hypothesis more than
    the drawing itself. The document builders below are plain functions taking `draw`.
    """

    short_text: st.SearchStrategy[str]  # versions, enum values, path text, default strings
    text: st.SearchStrategy[str]  # titles, descriptions, summaries (may be long)
    name: st.SearchStrategy[str]  # schema keys, properties, parameters, operationIds, channels
    families: st.SearchStrategy[list[str]]  # 1-3 variants of one base name
    json_values: st.SearchStrategy[Any]
    json_scalars: st.SearchStrategy[Any]
    label: str

    def __repr__(self) -> str:
        return self.label  # kept short: hypothesis prints it in reprs of document strategies

    @staticmethod
    def build(label: str, extra: st.SearchStrategy[str] | None = None) -> Alphabet:
        short_text = _pool(SHORT_TEXTS, _short_text)
        text = _pool(TEXTS, _text)
        name = _pool(NAME_POOL, _pooled_name)
        if extra is not None:
            mixed = st.lists(st.one_of(short_text, extra), min_size=1, max_size=3).map(_join)
            short_text = st.one_of(short_text, mixed)
            text = st.one_of(text, mixed)
            name = st.one_of(name, mixed)
        families = st.builds(
            _family,
            st.integers(0, len(_FAMILY_BASES) - 1),
            st.lists(st.integers(0, len(TRANSFORMS) - 1), min_size=1, max_size=3, unique=True),
        )
        json_scalars = st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.sampled_from([0, -1, 1, 2**63, -(2**70)]),
            st.floats(allow_nan=False, allow_infinity=False),
            short_text,
        )
        # Containers one level deep: st.recursive costs ten times more to draw.
        json_values = st.one_of(
            json_scalars,
            st.lists(json_scalars, max_size=3),
            st.dictionaries(short_text, json_scalars, max_size=2),
        )
        return Alphabet(short_text, text, name, families, json_values, json_scalars, label)

    def names(self, draw: st.DrawFn, max_size: int) -> list[str]:
        """Up to `max_size` distinct names, often a family that collides once sanitised."""
        found = draw(self.families) if draw(_BOOL) else []
        found += [draw(self.name) for _ in range(draw(st.integers(0, max_size)))]
        return list(dict.fromkeys(found))[:max_size]


FAST = Alphabet.build("FAST")
"""The alphabet of the CI tests: hostile pools only."""
RICH = Alphabet.build("RICH", st.text(max_size=8))
"""Also hypothesis' own text strategy (every code point but surrogates): slower to draw."""


def _pick(draw: st.DrawFn, items: list[Any]) -> Any:
    return items[draw(st.integers(0, len(items) - 1))]


def _chance(draw: st.DrawFn, one_in: int) -> bool:
    """True once in `one_in` draws (False when shrunk)."""
    return draw(st.integers(0, one_in - 1)) == one_in - 1


def _flags(draw: st.DrawFn, count: int) -> list[bool]:
    """`count` coin flips in one draw (all False when shrunk)."""
    bits = draw(st.integers(0, 2**count - 1))
    return [bool(bits >> position & 1) for position in range(count)]


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def schema_ref(key: str) -> dict[str, str]:
    """A `$ref` to a component schema, its key escaped as a JSON pointer token."""
    return {"$ref": "#/components/schemas/" + _pointer_token(key)}


class _Components:
    """What a document's component schemas are, for drawing references and fitting defaults."""

    def __init__(self, kinds: dict[str, str], enum_values: dict[str, list[Any]]) -> None:
        self.kinds = kinds
        self.enum_values = enum_values

    def of_kind(self, *kinds: str) -> list[str]:
        return [key for key, kind in self.kinds.items() if kind in kinds]


COMPONENT_KINDS = ["object", "object", "string_enum", "int_enum", "array"]
STRING_FORMATS = [None, "date-time", "date", "time", "duration", "uuid", "email", "binary"]
_VALUE_KINDS = ["string", "integer", "number", "boolean", "array", "dict", "const", "inline_enum"]
_VALUE_KINDS += ["any", "date_time"]
_INTS = st.one_of(st.integers(-3, 3), st.integers())
_FLOATS = st.one_of(st.floats(), st.integers(-10, 10))
_DATE_DEFAULTS = ["2024-01-02T03:04:05Z", "not a date", ""]


def _annotate(draw: st.DrawFn, a: Alphabet, schema: dict[str, Any], flags: int) -> dict[str, Any]:
    """Title, description and examples, as FastAPI writes them (often); `flags` says which."""
    if flags & 1:
        schema["title"] = draw(a.short_text)
    if flags & 2:
        schema["description"] = draw(a.text)
        if flags & 4:
            schema["examples"] = [draw(a.json_values)]
    return schema


def _value_schema(draw: st.DrawFn, a: Alphabet, components: _Components) -> dict[str, Any]:
    """A property, parameter or payload schema, sometimes with a default."""
    models = components.of_kind("object", "array")
    enums = components.of_kind("string_enum", "int_enum")
    choices = list(_VALUE_KINDS)
    if models:
        choices += ["ref", "nullable_ref", "ref_array"]
    if enums:
        choices += ["enum_ref", "enum_ref", "nullable_enum"]
    # One draw for the kind, the default's kind and the annotations (0: a plain string).
    code = draw(st.integers(0, len(choices) * 6 * 8 - 1))
    kind = choices[code % len(choices)]
    which = code // len(choices) % 6  # 0-2 no default, 3 null, 4 a fitting one, 5 any value
    annotations = code // len(choices) // 6
    schema: dict[str, Any]
    fitting: Any = None  # a default of the schema's type (or a near miss)
    wants = which == 4
    if kind == "string":
        schema = {"type": "string"}
        fmt = _pick(draw, STRING_FORMATS)
        if fmt is not None:
            schema["format"] = fmt
        fitting = draw(a.short_text) if wants else None
    elif kind == "date_time":
        schema = {"type": "string", "format": "date-time"}
        fitting = _pick(draw, _DATE_DEFAULTS) if wants else None
    elif kind in ("integer", "number", "boolean"):
        schema = {"type": kind}
        value = {"integer": _INTS, "number": _FLOATS, "boolean": _BOOL}[kind]
        fitting = draw(value) if wants else None
    elif kind == "array":
        schema = {"type": "array", "items": {"type": "string"}}
        fitting = [draw(a.short_text)] if wants else None
    elif kind == "dict":
        schema = {"type": "object", "additionalProperties": {"type": "string"}}
        fitting = {draw(a.short_text): draw(a.short_text)} if wants else None
    elif kind == "const":
        value = draw(a.json_scalars)
        schema, fitting = {"const": value}, value
    elif kind == "inline_enum":
        values = [draw(a.json_scalars) for _ in range(draw(st.integers(1, 3)))]
        schema, fitting = {"enum": values}, values[-1]
    elif kind == "any":
        schema = {}
    elif kind in ("ref", "nullable_ref", "ref_array"):
        target = schema_ref(_pick(draw, models))
        if kind == "ref":
            schema = target
        elif kind == "nullable_ref":
            schema = {"anyOf": [target, {"type": "null"}]}
        else:
            schema = {"type": "array", "items": target}
        fitting = []
    else:  # enum_ref, nullable_enum
        key = _pick(draw, enums)
        target = schema_ref(key)
        schema = target if kind == "enum_ref" else {"anyOf": [target, {"type": "null"}]}
        fitting = _pick(draw, components.enum_values[key]) if wants else None
    schema = dict(schema)
    if which >= 3:
        schema["default"] = draw(a.json_values) if which == 5 else fitting
    return _annotate(draw, a, schema, annotations)


def _component(
    draw: st.DrawFn, a: Alphabet, kind: str, key: str, components: _Components
) -> dict[str, Any]:
    if kind == "string_enum":
        schema: dict[str, Any] = {"enum": components.enum_values[key]}
        if draw(_BOOL):
            schema["type"] = "string"
    elif kind == "int_enum":
        schema = {"type": "integer", "enum": components.enum_values[key]}
    elif kind == "array":
        schema = {"type": "array", "items": _value_schema(draw, a, components)}
    else:
        properties = a.names(draw, 4)
        schema = {
            "type": "object",
            "properties": {name: _value_schema(draw, a, components) for name in properties},
        }
        required = [name for name, flag in zip(properties, _flags(draw, 4), strict=False) if flag]
        if required:
            schema["required"] = required
        if _chance(draw, 4):
            schema["additionalProperties"] = False
    schema["title"] = key
    return _annotate(draw, a, schema, draw(st.integers(0, 7)) & 6)


def _component_schemas(draw: st.DrawFn, a: Alphabet, max_schemas: int) -> dict[str, Any]:
    """`components.schemas`: objects, string and integer enums, arrays; keys hostile."""
    keys = a.names(draw, max_schemas)
    kinds = {key: _pick(draw, COMPONENT_KINDS) for key in keys}
    enum_values: dict[str, list[Any]] = {}
    for key, kind in kinds.items():
        count = draw(st.integers(1, 4))
        if kind == "string_enum":
            enum_values[key] = [draw(a.name) for _ in range(count)]
        elif kind == "int_enum":
            enum_values[key] = [draw(_INTS) for _ in range(count)]
    components = _Components(kinds, enum_values)
    return {key: _component(draw, a, kind, key, components) for key, kind in kinds.items()}


def _components_of(schemas: dict[str, Any]) -> _Components:
    kinds: dict[str, str] = {}
    enum_values: dict[str, list[Any]] = {}
    for key, schema in schemas.items():
        if "enum" in schema:
            kinds[key] = "string_enum" if schema.get("type") != "integer" else "int_enum"
            enum_values[key] = schema["enum"]
        else:
            kinds[key] = "object" if schema.get("type") == "object" else "array"
    return _Components(kinds, enum_values)


def _no_braces(text: str) -> str:
    """Literal path text: no `{`/`}` (a template must name a declared parameter)."""
    return text.replace("{", "").replace("}", "")


IGNORED_HEADERS = ["Accept", "content-type", "Authorization"]
BODY_MEDIA_TYPES = [
    "application/json",
    "application/json",
    "application/merge-patch+json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/octet-stream",
]
RESPONSE_MEDIA_TYPES = ["application/json", "application/json", "text/plain", "image/png"]
STATUSES = ["200", "201", "204", "2XX", "default"]
HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
_METHOD_LISTS = {
    size: st.lists(st.sampled_from(HTTP_METHODS), min_size=1, max_size=size, unique=True)
    for size in (1, 2)
}


def _parameter(
    draw: st.DrawFn, a: Alphabet, name: str, location: str, components: _Components
) -> dict[str, Any]:
    required, described = _flags(draw, 2)
    parameter: dict[str, Any] = {"name": name, "in": location}
    if location == "path" or required:
        parameter["required"] = True
    parameter["schema"] = _value_schema(draw, a, components)
    if described:
        parameter["description"] = draw(a.text)
    return parameter


def _request_body(draw: st.DrawFn, a: Alphabet, components: _Components) -> dict[str, Any]:
    media_type = _pick(draw, BODY_MEDIA_TYPES)
    schema = _value_schema(draw, a, components)
    body: dict[str, Any] = {"content": {media_type: {"schema": schema}}}
    required, described = _flags(draw, 2)
    if required:
        body["required"] = True
    if described:
        body["description"] = draw(a.text)
    return body


def _responses(draw: st.DrawFn, a: Alphabet, components: _Components) -> dict[str, Any]:
    status = _pick(draw, STATUSES)
    response: dict[str, Any] = {"description": draw(a.short_text)}
    if status != "204":
        media_type = _pick(draw, RESPONSE_MEDIA_TYPES)
        response["content"] = {media_type: {"schema": _value_schema(draw, a, components)}}
    responses = {status: response}
    if draw(_BOOL):
        responses["422"] = {
            "description": "Validation Error",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    return responses


def _operation(
    draw: st.DrawFn, a: Alphabet, components: _Components, path_parameters: list[Any]
) -> dict[str, Any]:
    anonymous, summary, description, deprecated, tagged, body = _flags(draw, 6)
    operation: dict[str, Any] = {}
    if not (anonymous and _chance(draw, 2)):
        operation["operationId"] = draw(a.name)
    if summary:
        operation["summary"] = draw(a.text)
    if description:
        operation["description"] = draw(a.text)
    if deprecated:
        operation["deprecated"] = True
    if tagged:
        operation["tags"] = [draw(a.short_text)]
    parameters = list(path_parameters)
    for location, limit in (("query", 2), ("header", 1), ("cookie", 1)):
        wire_names = a.names(draw, limit)
        if location == "header" and _chance(draw, 4):
            wire_names.append(_pick(draw, IGNORED_HEADERS))
        for name in dict.fromkeys(wire_names):
            parameters.append(_parameter(draw, a, name, location, components))
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = _request_body(draw, a, components)
    operation["responses"] = _responses(draw, a, components)
    return operation


def _paths(
    draw: st.DrawFn, a: Alphabet, components: _Components, operations: tuple[int, int]
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    budget = draw(st.integers(*operations))
    while budget > 0:
        parameter_names = [_no_braces(name) for name in a.names(draw, 2)]
        parameter_names = list(dict.fromkeys(name for name in parameter_names if name))
        path = ""
        for name in parameter_names:
            path += "/" + _no_braces(draw(a.short_text)) + "/{" + name + "}"
        path += "/" + _no_braces(draw(a.short_text))
        if path in paths:
            budget -= 1
            continue
        declared = [_parameter(draw, a, name, "path", components) for name in parameter_names]
        item: dict[str, Any] = {}
        shared = draw(_BOOL)
        if shared and declared:
            item["parameters"] = declared
        methods = draw(_METHOD_LISTS[min(2, budget)])
        for method in methods:
            own = [] if shared else copy.deepcopy(declared)  # JSON has no shared objects
            item[method] = _operation(draw, a, components, own)
        paths[path] = item
        budget -= len(methods)
    return paths


@st.composite
def openapi_documents(
    draw: st.DrawFn,
    *,
    max_schemas: int = 3,
    min_operations: int = 0,
    max_operations: int = 2,
    alphabet: Alphabet = FAST,
) -> dict[str, Any]:
    """An OpenAPI 3.1 document as FastAPI writes it, every name and text hostile: up to
    `max_schemas` component schemas, between `min_operations` and `max_operations` operations
    (a path item holds one or two of them)."""
    a = alphabet
    schemas = _component_schemas(draw, a, max_schemas)
    described, served, listed = _flags(draw, 3)
    info: dict[str, Any] = {"title": draw(a.text), "version": draw(a.short_text)}
    if described:
        info["description"] = draw(a.text)
    document: dict[str, Any] = {"openapi": "3.1.0", "info": info}
    if served:
        document["servers"] = [{"url": "/api/v1/" + draw(a.short_text)}]
    operations = (min_operations, max_operations)
    document["paths"] = _paths(draw, a, _components_of(schemas), operations)
    if schemas or listed:
        document["components"] = {"schemas": schemas}
    return document


# --- AsyncAPI ----------------------------------------------------------------------------------

ROUTE_MESSAGES = ["subscribe", "unsubscribe", "subscribeResponse", "unsubscribeResponse", "update"]
_FRAME_SUFFIXES = {
    "subscribe": ".subscribe",
    "unsubscribe": ".unsubscribe",
    "subscribeResponse": ".subscribe.response",
    "unsubscribeResponse": ".unsubscribe.response",
    "update": ".update",
}
_KEY_SUFFIXES = ["_", "-", "2", "\ufb01"]


class _AsyncApiBuilder:
    """Frames and messages of one AsyncAPI document, drawn as the routes need them."""

    def __init__(self, draw: st.DrawFn, a: Alphabet, schemas: dict[str, Any]) -> None:
        self.draw = draw
        self.a = a
        self.schemas = schemas
        self.components = _components_of(schemas)
        self.messages: dict[str, Any] = {}

    def _fresh_key(self, taken: Any) -> str:
        key = self.draw(self.a.name)
        while key in taken:
            key += _pick(self.draw, _KEY_SUFFIXES)
        return key

    def frame_schema(self, frame_type: str, *, topic: bool) -> str:
        """A frame component: an object with a `const` type and a payload; its key."""
        draw, a = self.draw, self.a
        properties: dict[str, Any] = {"type": {"const": frame_type, "type": "string"}}
        if draw(_BOOL):
            extra = draw(a.name)
            if extra not in ("type", "payload", "topic"):
                properties[extra] = _value_schema(draw, a, self.components)
        if topic:
            properties["topic"] = {"type": "string"}
        properties["payload"] = _value_schema(draw, a, self.components)
        keys = list(properties)
        if draw(_BOOL):
            keys.reverse()
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {key: properties[key] for key in keys},
            "required": [key for key in keys if key in ("type", "payload", "topic")],
        }
        if draw(_BOOL):
            schema["description"] = draw(a.text)
        key = self._fresh_key(self.schemas)
        self.schemas[key] = schema
        return key

    def message(self, frame_key: str) -> dict[str, Any]:
        """A channel message for the frame: inline, or a `$ref` to components/messages."""
        multi_format, inline = _flags(self.draw, 2)
        payload: dict[str, Any] = schema_ref(frame_key)
        if multi_format:
            payload = {
                "schemaFormat": "application/vnd.aai.asyncapi+json;version=3.0.0",
                "schema": payload,
            }
        body = {"name": frame_key, "payload": payload}
        if inline:
            return body
        name = self._fresh_key(self.messages)
        self.messages[name] = body
        return {"$ref": "#/components/messages/" + _pointer_token(name)}


@st.composite
def asyncapi_documents(
    draw: st.DrawFn, *, max_schemas: int = 2, max_routes: int = 2, alphabet: Alphabet = FAST
) -> dict[str, Any]:
    """An AsyncAPI 3.0 document as apigen's exporter writes it, every name and text hostile.

    Each channel (route) has the five messages the client needs (and often `error`); each
    message refers to (or inlines) a payload that refers to an object "frame" schema with a
    `const` type and a `payload` property; the payloads' types are the document's other schemas.
    """
    a = alphabet
    schemas = _component_schemas(draw, a, max_schemas)
    builder = _AsyncApiBuilder(draw, a, schemas)
    routes = a.names(draw, max_routes)
    address = "/" + draw(a.short_text)
    error_message = None
    with_error: bool = draw(_BOOL)
    if routes and with_error:
        error_type = "error" if draw(_BOOL) else draw(a.short_text)
        error_message = builder.message(builder.frame_schema(error_type, topic=False))
    channels: dict[str, Any] = {}
    for route in routes:
        channel_messages: dict[str, Any] = {}
        for kind in ROUTE_MESSAGES:
            frame_type = route + _FRAME_SUFFIXES[kind]
            if _chance(draw, 5):
                frame_type = draw(a.short_text)
            frame = builder.frame_schema(frame_type, topic=kind == "update")
            channel_messages[kind] = builder.message(frame)
        if error_message is not None:
            channel_messages["error"] = error_message
        channels[route] = {
            "address": address,
            "title": route,
            "description": draw(a.text),
            "messages": channel_messages,
        }
    info: dict[str, Any] = {"title": draw(a.text), "version": draw(a.short_text)}
    if draw(_BOOL):
        info["description"] = draw(a.text)
    return {
        "asyncapi": "3.0.0",
        "info": info,
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": {},
        "components": {"schemas": schemas, "messages": builder.messages},
    }
