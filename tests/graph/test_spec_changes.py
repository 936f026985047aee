"""When a spec changes, the run says what changed and whether it breaks a client's user."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.spec_diff import diff_specs
from tests.support.doit_project import run_doit_command

ORDERS = Path("src/trading_api/models/orders.py")
SPEC = Path("specs_generated/broker_v1_openapi.json")


def openapi(paths: dict[str, object], schemas: dict[str, object]) -> dict[str, object]:
    return {"openapi": "3.1.0", "paths": paths, "components": {"schemas": schemas}}


def op(operation_id: str, *parameters: dict[str, object]) -> dict[str, object]:
    return {"get": {"operationId": operation_id, "parameters": list(parameters)}}


def test_diff_flags_what_breaks_a_client_user() -> None:
    old = openapi(
        {
            "/a": op("get_a", {"in": "query", "name": "limit", "schema": {"type": "integer"}}),
            "/b": op("get_b"),
        },
        {
            "Order": {
                "properties": {
                    "id": {"type": "string"},
                    "qty": {"type": "number"},
                    "note": {"type": "string"},
                },
                "required": ["id", "qty"],
            },
            "Side": {"enum": ["buy", "sell"]},
            "Gone": {"properties": {}},
        },
    )
    new = openapi(
        {
            "/a": op(
                "get_a",
                {"in": "query", "name": "limit", "schema": {"type": "string"}},
                {"in": "query", "name": "cursor", "required": True, "schema": {"type": "string"}},
            ),
            "/c": op("get_c"),
        },
        {
            "Order": {
                "properties": {
                    "id": {"type": "string"},
                    "qty": {"type": "integer"},
                    "venue": {"type": "string"},
                    "tag": {"type": "string"},
                },
                "required": ["id", "qty", "venue"],
            },
            "Side": {"enum": ["buy", "short"]},
            "New": {"properties": {}},
        },
    )
    rendered = {change.render() for change in diff_specs(old, new)}
    assert rendered == {
        "- operation get_b  [BREAKING]",
        "+ operation get_c",
        "+ parameter cursor of get_a  [BREAKING]",
        "~ parameter limit of get_a: integer -> string  [BREAKING]",
        "- schema Gone  [BREAKING]",
        "+ schema New",
        "- field Order.note  [BREAKING]",
        "+ field Order.tag",
        "+ field Order.venue  [BREAKING]",
        "~ field Order.qty: number -> integer  [BREAKING]",
        "- value 'sell' of Side  [BREAKING]",
        "+ value 'short' of Side",
    }
    assert diff_specs(new, new) == []


def test_tighter_constraints_break_and_looser_ones_do_not() -> None:
    def document(limit: dict[str, object], qty: dict[str, object]) -> dict[str, object]:
        return openapi(
            {"/a": op("get_a", {"in": "query", "name": "limit", "schema": limit})},
            # A nullable field: the constraints sit inside the anyOf.
            {"Order": {"properties": {"qty": {"anyOf": [qty, {"type": "null"}]}}}},
        )

    old = document({"maximum": 100}, {"exclusiveMinimum": 0, "maxLength": 5})
    new = document({"maximum": 500}, {"exclusiveMinimum": 1, "maximum": 1e7, "pattern": "^x"})
    rendered = {change.render() for change in diff_specs(old, new)}
    assert rendered == {
        "~ field Order.qty: exclusiveMinimum 0 -> 1  [BREAKING]",
        "~ field Order.qty: maximum none -> 10000000.0  [BREAKING]",
        "~ field Order.qty: maxLength 5 -> none",
        '~ field Order.qty: pattern none -> "^x"  [BREAKING]',
        "~ parameter limit of get_a: maximum 100 -> 500",
    }


def test_the_run_prints_spec_changes_under_the_task(built_project: Path) -> None:
    orders = built_project / ORDERS
    orders.write_text(orders.read_text().replace("    reject_reason: str | None = None\n", ""))
    run = run_doit_command(built_project, "generate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{SPEC}:" in run.stdout
    assert "- field OrderPublic.reject_reason  [BREAKING]" in run.stdout


def test_ci_can_refuse_breaking_changes(
    built_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (built_project / SPEC).read_bytes()
    orders = built_project / ORDERS
    orders.write_text(orders.read_text().replace("    reject_reason: str | None = None\n", ""))
    monkeypatch.setenv("APIGEN_FAIL_ON_BREAKING", "1")  # doit_env() copies the environment
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    assert "breaking changes (APIGEN_FAIL_ON_BREAKING is set)" in run.stdout
    assert "- field OrderPublic.reject_reason  [BREAKING]" in run.stdout
    assert (built_project / SPEC).read_bytes() == before  # the old document stays
