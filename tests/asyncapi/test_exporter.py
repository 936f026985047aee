"""The AsyncAPI exporter on small inline routers: naming, errors, files, determinism."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Generic, TypeVar

import pytest
from pydantic import BaseModel, computed_field

from apigen.producers.asyncapi_spec import (
    asyncapi_document,
    export_asyncapi,
    write_asyncapi_specs,
)
from apigen.user_errors import UserError
from tests.asyncapi.conftest import Validate
from tests.asyncapi.real_documents import SRC, asyncapi_text, module_versions, write_json

T = TypeVar("T")


class Tick(BaseModel):
    """A price tick."""

    price: float


class Page(BaseModel, Generic[T]):
    items: list[T]


class TicksRequest(BaseModel):
    symbol: str
    depth: int = 1


class Snapshot(BaseModel):
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def doubled(self) -> int:
        return 2 * self.total


def router(route: str, request: type[BaseModel], data: type[BaseModel]) -> type[Any]:
    class Router:
        pass

    Router.route = route  # type: ignore[attr-defined]
    Router.request_model = request  # type: ignore[attr-defined]
    Router.data_model = data  # type: ignore[attr-defined]
    return Router


def document(*routers: type[Any]) -> dict[str, Any]:
    return asyncapi_document(list(routers), module="demo", title="Demo", version=2)


def test_generic_models_get_readable_component_names() -> None:
    schemas = document(router("tick-pages", TicksRequest, Page[Tick]))["components"]["schemas"]
    assert "PageTick" in schemas and "Tick" in schemas
    assert not any("_" in name or "[" in name for name in schemas)
    assert schemas["TickPagesUpdate"]["properties"]["payload"] == {
        "$ref": "#/components/schemas/PageTick"
    }
    assert schemas["PageTick"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/Tick"
    }


def test_a_model_used_both_ways_splits_into_input_and_output() -> None:
    # Snapshot's serialised form has the computed field, its validated form does not.
    schemas = document(router("snapshots", Snapshot, Snapshot))["components"]["schemas"]
    assert "SnapshotInput" in schemas and "SnapshotOutput" in schemas
    assert "doubled" in schemas["SnapshotOutput"]["properties"]
    assert "doubled" not in schemas["SnapshotInput"]["properties"]
    envelope = schemas["SnapshotsSubscribe"]["properties"]["payload"]
    assert envelope == {"$ref": "#/components/schemas/SnapshotInput"}


def test_a_model_shared_by_two_routes_is_one_component() -> None:
    result = document(router("ticks", TicksRequest, Tick), router("more-ticks", TicksRequest, Tick))
    schemas = result["components"]["schemas"]
    assert [name for name in schemas if name == "Tick"] == ["Tick"]
    assert list(result["channels"]) == ["ticks", "more-ticks"]
    assert "MoreTicksUpdate" in schemas


def test_two_models_with_the_same_class_name_are_a_user_error() -> None:
    namespace: dict[str, Any] = {}
    exec("from pydantic import BaseModel\nclass Tick(BaseModel):\n    size: int\n", namespace)
    other = namespace["Tick"]

    class Both(BaseModel):
        first: Tick
        second: other  # type: ignore[valid-type]

    with pytest.raises(
        UserError, match=r"demo v2: different WebSocket models share a class name \(Tick"
    ):
        document(router("both", TicksRequest, Both))


def test_a_model_named_like_a_frame_schema_is_a_user_error() -> None:
    class TicksUpdate(BaseModel):
        price: float

    with pytest.raises(UserError, match="TicksUpdate are also names of the protocol's frame"):
        document(router("ticks", TicksRequest, TicksUpdate))


@pytest.mark.parametrize("route", ["Ticks", "ticks_2", "-ticks", ""])
def test_route_names_must_be_kebab_case(route: str) -> None:
    with pytest.raises(UserError, match="is not kebab-case"):
        document(router(route, TicksRequest, Tick))


def test_a_route_declared_twice_is_a_user_error() -> None:
    with pytest.raises(UserError, match="route 'ticks' is declared more than once"):
        document(router("ticks", TicksRequest, Tick), router("ticks", TicksRequest, Tick))


def test_inline_documents_validate(asyncapi_validator: Validate, tmp_path: Path) -> None:
    documents = {
        "generic": document(router("tick-pages", TicksRequest, Page[Tick])),
        "split": document(router("snapshots", Snapshot, Snapshot)),
        "empty": document(),
    }
    paths = [write_json(tmp_path, f"{name}.json", doc) for name, doc in documents.items()]
    done = asyncapi_validator(*paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_same_routers_same_document() -> None:
    routers = [router("ticks", TicksRequest, Tick), router("tick-pages", TicksRequest, Page[Tick])]
    assert document(*routers) == document(*routers)


def test_write_asyncapi_specs_rewrites_only_changed_files(tmp_path: Path) -> None:
    module, version = next(pair for pair in module_versions() if pair[0] == "datafeed")
    output = tmp_path / "specs_generated" / f"{module}_v{version}_asyncapi.json"
    write_asyncapi_specs(str(SRC), module, [version], [str(output)])
    assert output.read_text(encoding="utf-8") == asyncapi_text(module, version)
    os.utime(output, ns=(1, 1))
    write_asyncapi_specs(str(SRC), module, [version], [str(output)])
    assert output.stat().st_mtime_ns == 1  # identical bytes: not rewritten (early cutoff)


def test_export_asyncapi_reports_a_user_error_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APIGEN_WARM_WORKER", "0")
    result = export_asyncapi(str(SRC), "nosuchmodule", [1], [str(tmp_path / "x.json")])
    assert result is not None, "expected a TaskFailed"
    assert "no module 'nosuchmodule'" in str(result.message)
    assert not (tmp_path / "x.json").exists()
