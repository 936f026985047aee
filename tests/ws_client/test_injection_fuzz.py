"""Generated hostile AsyncAPI documents render to WebSocket clients that hold only the templates'
code (the HTTP client's tests/client/test_injection_fuzz.py, for `render_ws_client`).

The WebSocket generator reads channel ids (method and constant names, route literals,
docstrings), frame types (`const`s), the endpoint address, message and component names, info
texts and the payload schemas (the HTTP client's model layer): all drawn hostile by
`asyncapi_documents`. Each client is checked by tests/client/injection_checks.py and imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from apigen.ws_client import render_ws_client
from tests.asyncapi.real_documents import asyncapi_document
from tests.client.injection_checks import check_ws_client, exec_client
from tests.client.spec_strategies import MODULE, VERSION, asyncapi_documents

# Fewer than the HTTP client's 1000: each route adds five frame models and a method for black
# to format (~170 ms an example with two routes); benchmarks/fuzz_clients.py --ws runs more.
EXAMPLES = 100


def test_hostile_documents_render_to_inert_ws_clients() -> None:
    rendered = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(asyncapi_documents(max_schemas=2, max_routes=2))
    def render_and_check(spec: dict[str, Any]) -> None:
        nonlocal rendered
        source = render_ws_client(spec, module=MODULE, version=VERSION)
        exec_client(check_ws_client(spec, source))
        rendered += 1

    render_and_check()
    assert rendered >= EXAMPLES


def test_the_checks_accept_the_real_clients(ws_client_files: dict[str, Path]) -> None:
    for module, path in ws_client_files.items():
        spec = asyncapi_document(module)
        source = path.read_text(encoding="utf-8")
        exec_client(check_ws_client(spec, source, module=module, version=1))
