"""Real doit runs in temporary copies of this project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What a project is made of; everything else (generated folders, caches) is build output.
PROJECT_FILES = ("dodo.py", "pyproject.toml", "src")
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", "*_generated", ".mypy_cache")
GROUP_TASKS = ("generate",)


def copy_project(dest: Path, source: Path = PROJECT_ROOT) -> Path:
    """Copy the project's sources (not its build outputs) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=IGNORED)
        else:
            shutil.copy2(path, dest / name)
    return dest


@dataclass
class DoitRun:
    """The outcome of one `doit` run, read from doit's JSON reporter."""

    returncode: int
    stdout: str
    stderr: str
    results: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @property
    def executed(self) -> set[str]:
        """Tasks whose actions started (then succeeded or failed); group tasks have none.

        A task skipped because a dependency failed is reported as a failure but never started.
        """
        return {name for name in self.started if name.split(":")[0] not in GROUP_TASKS}

    @property
    def failed(self) -> set[str]:
        """Tasks whose own actions failed (not those skipped for a failed dependency)."""
        return {name for name in self.executed if self.results[name] == "fail"}

    @property
    def output(self) -> str:
        return self.stdout + self.stderr + "".join(self.messages.values())


def doit_env(warm_worker: bool = False) -> dict[str, str]:
    """The environment of a doit run in a test or benchmark.

    The warm worker (apigen.warm_worker) is off unless asked for: every temp project would
    otherwise leave its own worker behind for minutes.
    """
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    # Measure and test what users run: Python caches bytecode (some shells disable it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["APIGEN_WARM_WORKER"] = "1" if warm_worker else "0"
    return env


def run_doit_command(
    project: Path,
    *argv: str,
    timeout: float = 300,
    prefix: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> DoitRun:
    """Run `python -m doit ARGV` in `project` as a user would, output as printed.

    `prefix`: a command that runs doit (e.g. one that drops privileges); `env`: variables
    set on top of doit_env()."""
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "doit", *argv],
        cwd=project,
        capture_output=True,
        text=True,
        env=doit_env() | (env or {}),
        timeout=timeout,
    )
    return DoitRun(done.returncode, done.stdout, done.stderr)


def run_doit(project: Path, *args: str, timeout: float = 300) -> DoitRun:
    """`doit run ARGS` with doit's JSON reporter, so the test knows which tasks ran."""
    run = run_doit_command(project, "run", "--reporter", "json", *args, timeout=timeout)
    start = run.stdout.find("{")
    report = json.loads(run.stdout[start:]) if start >= 0 else {"tasks": []}
    for task in report["tasks"]:
        run.results[task["name"]] = task["result"]
        if task["started"] is not None:
            run.started.add(task["name"])
        run.messages[task["name"]] = "".join(task.get(key) or "" for key in ("out", "err", "error"))
    return run


def module_tasks(module: str) -> set[str]:
    """The tasks an edit of a module's REST API reruns."""
    return {f"validate:{module}", f"openapi:{module}", f"client:{module}"}


# Modules of this project that declare WebSocket routes (they get AsyncAPI and WS client tasks).
WS_MODULES = ("broker", "datafeed")


def ws_tasks(module: str) -> set[str]:
    """The tasks an edit of a module's WebSocket declarations reruns."""
    return {f"ws_routers:{module}", f"asyncapi:{module}", f"ws_client:{module}"}


def all_module_tasks(module: str) -> set[str]:
    """Every task of one module: what its first build runs."""
    if module in WS_MODULES:
        return module_tasks(module) | ws_tasks(module)
    return module_tasks(module) | {f"ws_routers:{module}"}
