"""The static import graph of the project's sources, read with `ast` and cached by file stat.

A task's inputs include every project file its producer would import. We find them without
importing anything: each file is parsed once, its imports (at any depth, including those inside
functions) are resolved to project files, and the result is cached keyed by (mtime_ns, size)
so the no-op path only stats files and reads one small JSON file.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import json
import os
from collections.abc import Iterable
from pathlib import Path

CACHE_FORMAT = 2


class ImportGraph:
    """Imports of the Python files under `src_dir` (all paths relative to the project root).

    The source tree is listed once per instance (one scandir per folder, one stat per file);
    resolving a dotted name is then a dictionary lookup, not a stat.
    """

    def __init__(self, src_dir: Path, cache_file: Path | None = None) -> None:
        self.src_dir = src_dir
        self.cache_file = cache_file
        self._entries: dict[str, list[object]] = {}
        self._dirty = False
        self._stats: dict[str, os.stat_result] = {}
        # dotted name -> posix path of its file (a package: its __init__.py)
        self._by_module: dict[str, str] = {}
        self._files_of: dict[str, list[str]] = {}
        self._deps: dict[str, list[str]] = {}  # file -> the project files it imports
        self._closures: dict[str, list[str]] = {}  # "\n"-joined roots -> closure
        self._scan(src_dir, ())
        self._load_cache()

    def _scan(self, folder: Path, package: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                # Generated folders (build outputs) are tasks' explicit inputs where they matter;
                # scanning them would change the fingerprint on every build.
                if entry.name.isidentifier() and not entry.name.endswith("_generated"):
                    self._scan(folder / entry.name, (*package, entry.name))
            elif entry.name.endswith(".py"):
                path = (folder / entry.name).as_posix()
                stem = entry.name[:-3]
                dotted = ".".join(package if stem == "__init__" else (*package, stem))
                if dotted:
                    self._by_module[dotted] = path
                self._stats[path] = entry.stat()

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
        `src/` changed since the cache was written (a no-op run), none is recomputed.
        """
        paths = sorted(root if isinstance(root, str) else root.as_posix() for root in roots)
        key = "\n".join(paths)
        cached = self._closures.get(key)
        if cached is None:
            cached = self._compute_closure(paths)
            self._closures[key] = cached
            self._dirty = True
        return list(cached)

    @functools.cached_property
    def _fingerprint(self) -> str:
        """Changes whenever any source file is added, removed or touched (stats of the scan)."""
        import hashlib

        digest = hashlib.sha1(usedforsecurity=False)
        for path in sorted(self._stats):
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

    def files_under(self, folder: Path) -> list[str]:
        """The Python files below `folder` (posix paths, sorted), from the scan: no new stat."""
        prefix = folder.as_posix().rstrip("/") + "/"
        return sorted(path for path in self._stats if path.startswith(prefix))

    def imports_of(self, path: Path | str) -> list[str]:
        """Absolute dotted names `path` may import (for `from a import b`: `a` and `a.b`)."""
        key = path if isinstance(path, str) else path.as_posix()
        stat = self._stats.get(key) or os.stat(key)
        cached = self._entries.get(key)
        if cached is not None and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
            return cached[2]  # type: ignore[return-value]
        names = self._parse_imports(Path(key))
        self._entries[key] = [stat.st_mtime_ns, stat.st_size, names]
        self._dirty = True
        return names

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

    def _load_cache(self) -> None:
        if self.cache_file is None:
            return
        try:
            data = json.loads(self.cache_file.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == CACHE_FORMAT:
            entries = data.get("files")
            if isinstance(entries, dict):
                self._entries = entries
            closures = data.get("closures")
            if isinstance(closures, dict) and data.get("fingerprint") == self._fingerprint:
                self._closures = closures

    def save(self) -> None:
        """Persist the cache if anything was parsed since it was loaded."""
        if self.cache_file is None or not self._dirty:
            return
        live = {key: value for key, value in self._entries.items() if key in self._stats}
        payload = json.dumps(
            {
                "format": CACHE_FORMAT,
                "fingerprint": self._fingerprint,
                "files": live,
                "closures": self._closures,
            },
            sort_keys=True,
        )
        from apigen.atomic_write import write_text_if_changed

        with contextlib.suppress(OSError):  # a cache we cannot write only costs speed
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
