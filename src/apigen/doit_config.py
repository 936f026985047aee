"""doit configuration shared by every project that uses apigen."""

from __future__ import annotations

from typing import Any

from apigen.reporter import ExplainingReporter
from apigen.xxhash_checker import XxhashChecker


def doit_config() -> dict[str, Any]:
    return {
        # sqlite3 is portable across machines and Python builds, so CI can cache the file.
        "dep_file": ".doit.db",
        "backend": "sqlite3",
        "check_file_uptodate": XxhashChecker,
        "default_tasks": ["generate"],
        "reporter": ExplainingReporter,
    }
