"""Typed Python HTTP client generation: OpenAPI 3.x document -> one standalone client module.

Three layers (docs/client-generation.md): `spec_reader` gives typed, pointer-aware access to the
document; `spec_model` turns it into `domain` objects whose names and texts are already safe;
`renderer` feeds those to the Jinja templates and formats the result with black.

Importing this package is cheap (no jinja2, black or pydantic): the heavy imports happen on the
first `render_client` call.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apigen.client.spec_reader import SpecError

__all__ = ["SpecError", "render_client"]


def render_client(
    spec: Mapping[str, Any], *, module: str, version: int, cache_dir: Path | None = None
) -> str:
    """Return the black-formatted source of a standalone typed client for this OpenAPI 3.x document.

    `module` and `version` name the client classes (`("market_data", 1)` ->
    `MarketDataV1Client` and `AsyncMarketDataV1Client`). Raises `SpecError` (a `ValueError`)
    naming the JSON pointer of the problem when the document is not usable.

    `cache_dir` (optional, e.g. `.apigen-cache/client`) keeps black's results per chunk and the
    compiled template between runs; the output is byte-identical with or without it.
    """
    from apigen.client.formatter import ChunkFormatter
    from apigen.client.names import snake_case
    from apigen.client.renderer import render
    from apigen.client.spec_model import build_client_module

    client_module = build_client_module(spec, module=module, version=version)
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / f"{snake_case(module, fallback='api')}_v{version}.json"
    formatter = ChunkFormatter(cache_file)
    bytecode_dir = None if cache_dir is None else cache_dir / "jinja"
    source = render(client_module, formatter, bytecode_dir)
    formatter.save()
    return source
