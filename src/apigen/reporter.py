"""The console reporter of `doit generate`: every task that runs says why, and how long it took.

    ran  openapi:broker   src/trading_api/modules/broker/api/v1.py changed         0.41 s
    ran  client:broker    specs_generated/broker_v1_openapi.json changed           0.08 s
    3 ran, 14 up to date, 0.62 s

Up-to-date tasks are counted, not listed. A failure prints its message (for a user error:
`file:line: what is wrong`) without doit's banner of captured output. Colour only on a
terminal (and never with NO_COLOR set). `doit --reporter console generate` gives doit's own.
"""

from __future__ import annotations

import os
import time
from typing import Any

from doit.reporter import ConsoleReporter

from apigen import gc_pause
from apigen.run_reasons import CHANGES_KEY, reasons_of

SHOWN_FILES = 2
GREEN, RED, DIM, RESET = "\033[32m", "\033[31m", "\033[2m", "\033[0m"


class ExplainingReporter(ConsoleReporter):  # type: ignore[misc]  # doit is untyped
    desc = "one line per task that runs, with the reason and the time; a summary"

    def __init__(self, outstream: Any, options: dict[str, Any]) -> None:
        super().__init__(outstream, options)
        isatty = getattr(outstream, "isatty", None)
        self.colour = bool(isatty and isatty()) and not os.environ.get("NO_COLOR")
        self.started_at = time.perf_counter()
        self.task_started: dict[str, float] = {}
        self.why: dict[str, str] = {}
        self.ran = self.up_to_date = self.failed = 0

    def initialize(self, tasks: Any, selected_tasks: Any) -> None:
        # doit has loaded the tasks and runs them next: the collector is back to normal.
        gc_pause.resume()

    def execute_task(self, task: Any) -> None:
        if _has_actions(task):
            self.task_started[task.name] = time.perf_counter()
            self.why[task.name] = explain(task)

    def add_success(self, task: Any) -> None:
        if _has_actions(task):
            self.ran += 1
            self._line("ran ", GREEN, task)
            for path, changes in (task.values.get(CHANGES_KEY) or {}).items():
                self.write(f"      {path}:\n")
                for change in changes:
                    colour = RED if change.endswith("[BREAKING]") else DIM
                    self.write(f"        {self._paint(colour, change)}\n")

    def add_failure(self, task: Any, fail: Any) -> None:
        self.failed += 1
        self._line("FAIL", RED, task)
        if fail.report:
            self.failures.append({"task": task, "exception": fail})
            message = fail.get_msg().rstrip()
            self.write("".join(f"      {line}\n" for line in message.splitlines()))

    def skip_uptodate(self, task: Any) -> None:
        if _has_actions(task):
            self.up_to_date += 1

    def complete_run(self) -> None:
        elapsed = time.perf_counter() - self.started_at
        parts = [f"{self.ran} ran", f"{self.up_to_date} up to date"]
        if self.failed:
            parts.append(self._paint(RED, f"{self.failed} failed"))
        self.write(f"{', '.join(parts)}, {elapsed:.2f} s\n")
        if self.runtime_errors:
            self.write("Execution aborted.\n" + "\n".join(self.runtime_errors) + "\n")
        gc_pause.freeze_for_exit()

    def _line(self, label: str, colour: str, task: Any) -> None:
        started = self.task_started.get(task.name)
        took = "" if started is None else f"{time.perf_counter() - started:6.2f} s"
        why = self.why.get(task.name) or "a dependency failed"
        self.write(
            f"{self._paint(colour, label)} {task.name:<22} {self._paint(DIM, why):<60} {took}\n"
        )

    def _paint(self, colour: str, text: str) -> str:
        return f"{colour}{text}{RESET}" if self.colour else text


def _has_actions(task: Any) -> bool:
    """Whether the task has actions (group tasks have none). doit's `task.actions` builds the
    action objects on first use, inspecting each callable: ~15 us a task, for nothing, on
    every up-to-date task of a no-op run. `_actions` is what they would be built from."""
    actions = getattr(task, "_actions", None)
    return bool(task.actions if actions is None else actions)


def explain(task: Any) -> str:
    """Why doit decided to run `task`, from what doit and apigen's checks recorded."""
    reasons = _grouped(reasons_of(task), "output edited: ")
    missing = [target for target in task.targets if not os.path.lexists(target)]
    if "new task" in reasons:
        return "new task"
    if missing:
        reasons.append(f"output missing: {_files(missing)}")
    elif task.dep_changed:
        reasons.append(f"{_files(sorted(task.dep_changed))} changed")
    if not reasons:
        always = any(check is False for check, _, _ in task.uptodate)
        reasons.append("always runs" if always else "input files added or removed")
    return "; ".join(reasons)


def _grouped(reasons: list[str], prefix: str) -> list[str]:
    """Reasons that name one file each, with the same prefix, as one reason."""
    files = [reason[len(prefix) :] for reason in reasons if reason.startswith(prefix)]
    others = [reason for reason in reasons if not reason.startswith(prefix)]
    return others + ([prefix + _files(files)] if files else [])


def _files(paths: list[str]) -> str:
    shown = ", ".join(paths[:SHOWN_FILES])
    more = len(paths) - SHOWN_FILES
    return shown if more <= 0 else f"{shown} (+{more} more)"
