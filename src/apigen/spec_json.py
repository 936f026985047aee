"""The on-disk form of every generated spec document (OpenAPI, AsyncAPI, merged)."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(document: Any) -> str:
    """2-space indent, UTF-8, trailing newline.

    Key order is the producer's own (FastAPI's, which follows the source), so a diff between two
    versions of a spec reads like the diff of the code that made them; it is deterministic.
    """
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
