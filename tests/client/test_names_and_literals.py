"""Sanitised names and Python literals: the building blocks every generated identifier and text
goes through."""

from __future__ import annotations

import ast
import builtins
import keyword
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from apigen.client import render_client
from apigen.client.literals import (
    _wrap_line,
    comment_text,
    docstring_literal,
    python_literal,
)
from apigen.client.names import (
    BASE_MODEL_ATTRIBUTES,
    BUILTIN_CLASS_NAMES,
    NameAllocator,
    client_class_name,
    pascal_case,
    snake_case,
    upper_snake_case,
)
from apigen.client.safe_text import ClassName, PythonIdentifier
from tests.client.generated import import_client, write_client
from tests.client.static_checks import PROJECT_RUFF_RULES, run_ruff

NASTY = [
    "",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    'ends with "',
    "ends with \\",
    '""""',
    "a\nb\r\nc\rd",
    "\x00\x07\x1b\x7f",
    "\u2028\u2029\ufeff\ud800",
    "{x} %s {{y}}",
    "tab\there",
    "ünïcödé 日本",
    '"""; import os; """',
    "\\N{BULLET} \\x41 \\u0041",
]


def test_base_model_attribute_list_is_complete() -> None:
    # pydantic warns about a field named like any attribute the class has, its metaclass's
    # (`mro`, `register`) included.
    names = {*dir(BaseModel), *dir(type(BaseModel))}
    public = {name for name in names if not name.startswith("_") and hasattr(BaseModel, name)}
    assert public <= BASE_MODEL_ATTRIBUTES


def test_builtin_class_name_list_is_complete() -> None:
    capitalised = {name for name in dir(builtins) if name[:1].isupper()}
    assert capitalised - {"True", "False", "None"} <= BUILTIN_CLASS_NAMES


def test_names_of_builtins_and_base_model_attributes_are_not_taken(tmp_path: Path) -> None:
    """Found by the fuzzer: a schema named like a builtin shadowed it in the whole module (the
    WebSocket client's `except TimeoutError`, `type[BaseException]`), and a property named `mro`
    or `register` (BaseModel's metaclass attributes) made pydantic warn at import."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                name: {"type": "object", "properties": {"mro": {}, "register": {}}}
                for name in ("BaseException", "TimeoutError", "Ellipsis", "OSError")
            }
        },
    }
    source = render_client(spec, module="t", version=1)
    for name in ("BaseException", "TimeoutError", "Ellipsis", "OSError"):
        assert f"class {name}(" not in source
        assert f"class {name}2(BaseModel):" in source
    module = import_client(write_client(spec, tmp_path, module="t"))  # warnings are errors
    assert list(module.TimeoutError2.model_fields) == ["mro_", "register_"]
    assert module.TimeoutError2.model_validate({"mro": 1, "register": 2}).register_ == 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("getOrderById", "get_order_by_id"),
        ("HTTPValidationError", "http_validation_error"),
        ("X-Request-ID", "x_request_id"),
        ("create_item_items_post", "create_item_items_post"),
        ("class", "class_"),
        ("list", "list_"),
        ("1st", "field_1st"),
        ("", "field"),
        ("__dunder__", "dunder"),
        ("ünïcode", "unicode"),
        ("a b-c.d", "a_b_c_d"),
    ],
)
def test_snake_case(raw: str, expected: str) -> None:
    assert snake_case(raw, fallback="field", reserved={"list"}) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("order_create", "OrderCreate"),
        ("Item-Input", "ItemInput"),
        ("HTTPValidationError", "HTTPValidationError"),
        ("none", "None_"),
        ("3d point", "Schema3dPoint"),
        ("", "Schema"),
    ],
)
def test_pascal_case(raw: str, expected: str) -> None:
    assert pascal_case(raw, fallback="Schema") == expected


def test_ambiguous_names_get_a_trailing_underscore(tmp_path: Path) -> None:
    """Found by the fuzzer (`--static-every`): a field `l` (the low of an OHLC bar), an enum
    member `I` or a class `O` failed ruff's E741-E743 in the project's rule set."""
    assert snake_case("l", fallback="f") == "l_"
    assert upper_snake_case("i", fallback="VALUE") == "I_"
    assert pascal_case("o", fallback="Schema") == "O_"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/bars": {
                "get": {
                    "operationId": "l",
                    "parameters": [{"name": "I", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Bar": {"type": "object", "properties": {key: {} for key in "ohlc"}},
                "o": {"type": "string", "enum": ["i", "o", "l"]},
            }
        },
    }
    path = write_client(spec, tmp_path, module="t")
    linted = run_ruff([path], "--select", PROJECT_RUFF_RULES, "--line-length", "100")
    assert linted.returncode == 0, linted.stdout
    module = import_client(path)
    assert list(module.Bar.model_fields) == ["o", "h", "l_", "c"]
    assert [member.name for member in module.O_] == ["I_", "O_", "L"]


def test_upper_snake_case_for_enum_members() -> None:
    assert upper_snake_case("limit-order", fallback="VALUE") == "LIMIT_ORDER"
    assert upper_snake_case("1m", fallback="VALUE") == "VALUE_1M"
    assert upper_snake_case("", fallback="VALUE") == "VALUE"


def test_client_class_names() -> None:
    assert client_class_name("broker", 1) == "BrokerV1Client"
    assert client_class_name("market_data", 1) == "MarketDataV1Client"
    assert client_class_name("market-data", 12) == "MarketDataV12Client"


def test_allocator_suffixes_collisions() -> None:
    names = NameAllocator({"taken"})
    assert names.identifier(PythonIdentifier("taken")) == "taken_2"
    assert names.identifier(PythonIdentifier("a")) == "a"
    assert names.identifier(PythonIdentifier("a")) == "a_2"
    assert names.identifier(PythonIdentifier("a_2")) == "a_2_2"
    assert names.class_name(ClassName("A")) == "A"
    assert names.class_name(ClassName("A")) == "A2"


@pytest.mark.parametrize("text", NASTY)
def test_python_literal_round_trips(text: str) -> None:
    source = python_literal(text)
    assert ast.literal_eval(source) == text
    assert isinstance(ast.parse(source, mode="eval").body, ast.Constant)


def test_python_literal_of_containers_and_numbers() -> None:
    value = {"a": [1, 2.5, True, None, "x'\""], "b": {"c": -3}}
    assert ast.literal_eval(python_literal(value)) == value
    with pytest.raises(ValueError):
        python_literal(float("inf"))


@pytest.mark.parametrize("text", NASTY)
def test_docstring_literal_is_one_inert_string(text: str) -> None:
    source = docstring_literal(text)
    tree = ast.parse(source)
    assert len(tree.body) == 1
    statement = tree.body[0]
    assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    value = statement.value.value
    assert isinstance(value, str)
    # Only whitespace may change (trailing spaces, wrapping); every other character stays.
    assert value.split() == text.split()


def test_docstring_literal_wraps_long_lines() -> None:
    text = " ".join(["word"] * 60)
    source = docstring_literal(text, indent=4)
    assert max(len(line) for line in source.splitlines()) <= 100


@settings(derandomize=True, database=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=300).filter(
        lambda text: "\\" not in text and '"""' not in text
    ),
    st.integers(40, 100),
    st.sampled_from(["", " ", "    "]),
)
def test_wrapping_plain_text_is_textwraps(text: str, width: int, indent: str) -> None:
    """For printable ASCII (what real descriptions are), lines wrap exactly as textwrap wraps
    them, so the clients of real documents did not change when widths began to count escapes."""
    expected = textwrap.wrap(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    assert _wrap_line(text, width, indent) == expected


def test_docstring_lines_fit_in_100_columns_as_ruff_counts_them(tmp_path: Path) -> None:
    """Found by the fuzzer: wrapping measured the raw text, but escapes (`\\U0010ffff`,
    doubled backslashes) and wide characters take more columns, so ruff's E501 failed."""
    wide = "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8 "  # two columns each
    escaped = "\U000a1a00\x00\\ "  # \\U000a1a00, \\x00 and \\\\ in the source
    spec = {
        "openapi": "3.1.0",
        "info": {"title": wide * 9 + escaped * 6, "version": escaped * 3},
        "paths": {},
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": (wide + escaped) * 12,
                    "properties": {"x": {"type": "string", "description": escaped * 30}},
                }
            }
        },
    }
    path = write_client(spec, tmp_path, module="t")
    linted = run_ruff([path], "--select", "E501", "--line-length", "100")
    assert linted.returncode == 0, linted.stdout
    assert _words(import_client(path).Thing.__doc__) == _words((wide + escaped) * 12)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.mark.parametrize("text", NASTY)
def test_comment_text_is_one_printable_line(text: str) -> None:
    comment = comment_text(text)
    assert "\n" not in comment and "\r" not in comment
    assert all(" " <= char <= "~" for char in comment)
    assert len(comment) <= 88


def test_identifiers_are_never_keywords() -> None:
    for word in [*keyword.kwlist, *keyword.softkwlist]:
        assert not keyword.iskeyword(snake_case(word, fallback="f"))
        assert not keyword.iskeyword(pascal_case(word, fallback="F"))
