"""One OpenAPI and one AsyncAPI document for the whole app, from the real per-module documents."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate as validate_openapi

from apigen.producers.merged_specs import merge_asyncapi, merge_openapi
from apigen.user_errors import UserError
from tests.asyncapi.conftest import Validate
from tests.asyncapi.real_documents import (
    asyncapi_document,
    module_versions,
    openapi_document,
    write_json,
)


def real_openapi() -> dict[str, dict[str, Any]]:
    return {module: openapi_document(module, version) for module, version in module_versions()}


def real_asyncapi() -> dict[str, dict[str, Any]]:
    return {module: asyncapi_document(module, version) for module, version in module_versions()}


def test_merged_openapi_is_valid_with_prefixed_paths_and_operation_ids() -> None:
    parts = real_openapi()
    merged = merge_openapi(parts, title="Trading API")
    validate_openapi(merged)
    assert merged["info"]["title"] == "Trading API"
    assert merged["info"]["version"] == "v1"
    assert "servers" not in merged
    assert "/api/v1/datafeed/config" in merged["paths"]
    assert "/api/v1/broker/orders" in merged["paths"]
    expected_paths = sum(len(part["paths"]) for part in parts.values())
    assert len(merged["paths"]) == expected_paths
    operation_ids = [
        operation["operationId"]
        for item in merged["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert "broker.place_order" in operation_ids
    assert len(operation_ids) == len(set(operation_ids))


def test_components_defined_alike_are_shared() -> None:
    parts = real_openapi()
    merged = merge_openapi(parts)
    schemas = merged["components"]["schemas"]
    assert schemas["ErrorPublic"] == parts["broker"]["components"]["schemas"]["ErrorPublic"]
    assert list(schemas) == sorted(schemas)
    every = {name for part in parts.values() for name in part["components"]["schemas"]}
    assert set(schemas) == every


def test_a_component_defined_differently_names_both_modules() -> None:
    parts = real_openapi()
    parts["datafeed"]["components"]["schemas"]["ErrorPublic"]["description"] = "changed"
    with pytest.raises(UserError) as raised:
        merge_openapi(parts)
    message = str(raised.value)
    assert "'ErrorPublic'" in message and "broker" in message and "datafeed" in message


def test_a_top_level_security_requirement_stays_with_its_module() -> None:
    parts = real_openapi()
    parts["broker"]["security"] = [{"key": []}]
    parts["broker"].setdefault("components", {})["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
    }
    merged = merge_openapi(parts)
    validate_openapi(merged)
    assert "security" not in merged
    assert merged["paths"]["/api/v1/broker/orders"]["post"]["security"] == [{"key": []}]
    assert "security" not in merged["paths"]["/api/v1/datafeed/config"]["get"]


def test_merged_asyncapi_is_valid_with_prefixed_channels_and_operations(
    asyncapi_validator: Validate, tmp_path: Path
) -> None:
    merged = merge_asyncapi(real_asyncapi(), title="Trading API")
    assert "datafeed.bars" in merged["channels"]
    assert "broker.broker-connection" in merged["channels"]
    assert merged["operations"]["datafeed.bars.subscribe"]["channel"] == {
        "$ref": "#/channels/datafeed.bars"
    }
    assert merged["operations"]["datafeed.bars.subscribe"]["messages"] == [
        {"$ref": "#/channels/datafeed.bars/messages/subscribe"}
    ]
    assert list(merged["servers"]) == ["api"]
    # The protocol's own components are defined once, identically, by every module.
    assert "SubscriptionResponse" in merged["components"]["schemas"]
    assert "ProtocolError" in merged["components"]["messages"]
    done = asyncapi_validator(write_json(tmp_path, "merged.json", merged))
    assert done.returncode == 0, done.stdout + done.stderr


def test_asyncapi_component_conflict_names_both_modules() -> None:
    parts = real_asyncapi()
    schema = parts["broker"]["components"]["schemas"]["SubscriptionResponse"]
    schema["description"] = "something else"
    with pytest.raises(UserError, match=r"'SubscriptionResponse' is defined differently by "):
        merge_asyncapi(parts)


def test_two_versions_of_a_module_merge_under_their_own_keys() -> None:
    datafeed = asyncapi_document("datafeed")
    v2 = copy.deepcopy(datafeed)
    v2["info"]["version"] = "v2"
    for channel in v2["channels"].values():
        channel["address"] = "/api/v2/datafeed/ws"
    merged = merge_asyncapi({"datafeed_v1": datafeed, "datafeed_v2": v2})
    assert {"datafeed_v1.bars", "datafeed_v2.bars"} <= set(merged["channels"])
    assert merged["info"]["version"] == "datafeed_v1 v1, datafeed_v2 v2"


def test_different_specification_versions_do_not_merge() -> None:
    parts = real_asyncapi()
    parts["core"]["asyncapi"] = "3.1.0"
    with pytest.raises(UserError, match="different AsyncAPI versions"):
        merge_asyncapi(parts)


@pytest.mark.parametrize("keys", [[], ["a/b"], [""]])
def test_bad_keys_are_a_programming_error(keys: list[str]) -> None:
    with pytest.raises(ValueError):
        merge_asyncapi({key: asyncapi_document("core") for key in keys})
