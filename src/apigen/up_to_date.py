"""Whether a task is up to date: the one doit `uptodate` object of every apigen task.

`UpToDate` checks all of a task's inputs at once: the settings it records (library versions,
API versions...), its input files (sources, templates, the specs another task wrote) and its
outputs (edited by hand?). It notes why the task must run on the task for apigen.reporter: `new
task`, `fastapi 0.115.0 -> 0.116.1`, the input files whose bytes changed (`task.dep_changed`, as
doit's own file_dep check would), `output edited: ...`.

Input files are checked here rather than by doit's `file_dep`: doit stats every dependency of
every task on every run and keeps one database entry per dependency, which at a few hundred
modules (some 40 inputs per export task, most of them shared) cost more than everything else a
no-op run does. Here each file is stat-ed once per run, and a task whose inputs did not change
costs one digest comparison (apigen.xxhash_checker.InputFiles). The rule is doit's: stat first,
the content's xxh3 digest when the stat differs. The order doit's file_dep gave for free (a
task reading another's output runs after it) is an explicit `task_dep`.
"""

from __future__ import annotations

from typing import Any

from apigen.run_reasons import (
    CHECK_SIGNATURE,
    SETTINGS_KEY,
    SettingsChanged,
    add_reason,
    reasons_of,
)
from apigen.target_guard import TargetsUnchanged
from apigen.task_states import record_listing, record_values, recorded_listing
from apigen.xxhash_checker import InputFiles

INPUTS_KEY = "apigen:inputs"


class UpToDate:
    """doit uptodate: the task's settings, input files and outputs are as its last successful
    run left them.

    `settings`: JSON-like values whose change reruns the task (kept as they are, so a rerun can
    say what changed). `inputs`: files no task writes (sources, templates), as lists of paths
    that tasks may share, stat-ed once per run; `generated_inputs`: files another task writes
    (its `task_dep`), stat-ed when this task is checked. `files` is shared by all tasks of a
    run. Outputs are the task's `targets`.
    """

    __signature__ = CHECK_SIGNATURE

    def __init__(
        self,
        settings: dict[str, Any],
        inputs: list[list[str]] | None = None,
        generated_inputs: list[str] | None = None,
        files: InputFiles | None = None,
    ) -> None:
        self.settings = SettingsChanged(settings)
        self.inputs = inputs or []
        self.generated_inputs = generated_inputs or []
        self.files = files or InputFiles()
        self.targets = TargetsUnchanged()
        # The inputs as checked, before the task runs: a file edited while it runs reruns it
        # next time. `_listing` is computed only when the key differs (or nothing is recorded).
        self._state = ""
        self._key: str | None = None
        self._listing: str | None = None
        self._listing_recorded = False  # the recorded listing is the one of `_key`
        self._inputs_refreshed = False  # new stats, same bytes: see __call__
        self._reasons: list[str] = []

    def configure_task(self, task: Any) -> None:
        task.value_savers.append(lambda: self._values(task))

    def _values(self, task: Any) -> dict[str, Any]:
        """What to record: settings, the inputs' key and outputs' states in the task's values,
        the inputs' listing in its own row (apigen.task_states), when it is not there yet."""
        values: dict[str, Any] = {SETTINGS_KEY: self.settings.settings}
        if self.inputs or self.generated_inputs:
            if self._key is None:
                self._measure()
            if self._listing is None and not self._listing_recorded:
                self._list(None)
            values[INPUTS_KEY] = [self._key]
            if self._listing is not None and not self._listing_recorded:
                record_listing(task.name, self._listing)
        if task.targets:
            values.update(self.targets.values(task))
        return values

    def _measure(self) -> None:
        self._state = self.files.state(self.inputs, self.generated_inputs)
        self._key = self.files.key(self._state)

    def _list(self, previous: str | None) -> str:
        """The listing of the measured inputs (hashing those whose stat `previous` lacks)."""
        self._listing = self.files.listing(self._state, previous)
        return self._listing

    def __call__(self, task: Any, values: dict[str, Any]) -> bool:
        if not values:
            add_reason(task, "new task")
            if self.inputs or self.generated_inputs:
                self._measure()
                self._list(None)
            self._reasons = ["new task"]
            return False
        unchanged = self.settings(task, values)
        if self.inputs or self.generated_inputs:
            unchanged = self._check_inputs(task, values.get(INPUTS_KEY)) and unchanged
        if task.targets:
            unchanged = self.targets(task, values) is not False and unchanged
        self._reasons = reasons_of(task)
        if unchanged and (self._inputs_refreshed or self.targets.stats_moved):
            # Same bytes under new stats: record the stats, or every run would hash again.
            record_values(task.name, {**values, **self._values(task)})
        return unchanged

    def _check_inputs(self, task: Any, recorded: Any) -> bool:
        """`recorded` is `[key]` (the listing in its own row), or `[key, listing]` as apigen
        recorded it before the listing had its own row."""
        if not (
            isinstance(recorded, list)
            and len(recorded) in (1, 2)
            and all(isinstance(part, str) for part in recorded)
        ):
            add_reason(task, "inputs not recorded before (older apigen)")
            self._measure()
            self._list(None)
            return False
        self._measure()
        inline = recorded[1] if len(recorded) == 2 else None
        if self._key == recorded[0]:
            # Every input has the stat it had: the common case, one comparison.
            if inline is None:
                self._listing_recorded = True
            else:
                self._listing, self._inputs_refreshed = inline, True  # move it to its own row
            return True
        previous = inline if inline is not None else recorded_listing(task.name)
        listing = self._list(previous)
        if previous is None:
            add_reason(task, "input digests not recorded")
            return False
        changed, removed = self.files.changes(previous, listing)
        # What the reporter (and doit's own file_dep check) calls the changed dependencies.
        task.dep_changed = changed
        self._inputs_refreshed = not changed and not removed
        return self._inputs_refreshed

    def __repr__(self) -> str:  # `doit info TASK` lists the uptodate objects that said no
        why = "; ".join(self._reasons) or "inputs added or removed"
        return f"<apigen check: {why}>"
