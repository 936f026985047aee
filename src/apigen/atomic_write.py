"""Write generated files atomically, and only when their bytes change (early cutoff)."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly these bytes.

    The new content goes to a temporary file in the same folder, is flushed to disk and then
    renamed over `path`, so a reader (or a crash) never sees a half-written file. Leaving an
    identical file untouched keeps its mtime, so doit tasks that depend on it stay up to date.
    Temp files of `path` left by a writer that was killed are removed first.
    Returns True when the file was written.
    """
    remove_dead_temp_files(path)
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _locked_temp_file(path)
    except OSError as error:
        raise _naming(error, path) from error
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
            os.fchmod(tmp.fileno(), 0o644)
            # Renamed before the file (and so the lock) is closed: a sweep never sees the
            # finished temp file unlocked under its temp name.
            os.replace(tmp_name, path)
    except BaseException as error:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _naming(error, path) from error
        raise
    return True


def _naming(error: OSError, path: Path) -> OSError:
    """The same error (same errno, same subclass) naming the file being written, not the
    temp file next to it: the user knows the former (user_errors turns it into advice)."""
    return OSError(error.errno, error.strerror, str(path))


def write_text_if_changed(path: Path, text: str) -> bool:
    """`write_if_changed` for UTF-8 text with '\\n' line endings."""
    return write_if_changed(path, text.encode("utf-8"))


# A process killed (SIGKILL, power loss) between creating its temp file and renaming it leaves
# the temp file behind: nothing else would ever remove it. A writer holds an exclusive flock on
# its temp file from creation to rename, and the kernel drops the lock when the process dies,
# so a temp file nobody has locked is dead and can go. Another run writing the same file at the
# same time (docs/architecture.md) keeps its lock and its temp file.


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _locked_temp_file(path: Path) -> tuple[int, str]:
    """A new temp file next to `path`, open and locked: (fd, name)."""
    while True:
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink:
                return fd, name
        except BaseException:
            os.close(fd)
            Path(name).unlink(missing_ok=True)
            raise
        # Another process's sweep removed it between its creation and the lock: make another.
        os.close(fd)


def remove_dead_temp_files(path: Path) -> None:
    """Remove the temp files of `path` that no live writer holds (left by a killed one)."""
    prefix = _temp_prefix(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:  # no folder yet, or one we cannot list: the write itself will tell
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:  # gone already (renamed by its writer), or not ours to open
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # Unlocked, so dead; or renamed to its target just now, and then this name no
            # longer exists: removing by name can never touch the target.
            os.unlink(entry.path)
        except OSError:  # locked by a live writer, or already gone
            pass
        finally:
            os.close(fd)
