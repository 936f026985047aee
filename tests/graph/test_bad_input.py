"""User mistakes give one actionable line (file:line), a non-zero exit and no traceback."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.doit_project import module_tasks, run_doit, run_doit_command

BROKER_API = Path("src/trading_api/modules/broker/api/v1.py")


def append(project: Path, relative: Path, text: str) -> int:
    """Append `text`; return the line number of its first non-empty line."""
    path = project / relative
    old = path.read_text()
    if not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text)
    return old.count("\n") + 1 + (len(text) - len(text.lstrip("\n")))


def test_route_without_response_model_fails_validation_with_file_and_line(
    built_project: Path,
) -> None:
    line = append(
        built_project,
        BROKER_API,
        '@router.get("/no-model", operation_id="no_model")\n'
        "def no_model() -> dict[str, str]:\n"
        '    """A route that forgot its response model."""\n'
        '    return {"a": "b"}\n',
    )
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert f"{BROKER_API}:{line}: route 'no_model' has no response_model" in output
    assert "Traceback" not in output


def test_route_without_operation_id_is_reported(built_project: Path) -> None:
    line = append(
        built_project,
        BROKER_API,
        '@router.get("/no-id", response_model=dict[str, str])\n'
        "def no_id() -> dict[str, str]:\n"
        '    """A route that forgot its operation id."""\n'
        '    return {"a": "b"}\n',
    )
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    assert f"{BROKER_API}:{line}: route 'no_id' has no operation_id" in run.stdout + run.stderr


def test_with_continue_the_other_modules_are_still_built(fresh_project: Path) -> None:
    append(
        fresh_project,
        BROKER_API,
        '@router.get("/no-model", operation_id="no_model")\n'
        "def no_model() -> dict[str, str]:\n"
        '    return {"a": "b"}\n',
    )
    run = run_doit(fresh_project, "--continue", "generate")
    assert run.returncode != 0
    assert run.failed == {"validate:broker"}
    assert module_tasks("datafeed") | module_tasks("core") <= run.executed
    assert (fresh_project / "client_generated/datafeed_v1_client.py").is_file()
    assert not (fresh_project / "specs_generated/broker_v1_openapi.json").exists()


def test_syntax_error_names_file_and_line(built_project: Path) -> None:
    line = append(built_project, BROKER_API, "def broken(:\n    pass\n")
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert re.search(rf"{re.escape(str(BROKER_API))}:{line}: syntax error", output), output
    assert "Traceback" not in output


def test_syntax_error_in_shared_models_names_file_and_line(built_project: Path) -> None:
    models = sorted((built_project / "src/trading_api/models").glob("[a-z]*.py"))[0]
    relative = models.relative_to(built_project)
    line = append(built_project, relative, "class Broken(:\n")
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert f"{relative}:{line}: syntax error" in output, output
    assert "Traceback" not in output


def test_import_error_in_a_module_names_file_and_line(built_project: Path) -> None:
    line = append(built_project, BROKER_API, "from trading_api.models import DoesNotExist\n")
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert f"{BROKER_API}:{line}: building the broker v1 app failed: ImportError" in output, output
    assert "Traceback" not in output


def test_invalid_module_folder_name_is_named(built_project: Path) -> None:
    folder = built_project / "src/trading_api/modules/Market-Data"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    run = run_doit(built_project, "--continue", "generate")
    assert run.returncode != 0
    assert run.failed == {"check_modules"}
    assert (
        "src/trading_api/modules/Market-Data: module folder name 'Market-Data' is not a lowercase "
        "Python identifier; rename the folder, e.g. to 'market_data'"
    ) in run.output
