"""prune_outputs — remove generated files that no task produces any more.

When a module or an API version disappears, so do its tasks, and doit forgets their targets:
their files would linger in specs_generated/ and client_generated/ and be imported by nobody
but mislead everybody. This task deletes every file in those folders that is not an output of
the current graph.
"""

from __future__ import annotations

import os
import posixpath

from apigen.user_errors import user_facing


def stray_files(folders: list[str], expected: list[str]) -> list[str]:
    """Files in `folders` (not below them: caches like __pycache__ are left alone) that are
    not `expected` outputs."""
    wanted = set(expected)
    stray = []
    for folder in folders:
        try:
            entries = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                # A plain join (`expected` holds posix paths): this check runs on every no-op.
                path = posixpath.join(folder, entry.name)
                # Dot files are atomic writers' temp files (a dead writer's are removed by the
                # next write of their target: apigen.atomic_write), editors' swap files.
                hidden = entry.name.startswith(".")
                if entry.is_file(follow_symlinks=False) and path not in wanted and not hidden:
                    stray.append(path)
    return sorted(stray)


def no_stray_files(folders: list[str], expected: list[str]) -> bool:
    """doit uptodate: True when the output folders hold only expected outputs."""
    return not stray_files(folders, expected)


@user_facing
def prune_outputs(folders: list[str], expected: list[str]) -> None:
    """doit action for prune_outputs."""
    for path in stray_files(folders, expected):
        os.unlink(path)
