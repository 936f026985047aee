"""doit configuration shared by every project that uses apigen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apigen import gc_pause
from apigen.dep_file_check import set_aside_if_unusable
from apigen.reporter import ExplainingReporter
from apigen.xxhash_checker import XxhashChecker

DEP_FILE = ".doit.db"


def doit_config() -> dict[str, Any]:
    # doit loads dodo.py from the project folder, before it opens the dependency file.
    set_aside_if_unusable(Path(DEP_FILE))
    gc_pause.pause()  # until the reporter's initialize: building the graph (apigen.gc_pause)
    return {
        # sqlite3 is portable across machines and Python builds, so CI can cache the file.
        "dep_file": DEP_FILE,
        "backend": "sqlite3",
        "check_file_uptodate": XxhashChecker,
        "default_tasks": ["generate"],
        "reporter": ExplainingReporter,
    }
