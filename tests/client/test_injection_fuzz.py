"""Generated hostile OpenAPI documents render to clients that hold only the templates' code.

The property test renders at least 1000 documents from tests/client/spec_strategies.py (every
name and text hostile) with the renderer the doit task calls (`apigen.client.render_client`,
black included), checks each source with tests/client/injection_checks.py (compiles; only the
expected statements, imports and calls; valid, unique, non-shadowing identifiers; enum values,
defaults, wire names, paths and descriptions round-trip) and imports it (pydantic builds every
model, no warning). Reproducible: derandomized, no example database. benchmarks/fuzz_clients.py
runs the same for longer, with richer text.

The other tests show that the checks are not vacuous: they accept the clients of the demo,
realistic and hostile documents, and reject sources with injected code or wrong values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apigen.client import SpecError, render_client
from tests.client.demo_app import demo_spec
from tests.client.hostile_spec import hostile_spec
from tests.client.injection_checks import check_http_client, exec_client
from tests.client.realistic_app import realistic_spec
from tests.client.spec_strategies import MODULE, SURROGATES, VERSION, openapi_documents

EXAMPLES = 1000
# Small documents: up to three schemas and one operation. Rendering (black, ~10 ms for each
# method on the long lines hostile values make) is most of the ~60 ms each example costs;
# benchmarks/fuzz_clients.py draws larger documents.
DOCUMENTS = openapi_documents(max_schemas=3, max_operations=1)
CI_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_hostile_documents_render_to_inert_clients() -> None:
    rendered = 0

    @CI_SETTINGS
    @given(DOCUMENTS)
    def render_and_check(spec: dict[str, Any]) -> None:
        nonlocal rendered
        source = render_client(spec, module=MODULE, version=VERSION)
        exec_client(check_http_client(spec, source))
        rendered += 1

    render_and_check()
    assert rendered >= EXAMPLES


@pytest.mark.parametrize(
    ("name", "spec"),
    [("demo", demo_spec()), ("realistic", realistic_spec()), ("hostile", hostile_spec())],
)
def test_the_checks_accept_hand_written_documents(name: str, spec: dict[str, Any]) -> None:
    source = render_client(spec, module=name, version=1)
    exec_client(check_http_client(spec, source, module=name, version=1))


SMALL: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Small", "version": "1"},
    "paths": {
        "/orders/{order_id}": {
            "get": {
                "operationId": "getOrder",
                "summary": "Read one order",
                "parameters": [
                    {"name": "order_id", "in": "path", "required": True, "schema": {}},
                    {"name": "view", "in": "query", "schema": {"type": "string", "default": "x"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Side": {"type": "string", "enum": ["buy", "sell"]},
            "Order": {
                "type": "object",
                "description": "An order.",
                "properties": {
                    "qty": {"type": "integer", "default": 1},
                    "side": {"$ref": "#/components/schemas/Side"},
                    "clientId": {"type": "string"},
                },
            },
        }
    },
}
# (text in the rendered client, its replacement): each makes the source wrong in one way.
TAMPERED = {
    "module-level call": ("\n\nclass Order(", "\n\n__import__('os').system('x')\n\n\nclass Order("),
    "extra import": ("import httpx\n", "import httpx\nimport os\n"),
    "call in a class body": ("    qty: int = 1\n", "    qty: int = int('1')\n"),
    "call in a default": ('view: str = "x"', "view: str = open('x').read()"),
    "call in a method": ("return Order.model_validate_json(", "return eval(repr(Order)) or Order("),
    "wrong enum value": ('BUY = "buy"', 'BUY = "bought"'),
    "wrong default": ("qty: int = 1", "qty: int = 2"),
    "wrong wire name": (
        'validation_alias="clientId",\n        serialization_alias="clientId",',
        'validation_alias="client_id",\n        serialization_alias="client_id",',
    ),
    "wrong path": ('"/orders/" + _path_value', '"/order/" + _path_value'),
    "wrong docstring": ('"""An order."""', '"""An order. Run os.system."""'),
    "shadowing class name": ("class Side(StrEnum):", "class TimeoutError(StrEnum):"),
    "duplicate field": ("    qty: int = 1\n", "    qty: int = 1\n    qty: int = 1\n"),
    "changed runtime": ('return _quote(text, safe="")', "return _quote(text)"),
    "raw line separator": ('"""An order."""', '"""An\u2028order."""'),
    "non-ASCII comment": ("    def get_order(", "    # caf\u00e9\n    def get_order("),
    "dunder name": ("def get_order(", "def __get_order__("),
    "method shadowing a type": (
        "def get_order(self, order_id: Any, *, view: str",
        "def str(self, order_id: Any, *, view: str",
    ),
}


@pytest.fixture(scope="module")
def small_source() -> str:
    source = render_client(SMALL, module=MODULE, version=VERSION)
    exec_client(check_http_client(SMALL, source))
    return source


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_the_checks_reject_tampered_clients(small_source: str, case: str) -> None:
    old, new = TAMPERED[case]
    assert old in small_source, case
    tampered = small_source.replace(old, new, 1)
    with pytest.raises((AssertionError, SyntaxError)):
        exec_client(check_http_client(SMALL, tampered))


def _strings(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], bool]]:
    """(path, is a member name) of every string in a JSON value."""
    found: list[tuple[tuple[Any, ...], bool]] = []
    if isinstance(value, str):
        found.append((path, False))
    elif isinstance(value, dict):
        for key, item in value.items():
            found.append(((*path, key), True))
            found += _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _strings(item, (*path, index))
    return found


def _pointer(path: tuple[Any, ...]) -> str:
    tokens = [str(token).replace("~", "~0").replace("/", "~1") for token in path]
    return "#" + "".join("/" + token for token in tokens)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(DOCUMENTS, st.data())
def test_lone_surrogates_are_refused_at_their_pointer(spec: dict[str, Any], data: Any) -> None:
    """A lone surrogate anywhere (a JSON `\\ud800` escape) cannot reach a client: it would not
    import (CPython cannot encode it in a docstring, pydantic not in a Literal or an alias)."""
    spec = json.loads(json.dumps(spec))  # no shared objects: one string, one place
    path, is_key = data.draw(st.sampled_from(_strings(spec)))
    surrogate = data.draw(st.sampled_from(SURROGATES))
    parent: Any = spec
    for token in path[:-1]:
        parent = parent[token]
    if is_key:
        parent[path[-1] + surrogate] = parent.pop(path[-1])
        expected = _pointer(path[:-1])
    else:
        parent[path[-1]] = parent[path[-1]] + surrogate
        expected = _pointer(path)
    with pytest.raises(SpecError) as caught:
        render_client(spec, module=MODULE, version=VERSION)
    assert caught.value.pointer == expected
    assert "lone surrogate" in str(caught.value)
