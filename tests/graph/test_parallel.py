"""`doit -n 2` builds the same bytes as a serial run, with the fork and the spawn start
methods; every action pickles."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from apigen.task_graph import ProjectTasks
from tests.support.doit_project import PROJECT_ROOT, doit_env, run_doit

# doit has no option for the start method of its worker processes (its MRunner uses
# multiprocessing's default: fork on Linux, spawn on macOS and Windows); setting the default
# before doit runs is how a Linux machine runs what macOS and Windows users get.
RUN_UNDER_SPAWN = """
import multiprocessing, sys
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    from doit.doit_cmd import DoitMain
    sys.exit(DoitMain().run(sys.argv[1:]))
"""

OUTPUT_FOLDERS = ("specs_generated", "client_generated")


def outputs(project: Path) -> dict[str, bytes]:
    """Every generated file, by path: specs, clients and the generated WebSocket routers."""
    files = [
        path
        for folder in OUTPUT_FOLDERS
        for path in sorted((project / folder).iterdir())
        if path.is_file()
    ]
    files += sorted((project / "src/trading_api/modules").glob("*/ws_generated/**/*.py"))
    return {path.relative_to(project).as_posix(): path.read_bytes() for path in files}


def test_parallel_build_equals_serial_build(fresh_project: Path, built_template: Path) -> None:
    run = run_doit(fresh_project, "-n", "2", "generate")
    assert run.returncode == 0, run.output
    assert outputs(fresh_project) == outputs(built_template)
    assert run_doit(fresh_project, "generate").executed == set()


def test_parallel_build_under_spawn_equals_serial_build(
    fresh_project: Path, built_template: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_UNDER_SPAWN, "run", "--reporter", "json", "-n", "2", "generate"],
        cwd=fresh_project,
        capture_output=True,
        text=True,
        env=doit_env(),
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout[done.stdout.find("{") :])
    ran = {task["name"] for task in report["tasks"] if task["started"] is not None}
    assert {"openapi:broker", "client:broker", "ws_client:datafeed", "app_specs"} <= ran
    assert outputs(fresh_project) == outputs(built_template)
    assert run_doit(fresh_project, "generate").executed == set()


def test_every_action_pickles_by_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the spawn start method doit pickles actions: they must be module-level functions
    with plain arguments."""
    monkeypatch.chdir(PROJECT_ROOT)  # the graph's paths are relative to the project root
    tasks = ProjectTasks(PROJECT_ROOT)
    for name in dir(tasks):
        if not name.startswith("task_"):
            continue
        created = getattr(tasks, name)()
        for task in [created] if isinstance(created, dict) else list(created):
            for action in task.get("actions") or []:
                function = action[0]
                assert "." not in function.__qualname__, function  # module level
                assert pickle.loads(pickle.dumps(action))[0] is function
