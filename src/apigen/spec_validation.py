"""Validate every generated OpenAPI and AsyncAPI document against its specification's schema.

The schemas are the official ones, shipped in `spec_schemas/` (see its README: where each
comes from). jsonschema-rs compiles a schema in well under 0.1 s and validates one of this
project's documents in about a millisecond; the pure-Python validators took 0.2-1 s per
document, more than exporting it. No schema is ever fetched: a `$ref` to anything outside the
shipped file is an error, not a network request.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigen.user_errors import UserError

SCHEMAS_DIR = Path(__file__).parent / "spec_schemas"
# The document's version field -> the schema file that validates it.
SCHEMA_FILES = {
    "openapi": SCHEMAS_DIR / "openapi-3.1.json",
    "asyncapi": SCHEMAS_DIR / "asyncapi-3.0.0.json",
}
SUPPORTED_VERSIONS = {"openapi": "3.1.", "asyncapi": "3.0."}
# Enough to act on; the rest usually repeats the same cause.
MAX_REPORTED = 10

# Compiled validators, per process (the warm worker keeps them across jobs).
_validators: dict[str, Any] = {}


def validate_document(path: Path, document: dict[str, Any]) -> None:
    """Raise a UserError naming `path` and each violation when `document` is invalid."""
    kind = next((kind for kind in SCHEMA_FILES if kind in document), None)
    if kind is None:
        raise UserError.at(path, None, "neither an OpenAPI nor an AsyncAPI document")
    version = str(document[kind])
    if not version.startswith(SUPPORTED_VERSIONS[kind]):
        raise UserError.at(
            path,
            None,
            f"{kind} {version} cannot be validated: apigen ships the schema for "
            f"{SUPPORTED_VERSIONS[kind]}x",
        )
    errors = sorted(
        _validator(kind).iter_errors(document),
        key=lambda error: [str(part) for part in error.instance_path],
    )
    if not errors:
        return
    lines = [
        f"  at {_pointer(error.instance_path)}: {_shorten(error.message)}"
        for error in errors[:MAX_REPORTED]
    ]
    if len(errors) > MAX_REPORTED:
        lines.append(f"  ... and {len(errors) - MAX_REPORTED} more")
    raise UserError.at(
        path,
        None,
        f"not a valid {'OpenAPI 3.1' if kind == 'openapi' else 'AsyncAPI 3.0'} document "
        f"({len(errors)} violation{'s' if len(errors) > 1 else ''} of its specification "
        "schema); the old file is kept:\n" + "\n".join(lines),
    )


def _validator(kind: str) -> Any:
    validator = _validators.get(kind)
    if validator is None:
        import jsonschema_rs

        schema = json.loads(SCHEMA_FILES[kind].read_text(encoding="utf-8"))
        validator = jsonschema_rs.validator_for(schema, retriever=_refuse_remote)
        _validators[kind] = validator
    return validator


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"the specification schema refers to {uri}; apigen never fetches schemas")


def _pointer(path: Any) -> str:
    """A JSON pointer (RFC 6901), as editors and `jq` understand it."""
    parts = [str(part).replace("~", "~0").replace("/", "~1") for part in path]
    return "/" + "/".join(parts) if parts else "/"


def _shorten(message: str, limit: int = 240) -> str:
    """jsonschema-rs quotes whole subdocuments in some messages: keep lines readable."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."
