"""The HTTP client renderer needs black for (almost) no chunk, and its output is still black's.

The templates write the layout black would write for what can grow past 100 columns (one line
when it fits, else one item per line with a magic trailing comma: renderer.py's `bracketed`),
and `_fits_as_written` keeps a chunk as written exactly when black would leave it unchanged
(precise about strings, docstrings, comments and numbers, conservative about the rest). Here:
every chunk kept as written is run through black anyway and must come back unchanged
(tests/client/black_free.py), on the project's documents, on constructs of extreme length,
with wide characters and many parameters, and on generated hostile documents; the whole file
must be black's; and the project's documents must need no black at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from markupsafe import Markup

from apigen.client import SpecError, render_client
from apigen.client.formatter import ChunkFormatter, _fits_as_written, format_module, line_width
from apigen.client.renderer import environment
from apigen.client.safe_text import PyCode
from tests.client.black_free import watched_formatter
from tests.client.demo_app import demo_spec
from tests.client.hostile_spec import hostile_spec
from tests.client.realistic_app import realistic_spec
from tests.client.spec_strategies import MODULE, RICH, VERSION, openapi_documents


@pytest.mark.parametrize(("name", "spec"), [("demo", demo_spec()), ("realistic", realistic_spec())])
def test_project_documents_render_without_black(name: str, spec: dict[str, Any]) -> None:
    with watched_formatter() as sent_to_black:
        source = render_client(spec, module=name, version=1)
    assert sent_to_black == []
    assert format_module(source) == source


def test_hostile_document_sends_only_what_black_must_see() -> None:
    """Single-quoted literals, escapes and tabs in docstrings still go to black."""
    with watched_formatter() as sent_to_black:
        source = render_client(hostile_spec(), module="hostile", version=1)
    assert sent_to_black
    assert all(not _fits_as_written(chunk) for chunk in sent_to_black)
    assert format_module(source) == source


def long_names_spec(word: str, count: int) -> dict[str, Any]:
    """One path with `word` in every name: `count` query parameters and model properties (camel
    case, so each needs an alias), up to three header parameters, optional and required bodies
    (model and adapter dumps), list responses."""
    model = word.title() + "Body"
    ref = {"$ref": f"#/components/schemas/{model}"}
    listed = {"type": "array", "items": ref}
    path_parameter = {"name": f"{word}Id", "in": "path", "required": True, "schema": {}}
    query = [
        {"name": f"{word}Q{i}", "in": "query", "schema": {"type": "string", "default": word}}
        for i in range(count)
    ]
    headers = [
        {"name": f"X-{word}-{i}", "in": "header", "schema": {"type": "integer"}}
        for i in range(min(count, 3))
    ]
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": listed}}}}

    def body(schema: dict[str, Any], required: bool) -> dict[str, Any]:
        return {"required": required, "content": {"application/json": {"schema": schema}}}

    properties: dict[str, Any] = {
        f"{word}Camel{i}": {"type": "string", "default": word} if i % 2 else {"type": "integer"}
        for i in range(count)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": f"T {word}", "version": "1"},
        "paths": {
            f"/{word}/{{{word}Id}}/{word}": {
                "put": {
                    "operationId": f"{word}Put",
                    "parameters": [path_parameter, *query, *headers],
                    "requestBody": body(ref, False),
                    "responses": ok,
                },
                "post": {
                    "operationId": f"{word}Post",
                    "parameters": [path_parameter],
                    "requestBody": body(listed, True),
                    "responses": ok,
                },
                "patch": {
                    "operationId": f"{word}Patch",
                    "parameters": [path_parameter],
                    "requestBody": body(listed, False),
                    "responses": ok,
                },
            }
        },
        "components": {
            "schemas": {
                model: {
                    "type": "object",
                    "description": f"A {word}'s body.",
                    "properties": properties,
                    "required": [f"{word}Camel0"],
                }
            }
        },
    }


WORDS = ["a", "order", "x" * 20, "y" * 35, "注文" * 6, "ünï" * 8, "z" * 50, "w" * 95]


@pytest.mark.parametrize("count", [1, 3, 12])
@pytest.mark.parametrize("word", WORDS)
def test_long_constructs_are_written_as_black_writes_them(word: str, count: int) -> None:
    with watched_formatter() as sent_to_black:
        source = render_client(long_names_spec(word, count), module=word, version=1)
    assert format_module(source) == source
    if len(word) <= 35:
        # Names up to 35 characters: every construct fits once exploded; longer ones make
        # lines no layout fits (a parameter or literal alone is too long), which black gets.
        assert sent_to_black == []


def test_exploded_forms_appear_where_lines_would_not_fit() -> None:
    source = render_client(long_names_spec("y" * 35, 12), module="long", version=1)
    assert "= Field(\n        validation_alias=" in source
    assert "        self,\n        y" in source  # a signature, one parameter per line
    assert "            params={\n" in source
    assert "            json=(\n                None\n                if body is None\n" in source
    assert "\n            + _path_value(" in source
    assert "_adapter(\n            list[" in source
    short = render_client(long_names_spec("a", 1), module="short", version=1)
    assert 'a_camel0: int = Field(validation_alias="aCamel0", serialization_alias="aCamel0")' in (
        short
    )


@pytest.mark.parametrize("dashes", range(20, 40))
def test_sums_split_only_where_black_must_split(dashes: int) -> None:
    """A path black measures narrower than line_width does (an em dash is one column for black,
    two for line_width): split into one operand per line only when black must split it, as
    that layout has no magic trailing comma to hold it."""
    path = "/api/v1/" + "\u2014" * dashes + "/{item_id}/" + "\u2014" * dashes
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Dashes", "version": "1"},
        "paths": {
            path: {
                "get": {
                    "operationId": "get",
                    "parameters": [{"name": "item_id", "in": "path", "required": True}],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    with watched_formatter():
        source = render_client(spec, module="dashes", version=1)
    assert format_module(source) == source


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    document=openapi_documents(max_schemas=4, max_operations=3)
    | openapi_documents(max_schemas=2, max_operations=2, alphabet=RICH)
)
def test_generated_documents_keep_only_what_black_keeps(document: dict[str, Any]) -> None:
    with watched_formatter():
        try:
            source = render_client(document, module=MODULE, version=VERSION)
        except SpecError:
            return
    assert format_module(source) == source


# (chunk, kept as written): what the check decides on its own. A chunk it keeps must be one
# black leaves unchanged (checked below); one it refuses may or may not be (any doubt). The
# spaces between tokens are the templates' own (`f( a)` would be kept): the tests above check
# them on every rendered chunk.
CHUNKS = [
    ('class A(BaseModel):\n    """It\'s \'quoted\'."""\n\n    x: int\n', True),
    ('class A(BaseModel):\n    x: str = "it\'s"\n', True),
    ("class A(BaseModel):\n    x: str = 'say \"hi\"'\n", False),
    ("class A(BaseModel):\n    # it's a note: keep it\n    x: int\n", True),
    ("class A(BaseModel):\n    #no space\n    x: int\n", False),
    ("class A(BaseModel):\n    # fmt: off\n    x: int\n", False),
    ("class A(BaseModel):\n    # type: ignore\n    x: int\n", False),
    ("class A(BaseModel):\n    x: float = 1e-07\n    y: float = 1.5\n    z: int = -3\n", True),
    ("class A(BaseModel):\n    x: float = 1e+16\n", False),
    ("class A(BaseModel):\n    x: float = 1E5\n", False),
    ("class A(BaseModel):\n    x: int = 0xff\n", False),
    ('class A(BaseModel):\n    x: bytes = b"x"\n', False),
    ('class A(BaseModel):\n    x: str = "a" "b"\n', True),
    ('class A(BaseModel):\n    x: str = "a""b"\n', False),
    ('class A(BaseModel):\n    x: str = "\\x0b \\u00e9 \\\\xAB"\n', True),
    ('class A(BaseModel):\n    x: str = "\\x0B"\n', False),
    ('class A(BaseModel):\n    x: str = "\\N{dash}"\n', False),
    ('class A(BaseModel):\n    x: str = "\\\'"\n', False),
    ('class A:\n    """Summary.\n\n    More, at the indentation.\n    """\n', True),
    ('class A:\n    """Summary.\n      over-indented\n      lines\n    """\n', False),
    ('class A:\n    """Summary.\n\n      one line deeper\n    back\n    """\n', True),
    ('class A:\n    """Summary.\n    """\n', False),
    ('class A:\n    """Trailing no-break space\u00a0\n    more\n    """\n', False),
    ('class A:\n    """\u00a0Leading no-break space."""\n', False),
    ('class A:\n    """Ends with a quote \\""""\n', False),
    ('class A:\n    """ Starts with a space."""\n', False),
    ('class A:\n    """Escapes \\x0b\\u2028 \\\\ \\"\\"\\" kept."""\n', True),
    ('class A:\n    """Escape \\x0B."""\n', False),
    ('class A:\n    "Docstring in double quotes."\n', False),
    ("class A:\n    _ROUTES = (_A,)\n", True),
    ("class A:\n    _ROUTES = (_A, )\n", False),
    ("class A:\n    _ROUTES = (_A, _B,)\n", False),
    ("class A:\n    _ROUTES = f(_A,)\n", False),
    ("X = [1,]\n", False),
    ("X = .5\n", False),
    ("X = 1.5 + x.y5\n", True),
    ("X = f(a,)\n", False),
    ("X = 1; Y = 2\n", False),
    ("X = [\n    1,\n    2,\n]\n", True),
    ("class A:\n\tx: int\n", False),
    ("class A:\n    x: int \n", False),
    ("class A:\n    x: int\n\n\n    y: int\n", False),
    ('X = "' + "x" * 95 + '"\n', False),
    ('class A:\n    """' + "x" * 110 + "\n\n    " + "y" * 110 + '\n    """\n', True),
    ('class A:\n    """' + "x" * 110 + '\n    """\n', False),
    ('class A:\n    """Summary.\n\n    ' + "x" * 95 + '"""\n', False),
    ('X = "' + "注" * 48 + '"\n', False),
    ('X = "' + "注" * 47 + '"\n', True),
    ('X = "' + "é" * 90 + '"\n', True),
]


@pytest.mark.parametrize(("chunk", "kept"), CHUNKS)
def test_fits_as_written_keeps_only_what_black_keeps(chunk: str, kept: bool) -> None:
    assert _fits_as_written(chunk) is kept
    if kept:
        assert ChunkFormatter()._run_black("module", chunk) == chunk


def test_fits_as_written_on_a_method_chunk() -> None:
    method = (
        "    def f(self) -> None:\n"
        '        """It\'s `GET /x` (a \'quoted\' word)."""\n'
        "        # the document's note\n"
        "        return None\n"
    )
    assert _fits_as_written(method)
    assert ChunkFormatter()._run_black("method", method) == method


def test_line_width_is_never_below_blacks() -> None:
    """black counts characters twice by its own width table; line_width counts every character
    from U+1100 on twice, so it must find none of black's wide characters below that."""
    from black._width_table import WIDTH_TABLE
    from black.strings import char_width, str_width

    # Only wide characters in the table (none narrower than a column), none below U+1100.
    assert {width for _, _, width in WIDTH_TABLE} == {2}
    assert all(start >= 0x1100 for start, _, _ in WIDTH_TABLE)
    assert all(char_width(chr(code)) == 1 for code in range(0x1100))
    for text in ["ascii", "é" * 10, "注文" * 5, "\u0301" * 3, "\u1100\u2630\U0001f600", "a\u3000b"]:
        assert len(text) <= str_width(text) <= line_width(text)


def render_bracketed(head: str, items: list[str], tail: str) -> str:
    template = environment().from_string(
        "{% filter bracketed %}\n{{ head }}\n{% for item in items %}\n{{ item }}\n{% endfor %}\n"
        "{{ tail }}\n{% endfilter %}"
    )
    return template.render(
        head=PyCode(head), items=[PyCode(item) for item in items], tail=PyCode(tail)
    )


def test_bracketed_is_one_line_when_it_fits_else_one_item_per_line() -> None:
    assert render_bracketed("X = f(", ["a", "b"], ")") == "X = f(a, b)\n"
    assert render_bracketed("X = f(", [], ")") == "X = f()\n"
    items = [f"argument_{i}={i}" for i in range(8)]
    exploded = render_bracketed("    x: int = Field(", items, ")")
    assert exploded == (
        "    x: int = Field(\n" + "".join(f"        {item},\n" for item in items) + "    )\n"
    )
    assert format_module(f"class A:\n{exploded}") == f"class A:\n{exploded}"
    # 90 wide characters are 180 columns for black: exploded, though 92 characters long.
    assert render_bracketed('X = f("', ["注" * 90 + '"'], ")").count("\n") == 3


def test_bracketed_formats_template_blocks_only() -> None:
    from apigen.client.renderer import _bracketed

    with pytest.raises(TypeError):
        _bracketed("X = f(\na\n)")  # type: ignore[arg-type]
    assert _bracketed(Markup("X = f(\na\n)")) == "X = f(a)\n"
