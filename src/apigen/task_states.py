"""apigen's uses of doit's recorded task states (`.doit.db`) beyond doit's own.

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

Keep each task's input listing in a row of its own. A task records the key of its inputs (a
digest of their paths, sizes and mtimes) with its values, and the listing (each input's xxh3
digest, stat and path), needed only when that key changes, in the row
`apigen:inputs:<task>`: listings are ~90% of the database's bytes (5 MB at 200 modules, ~30 ms
to decode), and the prefetch above skips them. A listing that is missing (a database written
by another tool) only makes its task run.
"""

from __future__ import annotations

from typing import Any

# Where doit keeps a task's saved values (doit.dependency.Dependency.get_values).
VALUES_KEY = "_values_:"
# The row holding a task's input listing (apigen.up_to_date): `apigen:inputs:openapi:broker`.
LISTING_ROW_PREFIX = "apigen:inputs:"
LISTING_KEY = "listing"


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
    # Not the input listings: they are read only for a task whose inputs' key changed, and
    # they are most of the database's bytes (one digest, stat and path per input file).
    rows = cursor.execute(
        "SELECT task_id, task_data FROM doit WHERE substr(task_id, 1, ?) != ?",
        (len(LISTING_ROW_PREFIX), LISTING_ROW_PREFIX),
    )
    for task_id, data in rows:
        # What this run already read or wrote wins (there is nothing yet, in practice).
        if isinstance(data, dict) and task_id not in cache:
            cache[task_id] = data
            loaded += 1
    return loaded


def record_values(task_name: str, values: dict[str, Any]) -> None:
    """Record `values` as the task's saved values, written when doit closes the database."""
    backend = _backend()
    if backend is not None:
        backend.set(task_name, VALUES_KEY, values)


def recorded_listing(task_name: str) -> str | None:
    """The input listing recorded for the task, or None (never recorded, or lost)."""
    backend = _backend()
    if backend is None:
        return None
    listing = backend.get(LISTING_ROW_PREFIX + task_name, LISTING_KEY)
    return listing if isinstance(listing, str) else None


def record_listing(task_name: str, listing: str) -> None:
    """Record the task's input listing in its own row, written when doit closes the database."""
    backend = _backend()
    if backend is not None:
        backend.set(LISTING_ROW_PREFIX + task_name, LISTING_KEY, listing)


def _backend() -> Any:
    from doit.globals import Globals

    return getattr(Globals.dep_manager, "backend", None)
