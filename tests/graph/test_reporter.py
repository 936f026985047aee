"""`doit generate` says, for every task that runs, why it ran and how long it took."""

from __future__ import annotations

from pathlib import Path

from tests.support.doit_project import run_doit_command

BROKER_API = Path("src/trading_api/modules/broker/api/v1.py")


def lines_of(output: str) -> dict[str, str]:
    """{task name: its line} for the 'ran' / 'FAIL' lines."""
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("ran", "FAIL"):
            found[parts[1]] = line
    return found


def test_first_run_says_new_task_and_sums_up(fresh_project: Path) -> None:
    run = run_doit_command(fresh_project, "generate")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = lines_of(run.stdout)
    assert "new task" in lines["openapi:broker"]
    assert lines["openapi:broker"].rstrip().endswith(" s")
    summary = run.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{len(lines)} ran, ")
    assert "\033[" not in run.stdout  # no colour when not on a terminal

    again = run_doit_command(fresh_project, "generate")
    assert again.stdout.strip().startswith("0 ran, ")
    up_to_date = int(again.stdout.split(" ran, ")[1].split(" up to date")[0])
    assert up_to_date >= len(lines)


def test_reasons_name_changed_inputs_and_edited_outputs(built_project: Path) -> None:
    api = built_project / BROKER_API
    api.write_text(api.read_text() + "\n# comment\n")
    client = built_project / "client_generated/datafeed_v1_client.py"
    client.write_text(client.read_text() + "# edited\n")
    (built_project / "client_generated/core_v1_client.py").unlink()
    run = run_doit_command(built_project, "generate")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = lines_of(run.stdout)
    assert f"{BROKER_API} changed" in lines["openapi:broker"]
    assert "output edited: client_generated/datafeed_v1_client.py" in lines["client:datafeed"]
    assert "output missing: client_generated/core_v1_client.py" in lines["client:core"]
    assert set(lines) == {"validate:broker", "openapi:broker", "client:datafeed", "client:core"}


def test_a_failure_prints_the_user_error_once(built_project: Path) -> None:
    api = built_project / BROKER_API
    api.write_text(api.read_text() + "\ndef broken(:\n")
    run = run_doit_command(built_project, "generate")
    assert run.returncode != 0
    assert run.stdout.count("syntax error") == 1
    assert "FAIL validate:broker" in run.stdout
    assert "1 failed" in run.stdout.splitlines()[-1]
    assert "Traceback" not in run.stdout + run.stderr
