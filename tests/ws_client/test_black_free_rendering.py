"""The WebSocket client renderer needs black for (almost) no chunk, and its output is still black's
(tests/client/test_black_free_rendering.py, for `render_ws_client`).

Every chunk kept as written is run through black anyway and must come back unchanged
(tests/client/black_free.py): on the project's AsyncAPI documents (which must need no black at
all), on routes with long, unicode and many channel ids, and on generated hostile documents.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from apigen.client.formatter import format_module
from apigen.ws_client import SpecError, render_ws_client
from tests.asyncapi.real_documents import asyncapi_document
from tests.client.black_free import watched_formatter
from tests.client.spec_strategies import MODULE, RICH, VERSION, asyncapi_documents


@pytest.mark.parametrize("module", ["core", "broker", "datafeed"])
def test_project_documents_render_without_black(module: str) -> None:
    with watched_formatter() as sent_to_black:
        source = render_ws_client(asyncapi_document(module), module=module, version=1)
    assert sent_to_black == []
    assert format_module(source) == source


def routes_spec(word: str, count: int) -> dict[str, Any]:
    """`count` routes whose channel ids (and so frame types, constants, methods) contain `word`."""
    schemas: dict[str, Any] = {
        "Request": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Reply": {"type": "object", "properties": {"status": {"type": "string"}}},
    }

    def frame(frame_type: str, payload: str) -> dict[str, Any]:
        name = f"Frame{len(schemas)}"
        schemas[name] = {
            "type": "object",
            "properties": {
                "type": {"const": frame_type},
                "payload": {"$ref": f"#/components/schemas/{payload}"},
            },
            "required": ["type", "payload"],
        }
        return {"payload": {"$ref": f"#/components/schemas/{name}"}}

    channels = {}
    for index in range(count):
        channel = f"{word}-{index}"
        channels[channel] = {
            "address": "/ws",
            "messages": {
                "subscribe": frame(f"{channel}.subscribe", "Request"),
                "subscribeResponse": frame(f"{channel}.subscribe.response", "Reply"),
                "unsubscribe": frame(f"{channel}.unsubscribe", "Request"),
                "unsubscribeResponse": frame(f"{channel}.unsubscribe.response", "Reply"),
                "update": frame(f"{channel}.update", "Reply"),
            },
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"It's {word}", "version": "1"},
        "channels": channels,
        "components": {"schemas": schemas},
    }


WORDS = ["a", "items", "x" * 20, "y" * 35, "注文" * 6, "ünï" * 8, "z" * 50, "w" * 95]


@pytest.mark.parametrize("count", [0, 1, 2, 9])
@pytest.mark.parametrize("word", WORDS)
def test_long_routes_are_written_as_black_writes_them(word: str, count: int) -> None:
    with watched_formatter() as sent_to_black:
        source = render_ws_client(routes_spec(word, count), module=word, version=1)
    assert format_module(source) == source
    if len(word) <= 35:
        # Longer channel ids make frame types that fit no layout (a `Literal[...]` alone is
        # too long): black gets those.
        assert sent_to_black == []
        if count == 1:
            assert ",)\n    _ERROR_TYPE" in source  # `(_ROUTE_...,)`, a one-element tuple


def test_exploded_forms_appear_where_lines_would_not_fit() -> None:
    source = render_ws_client(routes_spec("y" * 35, 9), module="long", version=1)
    assert " = _Route(\n    " in source
    assert "    _ROUTES = (\n        _ROUTE_" in source
    assert "        self,\n        request: Request,\n    ) -> AsyncGenerator[" in source
    assert "= Field(\n        validation_alias=" in source
    short = render_ws_client(routes_spec("a", 2), module="short", version=1)
    assert "    _ROUTES = (_ROUTE_A_0, _ROUTE_A_1)\n" in short


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    document=asyncapi_documents(max_schemas=3, max_routes=3)
    | asyncapi_documents(max_schemas=2, max_routes=2, alphabet=RICH)
)
def test_generated_documents_keep_only_what_black_keeps(document: dict[str, Any]) -> None:
    with watched_formatter():
        try:
            source = render_ws_client(document, module=MODULE, version=VERSION)
        except SpecError:
            return
    assert format_module(source) == source
