"""Every document `doit generate` writes, per module and merged, passes its specification's
maintained validator: @asyncapi/parser for AsyncAPI 3.0, openapi-spec-validator for OpenAPI."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from tests.asyncapi.conftest import Validate


def test_every_generated_asyncapi_document_validates(
    built_template: Path, asyncapi_validator: Validate
) -> None:
    documents = sorted((built_template / "specs_generated").glob("*asyncapi.json"))
    names = {path.name for path in documents}
    assert {"broker_v1_asyncapi.json", "datafeed_v1_asyncapi.json", "app_asyncapi.json"} <= names
    done = asyncapi_validator(*documents)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_generated_openapi_document_validates(built_template: Path) -> None:
    documents = sorted((built_template / "specs_generated").glob("*openapi.json"))
    assert {path.name for path in documents} >= {"app_openapi.json", "broker_v1_openapi.json"}
    for path in documents:
        validate(json.loads(path.read_text()))
