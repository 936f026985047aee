"""A hostile document yields valid, unique identifiers and inert text: nothing from the spec can
become code, and unsupported constructs degrade to Any instead of failing."""

from __future__ import annotations

import ast
import inspect
import keyword
from enum import Enum
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel

from tests.client.generated import import_client, write_client
from tests.client.hostile_spec import (
    ENUM_VALUES,
    INJECTION,
    ODD_PROPERTIES,
    STRING_DEFAULT,
    hostile_spec,
)

SPEC_CLASSES = {
    "class": "Class",
    "Order-Input": "OrderInput",
    "Order Input": "OrderInput2",
    "OrderInput": "OrderInput3",
    "None": "None_",
    "ApiError": "ApiError2",
    "Field": "Field2",
    "123start": "Schema123start",
    "a/b~c": "ABC",
    "ünïcode": "Unicode",
    "q\"u'o\\te": "QUOTe",
    "Weird Enum": "WeirdEnum",
    "Numbers": "Numbers",
}
# Calls that may run while the module is imported (class bodies included, function and lambda
# bodies excluded): model configuration and fields, and the rebuild of recursive models.
IMPORT_TIME_CALLS = {"ConfigDict", "Field", "model_rebuild"}


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_client(hostile_spec(), tmp_path_factory.mktemp("hostile"), module="hostile")


@pytest.fixture(scope="module")
def hostile(hostile_path: Path) -> ModuleType:
    return import_client(hostile_path)


def _import_time_calls(tree: ast.Module) -> list[str]:
    calls: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # Only defaults and decorators run at import; the body does not.
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    visit(default)
            return
        if isinstance(node, ast.Call):
            func = node.func
            calls.append(func.id if isinstance(func, ast.Name) else ast.unparse(func))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return calls


def test_no_unexpected_code_runs_at_import(hostile_path: Path) -> None:
    tree = ast.parse(hostile_path.read_text(encoding="utf-8"))
    unexpected = [
        call for call in _import_time_calls(tree) if call.split(".")[-1] not in IMPORT_TIME_CALLS
    ]
    assert unexpected == []
    statements = {type(node).__name__ for node in tree.body}
    assert statements <= {"Expr", "Import", "ImportFrom", "ClassDef", "FunctionDef", "AnnAssign"}
    expressions = [node for node in tree.body if isinstance(node, ast.Expr)]
    assert isinstance(expressions[0].value, ast.Constant)  # the module docstring
    for node in expressions[1:]:
        assert ast.unparse(node) == "SelfRef.model_rebuild()"


def test_class_names_are_sanitised_unique_and_predictable(hostile: ModuleType) -> None:
    for name in SPEC_CLASSES.values():
        assert name.isidentifier() and not keyword.iskeyword(name)
        assert inspect.isclass(getattr(hostile, name)), name
    assert len(set(SPEC_CLASSES.values())) == len(SPEC_CLASSES)
    # The module's own names were not shadowed by the spec's "ApiError" and "Field".
    assert issubclass(hostile.ApiError, Exception)
    assert issubclass(hostile.ApiError2, BaseModel)


def test_field_names_are_sanitised_unique_and_aliased(hostile: ModuleType) -> None:
    fields = hostile.Class.model_fields
    names = list(fields)
    assert len(names) == len(ODD_PROPERTIES) == len(set(names))
    for name in names:
        assert name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")
    wire_names = [
        name if field.serialization_alias is None else field.serialization_alias
        for name, field in fields.items()
    ]
    assert wire_names == ODD_PROPERTIES
    payload = {wire: f"value of {wire}" for wire in ODD_PROPERTIES}
    parsed = hostile.Class.model_validate(payload)
    assert parsed.model_dump(by_alias=True) == payload
    assert parsed.class_ == "value of class"
    assert parsed.a_b_2 == "value of a b"


def test_enum_values_are_kept_exactly(hostile: ModuleType) -> None:
    enum = hostile.WeirdEnum
    assert issubclass(enum, str) and issubclass(enum, Enum)
    assert [member.value for member in enum] == ENUM_VALUES
    names = [member.name for member in enum]
    assert len(set(names)) == len(names)
    assert all(name.isidentifier() and not keyword.iskeyword(name) for name in names)
    assert [member.value for member in hostile.Numbers] == [1, 2, -1]


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def test_texts_stay_text(hostile: ModuleType) -> None:
    # Docstrings are wrapped to 100 columns: compare with whitespace normalised.
    assert INJECTION in (hostile.Class.__doc__ or "")
    assert (hostile.WeirdEnum.__doc__ or "") == INJECTION
    assert INJECTION in (hostile.HostileV1Client.class_.__doc__ or "")
    assert _words(INJECTION) in _words(hostile.__doc__)
    assert "\x00" in (hostile.Class.__doc__ or "")  # escaped in source, intact as text


def test_defaults_are_python_values(hostile: ModuleType) -> None:
    defaults = hostile.Defaults()
    assert defaults.text == STRING_DEFAULT
    assert defaults.choice is hostile.WeirdEnum.QUOTE
    assert defaults.number is hostile.Numbers.MINUS_1
    assert defaults.when.isoformat() == "2024-01-02T03:04:05+00:00"
    assert defaults.items == [1, 2]
    assert defaults.items is not hostile.Defaults().items
    assert defaults.mapping == {"k": 'v"\\'}
    assert defaults.nested == hostile.OrderInput(x=3)
    assert defaults.nan is None  # NaN has no literal: degraded to an optional field
    assert (defaults.const, defaults.flag, defaults.ratio) == ("fixed", True, 1)


def test_method_and_parameter_names(hostile: ModuleType) -> None:
    methods = {
        name for name, value in vars(hostile.HostileV1Client).items() if inspect.isfunction(value)
    }
    assert methods == {
        "class_",
        "get_item",
        "get_item_2",
        "get_item_3",
        "close_",
        "init",
        "request",
        "aclose_",
    }
    signature = inspect.signature(hostile.HostileV1Client.class_)
    assert list(signature.parameters) == [
        "self",
        "item_id",
        "class_",
        "self_",
        "body",
        "list_",
        "x_request_id",
        "when",
        "x_request_id_2",
    ]
    async_methods = {
        name
        for name, value in vars(hostile.AsyncHostileV1Client).items()
        if inspect.iscoroutinefunction(value)
    }
    assert async_methods == methods


def test_unsupported_constructs_degrade_to_any_with_a_reason(hostile_path: Path) -> None:
    source = hostile_path.read_text(encoding="utf-8")
    assert "# inline object with properties at #/components/schemas/Untypeable" in source
    assert "# recursive schema alias LoopA" in source
    assert "    one_of_inline: Any = None\n" in source
    assert "    alias: list[str] | None = None\n" in source  # an array alias is inlined
    assert "# cookie parameter 'session' is not supported" in source


def test_hostile_requests_are_well_formed(hostile: ModuleType) -> None:
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"class": "c", "a-b": "d"} if request.method == "GET" else []
        return httpx.Response(200, json=body)

    with hostile.HostileV1Client("http://h", transport=httpx.MockTransport(handler)) as client:
        result = client.class_(7, hostile.WeirdEnum.WITH_SPACE, list_="l", x_request_id_2="r")
        assert result.class_ == "c"
        assert client.get_item(1, hostile.WeirdEnum.VALUE_3, hostile.Defaults(), class__2="q") == []
    get, post = seen
    assert get.url.path == "/api/v1/hostile/items/7/q\"u'o\\te/with space"
    assert get.url.params.multi_items() == [("list", "l")]
    assert get.headers["X-Request-ID"] == "r"
    assert post.url.raw_path.endswith(b"te/%5C?class=q")  # the path value is one segment
    assert post.content == b"{}"  # nothing set explicitly: the server applies its defaults
