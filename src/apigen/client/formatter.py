"""black, applied chunk by chunk (a class, a method), with the results remembered on disk.

black costs about 0.3-0.6 ms per line on the 2-core CI machine: a client with 15 operations is
~900 lines, i.e. half a second, most of the budget of `doit generate` after one endpoint edit.
The generated module is a sequence of independent chunks (module head, each enum and model,
each method), and black formats a top-level class or a method the same way alone as inside the
whole file, so each chunk is formatted alone and its result cached by the chunk's exact text.
After an edit only the chunks that changed meet black (tests/client check that the assembled
output is byte-identical to black on the whole file, and stable under black).

Most chunks need no black at all: the templates write black's style, and what black changes in
them is lines too long (it splits them) and the odd literal or docstring. A chunk whose lines
all fit, with no backslash, single quote, tab, trailing space, triple blank line or docstring
quote next to a space or another quote, is kept as written (`_fits_as_written`): that skips
about half of black's time on a cold render; the tests above still hold (and
tests/graph/test_building_blocks.py checks it on generated documents).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from apigen.atomic_write import write_if_changed
from apigen.library_versions import installed_versions

LINE_LENGTH = 100
TARGET = "py311"
_METHOD_WRAPPER = "class _Chunk:\n"


def _black_mode() -> Any:
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})


def format_module(source: str) -> str:
    """black on a whole module, in-process (the reference the chunked path must match)."""
    import black

    return black.format_str(source, mode=_black_mode())


# What black would change in a chunk whose lines all fit: string quotes and escapes, docstring
# padding (a docstring starting with a space, ending with a space or a quote), more than one
# blank line in a row, tabs and trailing whitespace.
_BLACK_WOULD_EDIT = re.compile(r"""[\\'\t]|[ \t]$|\n\n\n|\"\"\"[ "]|[^ \n]["\ ]\"\"\"$""", re.M)


def _fits_as_written(source: str) -> bool:
    """Whether black leaves `source` (a chunk as the templates wrote it) unchanged: conservative,
    any doubt goes to black."""
    if _BLACK_WOULD_EDIT.search(source):
        return False
    for line in source.split("\n"):
        # black counts East Asian wide characters twice: so does this, and any other too.
        if len(line) > LINE_LENGTH or (
            not line.isascii() and len(line) + sum(not c.isascii() for c in line) > LINE_LENGTH
        ):
            return False
    return True


class ChunkFormatter:
    """Formats chunks of one client module; `cache_file` (optional) keeps results across runs.

    The cache file holds only the chunks of the latest render, so it never grows beyond one
    client's worth; it is keyed by the black version, and unreadable content is ignored.
    """

    def __init__(self, cache_file: Path | None = None) -> None:
        self._cache_file = cache_file
        self._black_version = installed_versions(["black"])["black"]
        self._known = self._load()
        self._used: dict[str, str] = {}
        self._mode: Any = None

    def _load(self) -> dict[str, str]:
        if self._cache_file is None:
            return {}
        try:
            data = json.loads(self._cache_file.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("black") != self._black_version:
            return {}
        entries = data.get("chunks")
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, str)}

    def _format(self, kind: str, source: str) -> str:
        key = hashlib.sha256(f"{kind}\0{LINE_LENGTH}\0{TARGET}\0{source}".encode()).hexdigest()
        formatted = self._used.get(key)
        if formatted is None:
            formatted = self._known.get(key)
        if formatted is None:
            formatted = source if _fits_as_written(source) else self._run_black(kind, source)
        self._used[key] = formatted
        return formatted

    def _run_black(self, kind: str, source: str) -> str:
        import black

        if self._mode is None:
            self._mode = _black_mode()
        if kind == "module":
            return black.format_str(source, mode=self._mode)
        # A method is formatted inside a stand-in class, so indentation and blank lines are
        # those of a method; the stand-in line is then dropped.
        formatted = black.format_str(_METHOD_WRAPPER + source, mode=self._mode)
        if not formatted.startswith(_METHOD_WRAPPER):
            raise AssertionError(f"black moved the method wrapper: {formatted[:80]!r}")
        return formatted[len(_METHOD_WRAPPER) :]

    def module(self, source: str) -> str:
        """Top-level code (imports, functions, classes), formatted as a module of its own."""
        return self._format("module", source)

    def method(self, source: str) -> str:
        """One method, indented by four spaces, formatted as the body of a class."""
        return self._format("method", source)

    def save(self) -> None:
        """Write the chunks of this render to the cache file (only if they changed)."""
        if self._cache_file is None or self._used == self._known:
            return
        payload = {"black": self._black_version, "chunks": dict(sorted(self._used.items()))}
        data = json.dumps(payload, indent=0, sort_keys=True).encode()
        # A cache that cannot be written only costs speed on the next run.
        with contextlib.suppress(OSError):
            write_if_changed(self._cache_file, data)
