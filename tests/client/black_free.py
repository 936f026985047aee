"""Watching the chunk formatter: which chunks meet black, and that the others are black's output.

`watched_formatter()` patches `ChunkFormatter._format` for its duration: each chunk that
`_fits_as_written` keeps as written is also formatted by black, and must come back unchanged
(AssertionError naming the chunk otherwise); the chunks sent to black are collected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from apigen.client import formatter
from apigen.client.formatter import ChunkFormatter


@contextmanager
def watched_formatter() -> Iterator[list[str]]:
    """Within: chunks kept as written are checked against black; yields the chunks black met."""
    sent_to_black: list[str] = []
    original = ChunkFormatter._format

    def checking_format(self: ChunkFormatter, kind: str, source: str) -> str:
        if formatter._fits_as_written(source):
            formatted = self._run_black(kind, source)
            assert formatted == source, f"kept as written, but black changes it:\n{source}"
        else:
            sent_to_black.append(source)
        return original(self, kind, source)

    ChunkFormatter._format = checking_format  # type: ignore[method-assign]
    try:
        yield sent_to_black
    finally:
        ChunkFormatter._format = original  # type: ignore[method-assign]
