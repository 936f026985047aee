"""The one exception family for mistakes a user can fix, and how a task reports them.

A user error is printed as `file:line: what is wrong (how to fix it)`, one line per finding,
with no traceback (doit's own rule: no traceback for user errors). Anything else keeps its
traceback, because then the bug is ours.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from apigen.findings import Finding

# Set APIGEN_TRACEBACK=1 to see the Python traceback behind a user error as well.
SHOW_TRACEBACK_ENV = "APIGEN_TRACEBACK"


class UserError(Exception):
    """One or more findings the user can act on."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(self.render())

    @classmethod
    def at(cls, path: str | Path | None, line: int | None, message: str) -> UserError:
        return cls([Finding(None if path is None else str(path), line, message)])

    def render(self) -> str:
        return "\n".join(finding.render() for finding in self.findings)


def user_facing(action: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a user's mistake raised by a doit python-action into a clean task failure.

    doit prints a returned TaskFailed as its message only; a raised exception would be
    printed with its whole traceback. Besides UserError, `as_user_error` recognises the
    mistakes that surface as library exceptions (a file that cannot be written, a broken
    template).
    """

    @functools.wraps(action)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except Exception as error:
            user_error = as_user_error(error)
            if user_error is None or os.environ.get(SHOW_TRACEBACK_ENV):
                raise
            from doit.exceptions import TaskFailed

            return TaskFailed(user_error.render())

    return run


def as_user_error(error: BaseException) -> UserError | None:
    """The UserError that `error` stands for, or None when it is a bug of ours."""
    if isinstance(error, UserError):
        return error
    if isinstance(error, OSError) and error.filename is not None:
        return _file_system_error(error)
    return _template_error(error)


# What to do about a file that cannot be written or read, by errno.
_FILE_SYSTEM_ADVICE = {
    errno.EACCES: "permission denied; make the folder and file writable (chmod u+w) and run again",
    errno.EPERM: "operation not permitted; check the file's flags and owner, then run again",
    errno.EROFS: "the file system is read-only; build in a writable checkout",
    errno.EISDIR: "a directory is in the way of a generated file; remove the directory and "
    "run again",
    errno.ENOTDIR: "a file is in the way of a folder apigen writes into; remove the file and "
    "run again",
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "the disk quota is exceeded; free some space and run again",
}


def _file_system_error(error: OSError) -> UserError | None:
    advice = _FILE_SYSTEM_ADVICE.get(error.errno or 0)
    if advice is None:
        return None
    return UserError.at(_relative(error.filename), None, f"cannot write: {advice}")


def _template_error(error: BaseException) -> UserError | None:
    """A Jinja2 template that does not compile or fails while rendering, at template:line."""
    jinja2 = sys.modules.get("jinja2")
    if jinja2 is None or not isinstance(error, jinja2.TemplateError):
        return None
    if isinstance(error, jinja2.TemplateSyntaxError):
        where: tuple[str | None, int | None] = (error.filename, error.lineno)
        what = f"template syntax error: {error.message}"
    else:
        import traceback  # not at the top: this module is imported on the no-op path

        # Jinja2 rewrites the traceback so that template frames carry the template's file
        # and line: the innermost one is where rendering failed.
        where = (None, None)
        for frame, frame_line in traceback.walk_tb(error.__traceback__):
            if frame.f_code.co_filename.endswith(".jinja"):
                where = (frame.f_code.co_filename, frame_line)
        what = f"template error: {type(error).__name__}: {error}"
    path, line = where
    return UserError.at(
        None if path is None else _relative(path),
        line,
        f"{what} (fix the template; APIGEN_TRACEBACK=1 shows the Python traceback)",
    )


def _relative(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """`path` relative to the working folder (the project root) when it is inside it."""
    text = os.fsdecode(path)
    try:
        return str(Path(text).resolve().relative_to(Path.cwd()))
    except ValueError:
        return text
