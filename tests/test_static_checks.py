"""The strict gates of the project's own code: mypy --strict and ruff, run as users run them."""

from __future__ import annotations

import subprocess
import sys

from tests.support.doit_project import PROJECT_ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=PROJECT_ROOT, capture_output=True, text=True
    )


def test_mypy_strict_is_clean_on_src() -> None:
    done = run("mypy")  # configured in pyproject.toml: strict, packages apigen and trading_api
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_is_clean() -> None:
    done = run("ruff", "check", "src", "tests", "benchmarks", "dodo.py")
    assert done.returncode == 0, done.stdout + done.stderr
