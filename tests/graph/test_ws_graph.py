"""The WebSocket half of the graph: declarations -> routers -> AsyncAPI -> WS clients, merged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.doit_project import run_doit, run_doit_command

DATAFEED_WS = Path("src/trading_api/modules/datafeed/ws/v1.py")
CORE_API = Path("src/trading_api/modules/core/api/v1.py")


def test_editing_datafeed_declarations_reruns_datafeed_ws_tasks_only(built_project: Path) -> None:
    declarations = built_project / DATAFEED_WS
    declarations.write_text(
        declarations.read_text()
        + "\nTicksRouter: TypeAlias = WsRouter[QuotesSubscriptionRequest, QuotePublic]\n"
    )
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == {
        "validate:datafeed",  # checks every source file of the module
        "ws_routers:datafeed",
        "asyncapi:datafeed",
        "ws_client:datafeed",
        "app_specs",
    }  # openapi:datafeed, client:datafeed and every broker and core task stay up to date
    spec = json.loads((built_project / "specs_generated/datafeed_v1_asyncapi.json").read_text())
    assert "ticks" in spec["channels"]
    client = (built_project / "client_generated/datafeed_v1_ws_client.py").read_text()
    assert "def ticks(" in client
    merged = json.loads((built_project / "specs_generated/app_asyncapi.json").read_text())
    assert any("ticks" in channel for channel in merged["channels"])


def test_the_same_component_name_with_two_schemas_names_both_modules(
    built_project: Path,
) -> None:
    api = built_project / CORE_API
    api.write_text(
        api.read_text()
        + '''

import pydantic


class OrderPublic(pydantic.BaseModel):
    """Not the broker's order: a clash the merged spec must refuse."""

    note: str


@router.get("/clash", operation_id="clash", response_model=OrderPublic)
async def clash() -> OrderPublic:
    """Return a clashing model."""
    return OrderPublic(note="x")
'''
    )
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert "'OrderPublic' is defined differently by broker and core" in output, output
    assert "Traceback" not in output
