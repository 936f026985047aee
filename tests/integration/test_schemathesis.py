"""Schemathesis against the served OpenAPI of every module version, on a real uvicorn server.

Each module version is its own FastAPI app with its own `openapi.json`; the root app's
document covers the index. Every document is loaded from the running server (no build
needed) and every operation gets schemathesis' examples, coverage and fuzzing phases, positive
and negative data, with all of its default checks: no 5xx, only documented status codes and
content types, bodies that match the documented schemas, invalid data rejected, `Allow` on 405.

One exception is configured, `positive_data_acceptance` (schema-valid data must not be
rejected): the operations in SEMANTIC_422 also check rules a JSON Schema cannot state
(docs/error-responses.md), so a schema-valid request may rightly get a 422 there.

Sequences of calls are tested too (test_api_workflows), chained by the links schemathesis
infers between operations, each sequence on a fresh backend.

Deterministic and bounded: derandomized generation, MAX_EXAMPLES fuzzed cases per operation,
WORKFLOWS sequences of at most WORKFLOW_STEPS calls per module version, and no example
database (hypothesis saves no failing examples under `.hypothesis/`). One caveat: hypothesis
mixes literals of the project's imported modules into what it draws, so running this file
alone and within the whole suite may draw different (each time the same) cases.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import BaseSchema, Case
from schemathesis.errors import NoLinksFound
from starlette.types import Receive, Scope, Send

from tests.support.live_server import live_server
from trading_api.app import create_app
from trading_api.shared.module_layout import version_base_path
from trading_api.shared.module_loader import load_modules
from trading_api.shared.versioned_app import create_version_app

# Fuzzed cases per operation (the examples and coverage phases add their own, fixed cases).
MAX_EXAMPLES = 40
# Call sequences per module version, and most calls in one.
WORKFLOWS = 30
WORKFLOW_STEPS = 10

# Root app ("", the index) and every module version's base path.
BASE_PATHS = [""] + [
    version_base_path(module.name, version)
    for module in load_modules()
    for version in module.versions()
]

# Operations whose 422 also covers rules beyond their JSON Schema, by module (every version),
# each with the rule.
SEMANTIC_422: dict[str, dict[str, str]] = {
    "broker": {
        "place_order": "the symbol must exist; the price fields must match the order type",
        "preview_order": "the symbol must exist; the price fields must match the order type",
        "modify_order": "at least one field; the price fields must match the order's type",
        "close_position": "qty at most the open position",
        "set_position_brackets": "take-profit/stop-loss on the right side of the market price",
        "set_leverage": "leverage within the symbol's range, a multiple of its step",
        "preview_leverage": "leverage within the symbol's range, a multiple of its step",
    },
    "datafeed": {
        "get_history": "`from` before `to`; at most max_bars bars in the range",
    },
}
POSITIVE_DATA_ACCEPTANCE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429"]


def _config(base_path: str) -> schemathesis.Config:
    module = base_path.rsplit("/", 1)[-1]
    semantic = sorted(SEMANTIC_422.get(module, {}))
    operations = []
    if semantic:
        operations.append(
            {
                "include-operation-id": semantic,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_STATUSES, "422"]
                    }
                },
            }
        )
    return schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {
                # No 5xx here: the default list also accepts 5xx (they are not_a_server_error's)
                "positive_data_acceptance": {"expected-statuses": POSITIVE_DATA_ACCEPTANCE_STATUSES}
            },
            "operations": operations,
        }
    )


class Backend:
    """The ASGI app the server runs: a backend made by `create_app()`, replaced by `renew()`."""

    def __init__(self) -> None:
        self.app = create_app()

    def renew(self) -> None:
        """Serve a fresh backend from the next request on: new services, new simulated clock."""
        self.app = create_app()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def backend() -> Backend:
    return Backend()


@pytest.fixture(scope="module")
def base_url(backend: Backend) -> Iterator[str]:
    """One server for the whole module; single calls share one backend and the state they build."""
    with live_server(backend) as url:
        yield url


def _load(base_url: str, base_path: str) -> BaseSchema:
    return schemathesis.openapi.from_url(
        f"{base_url}{base_path}/openapi.json", config=_config(base_path)
    )


@pytest.fixture(params=BASE_PATHS, ids=lambda path: path or "/")
def api_schema(request: pytest.FixtureRequest, base_url: str) -> BaseSchema:
    return _load(base_url, request.param)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api(case: Case) -> None:
    case.call_and_validate()


@pytest.mark.parametrize("base_path", BASE_PATHS, ids=lambda path: path or "/")
def test_api_workflows(backend: Backend, base_url: str, base_path: str) -> None:
    """Sequences of calls, chained by the links schemathesis infers (an order's id from
    POST /orders into GET/PATCH/DELETE /orders/{order_id}...), each response checked.

    Each sequence starts on a fresh backend, so the responses, and with them the steps
    hypothesis draws from them, depend on the sequence alone (replays and shrinking see the
    same run again).
    """

    class Workflow(_load(base_url, base_path).as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            backend.renew()

    try:
        run_state_machine_as_test(
            Workflow,
            settings=settings(
                max_examples=WORKFLOWS,
                stateful_step_count=WORKFLOW_STEPS,
                derandomize=True,
                database=None,
                deadline=None,
            ),
        )
    except NoLinksFound:  # raised before the first call
        pytest.skip(f"no operation of {base_path or '/'} feeds another one")


def test_semantic_422_names_only_operations_that_exist() -> None:
    """No stale entry: each exception names an operation of its module (in some version)."""
    modules = {module.name: module for module in load_modules()}
    for name, operations in SEMANTIC_422.items():
        module = modules[name]
        ids = {
            operation["operationId"]
            for version in module.versions()
            for item in create_version_app(module, version).openapi()["paths"].values()
            for operation in item.values()
        }
        assert set(operations) <= ids, name
