"""Run the project's own code (importing modules, building apps) from inside a build action.

Exceptions raised by the project's code are the user's to fix, so they become a UserError that
names the file and line inside the project where things went wrong, instead of a traceback wall.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from apigen.user_errors import UserError

T = TypeVar("T")


def put_sources_first(src_dir: str) -> None:
    """Make `import trading_api` resolve to this project's sources, not another checkout's."""
    absolute = os.path.abspath(src_dir)
    if sys.path[:1] != [absolute]:
        sys.path.insert(0, absolute)


def run_user_code(src_dir: str, what: str, call: Callable[[], T]) -> T:
    """Call `call`; an exception from the project's code becomes `file:line: what failed: why`."""
    put_sources_first(src_dir)
    try:
        return call()
    except UserError:
        raise
    except SyntaxError as error:
        path = project_relative(error.filename) if error.filename else None
        raise UserError.at(path, error.lineno, f"syntax error: {error.msg}") from error
    except Exception as error:
        path, line = _innermost_project_frame(error, src_dir)
        raise UserError.at(path, line, f"{what} failed: {type(error).__name__}: {error}") from error


def _innermost_project_frame(error: BaseException, src_dir: str) -> tuple[str | None, int | None]:
    """The deepest traceback frame in the project's sources (not in apigen itself)."""
    sources = Path(src_dir).resolve()
    build_package = Path(__file__).resolve().parent
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(sources) and not path.is_relative_to(build_package):
            found = (project_relative(frame.filename), frame.lineno)
    return found


def project_relative(filename: str) -> str:
    """`filename` relative to the project root (the working directory) when inside it."""
    relative = os.path.relpath(filename)
    return filename if relative.startswith("..") else relative
