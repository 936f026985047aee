"""A client-rendering process started early, so that two cores share the cold imports.

A stale run imports fastapi (~0.55 s here) to export specs, then black and jinja2 (~0.3 s) to
render clients: one after the other on one core. When an export starts, we fork a worker that
imports the renderer's libraries meanwhile on the other core; the client tasks then hand their
work to it. The worker is only a faster place to run the same function: any failure to start or
reach it falls back to rendering in-process.
"""

from __future__ import annotations

import multiprocessing
import traceback
from multiprocessing.connection import Connection
from typing import Any

from apigen.user_errors import UserError

_connection: Connection | None = None


def start() -> None:
    """Fork the worker unless it runs already or this platform/process cannot fork one."""
    global _connection
    if _connection is not None:
        return
    if "fork" not in multiprocessing.get_all_start_methods():
        return
    if multiprocessing.current_process().daemon:  # e.g. a `doit -n 2` worker: no children
        return
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    worker = context.Process(target=_serve, args=(theirs,), name="apigen-render", daemon=True)
    try:
        worker.start()
    except OSError:
        return
    theirs.close()
    _connection = ours


def render_clients(args: tuple[Any, ...]) -> bool:
    """Render in the worker; False when there is no worker to do it (the caller renders)."""
    global _connection
    if _connection is None:
        return False
    try:
        _connection.send(args)
        status, message = _connection.recv()
    except (OSError, EOFError):
        _connection = None
        return False
    if status == "user_error":
        raise UserError.at(None, None, message)
    if status == "error":
        raise RuntimeError(f"the render worker failed:\n{message}")
    return True


def _serve(connection: Connection) -> None:
    """Worker loop: import the renderer now, then render whatever arrives until EOF."""
    # Pay the cold imports now, on this core, while the parent imports fastapi.
    import black

    import apigen.client.renderer
    import apigen.client.spec_model  # noqa: F401
    from apigen.producers.python_client import render_clients_in_process

    black.format_str("warm = 1\n", mode=black.Mode())  # loads black's grammar tables once
    while True:
        try:
            args = connection.recv()
        except EOFError:
            return
        try:
            render_clients_in_process(*args)
            reply: tuple[str, str | None] = ("ok", None)
        except UserError as error:
            reply = ("user_error", error.render())
        except Exception:
            reply = ("error", traceback.format_exc())
        connection.send(reply)
