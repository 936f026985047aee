"""ws_client:M — render the typed WebSocket client of each API version from its AsyncAPI file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apigen import warm_worker
from apigen.atomic_write import write_text_if_changed
from apigen.user_errors import UserError, user_facing


def render_ws_client(spec: Mapping[str, Any], *, module: str, version: int) -> str:
    """The source of the standalone typed WebSocket client for one AsyncAPI 3 document.

    `("datafeed", 1)` names the class `DatafeedV1WsClient`. Raises `apigen.ws_client.SpecError`
    (a `ValueError`) naming the JSON pointer of the problem when the document is not usable.
    """
    from apigen.ws_client import render_ws_client as render

    return render(spec, module=module, version=version)


@user_facing
def render_ws_clients(
    module: str,
    versions: list[int],
    specs: list[str],
    outputs: list[str],
    cache_dir: str | None = None,
) -> None:
    """doit action for ws_client:M: in the warm worker when one runs, else in-process."""
    args = (module, versions, specs, outputs, cache_dir)
    # No fork: rendering reads a spec file and imports nothing of the project.
    warm_worker.call(render_ws_clients_in_process, args, fork=False)


def render_ws_clients_in_process(
    module: str,
    versions: list[int],
    specs: list[str],
    outputs: list[str],
    cache_dir: str | None = None,
) -> None:
    """Read only the AsyncAPI files (never the backend) and write one client per version.

    `cache_dir` (e.g. `.apigen-cache/client`, shared with the HTTP clients: the file names
    differ) keeps black's output per chunk between runs; the output is the same without it.
    """
    from apigen.ws_client import render_ws_client as render

    for version, spec_path, output in zip(versions, specs, outputs, strict=True):
        try:
            spec = json.loads(Path(spec_path).read_bytes())
        except ValueError as error:
            raise UserError.at(
                spec_path, None, f"not valid JSON ({error}); run `doit forget asyncapi:{module}`"
            ) from error
        try:
            source = render(
                spec,
                module=module,
                version=version,
                cache_dir=None if cache_dir is None else Path(cache_dir),
            )
        except ValueError as error:
            raise UserError.at(
                spec_path, None, f"cannot render a WebSocket client: {error}"
            ) from error
        write_text_if_changed(Path(output), source)


def warm_up(cache_dir: str) -> None:
    """Compile the WebSocket client template now (for the warm worker, like python_client's)."""
    from apigen.client.renderer import environment
    from apigen.ws_client.renderer import WS_CLIENT_TEMPLATE

    environment(Path(cache_dir) / "jinja").get_template(WS_CLIENT_TEMPLATE)
