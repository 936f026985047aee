"""AsyncAPI documents of the real modules: valid for the official parser, shaped as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate as validate_openapi

from tests.asyncapi.conftest import Validate
from tests.asyncapi.real_documents import (
    asyncapi_document,
    asyncapi_text,
    module_versions,
    openapi_document,
    write_json,
    ws_modules,
)
from tests.support.doit_project import PROJECT_ROOT


def test_every_real_document_validates(asyncapi_validator: Validate, tmp_path: Path) -> None:
    paths = [
        write_json(
            tmp_path, f"{module}_v{version}_asyncapi.json", asyncapi_document(module, version)
        )
        for module, version in module_versions()
    ]
    assert len(paths) >= 3
    done = asyncapi_validator(*paths)  # strict: warnings fail too
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": valid") == len(paths)


def _break_operation_message(document: dict) -> None:
    # An operation may only use messages of its own channel (a rule beyond the JSON Schema).
    document["operations"]["bars.subscribe"]["messages"] = [
        {"$ref": "#/channels/quotes/messages/subscribe"}
    ]


def _break_schema(document: dict) -> None:
    document["components"]["schemas"]["BarPublic"]["type"] = 5


def _break_root(document: dict) -> None:
    del document["info"]


def _break_reference(document: dict) -> None:
    document["channels"]["bars"]["messages"]["update"] = {"$ref": "#/components/messages/Nope"}


BREAKERS = {
    "operation-message": (
        _break_operation_message,
        "asyncapi3-operation-messages-from-referred-channel",
    ),
    "schema": (_break_schema, "at #/components/schemas/BarPublic/type"),
    "root": (_break_root, 'required property "info"'),
    "reference": (_break_reference, "#/components/messages/Nope"),
}


def test_broken_documents_are_rejected(asyncapi_validator: Validate, tmp_path: Path) -> None:
    """Proves the validator runs: each broken copy of a valid document fails, for its reason."""
    paths = []
    for name, (breaker, _) in BREAKERS.items():
        document = asyncapi_document("datafeed")
        breaker(document)
        paths.append(write_json(tmp_path, f"{name}.json", document))
    done = asyncapi_validator(*paths)  # one node process for all: its start-up costs ~1 s
    assert done.returncode == 1, done.stdout + done.stderr
    for path, (_, expected) in zip(paths, BREAKERS.values(), strict=True):
        errors = [line for line in done.stdout.splitlines() if line.startswith(f"{path}:")]
        assert any(": error " in line and expected in line for line in errors), done.stdout
        assert f"{path}: valid" not in done.stdout


def test_the_validator_reports_unreadable_files(
    asyncapi_validator: Validate, tmp_path: Path
) -> None:
    done = asyncapi_validator(tmp_path / "missing.json")
    assert done.returncode == 2
    assert "cannot read" in done.stderr


@pytest.mark.parametrize(("module", "version"), module_versions())
def test_openapi_documents_of_the_real_modules_validate(module: str, version: int) -> None:
    validate_openapi(openapi_document(module, version))


def test_datafeed_document_shape() -> None:
    document = asyncapi_document("datafeed")
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "Datafeed WebSocket API"
    assert document["info"]["version"] == "v1"
    assert document["servers"]["api"]["host"] == "{host}"
    assert document["servers"]["api"]["protocol"] == "ws"
    assert list(document["channels"]) == ["bars", "quotes"]  # declaration order
    assert {c["address"] for c in document["channels"].values()} == {"/api/v1/datafeed/ws"}
    bars = document["channels"]["bars"]["messages"]
    assert list(bars) == [
        "subscribe",
        "unsubscribe",
        "subscribeResponse",
        "unsubscribeResponse",
        "update",
        "error",
    ]
    schemas = document["components"]["schemas"]
    assert schemas["BarsUpdate"]["properties"]["type"]["const"] == "bars.update"
    assert schemas["BarsUpdate"]["properties"]["payload"] == {
        "$ref": "#/components/schemas/BarPublic"
    }
    assert schemas["BarsSubscribe"]["properties"]["payload"] == {
        "$ref": "#/components/schemas/BarsSubscriptionRequest"
    }
    assert schemas["ProtocolError"]["properties"]["type"]["const"] == "error"
    messages = document["components"]["messages"]
    assert messages["BarsSubscribeResponse"]["name"] == "bars.subscribe.response"
    operations = document["operations"]
    assert list(operations)[:3] == ["bars.subscribe", "bars.unsubscribe", "bars.update"]
    assert operations["bars.subscribe"]["action"] == "receive"
    assert operations["bars.update"]["action"] == "send"
    assert operations["bars.subscribe"]["reply"]["messages"] == [
        {"$ref": "#/channels/bars/messages/subscribeResponse"},
        {"$ref": "#/channels/bars/messages/error"},
    ]


def test_every_component_name_is_readable_and_every_ref_resolves() -> None:
    for module, version in ws_modules():
        document = asyncapi_document(module, version)
        for section in ("schemas", "messages"):
            for name in document["components"][section]:
                assert name.isidentifier() and name[0].isupper(), (module, name)
        for ref in _refs(document):
            node = document
            for token in ref.removeprefix("#/").split("/"):
                node = node[token.replace("~1", "/").replace("~0", "~")]


def test_broker_routes_are_kebab_channels_with_pascal_components() -> None:
    document = asyncapi_document("broker")
    assert list(document["channels"]) == [
        "orders",
        "positions",
        "executions",
        "equity",
        "broker-connection",
    ]
    schemas = document["components"]["schemas"]
    assert schemas["BrokerConnectionUpdate"]["properties"]["type"]["const"] == (
        "broker-connection.update"
    )


def test_a_module_without_websocket_routes_has_an_empty_document() -> None:
    document = asyncapi_document("core")
    assert document["channels"] == {} and document["operations"] == {}
    assert "components" not in document


def test_export_is_deterministic_across_interpreters() -> None:
    """Same code, same bytes: also in a fresh interpreter (other hash seed, other import order)."""
    script = (
        "import sys; from tests.asyncapi.real_documents import asyncapi_text; "
        "sys.stdout.write(asyncapi_text(sys.argv[1]))"
    )
    for module, _ in ws_modules():
        fresh = subprocess.run(
            [sys.executable, "-c", script, module],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": "12345", "PATH": ""},
        )
        assert fresh.stdout == asyncapi_text(module)
        assert (
            asyncapi_text(module)
            == json.dumps(json.loads(asyncapi_text(module)), indent=2, ensure_ascii=False) + "\n"
        )


def _refs(value: object) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return found + [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []
