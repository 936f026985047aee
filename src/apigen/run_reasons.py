"""Why a task runs: recorded by apigen's `uptodate` checks, read by the reporter.

doit knows which file dependencies changed (`task.dep_changed`) and which targets are missing;
it does not say that a task is new, which setting changed (a library upgrade, an API version
added) or that an output was edited by hand. The `uptodate` checks (apigen.up_to_date) answer
doit's question and note those reasons on the task for apigen.reporter.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

REASONS_ATTRIBUTE = "apigen_reasons"
SETTINGS_KEY = "apigen:settings"
# Where an exporter's action returns what changed in its documents (apigen.spec_writer).
CHANGES_KEY = "apigen:spec_changes"
# doit inspects the signature of every `uptodate` callable of every task on every run, to decide
# whether to pass it `task` and `values`; a precomputed one costs nothing to inspect.
CHECK_SIGNATURE = inspect.Signature(
    [
        inspect.Parameter("task", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("values", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]
)


def add_reason(task: Any, reason: str) -> None:
    reasons = getattr(task, REASONS_ATTRIBUTE, None)
    if reasons is None:
        reasons = []
        setattr(task, REASONS_ATTRIBUTE, reasons)
    if reason not in reasons:
        reasons.append(reason)


def reasons_of(task: Any) -> list[str]:
    return list(getattr(task, REASONS_ATTRIBUTE, None) or [])


class SettingsChanged:
    """doit uptodate, like doit's `config_changed`, but it keeps the settings themselves (not a
    digest) so a rerun can say what changed: `fastapi 0.115.0 -> 0.116.1`."""

    __signature__ = CHECK_SIGNATURE

    def __init__(self, settings: dict[str, Any]) -> None:
        self._given = settings
        self._as_recorded: dict[str, Any] | None = None

    @property
    def settings(self) -> dict[str, Any]:
        """As they come back from doit's JSON database (tuples become lists, keys strings)."""
        if self._as_recorded is None:
            self._as_recorded = _as_json(self._given)
        return self._as_recorded

    def configure_task(self, task: Any) -> None:
        task.value_savers.append(lambda: {SETTINGS_KEY: self.settings})

    def __call__(self, task: Any, values: dict[str, Any]) -> bool:
        if not values:
            add_reason(task, "new task")
            return False
        previous = values.get(SETTINGS_KEY)
        # The settings as given usually compare equal already (the task graph builds them from
        # lists and string keys); converting them is ~10 us a task, for every task of a no-op.
        if previous == self._given or previous == self.settings:
            return True
        if previous is None:
            add_reason(task, "settings not recorded before (older apigen)")
        else:
            for change in describe_changes(previous, self.settings):
                add_reason(task, change)
        return False


def _as_json(value: Any) -> Any:
    """`value` as doit's JSON database gives it back: tuples become lists, keys strings. (A
    JSON round trip does the same, but costs ~15 us per task on the no-op path.)"""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        # JSON writes a key that is not a string as its JSON text: 1 -> "1", True -> "true".
        return {
            key if type(key) is str else json.dumps(key): _as_json(item)
            for key, item in value.items()
        }
    if kind is list or kind is tuple:
        return [_as_json(item) for item in value]
    return json.loads(json.dumps(value))


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Readable differences between two settings dicts, one level of nesting deep."""
    changes: list[str] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changes.extend(
                f"{name} {old.get(name, 'none')} -> {new.get(name, 'none')}"
                for name in sorted(old.keys() | new.keys())
                if old.get(name) != new.get(name)
            )
        else:
            changes.append(f"{key.replace('_', ' ')} {_short(old)} -> {_short(new)}")
    return changes


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
