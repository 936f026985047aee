"""Every generated document is validated against its specification's official schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from apigen.spec_validation import validate_document
from apigen.spec_writer import write_spec
from apigen.user_errors import UserError


def documents(project: Path, kind: str) -> dict[str, dict[str, Any]]:
    found = {
        path.name: json.loads(path.read_bytes())
        for path in sorted((project / "specs_generated").glob(f"*_{kind}.json"))
    }
    assert found, f"no {kind} document was built"
    return found


def invalid(path: Path, document: dict[str, Any]) -> str:
    with pytest.raises(UserError) as raised:
        validate_document(path, document)
    return raised.value.render()


@pytest.mark.parametrize("kind", ["openapi", "asyncapi"])
def test_every_built_document_is_valid(built_template: Path, kind: str) -> None:
    for name, document in documents(built_template, kind).items():
        validate_document(Path(name), document)  # includes the merged app documents


def test_an_openapi_violation_is_named_by_json_pointer(built_template: Path) -> None:
    document = copy.deepcopy(documents(built_template, "openapi")["broker_v1_openapi.json"])
    del document["info"]["title"]
    document["paths"]["/orders"]["get"]["summary2"] = "not an OpenAPI field"
    document["paths"]["/orders"]["get"]["responses"]["200"]["content"] = []

    message = invalid(Path("specs_generated/broker_v1_openapi.json"), document)

    assert message.startswith(
        "specs_generated/broker_v1_openapi.json: not a valid OpenAPI 3.1 document "
        "(3 violations of its specification schema)"
    )
    assert 'at /info: "title" is a required property' in message
    assert "at /paths/~1orders/get: Unevaluated properties are not allowed ('summary2'" in message
    assert 'at /paths/~1orders/get/responses/200/content: [] is not of type "object"' in message


def test_an_asyncapi_violation_is_named_by_json_pointer(built_template: Path) -> None:
    document = copy.deepcopy(documents(built_template, "asyncapi")["broker_v1_asyncapi.json"])
    operation = next(iter(document["operations"]))
    document["operations"][operation]["action"] = "publish"  # AsyncAPI 2's word

    message = invalid(Path("broker_v1_asyncapi.json"), document)

    assert "not a valid AsyncAPI 3.0 document (1 violation" in message
    assert f"at /operations/{operation}:" in message


def test_versions_without_a_shipped_schema_are_refused() -> None:
    message = invalid(Path("old.json"), {"openapi": "3.0.3", "info": {}, "paths": {}})
    assert message == (
        "old.json: openapi 3.0.3 cannot be validated: apigen ships the schema for 3.1.x"
    )
    assert "neither an OpenAPI nor an AsyncAPI" in invalid(Path("x.json"), {"swagger": "2.0"})


def test_many_violations_are_capped(built_template: Path) -> None:
    document = copy.deepcopy(documents(built_template, "openapi")["broker_v1_openapi.json"])
    for item in document["paths"].values():
        for operation in item.values():
            operation["bogus"] = 1
    message = invalid(Path("broker.json"), document)
    assert message.count("\n  at ") == 10
    assert message.endswith("more")


def test_an_invalid_document_is_never_written(built_project: Path) -> None:
    path = built_project / "specs_generated/broker_v1_openapi.json"
    before = path.read_bytes()
    document = json.loads(before)
    document["info"]["version"] = 2  # must be a string
    document["paths"]["/extra"] = {}

    with pytest.raises(UserError):
        write_spec(path, document)

    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))
