"""Make sure doit can use its dependency file before it opens it.

`.doit.db` is a cache: what it records is only ever used to *skip* work. A file doit cannot
read (truncated, garbage, a dbm file of doit's other backends, another tool's SQLite
database) would otherwise stop every run with doit's traceback, or, for a foreign SQLite
database, get doit's table added to it. Moving such a file aside and building without it is
always safe: every task then runs once, the writers leave unchanged outputs untouched, and the
run records a fresh database.

The check reads 16 bytes and, for an SQLite file, its table list: well under a millisecond,
and `sqlite3` is imported by doit's backend anyway.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# What doit's sqlite3 backend creates: CREATE TABLE doit (task_id text not null primary key,
# task_data json).
DOIT_TABLE = "doit"
DOIT_COLUMNS = ("task_id", "task_data")
BROKEN_SUFFIX = ".unusable"


def unusable_reason(path: Path) -> str | None:
    """Why doit's sqlite3 backend cannot use `path`, or None when it can (or it is absent)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return "it is a directory"
    if not header:
        return None  # an empty file is an empty SQLite database
    if header != SQLITE_HEADER:
        return "it is not an SQLite database (corrupted, or written by another tool or backend)"
    import sqlite3

    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
                if not name.startswith("sqlite_")  # SQLite's own (ANALYZE statistics ...)
            ]
            if DOIT_TABLE not in tables:
                return _foreign(tables)
            columns = tuple(
                row[1] for row in connection.execute(f"PRAGMA table_info({DOIT_TABLE})")
            )
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return f"SQLite cannot read it ({error})"
    if columns != DOIT_COLUMNS or len(tables) > 1:
        return _foreign(tables)
    return None


def _foreign(tables: list[str]) -> str | None:
    if not tables:
        return None  # an SQLite file doit has not written to yet
    return f"it is an SQLite database of another tool (tables: {', '.join(sorted(tables))})"


def set_aside_if_unusable(path: Path) -> Path | None:
    """Move an unusable dependency file to `<path>.unusable` and say so on stderr.

    Returns where it went, or None when the file was usable or absent.
    """
    reason = unusable_reason(path)
    if reason is None:
        return None
    aside = path.with_name(path.name + BROKEN_SUFFIX)
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return None  # a run started at the same moment moved it first
    except OSError as error:
        sys.exit(
            f"{path}: doit cannot use this dependency file: {reason}; moving it aside failed "
            f"({error.strerror}); remove it and run again"
        )
    print(
        f"warning: {path}: doit cannot use this dependency file: {reason}. Moved it to "
        f"{aside} and building without it: every task runs once, unchanged outputs are kept.",
        file=sys.stderr,
    )
    return aside
