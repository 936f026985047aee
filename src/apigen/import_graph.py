"""The static import graph of the project's sources, read with `ast` and cached by file stat.

A task's inputs include every project file its producer would import. We find them without
importing anything: each file is parsed once, its imports (at any depth, including those inside
functions) are resolved to project files, and the result is cached keyed by (mtime_ns, size)
so the no-op path only stats files and reads one small JSON file.

Two cache files: `import-graph.json` holds the closures (under a fingerprint of every source
file's stat) and what `derived` remembers, and is read by every run; the files' own imports are
in `import-graph-files.json`, read only when a closure must be computed again.
"""

from __future__ import annotations

import ast
import bisect
import contextlib
import functools
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CACHE_FORMAT = 3
# Joins paths in the cache; a closure holding a path with one in its name is stored as a list.
SEPARATOR = "|"


class ImportGraph:
    """Imports of the Python files under `src_dir` (all paths relative to the project root).

    The source tree is listed once per instance (one scandir per folder, one stat per file);
    resolving a dotted name is then a dictionary lookup, not a stat.
    """

    def __init__(self, src_dir: Path, cache_file: Path | None = None) -> None:
        self.src_dir = src_dir
        self.cache_file = cache_file
        self._loaded_entries: dict[str, list[object]] | None = None
        self._dirty = False  # closures or derived facts to save
        self._entries_dirty = False  # files parsed since the cache was read
        self._stats: dict[str, os.stat_result] = {}
        # dotted name -> posix path of its file (a package: its __init__.py)
        self._by_module: dict[str, str] = {}
        self._files_of: dict[str, list[str]] = {}
        self._deps: dict[str, list[str]] = {}  # file -> the project files it imports
        # SEPARATOR-joined roots -> closure (as read from the cache: joined too, which JSON
        # decodes ~2.5 times faster than lists of strings)
        self._closures: dict[str, list[str] | str] = {}
        # Other facts derived from files, keyed by the files' stats (see `derived`).
        self._derived: dict[str, list[Any]] = {}
        self._derived_used: set[str] = set()
        self._closures_valid = False
        self._unverified: dict[str, str] = {}  # closure key -> digest of its files' stats
        self._scan(src_dir.as_posix(), ())
        self._load_cache()

    def _scan(self, folder: str, package: tuple[str, ...]) -> None:
        # Plain strings, one scandir per folder and one stat per source file: this runs on the
        # no-op path for every folder of the project (hundreds in a large one).
        try:
            scan = os.scandir(folder)
        except OSError:
            return
        with scan as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".py"):
                    if entry.is_file():
                        path = f"{folder}/{name}"
                        stem = name[:-3]
                        dotted = ".".join(package if stem == "__init__" else (*package, stem))
                        if dotted:
                            self._by_module[dotted] = path
                        self._stats[path] = entry.stat()
                # Generated folders (build outputs) are tasks' explicit inputs where they
                # matter; scanning them would change the fingerprint on every build. Python's
                # __pycache__ folders hold no sources.
                elif (
                    name.isidentifier()
                    and not name.endswith("_generated")
                    and name != "__pycache__"
                    and entry.is_dir(follow_symlinks=False)
                ):
                    self._scan(f"{folder}/{name}", (*package, name))

    @property
    def sources_changed(self) -> bool:
        """Whether a source file was added, removed or touched since the cache was written (or
        there is no cache): the run is likely to rebuild something."""
        return not self._closures_valid

    @property
    def stats(self) -> dict[str, os.stat_result]:
        """The stat of every Python file of the scan, by posix path."""
        return self._stats

    def derived(self, name: str, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, remembered across runs under `name` for as long as `key` (a digest of
        whatever it reads, e.g. files' stats) is the same. The value must be JSON data."""
        self._derived_used.add(name)
        cached = self._derived.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        value = compute()
        self._derived[name] = [key, value]
        self._dirty = True
        return value

    # -- resolution -------------------------------------------------------------------------

    def module_name(self, path: Path) -> str:
        """`src/a/b/c.py` -> `a.b.c`; `src/a/b/__init__.py` -> `a.b`."""
        parts = list(path.relative_to(self.src_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def files_of(self, dotted: str) -> list[str]:
        """The project files importing `dotted` executes: parent `__init__.py`s, then the module.

        Empty for modules outside the project (stdlib, third party); for `pkg.mod.attr` the
        walk stops at the last part that is a module. Paths are posix strings: this runs on the
        no-op path, where pathlib's object overhead is measurable.
        """
        found = self._files_of.get(dotted)
        if found is None:
            found = []
            parts = dotted.split(".")
            for end in range(1, len(parts) + 1):
                path = self._by_module.get(".".join(parts[:end]))
                if path is None:
                    break
                found.append(path)
                if not path.endswith("/__init__.py"):
                    break
            self._files_of[dotted] = found
        return found

    def closure(self, roots: Iterable[Path | str]) -> list[str]:
        """Every project file reachable from `roots` through imports, as sorted posix paths.

        Closures are cached with a fingerprint of every source file's stat: when no file under
        `src/` changed since the cache was written (a no-op run), none is recomputed. When some
        changed but no file was added or removed, a cached closure still holds if none of its
        own files changed (their imports, and what they resolve to, are the same): an edited
        module recomputes its own closures, not every module's.
        """
        paths = sorted(root if isinstance(root, str) else root.as_posix() for root in roots)
        key = SEPARATOR.join(paths)
        cached = self._closures.get(key)
        if isinstance(cached, str):
            cached = cached.split(SEPARATOR) if cached else []
            if self._unverified and self._members_digest(cached) != self._unverified[key]:
                del self._closures[key]
                cached = None
            else:
                self._closures[key] = cached
        if cached is None:
            cached = self._compute_closure(paths)
            if not any(SEPARATOR in path for path in paths):
                self._closures[key] = cached
                self._dirty = True
        return list(cached)

    def _members_digest(self, members: list[str]) -> str:
        stats = self._stats
        import xxhash

        digest = xxhash.xxh3_64()
        for path in members:
            stat = stats.get(path)
            digest.update(b"-" if stat is None else b"%d %d\n" % (stat.st_mtime_ns, stat.st_size))
        return digest.hexdigest()

    @functools.cached_property
    def _layout(self) -> str:
        """Changes whenever a source file is added or removed (not when one is edited)."""
        import xxhash

        return xxhash.xxh3_128_hexdigest("\n".join(self._sorted_paths).encode())

    @functools.cached_property
    def _fingerprint(self) -> str:
        """Changes whenever any source file is added, removed or touched (stats of the scan)."""
        import xxhash  # already imported by the file checker; hashlib would cost ~4 ms

        digest = xxhash.xxh3_128()
        for path in self._sorted_paths:
            stat = self._stats[path]
            digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        return digest.hexdigest()

    def _compute_closure(self, paths: list[str]) -> list[str]:
        seen: set[str] = set()
        pending = list(paths)
        while pending:
            path = pending.pop()
            if path in seen or path not in self._stats:
                continue
            seen.add(path)
            pending.extend(self._project_imports(path))
        return sorted(seen)

    def _project_imports(self, path: str) -> list[str]:
        deps = self._deps.get(path)
        if deps is None:
            deps = [
                file for dotted in self.imports_of(Path(path)) for file in self.files_of(dotted)
            ]
            self._deps[path] = deps
        return deps

    # -- parsing with a stat-keyed cache ----------------------------------------------------

    def files_under(self, folder: Path | str) -> list[str]:
        """The Python files below `folder` (posix paths, sorted), from the scan: no new stat."""
        prefix = (folder if isinstance(folder, str) else folder.as_posix()).rstrip("/") + "/"
        paths = self._sorted_paths
        start = bisect.bisect_left(paths, prefix)
        end = bisect.bisect_left(paths, prefix[:-1] + "0", start)  # "0" sorts right after "/"
        return paths[start:end]

    @functools.cached_property
    def _sorted_paths(self) -> list[str]:
        return sorted(self._stats)

    def imports_of(self, path: Path | str) -> list[str]:
        """Absolute dotted names `path` may import (for `from a import b`: `a` and `a.b`)."""
        key = path if isinstance(path, str) else path.as_posix()
        stat = self._stats.get(key) or os.stat(key)
        entries = self._entries
        cached = entries.get(key)
        if cached is not None and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
            return cached[2]  # type: ignore[return-value]
        names = self._parse_imports(Path(key))
        entries[key] = [stat.st_mtime_ns, stat.st_size, names]
        self._entries_dirty = True
        return names

    @property
    def _entries(self) -> dict[str, list[object]]:
        """Each file's imports, keyed by its stat: read from the cache on first use."""
        if self._loaded_entries is None:
            data = self._read(self._entries_file)
            entries = data.get("files") if data.get("format") == CACHE_FORMAT else None
            self._loaded_entries = entries if isinstance(entries, dict) else {}
        return self._loaded_entries

    @property
    def _entries_file(self) -> Path | None:
        if self.cache_file is None:
            return None
        return self.cache_file.with_name(f"{self.cache_file.stem}-files{self.cache_file.suffix}")

    def _parse_imports(self, path: Path) -> list[str]:
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            # The producer's own import reports the syntax error with file and line; the graph
            # only has to keep the broken file as an input so fixing it reruns the task.
            return []
        package = self.module_name(path)
        if path.name != "__init__.py":
            package = package.rpartition(".")[0]
        names: set[str] = set()
        for node in _statements(tree.body):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(package, node.module, node.level)
                if base is None:
                    continue
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        return sorted(names)

    @staticmethod
    def _read(path: Path | None) -> dict[str, Any]:
        if path is None:
            return {}
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _load_cache(self) -> None:
        data = self._read(self.cache_file)
        if data.get("format") != CACHE_FORMAT:
            return
        closures = data.get("closures")
        if isinstance(closures, dict) and data.get("fingerprint") == self._fingerprint:
            self._closures = closures
            self._closures_valid = True
        elif isinstance(closures, dict) and data.get("layout") == self._layout:
            members = data.get("members")
            if isinstance(members, dict):
                # Each closure is checked against its own files' stats when asked for.
                self._closures = {key: value for key, value in closures.items() if key in members}
                self._unverified = members
        derived = data.get("derived")
        if isinstance(derived, dict):
            self._derived = derived

    def save(self) -> None:
        """Persist what was computed since the cache was read."""
        if self.cache_file is None:
            return
        from apigen.atomic_write import write_text_if_changed

        # A cache we cannot write only costs speed.
        if self._entries_dirty and self._entries_file is not None:
            live = {key: value for key, value in self._entries.items() if key in self._stats}
            payload = json.dumps({"format": CACHE_FORMAT, "files": live}, sort_keys=True)
            with contextlib.suppress(OSError):
                write_text_if_changed(self._entries_file, payload)
            self._entries_dirty = False
        if self._dirty:
            # Closures read from the cache but not checked in this run (while their files'
            # stats changed) are dropped: they are valid only for the stats they were made with.
            kept = {
                key: value
                for key, value in self._closures.items()
                if not (self._unverified and isinstance(value, str))
            }
            closures = {
                key: value
                if isinstance(value, str) or any(SEPARATOR in path for path in value)
                else SEPARATOR.join(value)
                for key, value in kept.items()
            }
            members = {
                key: self._members_digest(
                    (value.split(SEPARATOR) if value else []) if isinstance(value, str) else value
                )
                for key, value in kept.items()
            }
            derived = {name: v for name, v in self._derived.items() if name in self._derived_used}
            payload = json.dumps(
                {
                    "format": CACHE_FORMAT,
                    "fingerprint": self._fingerprint,
                    "layout": self._layout,
                    "closures": closures,
                    "members": members,
                    "derived": derived,
                },
                sort_keys=True,
            )
            with contextlib.suppress(OSError):
                write_text_if_changed(self.cache_file, payload)
            self._dirty = False


def _absolute(package: str, module: str | None, level: int) -> str | None:
    """Resolve `from <level dots><module> import ...` inside `package`."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


# Statement fields that hold nested statements (if/for/while/try/with/def/class/match bodies).
_NESTED_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Every statement at any depth, without visiting expressions: imports are statements, and
    skipping expression nodes halves the time of `ast.walk` on the first, uncached run."""
    found: list[ast.stmt] = []
    pending: list[object] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.stmt):
            found.append(node)
        for field in _NESTED_BODIES:
            pending.extend(getattr(node, field, ()))
    return found
