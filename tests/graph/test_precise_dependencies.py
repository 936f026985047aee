"""One row per kind of input: change it, and exactly the tasks it shapes rerun.

Edits are comments (or byte-for-byte restores), so specs keep their bytes and the early cutoff
stops the chain: the sets below are the tasks whose *inputs* changed, no more, no less.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.doit_project import run_doit

SRC = Path("src")
ALL_MODULE_EXPORTS = {
    f"{kind}:{m}" for kind in ("openapi",) for m in ("broker", "core", "datafeed")
}
WS_EXPORTS = {"asyncapi:broker", "asyncapi:datafeed"}


def comment(project: Path, relative: str, marker: str = "#") -> None:
    path = project / relative
    path.write_text(path.read_text() + f"\n{marker} a change that alters no output\n")


ROWS = {
    # kind of input: (how to change it, tasks that must rerun)
    "module source": (
        lambda p: comment(p, "src/trading_api/modules/broker/service.py"),
        {"validate:broker", "openapi:broker", "asyncapi:broker"},
    ),
    "module API": (
        lambda p: comment(p, "src/trading_api/modules/datafeed/api/v1.py"),
        {"validate:datafeed", "openapi:datafeed"},
    ),
    "broker-only domain model": (
        lambda p: comment(p, "src/trading_api/models/orders.py"),
        {"check_imports", "openapi:broker", "asyncapi:broker"},
    ),
    "shared code every HTTP export imports": (
        lambda p: comment(p, "src/trading_api/shared/versioned_app.py"),
        # the AsyncAPI exporter never builds the version app; check_imports reads shared code
        ALL_MODULE_EXPORTS | {"check_imports"},
    ),
    "shared code of the WebSocket layer": (
        lambda p: comment(p, "src/trading_api/shared/ws/router.py"),
        # the version app mounts the WS endpoint too
        ALL_MODULE_EXPORTS | WS_EXPORTS | {"check_imports"},
    ),
    "WebSocket declarations": (
        lambda p: comment(p, "src/trading_api/modules/datafeed/ws/v1.py"),
        {"validate:datafeed", "ws_routers:datafeed", "asyncapi:datafeed"},
    ),
    "HTTP client template": (
        lambda p: comment(p, "src/apigen/templates/client.py.jinja", "{# x #}"),
        {"client:broker", "client:core", "client:datafeed"},
    ),
    "WebSocket client macros": (
        lambda p: comment(p, "src/apigen/templates/macros/ws_routes.py.jinja", "{# x #}"),
        {"ws_client:broker", "ws_client:datafeed"},
    ),
    "AsyncAPI producer code": (
        lambda p: comment(p, "src/apigen/producers/asyncapi_spec.py"),
        WS_EXPORTS,
    ),
    "merged-spec producer code": (
        lambda p: comment(p, "src/apigen/producers/merged_specs.py"),
        {"app_specs"},
    ),
    # apigen reads versions from *.dist-info folder names along sys.path, and dodo.py puts
    # src/ first: a folder there is what an upgrade of jinja2 looks like to the graph.
    "library version (jinja2 upgraded)": (
        lambda p: (p / "src" / "jinja2-99.0.dist-info").mkdir(),
        {
            "ws_routers:broker",
            "ws_routers:core",
            "ws_routers:datafeed",
            "client:broker",
            "client:core",
            "client:datafeed",
            "ws_client:broker",
            "ws_client:datafeed",
        },
    ),
}

NOTHING = {
    "a test file": lambda p: (p / "tests").mkdir() or (p / "tests" / "test_x.py").write_text(""),
    "docs": lambda p: (p / "docs").mkdir() or (p / "docs" / "notes.md").write_text("# notes\n"),
    "the README": lambda p: (p / "README.md").write_text("# readme\n"),
    "a touched file with the same bytes": lambda p: (
        p / "src/trading_api/models/orders.py"
    ).touch(),
}


@pytest.mark.parametrize("kind", list(ROWS))
def test_a_change_reruns_exactly_what_it_shapes(built_project: Path, kind: str) -> None:
    change, expected = ROWS[kind]
    change(built_project)
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == expected


@pytest.mark.parametrize("kind", list(NOTHING))
def test_a_change_outside_the_inputs_reruns_nothing(built_project: Path, kind: str) -> None:
    NOTHING[kind](built_project)
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == set()
