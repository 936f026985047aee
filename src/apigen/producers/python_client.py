"""client:M — render the typed Python client of each API version from its OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from apigen import warm_worker
from apigen.atomic_write import write_text_if_changed
from apigen.user_errors import UserError, user_facing


@user_facing
def render_clients(
    module: str, versions: list[int], specs: list[str], outputs: list[str], cache_dir: str
) -> None:
    """doit action for client:M: in the warm worker when one runs, else in-process."""
    args = (module, versions, specs, outputs, cache_dir)
    # No fork: rendering reads a spec file and imports nothing of the project.
    warm_worker.call(render_clients_in_process, args, fork=False)


def render_clients_in_process(
    module: str, versions: list[int], specs: list[str], outputs: list[str], cache_dir: str
) -> None:
    """Read only the spec files (never the backend) and write one client per version.

    `cache_dir` keeps black's output per chunk of code between runs (keyed by the chunk's text
    and black's version), so an edited endpoint reformats only its own methods.
    """
    from apigen.client import render_client

    for version, spec_path, output in zip(versions, specs, outputs, strict=True):
        try:
            spec = json.loads(Path(spec_path).read_bytes())
        except ValueError as error:
            raise UserError.at(
                spec_path, None, f"not valid JSON ({error}); run `doit forget openapi:{module}`"
            ) from error
        try:
            source = render_client(spec, module=module, version=version, cache_dir=Path(cache_dir))
        except ValueError as error:
            raise UserError.at(spec_path, None, f"cannot render a client: {error}") from error
        write_text_if_changed(Path(output), source)


def warm_up(cache_dir: str) -> None:
    """Compile the client template and load black's grammar now: the warm worker calls this
    before it serves, so every render job it forks inherits both."""
    import black

    from apigen.client.renderer import CLIENT_TEMPLATE, environment

    environment(Path(cache_dir) / "jinja").get_template(CLIENT_TEMPLATE)
    black.format_str("warm = 1\n", mode=black.Mode())
