"""Versions of the installed libraries that shape generated output, read without importing them.

`importlib.metadata.version()` scans every sys.path entry per call; listing each site folder
once and reading the `<name>-<version>.dist-info` folder names is enough and much cheaper on
the no-op path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

DIST_INFO = ".dist-info"


def _normalise(name: str) -> str:
    """PEP 503-style: case and the separators `-`, `_`, `.` do not matter."""
    return name.lower().replace("-", "_").replace(".", "_")


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """{name: version} for each requested distribution ('missing' if not installed)."""
    wanted = {_normalise(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(DIST_INFO):
                # `<name>-<version>.dist-info`, where the name's own dashes became underscores
                name, _, version = entry[: -len(DIST_INFO)].rpartition("-")
                key = _normalise(name)
                if key in wanted and wanted[key] not in found:
                    found[wanted[key]] = version
        if len(found) == len(wanted):
            break
    python = ".".join(map(str, sys.version_info[:2]))
    return {"python": python} | {
        name: found.get(name, "missing") for name in sorted(wanted.values())
    }


def environment_key() -> str:
    """Changes whenever a distribution may have been installed, upgraded or removed: the stat of
    every folder on sys.path (adding or removing a `*.dist-info` folder changes its folder's
    mtime) and the Python version. One stat per folder instead of listing them; the current
    folder (the project, on sys.path when doit runs as `python -m doit`) changes whenever a run
    writes its database, so its `*.dist-info` names are listed instead."""
    parts = [".".join(map(str, sys.version_info[:3]))]
    cwd = os.getcwd()
    for folder in sys.path:
        if folder in ("", ".", cwd):
            try:
                names = sorted(
                    name for name in os.listdir(folder or ".") if name.endswith(DIST_INFO)
                )
            except OSError:
                names = []
            parts.append(f"{folder} {names}")
            continue
        try:
            stat = os.stat(folder)
        except OSError:
            parts.append(f"{folder} -")
            continue
        parts.append(f"{folder} {stat.st_mtime_ns} {stat.st_ino}")
    return "\n".join(parts)
