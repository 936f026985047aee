"""Render a `WsClientModule` with the Jinja templates and black per chunk (as the HTTP client)."""

from __future__ import annotations

from pathlib import Path

from apigen.client.formatter import ChunkFormatter
from apigen.client.renderer import environment
from apigen.ws_client.domain import WsClientModule

WS_CLIENT_TEMPLATE = "ws_client.py.jinja"


def render(
    module: WsClientModule, formatter: ChunkFormatter, bytecode_dir: Path | None = None
) -> str:
    """The formatted source of the WebSocket client module."""
    template = environment(bytecode_dir).get_template(WS_CLIENT_TEMPLATE)
    return template.render(module=module, formatter=formatter)
