"""Outputs edited by hand are rebuilt: doit alone only notices a missing target.

`TargetsUnchanged` is a doit `uptodate` object. After a task succeeds it records each target's
size, mtime and xxh3 digest in the task's saved values; on the next run the task is up to date
only if every target still matches (stat first, the digest only when the stat differs, like
apigen.xxhash_checker). A generated file edited, truncated or replaced by hand therefore makes
its task run again, and the task writes the right bytes back.
"""

from __future__ import annotations

import os
from typing import Any

from apigen.run_reasons import CHECK_SIGNATURE, add_reason
from apigen.xxhash_checker import file_digest

VALUE_KEY = "apigen:targets"
BY_STAT, BY_DIGEST = "stat", "digest"  # how a target matched its recorded state


class TargetsUnchanged:
    """doit uptodate: the task's targets are byte-for-byte what its last successful run left."""

    __signature__ = CHECK_SIGNATURE

    def __init__(self) -> None:
        # Whether a target matched by its digest, its stat having changed (a fresh clone):
        # the task is up to date, and its recorded states are worth refreshing.
        self.stats_moved = False

    def configure_task(self, task: Any) -> None:
        task.value_savers.append(lambda: self.values(task))

    def values(self, task: Any) -> dict[str, Any]:
        """What to record after the task succeeded."""
        return {VALUE_KEY: _states(task.targets)}

    def __call__(self, task: Any, values: dict[str, Any]) -> bool | None:
        recorded = values.get(VALUE_KEY)
        if recorded is None:
            return None  # never recorded (first run or an older database): other checks decide
        unchanged = True
        for target in task.targets:
            state = recorded.get(target)
            match = None if state is None else _match(target, state)
            if not match:
                if state is not None and _exists(target):
                    add_reason(task, f"output edited: {target}")
                unchanged = False
            elif match == BY_DIGEST:
                self.stats_moved = True
        return unchanged


def _states(targets: list[str]) -> dict[str, list[Any]]:
    states = {}
    for target in targets:
        try:
            stat = os.stat(target)
            states[target] = [stat.st_size, stat.st_mtime_ns, file_digest(target)]
        except OSError:
            continue  # a target the action did not write: doit reports it as missing next time
    return states


def _exists(target: str) -> bool:
    return os.path.lexists(target)


def _match(target: str, state: list[Any]) -> str | None:
    """How the target matches its recorded state (BY_STAT, BY_DIGEST), or None if it does not."""
    size, mtime_ns, digest = state
    try:
        stat = os.stat(target)
    except OSError:
        return None
    if stat.st_size != size:
        return None
    if stat.st_mtime_ns == mtime_ns:
        return BY_STAT
    try:
        return BY_DIGEST if file_digest(target) == digest else None
    except OSError:  # e.g. replaced by a directory
        return None
