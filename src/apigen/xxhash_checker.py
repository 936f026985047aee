"""Input files: stat first, xxh3 of the content only when size or mtime differ.

doit's default MD5 checker trusts the mtime alone and hashes with md5. We compare size and
mtime (nanoseconds) first, which costs one stat, and hash with xxh3-128 (several GB/s) only when
they differ. A fresh clone or a CI cache restore changes every mtime but no content, so it
rebuilds nothing.

`InputFiles` is how apigen's tasks check their inputs (apigen.run_reasons.UpToDate): one stat per
file per run however many tasks read it, and per task one digest of those stats to compare
with the one recorded. `XxhashChecker` applies the same rule to doit's own `file_dep`.
"""

from __future__ import annotations

import os
from typing import Any

import xxhash
from doit.dependency import FileChangedChecker

CHUNK = 1 << 20


# Digests computed in this run, by (path, mtime_ns, size). After a fresh clone or a CI cache
# restore every mtime differs from the recorded one, and doit re-checks each dependency once per
# task that lists it (a shared model is a dependency of hundreds of tasks in a large project):
# each file is then hashed once per run, not once per task.
_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: str, stat: os.stat_result | None = None) -> str:
    """xxh3-128 of the file's bytes; `stat` (if given) is the file's stat, taken just before."""
    if stat is None:
        stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    digest = _digests.get(key)
    if digest is None:
        digest = _digests[key] = _hash(path)
    return digest


def _hash(path: str) -> str:
    hasher = xxhash.xxh3_128()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


class XxhashChecker(FileChangedChecker):  # type: ignore[misc]  # doit is untyped (Any)
    """State of a file: [mtime_ns, size, xxh3_128 hex digest]."""

    def check_modified(self, file_path: str, file_stat: os.stat_result, state: Any) -> bool:
        mtime_ns, size, digest = state
        if file_stat.st_size != size:
            return True
        if file_stat.st_mtime_ns == mtime_ns:
            return False
        return bool(digest != file_digest(file_path))

    def get_state(self, dep: str, current_state: Any) -> list[Any] | None:
        stat = os.stat(dep)
        if (
            current_state
            and current_state[0] == stat.st_mtime_ns
            and current_state[1] == stat.st_size
        ):
            return None  # unchanged: skip hashing
        return [stat.st_mtime_ns, stat.st_size, file_digest(dep)]


MISSING = "-"


class InputFiles:
    """The state of input files, shared by every task of one run.

    Inputs come in segments (lists of paths), which tasks share: every export task lists its
    producer's closure, the same list object. `stable` segments (the project's sources and
    templates: no task writes them) are stat-ed once per run, or not at all when the import
    graph's scan already did, and each segment's state is computed once per run; files another
    task writes (specs, generated routers) are stat-ed at each check, after that task ran.

    A task's inputs are recorded as `[key, listing]`: `key` digests every input's path, mtime
    and size, so an unchanged task costs one comparison; `listing` holds one line
    `digest mtime_ns size path` per input, read only when the key differs, to hash just the
    files whose stat changed and to name the ones whose bytes did.
    """

    def __init__(self, scanned: dict[str, os.stat_result] | None = None) -> None:
        self._scanned = scanned or {}
        self._segments: dict[int, tuple[list[str], str]] = {}  # id -> (segment, its state)
        self._tokens: dict[str, str] = {}  # stable path -> its `mtime size path`
        self._digests: dict[str, str] = {}  # `mtime size path` -> the file's digest

    @staticmethod
    def _token(path: str, stat: os.stat_result | None) -> str:
        if stat is None:
            return f"-1 -1 {path}"
        return f"{stat.st_mtime_ns} {stat.st_size} {path}"

    @staticmethod
    def _stat(path: str) -> os.stat_result | None:
        try:
            return os.stat(path)
        except OSError:
            return None

    def _stable_token(self, path: str) -> str:
        token = self._tokens[path] = self._token(path, self._scanned.get(path) or self._stat(path))
        return token

    def state(self, stable: list[list[str]], fresh: list[str]) -> str:
        """`mtime size path` of each input, one per line, as of now."""
        parts = []
        for segment in stable:
            known = self._segments.get(id(segment))
            if known is None or known[0] is not segment:
                tokens = self._tokens
                text = "\n".join([tokens.get(path) or self._stable_token(path) for path in segment])
                known = self._segments[id(segment)] = (segment, text)
            if known[1]:
                parts.append(known[1])
        parts.extend(self._token(path, self._stat(path)) for path in fresh)
        return "\n".join(parts)

    @staticmethod
    def key(state: str) -> str:
        return xxhash.xxh3_64_hexdigest(state.encode())

    def listing(self, state: str, recorded: str | None) -> str:
        """One `digest mtime size path` line per input, hashing only files whose stat is not
        the one `recorded` (a previous listing) saw, and each (path, stat) once per run: tasks
        share most inputs, and a cold build lists every task's."""
        previous: dict[str, str] = {}
        if recorded:
            for line in recorded.split("\n"):
                digest, _, token = line.partition(" ")
                previous[token] = digest
        hashed = self._digests
        lines = []
        for token in state.split("\n") if state else ():
            known = previous.get(token) or hashed.get(token)
            if known is None:
                mtime, _, path = token.split(" ", 2)
                # Keyed by the whole token: the stat-first rule, as everywhere here.
                known = hashed[token] = MISSING if mtime == "-1" else _digest_or_missing(path)
            lines.append(f"{known} {token}")
        return "\n".join(lines)

    @staticmethod
    def changes(before: str, after: str) -> tuple[list[str], list[str]]:
        """(paths whose bytes differ or that are new, paths no longer inputs) between two
        listings."""
        old = {}
        for line in before.split("\n") if before else ():
            digest, _, token = line.partition(" ")
            old[token.split(" ", 2)[2]] = digest
        changed = []
        seen = set()
        for line in after.split("\n") if after else ():
            digest, _, token = line.partition(" ")
            path = token.split(" ", 2)[2]
            seen.add(path)
            if old.get(path) != digest:
                changed.append(path)
        return changed, [path for path in old if path not in seen]


def _digest_or_missing(path: str) -> str:
    try:
        return file_digest(path)
    except OSError:
        return MISSING
