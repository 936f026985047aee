"""The one exception family for mistakes a user can fix, and how a task reports them.

A user error is printed as `file:line: what is wrong (how to fix it)`, one line per finding,
with no traceback (doit's own rule: no traceback for user errors). Anything else keeps its
traceback, because then the bug is ours.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from apigen.findings import Finding

# Set APIGEN_TRACEBACK=1 to see the Python traceback behind a user error as well.
SHOW_TRACEBACK_ENV = "APIGEN_TRACEBACK"


class UserError(Exception):
    """One or more findings the user can act on."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(self.render())

    @classmethod
    def at(cls, path: str | Path | None, line: int | None, message: str) -> UserError:
        return cls([Finding(None if path is None else str(path), line, message)])

    def render(self) -> str:
        return "\n".join(finding.render() for finding in self.findings)


def user_facing(action: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a UserError raised by a doit python-action into a clean task failure.

    doit prints a returned TaskFailed as its message only; a raised exception would be
    printed with its whole traceback.
    """

    @functools.wraps(action)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except UserError as error:
            from doit.exceptions import TaskFailed

            if os.environ.get(SHOW_TRACEBACK_ENV):
                raise
            return TaskFailed(error.render())

    return run
