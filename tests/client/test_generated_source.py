"""The generated source as a file: strictly typed, lint-clean, black-stable, deterministic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.client import render_client
from apigen.client.formatter import format_module
from tests.client.generated import write_client
from tests.client.hostile_spec import hostile_spec
from tests.client.static_checks import PROJECT_RUFF_RULES, run_mypy_strict, run_ruff

# No operations, no components, an absolute server URL: nothing optional may be left dangling.
EMPTY = {
    "openapi": "3.1.0",
    "info": {"title": "Empty", "version": "0"},
    "servers": [{"url": "https://api.example.com/v2/"}],
    "paths": {},
}


# Found by the fuzzer (benchmarks/fuzz_clients.py --static-every): a method named `bytes` made
# the class's later `-> bytes` annotations name the method for mypy, and mypy rejects
# `Literal[2**63]`. The static checks below run on this client too.
_RAW = {"200": {"description": "raw", "content": {"application/octet-stream": {}}}}
MYPY_TRAPS = {
    "openapi": "3.1.0",
    "info": {"title": "Traps", "version": "1"},
    "paths": {
        "/a": {"get": {"operationId": "bytes", "responses": _RAW}},
        "/b": {"get": {"operationId": "download", "responses": _RAW}},
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "big": {"const": 2**63},
                    "mixed": {"enum": [1, -(2**70)]},
                    "fits": {"enum": [2**63 - 1, -(2**63 - 1)]},
                },
            }
        }
    },
}


@pytest.fixture(scope="module")
def generated_files(
    tmp_path_factory: pytest.TempPathFactory, demo_openapi: dict[str, Any]
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("static")
    return {
        "demo": write_client(demo_openapi, folder, module="demo"),
        "hostile": write_client(hostile_spec(), folder, module="hostile", version=2),
        "empty": write_client(EMPTY, folder, module="empty", version=0),
        "traps": write_client(MYPY_TRAPS, folder, module="traps"),
    }


def test_names_and_literals_mypy_rejects_are_avoided(generated_files: dict[str, Path]) -> None:
    source = generated_files["traps"].read_text(encoding="utf-8")
    assert "    def bytes_(self) -> bytes:" in source
    pointer = "#/components/schemas/Thing/properties/big"
    assert f"# enum or const integer beyond 64 bits at {pointer}" in source
    assert "    big: Any = None\n" in source
    assert "fits: Literal[9223372036854775807, -9223372036854775807] | None = None" in source


def test_mypy_strict_accepts_generated_clients(
    generated_files: dict[str, Path], tmp_path: Path
) -> None:
    done = run_mypy_strict(list(generated_files.values()), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


USAGE_OK = """
import asyncio

from demo_v1_client import AsyncDemoV1Client, DemoV1Client, Order, OrderCreate, Side


def place(client: DemoV1Client) -> list[Order]:
    order = client.create_order(OrderCreate(symbol="A", side=Side.BUY, qty=1, client_id="c"))
    client.cancel_order(order.id)
    count: int = client.count_orders(side=Side.SELL)
    return client.list_orders(symbols=["A"], limit=count)


async def place_async(client: AsyncDemoV1Client) -> float:
    return await client.quote(Side.BUY, "A", size=2.0)


asyncio.run(place_async(AsyncDemoV1Client("http://x")))
"""
USAGE_BAD = """
from demo_v1_client import DemoV1Client, OrderCreate, Side


def misuse(client: DemoV1Client) -> str:
    client.get_order(1)
    client.count_orders(Side.SELL)
    OrderCreate(symbol="A", qty=1)
    return client.count_orders()
"""


def test_generated_api_is_typed_for_its_users(
    generated_files: dict[str, Path], tmp_path: Path
) -> None:
    folder = generated_files["demo"].parent
    good, bad = folder / "usage_ok.py", folder / "usage_bad.py"
    good.write_text(USAGE_OK, encoding="utf-8")
    bad.write_text(USAGE_BAD, encoding="utf-8")
    done = run_mypy_strict([generated_files["demo"], good], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_mypy_strict([generated_files["demo"], bad], tmp_path)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["6", "7", "8", "9"], done.stdout


def test_ruff_default_rules_accept_generated_clients(generated_files: dict[str, Path]) -> None:
    done = run_ruff(list(generated_files.values()))
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_project_rules_accept_realistic_clients(generated_files: dict[str, Path]) -> None:
    files = [generated_files["demo"], generated_files["empty"]]
    done = run_ruff(files, "--select", PROJECT_RUFF_RULES, "--line-length", "100")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["demo", "hostile", "empty"])
def test_chunked_formatting_equals_black_on_the_whole_file(
    generated_files: dict[str, Path], name: str
) -> None:
    source = generated_files[name].read_text(encoding="utf-8")
    assert format_module(source) == source


def test_rendering_is_deterministic(demo_openapi: dict[str, Any]) -> None:
    first = render_client(demo_openapi, module="demo", version=1)
    second = render_client(demo_openapi, module="demo", version=1)
    assert first.encode() == second.encode()


def test_chunk_cache_does_not_change_the_output(
    demo_openapi: dict[str, Any], tmp_path: Path
) -> None:
    plain = render_client(demo_openapi, module="demo", version=1)
    cold = render_client(demo_openapi, module="demo", version=1, cache_dir=tmp_path)
    warm = render_client(demo_openapi, module="demo", version=1, cache_dir=tmp_path)
    assert plain == cold == warm
    cache_files = sorted(path.name for path in tmp_path.glob("*.json"))
    assert cache_files == ["demo_v1.json"]


def test_corrupt_chunk_cache_is_ignored(demo_openapi: dict[str, Any], tmp_path: Path) -> None:
    plain = render_client(demo_openapi, module="demo", version=1)
    (tmp_path / "demo_v1.json").write_text('{"black": "0", "chunks": [', encoding="utf-8")
    assert render_client(demo_openapi, module="demo", version=1, cache_dir=tmp_path) == plain
    (tmp_path / "demo_v1.json").write_text('["not", "a", "cache"]', encoding="utf-8")
    assert render_client(demo_openapi, module="demo", version=1, cache_dir=tmp_path) == plain


def test_module_docstring_says_generated(generated_files: dict[str, Path]) -> None:
    head = generated_files["demo"].read_text(encoding="utf-8").split('"""')[1]
    assert head.startswith("Typed HTTP client for 'Demo API', API version '1.0.0'.")
    assert "Generated by apigen" in head
    assert "Do not edit" in head


def test_generated_client_imports_only_stdlib_pydantic_and_httpx(
    generated_files: dict[str, Path],
) -> None:
    import ast
    import sys

    for path in generated_files.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.module is not None
                roots.add(node.module.split(".")[0])
        third_party = roots - set(sys.stdlib_module_names) - {"__future__"}
        assert third_party == {"httpx", "pydantic"}
