"""ws_routers:M reads WebSocket declarations with ast and writes typed router classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.doit_project import run_doit, run_doit_command

DECLARATIONS = Path("src/trading_api/modules/core/ws/v1.py")
GENERATED = Path("src/trading_api/modules/core/ws_generated")
HEADER = """from typing import TypeAlias

from trading_api.models.market_data import BarPublic, QuotePublic, SymbolInfoPublic
from trading_api.shared.ws import WsRouter

"""


def declare(project: Path, body: str) -> None:
    path = project / DECLARATIONS
    path.parent.mkdir(exist_ok=True)
    (path.parent / "__init__.py").write_text('"""WebSocket declarations."""\n')
    path.write_text(HEADER + body)


def test_routers_are_generated_updated_and_removed(fresh_project: Path) -> None:
    declare(
        fresh_project,
        "BarsRouter: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n"
        "BrokerConnectionRouter: TypeAlias = WsRouter[SymbolInfoPublic, QuotePublic]\n",
    )
    first = run_doit(fresh_project, "ws_routers:core")
    assert first.returncode == 0, first.output
    assert first.executed == {"ws_routers:core"}
    generated = fresh_project / GENERATED
    bars = (generated / "v1/bars.py").read_text()
    assert "class BarsRouter(WsRouter[SymbolInfoPublic, BarPublic]):" in bars
    assert 'route: ClassVar[str] = "bars"' in bars
    assert "from trading_api.models.market_data import BarPublic, SymbolInfoPublic" in bars
    connection = (generated / "v1/broker_connection.py").read_text()
    assert 'route: ClassVar[str] = "broker-connection"' in connection
    index = (generated / "v1/__init__.py").read_text()
    routers = "(\n    BarsRouter,\n    BrokerConnectionRouter,\n)"
    assert f"ROUTERS: tuple[type[WsRouter[Any, Any]], ...] = {routers}" in index
    compile(index, "index", "exec")

    assert run_doit(fresh_project, "ws_routers:core").executed == set()

    before = (generated / "v1/bars.py").stat().st_mtime_ns
    declare(fresh_project, "BarsRouter: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n")
    third = run_doit(fresh_project, "ws_routers:core")
    assert third.executed == {"ws_routers:core"}
    assert not (generated / "v1/broker_connection.py").exists()
    assert (generated / "v1/bars.py").stat().st_mtime_ns == before  # unchanged: not rewritten

    (fresh_project / DECLARATIONS).unlink()
    fourth = run_doit(fresh_project, "ws_routers:core")
    assert fourth.returncode == 0, fourth.output
    assert not generated.exists()


def bad_declaration(project: Path, body: str) -> str:
    declare(project, body)
    run = run_doit_command(project, "ws_routers:core")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    return output


def test_unknown_model_is_named_with_file_and_line(fresh_project: Path) -> None:
    output = bad_declaration(
        fresh_project, "BarsRouter: TypeAlias = WsRouter[BarsRequest, BarPublic]\n"
    )
    line = HEADER.count("\n") + 1
    assert f"{DECLARATIONS}:{line}: 'BarsRouter' names unknown model 'BarsRequest'" in output


def test_duplicate_route_is_reported(fresh_project: Path) -> None:
    output = bad_declaration(
        fresh_project,
        "BarsRouter: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n"
        "BarsRouter2: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n"
        "bars_router: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n",
    )
    line = HEADER.count("\n") + 3
    assert (
        f"{DECLARATIONS}:{line - 1}: router alias 'BarsRouter2' must be a CamelCase name" in output
    )
    assert f"{DECLARATIONS}:{line}: router alias 'bars_router' must be a CamelCase name" in output


def test_duplicate_route_after_kebab_case(fresh_project: Path) -> None:
    output = bad_declaration(
        fresh_project,
        "QuotesRouter: TypeAlias = WsRouter[SymbolInfoPublic, QuotePublic]\n"
        "QuotesRouter: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n",
    )
    line = HEADER.count("\n") + 2
    assert (
        f"{DECLARATIONS}:{line}: duplicate route 'quotes' (first declared on line {line - 1})"
        in output
    )


def test_alias_that_is_not_a_router(fresh_project: Path) -> None:
    output = bad_declaration(fresh_project, "BarsRouter: TypeAlias = list[BarPublic]\n")
    line = HEADER.count("\n") + 1
    assert (
        f"{DECLARATIONS}:{line}: 'BarsRouter' is not a WebSocket router declaration; write "
        "`BarsRouter: TypeAlias = WsRouter[RequestModel, DataModel]`"
    ) in output


def test_syntax_error_in_declarations(fresh_project: Path) -> None:
    output = bad_declaration(fresh_project, "BarsRouter: TypeAlias = WsRouter[\n")
    assert f"{DECLARATIONS}:" in output and "syntax error" in output


def test_generated_routers_pass_mypy_strict_and_ruff(built_template: Path) -> None:
    import subprocess
    import sys

    folders = sorted(
        str(path.relative_to(built_template))
        for path in (built_template / "src/trading_api/modules").glob("*/ws_generated")
    )
    assert folders, "the project declares WebSocket routers, so some must be generated"
    env = {"MYPYPATH": "src", "PATH": "/usr/bin:/bin"}
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *folders],
        cwd=built_template,
        capture_output=True,
        text=True,
        env=env,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *folders],
        cwd=built_template,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_generated_routers_are_stable_under_black_even_with_long_names(
    fresh_project: Path,
) -> None:
    import black

    long_name = "ExtraordinarilyLongInstrumentUniverseSnapshotSubscriptionRequest"
    declare(
        fresh_project,
        f"class {long_name}(SymbolInfoPublic):\n    pass\n\n\n"
        "BarsRouter: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n"
        f"InstrumentUniverseSnapshotsRouter: TypeAlias = WsRouter[{long_name}, BarPublic]\n",
    )
    run = run_doit(fresh_project, "ws_routers:core")
    assert run.returncode != 0  # a model defined in the declarations file is not imported...
    assert f"names unknown model '{long_name}'" in run.output  # ...and is reported as such

    models = fresh_project / "src/trading_api/models/market_data.py"
    models.write_text(models.read_text() + f"\n\nclass {long_name}(SymbolInfoPublic):\n    pass\n")
    declare(
        fresh_project,
        "BarsRouter: TypeAlias = WsRouter[SymbolInfoPublic, BarPublic]\n"
        "InstrumentUniverseSnapshotsRouter: TypeAlias = "
        f"WsRouter[{long_name}, BarPublic]\n",
    )
    text = (fresh_project / DECLARATIONS).read_text()
    (fresh_project / DECLARATIONS).write_text(
        text.replace("SymbolInfoPublic\n", f"SymbolInfoPublic, {long_name}\n", 1)
    )
    run = run_doit(fresh_project, "ws_routers:core")
    assert run.returncode == 0, run.output
    mode = black.Mode(line_length=100)
    for path in sorted((fresh_project / GENERATED).rglob("*.py")):
        source = path.read_text()
        assert black.format_str(source, mode=mode) == source, path
        assert max(map(len, source.splitlines())) <= 100, path


def test_output_does_not_depend_on_how_the_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apigen.producers.ws_routers import render_routers
    from tests.support.doit_project import PROJECT_ROOT

    monkeypatch.chdir(PROJECT_ROOT)
    relative = Path("src/trading_api/modules/datafeed")
    by_relative = render_routers("datafeed", relative)
    by_absolute = render_routers("datafeed", PROJECT_ROOT / relative)
    assert list(by_relative.values()) == list(by_absolute.values())


def test_an_edited_template_is_compiled_again_by_a_process_that_rendered_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Jinja environment is kept per process (a `doit -n` worker, the warm worker, renders
    many modules): a template edited meanwhile must not be served from its compiled copy."""
    import os
    import shutil

    from apigen.producers import ws_routers
    from tests.support.doit_project import PROJECT_ROOT

    templates = tmp_path / "templates"
    shutil.copytree(ws_routers.TEMPLATES_DIR, templates)
    monkeypatch.setattr(ws_routers, "TEMPLATES_DIR", templates)
    ws_routers._environment.cache_clear()
    monkeypatch.chdir(PROJECT_ROOT)
    folder = Path("src/trading_api/modules/datafeed")
    try:
        before = ws_routers.render_routers("datafeed", folder)
        assert ws_routers._environment() is ws_routers._environment()  # kept, not rebuilt
        template = templates / "ws_router.py.jinja"
        template.write_text("# edited\n" + template.read_text())
        stat = template.stat()
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        after = ws_routers.render_routers("datafeed", folder)
    finally:
        ws_routers._environment.cache_clear()
    routers = [path for path in before if path.name != "__init__.py"]
    assert routers
    for path in routers:
        assert after[path] == "# edited\n" + before[path]
