"""Write generated files atomically, and only when their bytes change (early cutoff)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly these bytes.

    The new content goes to a temporary file in the same folder, is flushed to disk and then
    renamed over `path`, so a reader (or a crash) never sees a half-written file. Leaving an
    identical file untouched keeps its mtime, so doit tasks that depend on it stay up to date.
    Returns True when the file was written.
    """
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _naming(error, path) from error
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
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
