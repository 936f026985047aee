"""The build graph rebuilds exactly what is stale: real doit runs in temporary project copies."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

from tests.support.doit_project import all_module_tasks, module_tasks, run_doit

MODULES = ("broker", "core", "datafeed")
BROKER_API = Path("src/trading_api/modules/broker/api/v1.py")
NEW_ROUTE = '''

@router.get("/build-test-ping", operation_id="build_test_ping", response_model=dict[str, str])
def build_test_ping() -> dict[str, str]:
    """Answer a ping (added by a build-graph test)."""
    return {"ping": "pong"}
'''


def append(project: Path, relative: Path, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text() + text)


def test_first_run_builds_everything_and_second_run_nothing(fresh_project: Path) -> None:
    first = run_doit(fresh_project, "generate")
    assert first.returncode == 0, first.output
    expected = {"check_modules", "check_imports", "clients_index", "app_specs"}.union(
        *(all_module_tasks(m) for m in MODULES)
    )
    assert first.executed == expected
    for module in MODULES:
        spec = json.loads((fresh_project / f"specs_generated/{module}_v1_openapi.json").read_text())
        assert spec["openapi"].startswith("3.")
        assert spec["paths"]
        client = fresh_project / f"client_generated/{module}_v1_client.py"
        compile(client.read_text(), str(client), "exec")
    index = (fresh_project / "client_generated/__init__.py").read_text()
    assert "BrokerV1Client" in index and "AsyncDatafeedV1Client" in index

    second = run_doit(fresh_project, "generate")
    assert second.returncode == 0, second.output
    assert second.executed == set()
    assert set(second.results) >= expected  # every task was considered and found up to date


def test_editing_a_broker_endpoint_reruns_only_broker(built_project: Path) -> None:
    append(built_project, BROKER_API, NEW_ROUTE)
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == module_tasks("broker") | {"app_specs"}  # the merged spec changes too
    spec = json.loads((built_project / "specs_generated/broker_v1_openapi.json").read_text())
    assert "/build-test-ping" in spec["paths"]
    client = (built_project / "client_generated/broker_v1_client.py").read_text()
    assert "def build_test_ping" in client


def test_a_change_that_keeps_the_spec_stops_before_the_client(built_project: Path) -> None:
    spec = built_project / "specs_generated/broker_v1_openapi.json"
    before = spec.stat().st_mtime_ns
    append(built_project, BROKER_API, "\n# a comment does not change the API\n")
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == {"validate:broker", "openapi:broker"}
    assert spec.stat().st_mtime_ns == before  # early cutoff: identical bytes are not rewritten


def test_a_deleted_client_is_restored(built_project: Path) -> None:
    client = built_project / "client_generated/datafeed_v1_client.py"
    original = client.read_bytes()
    client.unlink()
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == {"client:datafeed"}
    assert client.read_bytes() == original


def test_one_module_can_be_built_alone(fresh_project: Path) -> None:
    run = run_doit(fresh_project, "generate:broker")
    assert run.returncode == 0, run.output
    assert run.executed == all_module_tasks("broker")
    assert (fresh_project / "client_generated/broker_v1_client.py").is_file()
    assert not (fresh_project / "specs_generated/datafeed_v1_openapi.json").exists()


def test_a_copy_with_new_mtimes_but_same_bytes_rebuilds_nothing(built_project: Path) -> None:
    """What a fresh clone plus a restored CI cache looks like: every mtime is new."""
    for path in built_project.rglob("*"):
        if path.is_file() and ".doit.db" not in path.name:
            path.touch()
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert run.executed == set()


def test_new_stats_with_same_bytes_are_recorded_once_so_later_runs_hash_nothing(
    built_project: Path,
) -> None:
    """The run that finds new stats with the same bytes hashes those files to decide; it then
    records the new stats (doit records a task's state only when it runs), or every later run
    would hash them again."""
    database = built_project / ".doit.db"
    for path in built_project.rglob("*"):
        if path.is_file() and ".doit.db" not in path.name and ".apigen-cache" not in str(path):
            path.touch()
    before = recorded_states(database)
    run = run_doit(built_project, "generate")
    assert run.returncode == 0 and run.executed == set(), run.output
    refreshed = recorded_states(database)
    assert refreshed.keys() == before.keys()
    assert all(refreshed[task] != before[task] for task in before)
    run = run_doit(built_project, "generate")
    assert run.returncode == 0 and run.executed == set(), run.output
    assert recorded_states(database) == refreshed  # nothing left to refresh


def test_a_lost_input_listing_only_makes_its_task_run(built_project: Path) -> None:
    """Each task's input listing has its own row in .doit.db (apigen.task_states), read only
    when the inputs' key changed; without it the task cannot tell what changed, so it runs."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(built_project / ".doit.db")) as connection:
        connection.execute("DELETE FROM doit WHERE task_id = 'apigen:inputs:validate:broker'")
        connection.commit()
    append(built_project, BROKER_API, "\n# a comment\n")
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    assert "validate:broker" in run.executed
    assert "openapi:broker" in run.executed  # its listing is there: it says what changed
    run = run_doit(built_project, "generate")
    assert run.returncode == 0 and run.executed == set(), run.output


def test_listings_recorded_inline_by_an_older_apigen_move_to_their_own_rows(
    built_project: Path,
) -> None:
    import sqlite3

    database = built_project / ".doit.db"
    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = dict(connection.execute("SELECT task_id, task_data FROM doit").fetchall())
        for task, data in rows.items():
            listing_row = rows.get(f"apigen:inputs:{task}")
            if listing_row is None:
                continue
            state = json.loads(data)
            state["_values_:"]["apigen:inputs"].append(json.loads(listing_row)["listing"])
            connection.execute(
                "UPDATE doit SET task_data = ? WHERE task_id = ?", (json.dumps(state), task)
            )
            connection.execute("DELETE FROM doit WHERE task_id = ?", (f"apigen:inputs:{task}",))
        connection.commit()
    legacy = recorded_states(database)
    assert all(len(json.loads(state)[0]) == 2 for state in legacy.values())

    run = run_doit(built_project, "generate")
    assert run.returncode == 0 and run.executed == set(), run.output
    migrated = recorded_states(database)
    assert migrated.keys() == legacy.keys()
    assert all(len(json.loads(state)[0]) == 1 for state in migrated.values())
    run = run_doit(built_project, "generate")
    assert run.returncode == 0 and run.executed == set(), run.output


def recorded_states(database: Path) -> dict[str, str]:
    """Each task's recorded inputs and outputs, as the up-to-date checks saved them."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT task_id, task_data FROM doit").fetchall()
    states = {}
    for task, data in rows:
        values = json.loads(data).get("_values_:", {})
        recorded = [values.get(key) for key in ("apigen:inputs", "apigen:targets")]
        if any(recorded):
            states[task] = json.dumps(recorded)
    return states


def test_a_generated_file_edited_by_hand_is_restored(built_project: Path) -> None:
    client = built_project / "client_generated/broker_v1_client.py"
    spec = built_project / "specs_generated/core_v1_openapi.json"
    originals = {client: client.read_bytes(), spec: spec.read_bytes()}
    client.write_text(client.read_text().replace("class BrokerV1Client", "class Edited"))
    spec.write_bytes(spec.read_bytes()[:100])  # truncated
    run = run_doit(built_project, "generate")
    assert run.returncode == 0, run.output
    # The spec comes back byte-identical, so core's client stays up to date (early cutoff).
    assert run.executed == {"client:broker", "openapi:core"}
    assert {path: path.read_bytes() for path in originals} == originals
    assert run_doit(built_project, "generate").executed == set()


def test_removing_an_api_version_or_a_module_removes_its_outputs(built_project: Path) -> None:
    core_api = built_project / "src/trading_api/modules/core/api"
    (core_api / "v2.py").write_text((core_api / "v1.py").read_text())
    added = run_doit(built_project, "generate")
    assert added.returncode == 0, added.output
    assert (built_project / "client_generated/core_v2_client.py").is_file()
    assert "CoreV2Client" in (built_project / "client_generated/__init__.py").read_text()

    (core_api / "v2.py").unlink()
    shutil.rmtree(built_project / "src/trading_api/modules/datafeed")
    removed = run_doit(built_project, "generate")
    assert removed.returncode == 0, removed.output
    outputs = sorted(
        path.name
        for folder in ("specs_generated", "client_generated")
        for path in (built_project / folder).iterdir()
        if path.is_file()
    )
    assert not [name for name in outputs if name.startswith("datafeed") or "_v2_" in name]
    index = (built_project / "client_generated/__init__.py").read_text()
    assert "Datafeed" not in index and "CoreV2Client" not in index
    assert run_doit(built_project, "generate").executed == set()
