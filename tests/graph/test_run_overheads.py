"""What keeps a run's fixed costs down at a few hundred modules: doit's task states read in one
query (apigen.task_states) and the garbage collector kept off the graph
(apigen.gc_pause). Each is checked for what it promises, on doit's real objects."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from doit.dependency import DbmDB, Dependency, JsonDB, SqliteDB
from doit.globals import Globals
from doit.task import Task

from apigen import gc_pause
from apigen.doit_config import doit_config
from apigen.reporter import ExplainingReporter
from apigen.task_states import LISTING_ROW_PREFIX, prefetch_task_states, recorded_listing

STATES = {f"openapi:m{index}": {"apigen:settings": {"versions": [1, index]}} for index in range(40)}


def recorded_database(path: Path, backend: Any = SqliteDB) -> None:
    """A dependency file as a run leaves it: each task's saved values, written by doit."""
    manager = Dependency(backend, str(path))
    for name, values in STATES.items():
        task = Task(name, None)
        task.values = values
        manager.save_success(task)
    manager.close()


def selects_while(connection: sqlite3.Connection, work: Any) -> list[str]:
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        work()
    finally:
        connection.set_trace_callback(None)
    return [
        statement for statement in statements if statement.lstrip().upper().startswith("SELECT")
    ]


def test_every_task_state_is_read_in_one_query_and_reads_as_doit_reads_it(tmp_path: Path) -> None:
    database = tmp_path / ".doit.db"
    recorded_database(database)
    lazy = Dependency(SqliteDB, str(database))
    expected = {name: lazy.get_values(name) for name in STATES}
    lazy.close()

    manager = Dependency(SqliteDB, str(database))
    connection = manager.backend._conn
    loaded: list[int] = []
    prefetch_selects = selects_while(
        connection, lambda: loaded.append(prefetch_task_states(manager))
    )
    assert loaded == [len(STATES)]
    assert len(prefetch_selects) == 1

    read: dict[str, Any] = {}
    later_selects = selects_while(
        connection, lambda: read.update({name: manager.get_values(name) for name in STATES})
    )
    assert later_selects == []  # doit's one-SELECT-per-task reads no longer happen
    assert read == expected and all(read.values())
    manager.close()


def test_input_listings_are_left_to_be_read_when_a_task_needs_one(tmp_path: Path) -> None:
    database = tmp_path / ".doit.db"
    recorded_database(database)
    manager = Dependency(SqliteDB, str(database))
    manager.backend.set(LISTING_ROW_PREFIX + "openapi:m1", "listing", "digest 1 2 src/a.py")
    manager.close()

    manager = Dependency(SqliteDB, str(database))
    assert prefetch_task_states(manager) == len(STATES)
    assert LISTING_ROW_PREFIX + "openapi:m1" not in manager.backend._cache
    Globals.dep_manager = manager
    try:
        assert recorded_listing("openapi:m1") == "digest 1 2 src/a.py"
        assert recorded_listing("openapi:m2") is None
    finally:
        Globals.dep_manager = None
        manager.close()


def test_states_this_run_already_holds_are_kept(tmp_path: Path) -> None:
    database = tmp_path / ".doit.db"
    recorded_database(database)
    manager = Dependency(SqliteDB, str(database))
    manager.backend.set("openapi:m1", "_values_:", {"fresh": True})
    prefetch_task_states(manager)
    assert manager.get_values("openapi:m1") == {"fresh": True}
    assert manager.get_values("openapi:m2") == STATES["openapi:m2"]
    manager.close()


@pytest.mark.parametrize("backend", [JsonDB, DbmDB])
def test_other_backends_are_left_to_read_lazily(tmp_path: Path, backend: Any) -> None:
    database = tmp_path / "deps"
    recorded_database(database, backend)
    manager = Dependency(backend, str(database))
    assert prefetch_task_states(manager) == 0
    assert manager.get_values("openapi:m3") == STATES["openapi:m3"]
    manager.close()


@pytest.fixture
def collector_as_found() -> Any:
    thresholds = gc.get_threshold()
    yield thresholds
    gc_pause.resume()
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_collection_is_rare_while_the_graph_is_built_and_normal_once_tasks_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_as_found: tuple[int, int, int]
) -> None:
    monkeypatch.chdir(tmp_path)
    doit_config()  # what dodo.py calls when doit loads it
    assert gc.get_threshold()[0] == gc_pause.BUILD_THRESHOLD > collector_as_found[0]
    assert gc.get_threshold()[1:] == collector_as_found[1:]
    built = [{"an object of the graph": index} for index in range(1000)]

    with open(tmp_path / "out", "w") as out:
        ExplainingReporter(out, {}).initialize({}, [])
    assert gc.get_threshold() == collector_as_found
    assert gc.get_freeze_count() >= len(built)  # later collections do not walk the graph


def test_the_finished_run_is_frozen_so_shutdown_does_not_walk_it(
    tmp_path: Path, collector_as_found: tuple[int, int, int]
) -> None:
    gc.unfreeze()
    with open(tmp_path / "out", "w") as out:
        reporter = ExplainingReporter(out, {})
        reporter.complete_run()
    assert gc.get_freeze_count() > 0
    assert (tmp_path / "out").read_text().startswith("0 ran, 0 up to date")


def test_a_run_hashes_each_input_file_once_however_many_tasks_list_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apigen import xxhash_checker
    from apigen.xxhash_checker import InputFiles, file_digest

    paths = []
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(f"# {name}\n")
        paths.append((tmp_path / name).as_posix())
    hashed: list[str] = []

    def counting_digest(path: str) -> str:
        hashed.append(path)
        return file_digest(path)

    monkeypatch.setattr(xxhash_checker, "file_digest", counting_digest)
    files = InputFiles()
    first, second = [paths[0], paths[1]], [paths[1], paths[2]]
    listings = [files.listing(files.state([segment], []), None) for segment in (first, second)]
    assert sorted(hashed) == sorted(paths)  # b.py, in both tasks' inputs, hashed once
    for listing, segment in zip(listings, (first, second), strict=True):
        assert [line.split(" ")[0] for line in listing.split("\n")] == [
            file_digest(path) for path in segment
        ]
