"""A broken document raises ValueError naming the JSON pointer of the problem."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from apigen.client import SpecError, render_client


def _minimal() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things/{thing_id}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": True, "schema": {}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Thing": {"type": "object", "properties": {}}}},
    }


def _set(path: list[str | int], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(spec: dict[str, Any]) -> None:
        target: Any = spec
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _delete(path: list[str | int]) -> Callable[[dict[str, Any]], None]:
    def edit(spec: dict[str, Any]) -> None:
        target: Any = spec
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


OPERATION = ["paths", "/things/{thing_id}", "get"]
BROKEN = {
    "no openapi version": (_delete(["openapi"]), "#"),
    "swagger 2": (_set(["openapi"], "2.0"), "#/openapi"),
    "no title": (_delete(["info", "title"]), "#/info"),
    "paths not an object": (_set(["paths"], []), "#/paths"),
    "relative path": (
        _set(["paths"], {"things": {}}),
        "#/paths/things",
    ),
    "dangling $ref": (
        _set(["components", "schemas"], {}),
        "#/paths/~1things~1{thing_id}/get/responses/200/content/application~1json/schema/$ref",
    ),
    "schema not an object": (
        _set(["components", "schemas", "Thing"], "object"),
        "#/components/schemas/Thing",
    ),
    "unknown type": (
        _set(["components", "schemas", "Thing", "properties"], {"x": {"type": "decimal"}}),
        "#/components/schemas/Thing/properties/x/type",
    ),
    "parameter without name": (
        _delete([*OPERATION, "parameters", 0, "name"]),
        "#/paths/~1things~1{thing_id}/get/parameters/0",
    ),
    "unknown parameter location": (
        _set([*OPERATION, "parameters", 0, "in"], "body"),
        "#/paths/~1things~1{thing_id}/get/parameters/0/in",
    ),
    "undeclared path parameter": (
        _set([*OPERATION, "parameters"], []),
        "#/paths/~1things~1{thing_id}/get",
    ),
    "response $ref to nothing": (
        _set([*OPERATION, "responses", "200"], {"$ref": "#/components/responses/Nope"}),
        "#/paths/~1things~1{thing_id}/get/responses/200/$ref",
    ),
    "required not a list": (
        _set(["components", "schemas", "Thing", "required"], "x"),
        "#/components/schemas/Thing/required",
    ),
    # A JSON "\ud800" escape: not text; the client would not import (found by the fuzzer).
    "lone surrogate in a description": (
        _set(["components", "schemas", "Thing", "description"], "caf\udce9"),
        "#/components/schemas/Thing/description",
    ),
    "lone surrogate in a property name": (
        _set(["components", "schemas", "Thing", "properties"], {"x\ud800": {}}),
        "#/components/schemas/Thing/properties",
    ),
}


def test_the_minimal_document_renders() -> None:
    source = render_client(_minimal(), module="t", version=1)
    assert "def get_thing(self, thing_id: Any) -> Thing:" in source


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_document_names_the_pointer(case: str) -> None:
    edit, pointer = BROKEN[case]
    spec = copy.deepcopy(_minimal())
    edit(spec)
    with pytest.raises(ValueError) as caught:
        render_client(spec, module="t", version=1)
    assert isinstance(caught.value, SpecError)
    assert caught.value.pointer == pointer
    assert f"at {pointer}:" in str(caught.value)


def test_a_document_that_is_not_an_object() -> None:
    with pytest.raises(SpecError) as caught:
        render_client([], module="t", version=1)  # type: ignore[arg-type]
    assert caught.value.pointer == "#"


def test_negative_version_is_rejected() -> None:
    with pytest.raises(ValueError, match="version"):
        render_client(_minimal(), module="t", version=-1)
