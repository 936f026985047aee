"""client:M — render the typed Python client of each API version from its OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from apigen.atomic_write import write_text_if_changed
from apigen.user_errors import UserError, user_facing


@user_facing
def render_clients(module: str, versions: list[int], specs: list[str], outputs: list[str]) -> None:
    """doit action for client:M. Reads only the spec files, never the backend."""
    from apigen.client import render_client

    for version, spec_path, output in zip(versions, specs, outputs, strict=True):
        try:
            spec = json.loads(Path(spec_path).read_bytes())
        except ValueError as error:
            raise UserError.at(
                spec_path, None, f"not valid JSON ({error}); run `doit forget openapi:{module}`"
            ) from error
        try:
            source = render_client(spec, module=module, version=version)
        except ValueError as error:
            raise UserError.at(spec_path, None, f"cannot render a client: {error}") from error
        write_text_if_changed(Path(output), source)
