"""The backend's layering and derived names are checked statically, with file and line."""

from __future__ import annotations

from pathlib import Path

from tests.support.doit_project import run_doit, run_doit_command

BROKER_SERVICE = Path("src/trading_api/modules/broker/service.py")


def append(project: Path, relative: Path | str, text: str) -> int:
    path = project / relative
    old = path.read_text()
    path.write_text(old + "\n" + text)
    return old.count("\n") + 2


def output_of_failed_run(project: Path) -> str:
    run = run_doit_command(project, "--continue", "generate")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    return output


def test_a_module_importing_another_module(built_project: Path) -> None:
    line = append(
        built_project, BROKER_SERVICE, "from trading_api.modules.datafeed import service\n"
    )
    output = output_of_failed_run(built_project)
    assert (
        f"{BROKER_SERVICE}:{line}: module 'broker' imports module 'datafeed' "
        "(trading_api.modules.datafeed); modules may import only trading_api.models and "
        "trading_api.shared"
    ) in output


def test_a_module_importing_the_build_package(built_project: Path) -> None:
    line = append(built_project, BROKER_SERVICE, "import apigen.task_graph\n")
    output = output_of_failed_run(built_project)
    assert f"{BROKER_SERVICE}:{line}: imports the build package 'apigen'" in output


def test_models_importing_shared_code(built_project: Path) -> None:
    models = "src/trading_api/models/orders.py"
    line = append(built_project, models, "from trading_api.shared import ws\n")
    output = output_of_failed_run(built_project)
    assert f"{models}:{line}: models import 'trading_api.shared'" in output


def test_shared_code_importing_a_module_statically(built_project: Path) -> None:
    shared = "src/trading_api/shared/versioned_app.py"
    line = append(built_project, shared, "import trading_api.modules.broker\n")
    output = output_of_failed_run(built_project)
    assert f"{shared}:{line}: shared code imports 'trading_api.modules.broker'" in output


def test_module_names_with_the_same_derived_names(built_project: Path) -> None:
    modules = built_project / "src/trading_api/modules"
    for name in ("report_", "report"):
        (modules / name / "api").mkdir(parents=True)
        (modules / name / "__init__.py").write_text("")
        (modules / name / "api" / "v1.py").write_text("")
    run = run_doit(built_project, "--continue", "generate")
    assert run.failed == {"check_modules"}
    assert (
        "modules 'report' and 'report_' derive the same class name ReportModule; "
        "rename one of the folders"
    ) in run.output
    assert not any(task.endswith(":report") for task in run.results)  # neither is built
