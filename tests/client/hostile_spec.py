"""An OpenAPI document written to break a naive generator: keywords, colliding and non-ASCII
names, quotes, backslashes, control characters and code in every text that reaches the output,
plus constructs the generator can only type as `Any`.
"""

from __future__ import annotations

from typing import Any

INJECTION = '"""; import os; os.system("echo pwned"); """'
NASTY_TEXT = (
    "Says \"\"\"hi\"\"\" and '''bye''' with \\ backslash \\n not-a-newline, {braces} %s {{x}}\n"
    "\r\nCRLF line, NUL \x00, bell \x07, line separator \u2028, tab\tend\n"
    "# not a comment\n    def injected(): pass\n" + INJECTION + ' ends with a quote"'
)
ENUM_VALUES = ["a", "A", "a-", "", "class", "1", "with space", '"quote', "'", "\\", "None", "ünï"]
STRING_DEFAULT = 'he said "hi" \\ \'x\'\n""" + __import__("os").getcwd() + """'
ODD_PROPERTIES = [
    "class",
    "from",
    "type",
    "model_config",
    "model_dump",
    "json",
    "list",
    "str",
    "self",
    "a-b",
    "a b",
    "a_b",
    "_private",
    "__dunder__",
    "1st",
    "'quote",
    '"dq',
    "\\backslash",
    "validate",
    "camelCase",
    "camel_case",
    "ünicode",
    "",
    "model_name",
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")}


def hostile_spec() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "class": {
            "type": "object",
            "description": NASTY_TEXT,
            "properties": {name: {"type": "string"} for name in ODD_PROPERTIES},
            "required": ["class", "a-b"],
        },
        "Order-Input": {"type": "object", "properties": {"x": {"type": "integer"}}},
        "Order Input": {"type": "object", "properties": {"y": {"type": "integer"}}},
        "OrderInput": {"type": "object", "properties": {"z": {"type": "integer"}}},
        "None": {"type": "object", "properties": {}},
        "ApiError": {"type": "object", "properties": {"message": {"type": "string"}}},
        "Field": {"type": "object", "properties": {"name": {"type": "string"}}},
        "123start": {"type": "object", "properties": {"v": {"type": "number"}}},
        "a/b~c": {"type": "object", "properties": {"w": {"type": "boolean"}}},
        "ünïcode": {"type": "object", "properties": {"u": {"type": "string"}}},
        "q\"u'o\\te": {"type": "object", "properties": {"q": {"type": "string"}}},
        "Weird Enum": {
            "type": "string",
            "enum": ENUM_VALUES,
            "description": INJECTION,
        },
        "Numbers": {"type": "integer", "enum": [1, 2, -1]},
        "Defaults": {
            "type": "object",
            "properties": {
                "text": {"type": "string", "default": STRING_DEFAULT},
                "choice": {**_ref("Weird Enum"), "default": '"quote'},
                "number": {"$ref": "#/components/schemas/Numbers", "default": -1},
                "when": {
                    "type": "string",
                    "format": "date-time",
                    "default": "2024-01-02T03:04:05Z",
                },
                "items": {"type": "array", "items": {"type": "integer"}, "default": [1, 2]},
                "mapping": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "default": {"k": 'v"\\'},
                },
                "nested": {**_ref("Order-Input"), "default": {"x": 3}},
                "nan": {"type": "number", "default": float("nan")},
                "nullable": {"type": ["string", "null"], "default": None},
                "const": {"const": "fixed", "default": "fixed"},
                "flag": {"type": "boolean", "default": True},
                "ratio": {"type": "number", "default": 1},
            },
        },
        "Untypeable": {
            "type": "object",
            "properties": {
                "one_of_inline": {
                    "oneOf": [
                        {"type": "object", "properties": {"a": {"type": "string"}}},
                        {"type": "object", "properties": {"b": {"type": "string"}}},
                    ]
                },
                "inline_object": {"type": "object", "properties": {"c": {"type": "string"}}},
                "external": {"$ref": "other.json#/Thing"},
                "anything": {},
                "nothing": False,
                "all_of_two": {"allOf": [_ref("Order-Input"), _ref("Order Input")]},
                "alias": _ref("Tags"),
                "loop": _ref("LoopA"),
                "tuple": {"type": "array", "prefixItems": [{"type": "string"}]},
            },
        },
        "Tags": {"type": "array", "items": {"type": "string"}},
        "LoopA": _ref("LoopB"),
        "LoopB": _ref("LoopA"),
        "Merged": {
            "allOf": [_ref("Order-Input"), _ref("Order Input"), {"properties": {"m": {}}}],
        },
        "SelfRef": {
            "type": "object",
            "properties": {"next": {"anyOf": [_ref("SelfRef"), {"type": "null"}]}},
        },
        "Pet": {
            "oneOf": [_ref("Order-Input"), _ref("Order Input")],
            "discriminator": {"propertyName": "kind"},
        },
    }
    text_param = {"name": "class", "in": "query", "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": 'Hostile """ API\n' + INJECTION, "version": "1.0'\"\\"},
        "servers": [{"url": "/api/v1/hostile"}],
        "paths": {
            "/items/{item id}/q\"u'o\\te/{class}": {
                "parameters": [
                    {
                        "name": "item id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {"name": "class", "in": "path", "required": True, "schema": _ref("Weird Enum")},
                ],
                "get": {
                    "operationId": "class",
                    "summary": INJECTION,
                    "description": NASTY_TEXT,
                    "deprecated": True,
                    "parameters": [
                        {"name": "self", "in": "query", "schema": {"type": "string"}},
                        {"name": "body", "in": "query", "schema": {"type": "string"}},
                        {"name": "list", "in": "query", "schema": {"type": "string"}},
                        {"name": "X-Request-ID", "in": "header", "schema": {"type": "string"}},
                        {"name": "x_request_id", "in": "query", "schema": {"type": "string"}},
                        {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                        {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                        {
                            "name": "when",
                            "in": "query",
                            "schema": {"type": "string", "format": "date", "default": "x"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": _ref("class")}},
                        }
                    },
                },
                "post": {
                    "operationId": "get-item",
                    "parameters": [text_param],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("Defaults")}},
                    },
                    "responses": {
                        "2XX": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": _ref("Pet")}
                                }
                            },
                        }
                    },
                },
            },
            "/close": {
                "get": {
                    "operationId": "close",
                    "responses": {
                        "default": {
                            "description": "x",
                            "content": {"text/plain": {"schema": {"type": "string"}}},
                        }
                    },
                },
                "put": {
                    "operationId": "getItem",
                    "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
                    "responses": {
                        "200": {"description": "bytes", "content": {"application/octet-stream": {}}}
                    },
                },
                "delete": {"operationId": "get item", "responses": {}},
                "patch": {
                    "operationId": "__init__",
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": _ref("Order-Input")}
                        }
                    },
                    "responses": {"204": {"description": "none"}},
                },
            },
            "/untyped": {
                "get": {
                    "operationId": "_request",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": _ref("Untypeable")}},
                        }
                    },
                },
                "post": {
                    "operationId": "aclose",
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": _ref("Weird Enum")}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"anyOf": [_ref("SelfRef"), {"type": "null"}]}
                                }
                            },
                        }
                    },
                },
            },
        },
        "components": {"schemas": schemas},
    }
