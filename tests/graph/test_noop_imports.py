"""The no-op path is filesystem work only: it imports none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.doit_project import doit_env

HEAVY = ("fastapi", "pydantic", "black", "jinja2", "trading_api", "starlette", "httpx")

RECORD_IMPORTS = """
import atexit, json, sys
atexit.register(lambda: open("imported.json", "w").write(json.dumps(sorted(sys.modules))))
from doit.doit_cmd import DoitMain
sys.exit(DoitMain().run(sys.argv[1:]))
"""


def test_noop_generate_imports_no_heavy_library(built_project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RECORD_IMPORTS, "generate"],
        cwd=built_project,
        capture_output=True,
        text=True,
        env=doit_env(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    imported = json.loads((built_project / "imported.json").read_text())
    assert "apigen.task_graph" in imported  # the recorder really saw the build graph load
    heavy = sorted(name for name in imported if name.split(".")[0] in HEAVY)
    assert heavy == []
