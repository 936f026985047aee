"""A finding: one problem at one place, rendered as `path:line: message`."""

from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    """One problem at one place: rendered as `path:line: message`.

    (NamedTuple rather than a dataclass: this is imported on the no-op path, and a dataclass
    costs over 1 ms to create.)
    """

    path: str | None
    line: int | None
    message: str

    def render(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"
