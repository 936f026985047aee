"""Typed Python WebSocket client generation: AsyncAPI 3 document -> one standalone client module.

The same three layers as the HTTP client (apigen.client, docs/client-generation.md): typed,
pointer-aware access to the document; domain objects whose names and texts are already safe
(`spec_model`, reusing the HTTP client's model layer); the Jinja template, formatted with black
chunk by chunk. docs/asyncapi-and-ws-client.md describes the generated client.

Importing this package is cheap (no jinja2, black or pydantic): the heavy imports happen on the
first `render_ws_client` call.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apigen.client.spec_reader import SpecError as _DocumentError

__all__ = ["SpecError", "render_ws_client"]


class SpecError(_DocumentError):
    """The document is not a usable AsyncAPI 3 document; `pointer` says where.

    A subclass of the HTTP client's `SpecError` (and so of `ValueError`): the shared reading
    layer raises that one, and `render_ws_client` re-raises it with the right document kind.
    """

    def __init__(self, pointer: str, problem: str) -> None:
        ValueError.__init__(self, f"invalid AsyncAPI document at {pointer}: {problem}")
        self.pointer = pointer
        self.problem = problem


def render_ws_client(
    spec: Mapping[str, Any], *, module: str, version: int, cache_dir: Path | None = None
) -> str:
    """Return the black-formatted source of a standalone typed WebSocket client.

    `spec` is an AsyncAPI 3 document as `apigen.producers.asyncapi_spec` writes it; `module` and
    `version` name the client class (`("datafeed", 1)` -> `DatafeedV1WsClient`). Raises
    `SpecError` (a `ValueError`) naming the JSON pointer of the problem when the document is not
    usable. `cache_dir` (optional) keeps black's results per chunk and the compiled template
    between runs; the output is byte-identical with or without it.
    """
    from apigen.client.formatter import ChunkFormatter
    from apigen.client.names import snake_case
    from apigen.ws_client.renderer import render
    from apigen.ws_client.spec_model import build_ws_client_module

    try:
        client_module = build_ws_client_module(spec, module=module, version=version)
    except SpecError:
        raise
    except _DocumentError as error:
        raise SpecError(error.pointer, error.problem) from None
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / f"{snake_case(module, fallback='api')}_v{version}_ws.json"
    formatter = ChunkFormatter(cache_file)
    bytecode_dir = None if cache_dir is None else cache_dir / "jinja"
    source = render(client_module, formatter, bytecode_dir)
    formatter.save()
    return source
