"""Run mypy --strict and ruff on generated files, isolated from the project's own configuration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# The project's own lint selection (pyproject.toml), applied to generated code where it can be.
PROJECT_RUFF_RULES = "E,F,W,I,B,UP,SIM,RUF"


def run_mypy_strict(files: list[Path], workdir: Path) -> subprocess.CompletedProcess[str]:
    config = workdir / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\npython_version = 3.11\n", encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--config-file", str(config)]
    command += ["--cache-dir", str(workdir / ".mypy_cache"), *map(str, files)]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)


def run_ruff(files: list[Path], *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", *extra]
    return subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False)
