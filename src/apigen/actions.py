"""The doit python-actions of every task, as module-level functions.

Module-level so they pickle (doit -n uses multiprocessing, also under the spawn start method).
Each imports its producer on first call: building the task graph on the no-op path imports
none of the producers, let alone the libraries they use.
"""

from __future__ import annotations

from typing import Any


def check_modules(problems: list[str]) -> Any:
    from apigen.producers.module_layout_check import report_layout_problems

    return report_layout_problems(problems)


def check_imports(files: list[str], src_dir: str, package: str, build_package: str) -> Any:
    from apigen.producers.import_boundaries import check_imports

    return check_imports(files, src_dir, package, build_package)


def validate_module(module: str, package_dir: str, versions: list[int]) -> Any:
    from apigen.producers.route_validation import validate_module

    return validate_module(module, package_dir, versions)


def generate_ws_routers(module: str, package_dir: str) -> Any:
    from apigen.producers.ws_routers import generate_ws_routers

    return generate_ws_routers(module, package_dir)


def export_openapi(src_dir: str, module: str, versions: list[int], outputs: list[str]) -> Any:
    from apigen.producers.openapi_spec import export_openapi

    return export_openapi(src_dir, module, versions, outputs)


def export_asyncapi(src_dir: str, module: str, versions: list[int], outputs: list[str]) -> Any:
    from apigen.producers.asyncapi_spec import export_asyncapi

    return export_asyncapi(src_dir, module, versions, outputs)


def render_ws_clients(
    module: str, versions: list[int], specs: list[str], outputs: list[str], cache_dir: str
) -> Any:
    from apigen.producers.python_ws_client import render_ws_clients

    return render_ws_clients(module, versions, specs, outputs, cache_dir)


def write_app_specs(
    openapi_parts: dict[str, str], asyncapi_parts: dict[str, str], outputs: list[str]
) -> Any:
    from apigen.producers.merged_specs import write_app_specs

    return write_app_specs(openapi_parts, asyncapi_parts, outputs)


def render_clients(
    module: str, versions: list[int], specs: list[str], outputs: list[str], cache_dir: str
) -> Any:
    from apigen.producers.python_client import render_clients

    return render_clients(module, versions, specs, outputs, cache_dir)


def write_clients_index(entries: list[tuple[str, list[str]]], output: str) -> Any:
    from apigen.producers.clients_index import write_clients_index

    return write_clients_index(entries, output)


def prune_outputs(folders: list[str], expected: list[str]) -> Any:
    from apigen.producers.output_pruning import prune_outputs

    return prune_outputs(folders, expected)


def no_stray_files(folders: list[str], expected: list[str]) -> bool:
    """prune_outputs' `uptodate` check (imported on first call, like the actions)."""
    from apigen.producers.output_pruning import no_stray_files

    return no_stray_files(folders, expected)


def serve(src_dir: str, host: str, port: int) -> Any:
    from apigen.producers.server import serve

    return serve(src_dir, host, port)
