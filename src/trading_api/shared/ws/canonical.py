"""Canonical JSON of a subscription request: the part of a topic key that names the request."""

from __future__ import annotations

import json

from pydantic import BaseModel


def canonical_json(request: BaseModel) -> str:
    """`request` as JSON with defaults applied, keys sorted and compact separators.

    Two requests that validate to equal models give the same text, whatever their key order,
    whitespace or omitted defaults on the wire, so they share one topic.
    """
    return json.dumps(
        request.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":")
    )
