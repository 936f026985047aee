"""`doit generate` killed with SIGKILL at random moments of a cold build never leaves a
generated file truncated or half-written, and the next run ends with the bytes of a clean build.

The kill moments are stratified over the measured duration of a cold build (one random moment
in each twentieth of it), so kills land at the start, in the middle and at the end, and they
come from a seeded generator: `APIGEN_CRASH_SEED=<seed>` replays the moments of a failure
(the timing of the build itself still varies from run to run). Nothing asserts on time.

A build spends a tiny part of its time between creating a temp file and renaming it, so
random kills only now and then leave one: the writer tests below stop a real writer in that
window (SIGSTOP, then SIGKILL or SIGCONT) to show that a dead writer's temp file is swept by
the next write of its target and a live writer's never is.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from apigen.atomic_write import write_if_changed
from tests.support.doit_project import (
    PROJECT_ROOT,
    copy_project,
    doit_env,
    run_doit,
    run_doit_command,
)

KILLS = 20
# One cold build uses about one core: two at a time keep a 2-core machine busy.
WORKERS = 2
OUTPUT_FOLDERS = ("specs_generated", "client_generated")
WS_GENERATED = "src/trading_api/modules/*/ws_generated"
GENERATE = [sys.executable, "-m", "doit", "generate"]
# Build state a cold build starts without (sources and Python's bytecode caches are kept).
BUILD_STATE = shutil.ignore_patterns("*_generated", ".doit.db*", ".apigen-cache", "*.egg-info")


def generated_files(project: Path) -> dict[str, bytes]:
    """Every file in the output folders, by path (bytecode caches of imported routers aside),
    atomic writers' temp files included."""
    roots = [project / folder for folder in OUTPUT_FOLDERS]
    roots += sorted(project.glob(WS_GENERATED))
    files: dict[str, bytes] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(project)
            if "__pycache__" not in relative.parts and path.is_file():
                files[relative.as_posix()] = path.read_bytes()
    return files


def is_temp_file(relative: str) -> bool:
    """A temp file of apigen.atomic_write (`.<target name>.<random>.tmp`)."""
    name = PurePosixPath(relative).name
    return name.startswith(".") and name.endswith(".tmp")


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


@dataclass
class Kill:
    index: int
    moment: float  # seconds after the start of `doit generate`
    fraction: float  # of the reference cold build's duration

    def __str__(self) -> str:
        return f"kill {self.index} at {self.moment:.2f} s ({self.fraction:.0%} of a cold build)"


@dataclass
class Outcome:
    kill: Kill
    finished_first: bool  # the run ended before the moment came
    complete: int  # generated files present right after the kill
    temp_files: list[str]  # atomic writers' temp files left by the kill
    problems: list[str]


def kill_and_recover(
    template: Path, project: Path, kill: Kill, reference: dict[str, bytes]
) -> Outcome:
    shutil.copytree(template, project, symlinks=True)
    log = project.parent / f"{project.name}.log"
    with log.open("wb") as stream:
        start = time.monotonic()
        process = subprocess.Popen(
            GENERATE,
            cwd=project,
            env=doit_env(),
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kill takes every child too
        )
        with process:
            time.sleep(max(0.0, start + kill.moment - time.monotonic()))
            finished_first = process.poll() is not None
            if not finished_first:
                # The leader is not reaped before wait(), so its group id cannot be reused;
                # it may have exited just now, though.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    problems: list[str] = []
    if finished_first and process.returncode != 0:
        problems.append(f"the run failed before the kill:\n{log.read_text()}")

    # Right after the kill: every generated file present is whole (identical to a clean build).
    after_kill = generated_files(project)
    temp_files = sorted(path for path in after_kill if is_temp_file(path))
    for path, data in after_kill.items():
        if path in temp_files:
            continue
        if path not in reference:
            problems.append(f"after the kill: {path} is no output of a clean build")
        elif data != reference[path]:
            problems.append(
                f"after the kill: {path} is partial or wrong "
                f"({len(data)} bytes, a clean build writes {len(reference[path])})"
            )

    # The next run succeeds and leaves exactly a clean build's files: nothing stale, nothing
    # half-written, no temp file.
    recovery = run_doit_command(project, "generate")
    if recovery.returncode != 0:
        problems.append(f"the run after the kill failed:\n{recovery.output}")
    recovered = generated_files(project)
    for path in sorted(recovered.keys() | reference.keys()):
        if path not in recovered:
            problems.append(f"after the next run: {path} is missing")
        elif path not in reference:
            problems.append(f"after the next run: {path} is left over")
        elif recovered[path] != reference[path]:
            problems.append(f"after the next run: {path} differs from a clean build")
    database = project / ".doit.db"
    if not database.exists() or integrity(database) != "ok":
        problems.append("after the next run: .doit.db is missing or damaged")
    # ... and recorded every task: a further run has nothing to do.
    again = run_doit(project, "generate")
    if again.returncode != 0 or again.executed:
        problems.append(f"a third run reran {sorted(again.executed)}:\n{again.output}")
    # The caches are written by the same writer: none of its temp files is left there either.
    cache = project / ".apigen-cache"
    cache_temps = sorted(path.relative_to(project).as_posix() for path in cache.rglob(".*.tmp"))
    if cache_temps:
        problems.append(f"after the next run: temp files left in the cache: {cache_temps}")
    if not problems:
        shutil.rmtree(project)  # ~2 MB a kill; a failing copy stays for a look
    complete = len(after_kill) - len(temp_files)
    return Outcome(kill, finished_first, complete, temp_files, problems)


def timed_build(template: Path, project: Path) -> tuple[float, dict[str, bytes]]:
    """A cold `doit generate` in a copy of `template`: (seconds, generated files)."""
    shutil.copytree(template, project, symlinks=True, ignore=BUILD_STATE)
    start = time.monotonic()
    built = subprocess.run(GENERATE, cwd=project, env=doit_env(), capture_output=True, text=True)
    seconds = time.monotonic() - start
    assert built.returncode == 0, built.stdout + built.stderr
    return seconds, generated_files(project)


def test_sigkill_at_random_moments_of_a_cold_build(tmp_path: Path) -> None:
    seed = int(os.environ.get("APIGEN_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    print(f"APIGEN_CRASH_SEED={seed}")
    rng = random.Random(seed)

    # Sources with their bytecode compiled, so that every build below (the reference and the
    # killed ones) starts from the same point and the reference's duration is theirs.
    template = copy_project(tmp_path / "template")
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "dodo.py", "src"],
        cwd=template,
        env=doit_env(),
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr

    # The reference: clean builds run as many at a time as the killed ones will be, so their
    # duration (the span the kill moments are drawn from) is measured under the same load.
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        clean_builds = list(
            pool.map(lambda i: timed_build(template, tmp_path / f"clean{i}"), range(WORKERS))
        )
    duration = sum(seconds for seconds, _ in clean_builds) / WORKERS
    reference = clean_builds[0][1]
    assert all(files == reference for _, files in clean_builds)
    assert not [path for path in reference if is_temp_file(path)], reference.keys()
    assert any(path.endswith("/ws_generated/__init__.py") for path in reference), reference.keys()

    kills = []
    for index in range(KILLS):
        fraction = (index + rng.random()) / KILLS
        kills.append(Kill(index, fraction * duration, fraction))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(
            pool.map(
                lambda kill: kill_and_recover(
                    template, tmp_path / f"kill{kill.index:02d}", kill, reference
                ),
                kills,
            )
        )

    print(f"cold build: {duration:.2f} s, {len(reference)} generated files")
    for outcome in outcomes:
        state = "had finished" if outcome.finished_first else "killed"
        print(
            f"{outcome.kill}: {state}, {outcome.complete} files whole, "
            f"temp files left {outcome.temp_files}"
        )
    failures = [
        f"{outcome.kill}:\n  " + "\n  ".join(outcome.problems)
        for outcome in outcomes
        if outcome.problems
    ]
    assert not failures, f"APIGEN_CRASH_SEED={seed}\n" + "\n".join(failures)


# Big enough that writing and fsyncing it takes a while: the window to stop the writer in.
PAYLOAD_SIZE = 4 << 20
WRITER = """
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from apigen.atomic_write import write_if_changed

target, rounds = Path(sys.argv[2]), int(sys.argv[3])
for round in range(rounds):
    write_if_changed(target, bytes([65 + round % 2]) * int(sys.argv[4]))
"""


@contextlib.contextmanager
def writer_process(target: Path, rounds: int) -> Iterator[subprocess.Popen[bytes]]:
    """A process writing `target` `rounds` times with apigen's writer, A's and B's in turn;
    killed on the way out if it is still running (stopped, after a failed assertion)."""
    argv = [str(PROJECT_ROOT / "src"), str(target), str(rounds), str(PAYLOAD_SIZE)]
    with subprocess.Popen([sys.executable, "-c", WRITER, *argv]) as writer:
        try:
            yield writer
        finally:
            if writer.poll() is None:
                writer.kill()


def temp_files_of(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


def stop_mid_write(writer: subprocess.Popen[bytes], target: Path) -> list[Path]:
    """Stop `writer` (SIGSTOP) at a moment it has a temp file of `target`; return them."""
    while writer.poll() is None:
        if not temp_files_of(target):
            continue
        writer.send_signal(signal.SIGSTOP)
        _, status = os.waitpid(writer.pid, os.WUNTRACED)  # until it is really stopped
        assert os.WIFSTOPPED(status), f"the writer ended (status {status}) before it was caught"
        found = temp_files_of(target)
        if found:
            return found
        writer.send_signal(signal.SIGCONT)  # it renamed its temp file meanwhile: again
    pytest.fail("the writer finished before it was caught with a temp file")


def is_locked(path: Path) -> bool:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_a_killed_writers_temp_file_is_swept_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "spec.json"
    with writer_process(target, rounds=1000) as writer:
        left = stop_mid_write(writer, target)
        writer.kill()
        writer.wait()
    # The crash left a temp file (empty, partial or whole but never renamed) ...
    assert temp_files_of(target) == left
    # ... and the target is missing or whole.
    assert not target.exists() or target.read_bytes() in (b"A" * PAYLOAD_SIZE, b"B" * PAYLOAD_SIZE)
    # The next write of the target removes it, even when the bytes are already there.
    write_if_changed(target, b"new")
    assert temp_files_of(target) == []
    assert target.read_bytes() == b"new"
    dead = tmp_path / ".spec.json.dead.tmp"
    dead.write_bytes(b"partial")
    assert not write_if_changed(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_a_live_writers_temp_file_is_never_swept(tmp_path: Path) -> None:
    """Two runs writing one file at once: the sweep of one never breaks the other's write."""
    target = tmp_path / "spec.json"
    rounds = 60
    with writer_process(target, rounds) as writer:
        held = []
        for _ in range(3):
            caught = stop_mid_write(writer, target)
            locked = [path for path in caught if is_locked(path)]
            write_if_changed(target, b"other run")  # sweeps every temp file nobody holds
            assert temp_files_of(target) == locked
            held += locked
            writer.send_signal(signal.SIGCONT)
        assert writer.wait() == 0  # none of its writes failed
    # (Caught before it locked its new temp file, it makes another: that case passes too.)
    assert held, "the writer was never caught holding its temp file"
    assert temp_files_of(target) == []
    assert target.read_bytes() == bytes([65 + (rounds - 1) % 2]) * PAYLOAD_SIZE
