"""The warm worker: a process that keeps fastapi, pydantic, black and jinja2 imported between
runs; it renders clients itself and runs each run's exports in a fork of itself.

Why: a stale run spends ~0.55 s importing fastapi and ~0.3 s importing black and jinja2 before
doing ~0.4 s of real work for one edited endpoint. Forking a process that imported them already
skips that, while every run still starts from a clean interpreter state for the project's own
code (the worker never imports `trading_api`; the fork that runs a run's exports imports it
fresh from disk, and exits with that run).

- A run that finds no worker forks one (detached, in its own session): while it builds the graph
  when sources changed (apigen.task_graph), else at its first export. The worker imports
  fastapi, then the renderer's libraries, serving waiting jobs between two imports; runs send
  every export and render job to it. After an export, the worker prefetches the clients
  of the documents it rewrote into the chunk cache (PREFETCHED_RENDERS).
- A worker serves one project and one environment: its socket name hashes the project folder,
  the Python executable, the versions of the libraries it preloads and apigen's own sources. A
  change to any of them makes runs look for (and start) a new worker; the old one idles out.
- It exits after APIGEN_WARM_WORKER_IDLE seconds without a job (default 600).
- It is only a faster place to run the same functions: when it cannot be reached, the job runs
  in-process. APIGEN_WARM_WORKER=0 turns it off, =1 on; unset, it is on except when the CI
  environment variable is set (one-shot CI runs gain nothing from a process that outlives them).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import pickle
import select
import socket
import struct
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apigen import gc_pause
from apigen.user_errors import SHOW_TRACEBACK_ENV, UserError, as_user_error

ENABLE_ENV = "APIGEN_WARM_WORKER"
IDLE_ENV = "APIGEN_WARM_WORKER_IDLE"
PRELOADED_DISTRIBUTIONS = ("black", "jinja2", "fastapi", "pydantic", "pydantic-core", "starlette")
# Imported by the worker before it serves, renderer first: this run's client tasks need it first.
PRELOAD = (
    "fastapi",
    "fastapi.routing",
    "pydantic.v1",
    "apigen.producers.openapi_spec",
    "apigen.producers.asyncapi_spec",
    "black",
    "jinja2",
    "apigen.client.renderer",
    "apigen.client.spec_model",
    "apigen.producers.python_client",
    "apigen.producers.python_ws_client",
)
# After this import the exporters are ready: the specification validators are compiled then
# (~50 ms a fork would otherwise spend on each export job).
EXPORTERS_READY = "apigen.producers.asyncapi_spec"
HEADER = struct.Struct("!I")


def enabled() -> bool:
    setting = os.environ.get(ENABLE_ENV)
    if setting is not None:
        return setting not in ("", "0", "false", "no")
    return not os.environ.get("CI")


class _NotRun:
    """What `run` returns when no worker ran the job (the caller then runs it in-process)."""

    def __repr__(self) -> str:
        return "NOT_RUN"


NOT_RUN: Any = _NotRun()


def run(function: str, args: tuple[Any, ...], *, fork: bool = True) -> Any:
    """Run `module:function(*args)` in the warm worker and return its result (it must pickle);
    `NOT_RUN` when there is no worker to run it.

    With `fork` (for anything that imports the project's code) the job runs in the fork of the
    worker that serves this run (this process), made for its first such job. Without it the
    worker runs the job itself: only for functions that import
    nothing but apigen and the preloaded libraries, such as rendering a client from a spec;
    they then also reuse what earlier jobs warmed (compiled templates, black's caches).
    """
    if not enabled():
        return NOT_RUN
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(socket_path())
            # The job runs as if in this process: same folder, import path and environment
            # (e.g. APIGEN_FAIL_ON_BREAKING), not those of the run that started the worker.
            request = (
                fork,
                os.getcwd(),
                list(sys.path),
                dict(os.environ),
                function,
                args,
                os.getpid(),  # the run: its exports share one process (see _dispatch)
            )
            _send(connection, request)
            status, message = _receive(connection)
    except (OSError, EOFError, pickle.UnpicklingError):
        return NOT_RUN
    if status == "user_error":
        raise UserError.at(None, None, message)
    if status == "error":
        raise RuntimeError(f"the warm worker failed running {function}:\n{message}")
    return message


def call(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    fork: bool = True,
    warm_here: str | None = None,
) -> Any:
    """`function(*args)`, run by the warm worker when one answers, else in this process.

    `fork`: see `run`. `warm_here`: a module whose presence in this process makes it the
    warmest place already (an export, once this run imported fastapi itself); running here
    then also starts a worker, for the jobs and runs that follow.
    """
    if warm_here is None or warm_here not in sys.modules:
        result = run(f"{function.__module__}:{function.__qualname__}", args, fork=fork)
        if result is not NOT_RUN:
            return result
    if warm_here is not None:
        start()
    return function(*args)


def start() -> None:
    """Fork a detached worker for this project unless one answers already."""
    if not enabled() or _answers(socket_path()):
        return
    try:
        child = os.fork()
    except OSError:
        return
    if child:
        os.waitpid(child, 0)  # the intermediate child exits at once: no zombie, no wait
        return
    try:  # intermediate child: new session, then fork the worker and leave it to init
        os.setsid()
        if os.fork() == 0:
            _detach_and_serve(socket_path())
    finally:
        os._exit(0)


def stop() -> bool:
    """Stop this project's worker (it exits within a second of losing its socket)."""
    path = socket_path()
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def socket_path() -> str:
    folder = Path(tempfile.gettempdir()) / f"apigen-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return str(folder / f"{_identity()}.sock")


_identities: dict[str, str] = {}


def _identity() -> str:
    """Project folder + interpreter + preloaded library versions + apigen's own code."""
    cwd = os.getcwd()
    if cwd not in _identities:
        _identities[cwd] = _compute_identity()
    return _identities[cwd]


def _compute_identity() -> str:
    from apigen.library_versions import installed_versions

    digest = hashlib.sha256()
    digest.update(os.getcwd().encode())
    digest.update(os.path.realpath(sys.executable).encode())  # python == python3.11
    digest.update(repr(sorted(installed_versions(PRELOADED_DISTRIBUTIONS).items())).encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".jinja"):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.connect(path)
        return True
    except OSError:
        return False


# -- the worker side --------------------------------------------------------------------------


def _detach_and_serve(path: str) -> None:
    """In the detached grandchild: drop the run's files and streams, bind, preload, serve."""
    gc_pause.resume()  # forked while the run built its graph: the collector as usual here
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, devnull)  # doit's database, pipes to the terminal or CI: not ours
    os.closerange(devnull + 1, 4096)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if os.path.exists(path) and not _answers(path):
            os.unlink(path)  # left by a worker that died
        listener.bind(path)
    except OSError:
        os._exit(0)  # another run started a worker for the same identity first
    listener.listen(16)  # jobs queue here while the preload runs
    try:
        for module in PRELOAD:
            importlib.import_module(module)
            if module == EXPORTERS_READY:
                _warm_validators()
            # A run waiting for an export need not wait for the renderer's imports too.
            while select.select([listener], [], [], 0)[0]:
                _dispatch(listener, listener.accept()[0])
        from apigen.producers import python_client, python_ws_client
        from apigen.project_layout import ProjectLayout

        cache_dir = ProjectLayout(Path.cwd()).client_cache_dir.as_posix()
        python_client.warm_up(cache_dir)
        python_ws_client.warm_up(cache_dir)
    except Exception:
        pass  # a job will import what it needs, or fail in-process with a clear error
    _serve(listener, path)


def _warm_validators() -> None:
    """Compile both specification validators (each export job validates its documents)."""
    from apigen.spec_validation import validate_document
    from apigen.user_errors import UserError

    info = {"title": "warm-up", "version": "1"}
    for document in (
        {"openapi": "3.1.0", "info": info, "paths": {}},
        {"asyncapi": "3.0.0", "info": info},
    ):
        with contextlib.suppress(UserError):
            validate_document(Path("warm-up.json"), document)


def _serve(listener: socket.socket, path: str) -> None:
    idle = float(os.environ.get(IDLE_ENV, "600"))
    last_job = time.monotonic()
    while True:
        _reap()
        ready, _, _ = select.select([listener], [], [], 1.0)
        if ready:
            connection, _ = listener.accept()
            last_job = time.monotonic()
            _dispatch(listener, connection)
        elif time.monotonic() - last_job > idle or not os.path.exists(path):
            break
    listener.close()
    if os.path.exists(path):
        os.unlink(path)
    os._exit(0)


# Exports whose documents a renderer reads next, and that renderer's job. Before the process that
# ran an export answers the run, it asks the worker to render the clients of the documents it
# rewrote into the chunk cache (.apigen-cache/client/, only speed: apigen.client.formatter); a
# fork of the worker does that while the run goes on with its next task (the next export, on the
# other core). The render job that comes later waits for that fork (a lock on a file next to the
# cache) and then finds every chunk formatted. On a cold build this overlaps most of the client
# rendering with the exports.
PREFETCHED_RENDERS = {
    "apigen.producers.openapi_spec:write_specs": (
        "apigen.producers.python_client:render_clients_in_process",
        "apigen.client:render_client",
    ),
    "apigen.producers.asyncapi_spec:write_asyncapi_specs": (
        "apigen.producers.python_ws_client:render_ws_clients_in_process",
        "apigen.ws_client:render_ws_client",
    ),
}
_RENDER_JOBS = {render for render, _ in PREFETCHED_RENDERS.values()}
# The run (its pid) -> (pid of the process running its exports, the worker's end of the pair
# of sockets it receives jobs on).
_hosts: dict[int, tuple[int, socket.socket]] = {}
HOST_IDLE = 1.0  # a host checks every second that its run is still there


def _dispatch(listener: socket.socket, connection: socket.socket) -> None:
    """Run one job. A job that asked not to fork (rendering) runs in the worker itself. A job
    that imports the project's code (an export) runs in a fork of the worker that serves that
    run alone: its first export imports the project's code fresh from disk, and its next
    exports reuse those imports, as exports in the run's own process would (one module's
    export then costs ~0.02 s instead of ~0.1 s of imports). The fork exits with its run."""
    try:
        request = _receive(connection)
    except (OSError, EOFError, pickle.UnpicklingError):
        connection.close()
        return
    function, args = request[4], request[5]
    if function == PREFETCH_JOB:
        connection.close()
        with contextlib.suppress(Exception):  # only speed is at stake
            _start_prefetch(request)
        return
    if not request[0]:
        if function in _RENDER_JOBS and len(args) == 5 and args[4]:
            _wait_for_prefetch(function, str(args[0]), str(Path(request[1]) / str(args[4])))
        saved_cwd, saved_path, saved_environ = os.getcwd(), list(sys.path), dict(os.environ)
        try:
            _handle(connection, request)
        finally:
            os.chdir(saved_cwd)
            sys.path[:] = saved_path
            os.environ.clear()
            os.environ.update(saved_environ)
        return
    caller = request[6] if len(request) > 6 else None
    host = _hosts.get(caller) if isinstance(caller, int) else None
    if host is not None:
        try:
            socket.send_fds(host[1], [b"j"], [connection.fileno()])
            _send(host[1], request)
            connection.close()
            return
        except OSError:  # the host is gone: start another
            host[1].close()
            del _hosts[caller]  # type: ignore[arg-type]
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    child = os.fork()
    if child == 0:
        listener.close()
        ours.close()
        for _, other in _hosts.values():
            other.close()
        _host(theirs, connection, request, caller)
    theirs.close()
    connection.close()
    if isinstance(caller, int):
        _hosts[caller] = (child, ours)
    else:
        ours.close()


def _host(jobs: socket.socket, connection: socket.socket, request: Any, caller: Any) -> None:
    """In the fork that runs one run's exports: this job, then each the worker passes on, until
    the run ends (or the worker goes away)."""
    try:
        while True:
            _run_export(connection, request)
            while not select.select([jobs], [], [], HOST_IDLE)[0]:
                if not isinstance(caller, int) or not _alive(caller):
                    return
            message, fds, _, _ = socket.recv_fds(jobs, 1, 1)
            if not message or not fds:
                return
            connection = socket.socket(fileno=fds[0])
            request = _receive(jobs)
    except (OSError, EOFError, pickle.UnpicklingError):
        return
    finally:
        os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_export(connection: socket.socket, request: Any) -> None:
    """Run the job and answer; for an export that rewrote documents, have the worker prefetch
    their clients first (see PREFETCHED_RENDERS)."""
    function, args = request[4], request[5]
    prefetch = PREFETCHED_RENDERS.get(function)
    if not (prefetch and len(args) == 4):
        _handle(connection, request)
        return
    with contextlib.suppress(OSError):
        os.chdir(request[1])  # the caller's folder: the outputs are relative to it
    before = _stats(args[3])

    def ask_for_prefetch() -> None:
        # Sent before the answer: the worker takes its jobs in order, so it starts the prefetch
        # (and takes its lock) before the run can ask for the render.
        rewritten = [
            (version, output)
            for version, output, state, now in zip(
                args[2], args[3], before, _stats(args[3]), strict=False
            )
            if now is not None and now != state
        ]
        if rewritten:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as worker:
                worker.connect(socket_path())
                job = (prefetch[0], prefetch[1], str(args[1]), rewritten)
                _send(worker, (True, *request[1:4], PREFETCH_JOB, job, None))

    _handle(connection, request, ask_for_prefetch)


PREFETCH_JOB = "apigen.warm_worker:prefetch"


def _start_prefetch(request: tuple[Any, ...]) -> None:
    """In the worker: fork a process that renders the rewritten documents' clients into the
    chunk cache, holding the lock the render job waits on until it is done."""
    cwd, path, environ = request[1:4]
    render_job, render, module, rewritten = request[5]
    from apigen.project_layout import ProjectLayout

    cache_dir = ProjectLayout(Path(cwd)).client_cache_dir
    lock = _prefetch_lock(render_job, module, str(Path(cwd) / cache_dir))
    if lock is None:
        return
    if os.fork() == 0:
        try:
            os.chdir(cwd)
            sys.path[:] = path
            os.environ.clear()
            os.environ.update(environ)
            _prefetch_renders(render, module, rewritten, cache_dir)
        finally:
            os._exit(0)  # the lock goes with the process
    os.close(lock)


def _lock_path(render: str, module: str, cache_dir: str) -> Path:
    return Path(cache_dir) / f".prefetch-{render.rpartition(':')[2]}-{module}.lock"


def _prefetch_lock(render: str, module: str, cache_dir: str) -> int | None:
    import fcntl

    path = _lock_path(render, module, cache_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    return fd


def _wait_for_prefetch(render: str, module: str, cache_dir: str) -> None:
    """Before a render job: wait until no prefetch of the same clients runs (it fills the
    chunk cache the job then reads)."""
    import fcntl

    try:
        fd = os.open(_lock_path(render, module, cache_dir), os.O_RDONLY)
    except OSError:
        return  # no prefetch ever ran for these clients
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stats(paths: list[str]) -> list[tuple[int, int] | None]:
    states: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            stat = os.stat(path)
            states.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            states.append(None)
    return states


def _prefetch_renders(
    render: str, module: str, rewritten: list[tuple[int, str]], cache_dir: Path
) -> None:
    """Render the client of each (version, document) for the chunk cache only."""
    module_name, _, name = render.partition(":")
    for version, output in rewritten:
        try:
            document = json.loads(Path(output).read_bytes())
            render_one = getattr(importlib.import_module(module_name), name)
            render_one(document, module=module, version=version, cache_dir=cache_dir)
        except Exception:  # the render task reports its own errors
            continue


def _handle(
    connection: socket.socket,
    request: tuple[Any, ...],
    before_answer: Callable[[], None] | None = None,
) -> None:
    """Take the caller's folder and path, run the function, (after a success, call
    `before_answer`,) answer."""
    try:
        cwd, path, environ, function, args = request[1:6]
        os.chdir(cwd)
        sys.path[:] = path
        os.environ.clear()
        os.environ.update(environ)
        module_name, _, name = function.partition(":")
        result = getattr(importlib.import_module(module_name), name)(*args)
        reply: tuple[str, Any] = ("ok", result)
        if before_answer is not None:
            with contextlib.suppress(Exception):  # only speed is at stake
                before_answer()
    except Exception as error:
        # Decided here, where the exception still has its traceback (a template error's
        # line is found in it): only the rendered message travels back.
        user_error = as_user_error(error)
        if user_error is None or os.environ.get(SHOW_TRACEBACK_ENV):
            reply = ("error", traceback.format_exc())
        else:
            reply = ("user_error", user_error.render())
    try:
        _send(connection, reply)
    finally:
        connection.close()


def _reap() -> None:
    try:
        while True:
            pid = os.waitpid(-1, os.WNOHANG)[0]
            if not pid:
                break
            for caller in [caller for caller, (host, _) in _hosts.items() if host == pid]:
                _hosts.pop(caller)[1].close()  # its run ended
    except ChildProcessError:
        pass


def _send(connection: socket.socket, value: Any) -> None:
    payload = pickle.dumps(value)
    connection.sendall(HEADER.pack(len(payload)) + payload)


def _receive(connection: socket.socket) -> Any:
    size = HEADER.unpack(_exactly(connection, HEADER.size))[0]
    return pickle.loads(_exactly(connection, size))


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = connection.recv(size - len(chunks))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.extend(chunk)
    return bytes(chunks)


if __name__ == "__main__":  # `python -m apigen.warm_worker stop`, run in the project folder
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m apigen.warm_worker stop")
    print("stopped" if stop() else "no warm worker for this project")
