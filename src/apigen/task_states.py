"""apigen's two uses of doit's recorded task states (`.doit.db`) beyond doit's own.

Read them all at once. doit's sqlite3 backend reads a task's row the first time it checks the
task: one `SELECT` per task, each with its cursor, row factory and JSON converter, ~50 us apiece
here. `doit generate` checks every task, so at 200 modules (1,400 tasks) that is 70 ms of a
0.6 s no-op run; one query for all rows costs a few. The rows go into the backend's own cache
(where its lazy reads would have put them), so everything else about the backend is doit's.
Only doit's own sqlite3 backend class is prefetched (apigen.doit_config selects it); with any
other backend, or should doit's internals change, this does nothing and doit reads lazily.

Write back a refreshed state. A task whose input files have new stats but the same bytes (a
fresh clone, a CI cache restore, a branch switched and back, files touched) is up to date, but
doit records a task's values only when it runs: every later run would find the old stats again
and hash those files again. `record_values` stores the task's values as checked, in the
backend's cache, marked for doit to write when it closes the database, as it writes the values
of the tasks that ran.
"""

from __future__ import annotations

from typing import Any

# Where doit keeps a task's saved values (doit.dependency.Dependency.get_values).
VALUES_KEY = "_values_:"


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


def record_values(task_name: str, values: dict[str, Any]) -> None:
    """Record `values` as the task's saved values, written when doit closes the database."""
    from doit.globals import Globals

    manager = Globals.dep_manager
    backend = getattr(manager, "backend", None)
    if backend is not None:
        backend.set(task_name, VALUES_KEY, values)
