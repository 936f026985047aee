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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return True


def write_text_if_changed(path: Path, text: str) -> bool:
    """`write_if_changed` for UTF-8 text with '\\n' line endings."""
    return write_if_changed(path, text.encode("utf-8"))
