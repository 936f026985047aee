"""The generated WebSocket client source: strict gates, black, determinism, standalone imports,
names, and clear errors for documents it cannot use."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, create_model

from apigen.client.formatter import format_module
from apigen.producers.asyncapi_spec import asyncapi_document as export
from apigen.producers.python_ws_client import render_ws_clients
from apigen.ws_client import SpecError, render_ws_client
from tests.asyncapi.real_documents import asyncapi_document
from tests.client.generated import import_client
from tests.client.static_checks import PROJECT_RUFF_RULES, run_mypy_strict, run_ruff
from tests.support.doit_project import PROJECT_ROOT

ALLOWED_IMPORTS = {"pydantic", "websockets"} | set(sys.stdlib_module_names)


def test_mypy_strict_and_ruff_pass(ws_client_files: dict[str, Path], tmp_path: Path) -> None:
    files = list(ws_client_files.values())
    checked = run_mypy_strict(files, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    linted = run_ruff(files, "--select", PROJECT_RUFF_RULES, "--line-length", "100")
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_a_typed_user_program_passes_mypy_strict(
    ws_client_files: dict[str, Path], tmp_path: Path
) -> None:
    """The client's types reach its users: a wrong request type or field is a mypy error."""
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "datafeed_ws.py").write_text(ws_client_files["datafeed"].read_text())
    program = folder / "program.py"
    program.write_text(
        "import contextlib\n"
        "from datafeed_ws import BarPublic, BarsSubscriptionRequest, DatafeedV1WsClient\n\n\n"
        "async def main() -> float:\n"
        '    async with DatafeedV1WsClient("http://127.0.0.1:8000", open_timeout=5) as ws:\n'
        '        bars = ws.bars(BarsSubscriptionRequest(symbol="AAPL"))\n'
        "        async with contextlib.aclosing(bars):\n"
        "            async for bar in bars:\n"
        "                typed: BarPublic = bar\n"
        "                return typed.close\n"
        "    return 0.0\n"
    )
    assert run_mypy_strict([program], folder).returncode == 0
    program.write_text(program.read_text().replace("typed.close", "typed.closing"))
    failed = run_mypy_strict([program], folder)
    assert failed.returncode == 1 and '"BarPublic" has no attribute "closing"' in failed.stdout


def test_source_is_black_stable(ws_client_files: dict[str, Path]) -> None:
    for path in ws_client_files.values():
        source = path.read_text(encoding="utf-8")
        assert format_module(source) == source


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    spec = asyncapi_document("broker")
    first = render_ws_client(spec, module="broker", version=1)
    assert render_ws_client(spec, module="broker", version=1) == first
    cached = render_ws_client(spec, module="broker", version=1, cache_dir=tmp_path)
    warm = render_ws_client(spec, module="broker", version=1, cache_dir=tmp_path)
    assert cached == first and warm == first
    assert (tmp_path / "broker_v1_ws.json").is_file()
    script = (
        "import json, sys; from apigen.ws_client import render_ws_client; "
        "sys.stdout.write(render_ws_client(json.load(sys.stdin), module='broker', version=1))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        env={"PYTHONHASHSEED": "4321", "PATH": ""},
    )
    assert fresh.stdout == first


def test_imports_only_stdlib_pydantic_and_websockets(ws_client_files: dict[str, Path]) -> None:
    for path in ws_client_files.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_IMPORTS, (path.name, roots)


def test_client_classes_and_methods(datafeed_ws: ModuleType, broker_ws: ModuleType) -> None:
    assert callable(datafeed_ws.DatafeedV1WsClient.bars)
    assert callable(datafeed_ws.DatafeedV1WsClient.quotes)
    for method in ("orders", "positions", "executions", "equity", "broker_connection"):
        assert callable(getattr(broker_ws.BrokerV1WsClient, method)), method
    assert issubclass(broker_ws.WsSubscriptionError, broker_ws.WsError)
    assert issubclass(broker_ws.WsConnectionError, broker_ws.WsError)
    assert "async with DatafeedV1WsClient" in (datafeed_ws.__doc__ or "")


class Request(BaseModel):
    symbol: str


class Data(BaseModel):
    value: int


def routers(*names: str) -> list[type[Any]]:
    classes = []
    for name in names:
        cls = type("Router", (), {"route": name, "request_model": Request, "data_model": Data})
        classes.append(cls)
    return classes


def test_route_names_that_clash_with_python_or_the_client_are_renamed(tmp_path: Path) -> None:
    # "list": a method named like a type the class's annotations use would shadow it for mypy.
    spec = export(
        routers("class", "connect", "url", "a-b", "list"), module="x", title="X", version=3
    )
    spec["channels"]["a_b"] = spec["channels"]["a-b"]  # not a route name, but a channel id
    path = tmp_path / "x_ws.py"
    path.write_text(render_ws_client(spec, module="x", version=3), encoding="utf-8")
    client = import_client(path).XV3WsClient
    for method in ("class_", "connect_", "url_", "a_b", "list_", "a_b_2"):
        assert callable(getattr(client, method)), method
    assert run_mypy_strict([path], tmp_path).returncode == 0


def test_schemas_named_like_builtins_do_not_shadow_them(tmp_path: Path) -> None:
    """Found by the fuzzer: a model named `TimeoutError` became `class TimeoutError(BaseModel)`,
    so the client's `except TimeoutError` (a reply that never comes) caught nothing."""
    request = create_model("TimeoutError", symbol=(str, ...))
    data = create_model("OSError", value=(int, ...))
    router = type("Router", (), {"route": "ticks", "request_model": request, "data_model": data})
    spec = export([router], module="x", title="X", version=1)
    path = tmp_path / "x_ws.py"
    path.write_text(render_ws_client(spec, module="x", version=1), encoding="utf-8")
    module = import_client(path)
    assert "TimeoutError" not in vars(module) and "OSError" not in vars(module)
    assert module.TimeoutError2.model_fields["symbol"].annotation is str
    assert module.OSError2.model_fields["value"].annotation is int


def test_a_document_with_a_lone_surrogate_is_refused() -> None:
    spec = asyncapi_document("datafeed")
    spec["channels"]["bars"]["description"] = "bars \ud800"
    with pytest.raises(SpecError) as raised:
        render_ws_client(spec, module="datafeed", version=1)
    assert raised.value.pointer == "#/channels/bars/description"
    assert "lone surrogate U+D800" in str(raised.value)


def test_a_document_without_routes_gives_a_client_without_methods(tmp_path: Path) -> None:
    source = render_ws_client(asyncapi_document("core"), module="core", version=1)
    path = tmp_path / "core_ws.py"
    path.write_text(source, encoding="utf-8")
    assert hasattr(import_client(path), "CoreV1WsClient")
    assert run_mypy_strict([path], tmp_path).returncode == 0


def _without_update(spec: dict[str, Any]) -> None:
    del spec["channels"]["bars"]["messages"]["update"]


def _two_addresses(spec: dict[str, Any]) -> None:
    spec["channels"]["quotes"]["address"] = "/elsewhere"


def _version_2(spec: dict[str, Any]) -> None:
    spec["asyncapi"] = "2.6.0"


def _untyped_frame(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["BarsUpdate"]["properties"]["type"]["const"]


@pytest.mark.parametrize(
    ("breaker", "pointer"),
    [
        (_without_update, "#/channels/bars/messages"),
        (_two_addresses, "#/channels/quotes/address"),
        (_version_2, "#/asyncapi"),
        (_untyped_frame, "#/components/schemas/BarsUpdate/properties/type"),
    ],
)
def test_unusable_documents_raise_spec_error_with_a_pointer(breaker: Any, pointer: str) -> None:
    spec = asyncapi_document("datafeed")
    breaker(spec)
    with pytest.raises(SpecError) as raised:
        render_ws_client(spec, module="datafeed", version=1)
    assert raised.value.pointer == pointer
    assert str(raised.value).startswith(f"invalid AsyncAPI document at {pointer}: ")


def test_the_doit_action_writes_clients_and_reports_bad_specs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APIGEN_WARM_WORKER", "0")
    spec_path = tmp_path / "datafeed_v1_asyncapi.json"
    spec_path.write_text(json.dumps(asyncapi_document("datafeed")), encoding="utf-8")
    output = tmp_path / "client_generated" / "datafeed_v1_ws_client.py"
    cache = tmp_path / "cache"
    assert render_ws_clients("datafeed", [1], [str(spec_path)], [str(output)], str(cache)) is None
    assert "class DatafeedV1WsClient(_WsClient):" in output.read_text(encoding="utf-8")
    spec_path.write_text("{", encoding="utf-8")
    failure = render_ws_clients("datafeed", [1], [str(spec_path)], [str(output)], str(cache))
    assert "not valid JSON" in str(failure.message)
    spec_path.write_text(json.dumps({"asyncapi": "2.6.0"}), encoding="utf-8")
    failure = render_ws_clients("datafeed", [1], [str(spec_path)], [str(output)])
    assert "cannot render a WebSocket client" in str(failure.message)
    assert "#/asyncapi" in str(failure.message)
