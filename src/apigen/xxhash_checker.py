"""doit file checker: stat first, xxh3 of the content only when size or mtime differ.

doit's default MD5 checker trusts the mtime alone and hashes with md5. We compare size and
mtime (nanoseconds) first, which costs one stat, and hash with xxh3-128 (several GB/s) only when
they differ. A fresh clone or a CI cache restore changes every mtime but no content, so it
rebuilds nothing.
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


def file_digest(path: str) -> str:
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
