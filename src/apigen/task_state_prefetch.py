"""Read every task's recorded state from `.doit.db` in one query, before doit checks the tasks.

doit's sqlite3 backend reads a task's row the first time it checks the task: one `SELECT` per
task, each with its cursor, row factory and JSON converter, ~50 us apiece here. `doit generate`
checks every task, so at 200 modules (1,400 tasks) that is 70 ms of a 0.6 s no-op run; one
query for all rows costs a few. The rows go into the backend's own cache (where its lazy reads
would have put them), so everything else about the backend, its writes included, is doit's.

Only doit's own sqlite3 backend class is prefetched (apigen.doit_config selects it); with any
other backend, or should doit's internals change, this does nothing and doit reads lazily.
"""

from __future__ import annotations

from typing import Any


def prefetch_task_states(dep_manager: Any) -> int:
    """Load every recorded task state into the backend's cache; returns how many were loaded."""
    from doit.dependency import SqliteDB

    backend = getattr(dep_manager, "backend", None)
    if type(backend) is not SqliteDB:
        return 0
    cache = getattr(backend, "_cache", None)
    connection = getattr(backend, "_conn", None)
    if not isinstance(cache, dict) or connection is None:
        return 0
    cursor = connection.cursor()
    cursor.row_factory = None  # tuples; the JSON converter of the `task_data` column still runs
    loaded = 0
    for task_id, data in cursor.execute("SELECT task_id, task_data FROM doit"):
        # What this run already read or wrote wins (there is nothing yet, in practice).
        if isinstance(data, dict) and task_id not in cache:
            cache[task_id] = data
            loaded += 1
    return loaded
