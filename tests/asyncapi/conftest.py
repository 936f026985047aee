"""The official AsyncAPI parser (@asyncapi/parser, in tools/asyncapi-validate) as a fixture.

`npm ci` runs once, when `node_modules` is missing. Without node or npm the tests fail (never
skip) and say what to install: a document nobody validated must not pass for a valid one.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.doit_project import PROJECT_ROOT

VALIDATOR_DIR = PROJECT_ROOT / "tools" / "asyncapi-validate"

Validate = Callable[..., subprocess.CompletedProcess[str]]


def _require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.fail(
            f"`{program}` is not on PATH: the AsyncAPI tests validate with the official Node "
            "parser. Install Node.js 18+ (with npm), then rerun; `npm ci` in "
            f"{VALIDATOR_DIR.relative_to(PROJECT_ROOT)} is done for you.",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def asyncapi_validator() -> Validate:
    """`validate(*paths, strict=True)`: run validate.mjs on the files; returns the process."""
    node = _require("node")
    if not (VALIDATOR_DIR / "node_modules" / "@asyncapi" / "parser").is_dir():
        npm = _require("npm")
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=VALIDATOR_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(
                f"`npm ci` in {VALIDATOR_DIR} failed:\n{done.stdout}\n{done.stderr}", pytrace=False
            )

    def validate(*paths: Path, strict: bool = True) -> subprocess.CompletedProcess[str]:
        options = ["--strict"] if strict else []
        command = [node, str(VALIDATOR_DIR / "validate.mjs"), *options, *map(str, paths)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    return validate
