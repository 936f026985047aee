"""The warm worker runs the same jobs faster, and never changes what they produce."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.doit_project import copy_project, doit_env

EDIT = '''

@router.get("/warm-ping", operation_id="warm_ping", response_model=dict[str, str])
def warm_ping() -> dict[str, str]:
    """Answer a ping through the warm worker."""
    return {"ping": "pong"}
'''
RECORD_IMPORTS = """
import atexit, json, sys
atexit.register(lambda: open("imported.json", "w").write(json.dumps(sorted(sys.modules))))
from doit.doit_cmd import DoitMain
sys.exit(DoitMain().run(sys.argv[1:]))
"""
OUTPUTS = ("specs_generated", "client_generated")


def generate(project: Path, warm: bool) -> subprocess.CompletedProcess[str]:
    env = doit_env(warm_worker=warm) | {"APIGEN_WARM_WORKER_IDLE": "30"}
    return subprocess.run(
        [sys.executable, "-c", RECORD_IMPORTS, "generate"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def worker(project: Path, command: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"from apigen import warm_worker; print(warm_worker.{command})"],
        cwd=project,
        env=doit_env(warm_worker=True) | {"PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def outputs(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for folder in OUTPUTS
        for path in sorted((project / folder).rglob("*.py"))
        + sorted((project / folder).rglob("*.json"))
    }


@pytest.fixture
def warm_project(tmp_path: Path) -> Iterator[Path]:
    project = copy_project(tmp_path / "warm")
    yield project
    worker(project, "stop()")


def test_edits_go_to_the_warm_worker_and_give_the_same_bytes(
    warm_project: Path, tmp_path: Path
) -> None:
    cold = generate(warm_project, warm=True)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    socket_path = worker(warm_project, "socket_path()")
    deadline = time.monotonic() + 30
    while not os.path.exists(socket_path):  # the first stale run started it, detached
        assert time.monotonic() < deadline, "no warm worker was started"
        time.sleep(0.1)

    api = warm_project / "src/trading_api/modules/broker/api/v1.py"
    api.write_text(api.read_text() + EDIT)
    warm = generate(warm_project, warm=True)
    assert warm.returncode == 0, warm.stdout + warm.stderr
    imported = json.loads((warm_project / "imported.json").read_text())
    # The run exported and rendered without importing fastapi or black itself.
    assert not {"fastapi", "black", "jinja2", "trading_api"} & {m.split(".")[0] for m in imported}
    spec = json.loads((warm_project / "specs_generated/broker_v1_openapi.json").read_text())
    assert "/warm-ping" in spec["paths"]

    reference = copy_project(tmp_path / "reference")
    (reference / "src/trading_api/modules/broker/api/v1.py").write_text(api.read_text())
    in_process = generate(reference, warm=False)
    assert in_process.returncode == 0, in_process.stdout + in_process.stderr
    assert outputs(warm_project) == outputs(reference)


def test_user_errors_from_the_worker_read_the_same(warm_project: Path) -> None:
    assert generate(warm_project, warm=True).returncode == 0
    api = warm_project / "src/trading_api/modules/broker/api/v1.py"
    text = api.read_text()
    line = text.count("\n") + 1
    api.write_text(text + "from trading_api.models import DoesNotExist\n")
    failed = generate(warm_project, warm=True)
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    where = f"{api.relative_to(warm_project)}:{line}"
    assert f"{where}: building the broker v1 app failed: ImportError" in output
    assert "Traceback" not in output


def test_stop_ends_the_worker(warm_project: Path) -> None:
    assert generate(warm_project, warm=True).returncode == 0
    socket_path = worker(warm_project, "socket_path()")
    deadline = time.monotonic() + 30
    while not os.path.exists(socket_path):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert worker(warm_project, "stop()") == "True"
    assert not os.path.exists(socket_path)
    assert worker(warm_project, "run('os:getcwd', ())") == "NOT_RUN"  # nobody answers now
