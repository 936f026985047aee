"""Two `doit generate` started at the same moment on one tree both succeed, and agree."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.graph.test_parallel import outputs
from tests.support.doit_project import doit_env, run_doit


def test_two_simultaneous_runs(fresh_project: Path, built_template: Path) -> None:
    command = [sys.executable, "-m", "doit", "generate"]
    runs = [
        subprocess.Popen(
            command,
            cwd=fresh_project,
            env=doit_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        with run:
            output, _ = run.communicate(timeout=300)
            assert run.returncode == 0, output
    assert outputs(fresh_project) == outputs(built_template)
    with sqlite3.connect(fresh_project / ".doit.db") as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert run_doit(fresh_project, "generate").executed == set()
