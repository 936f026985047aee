"""Speed of `doit generate` on this project, side by side with a baseline in the same run.

    python benchmarks/generate_speed.py [--rounds 7] [--write docs/benchmarks.md]

Every round measures, one after the other on the same machine state:
  baseline  `python -c "import doit"` (the floor any doit command pays)
  no-op     `doit generate` when nothing changed
  edit      `doit generate` after one broker endpoint's docstring changed, warm worker running
  edit_cold the same with APIGEN_WARM_WORKER=0 (what a run without a warm worker costs)
  full      `doit generate` from clean (no outputs, no .doit.db, no caches, no warm worker)
  full_parallel  the same with `doit -n 2` (two processes; the warm worker off)
Medians over the rounds are compared with the targets of the spine issue.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.doit_project import copy_project, doit_env  # noqa: E402

BROKER_API = Path("src/trading_api/modules/broker/api/v1.py")
EDITED_ROUTE = '''

@router.get("/bench-ping", operation_id="bench_ping", response_model=dict[str, str])
def bench_ping() -> dict[str, str]:
    """Answer a benchmark ping, edit {n}."""
    return {{"ping": "pong"}}
'''
BUILD_OUTPUTS = (".doit.db", "specs_generated", "client_generated", ".apigen-cache")


def timed(command: list[str], cwd: Path, warm_worker: bool = True) -> float:
    env = doit_env(warm_worker) | {"APIGEN_WARM_WORKER_IDLE": "120"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def stop_warm_worker(project: Path) -> None:
    """A full build from clean starts without a warm worker too (see apigen.warm_worker)."""
    subprocess.run(
        [sys.executable, "-m", "apigen.warm_worker", "stop"],
        cwd=project,
        env=doit_env() | {"PYTHONPATH": str(project / "src")},
        capture_output=True,
        check=True,
    )
    time.sleep(1.5)  # the worker notices its socket is gone within a second


def clean(project: Path) -> None:
    stop_warm_worker(project)
    for name in BUILD_OUTPUTS:
        path = project / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def measure(rounds: int) -> dict[str, list[float]]:
    doit = [sys.executable, "-m", "doit", "generate"]
    samples: dict[str, list[float]] = {
        "baseline": [],
        "noop": [],
        "edit": [],
        "edit_cold": [],
        "full": [],
        "full_parallel": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        api = project / BROKER_API
        original = api.read_text()
        timed(doit, project)  # warm the bytecode caches of the copy
        for n in range(rounds):
            samples["baseline"].append(timed([sys.executable, "-c", "import doit"], project))
            samples["noop"].append(timed(doit, project))
            api.write_text(original + EDITED_ROUTE.format(n=n))
            samples["edit"].append(timed(doit, project))
            api.write_text(original + EDITED_ROUTE.format(n=f"{n} without the warm worker"))
            samples["edit_cold"].append(timed(doit, project, warm_worker=False))
            clean(project)
            parallel = [*doit[:3], "-n", "2", *doit[3:]]
            samples["full_parallel"].append(timed(parallel, project, warm_worker=False))
            clean(project)
            samples["full"].append(timed(doit, project))
        stop_warm_worker(project)
    return samples


def report(samples: dict[str, list[float]]) -> str:
    median = {name: statistics.median(values) for name, values in samples.items()}
    noop_limit = 1.5 * median["baseline"]
    rows = [  # (sample key, label, target text, limit, reference system's time)
        (
            "noop",
            "no-op `doit generate`",
            f"≤ 1.5 x baseline = {noop_limit:.2f} s",
            noop_limit,
            13.7,
        ),
        ("full", "full build from clean (3 modules, no warm worker running)", "≤ 2.0 s", 2.0, 16.6),
        ("full_parallel", "the same with `doit -n 2`", "(for comparison)", None, 16.6),
        ("edit", "one broker endpoint edited (warm worker running)", "≤ 1.2 s", 1.2, 7.0),
        (
            "edit_cold",
            "one broker endpoint edited, APIGEN_WARM_WORKER=0",
            "(for comparison)",
            None,
            7.0,
        ),
    ]
    lines = [
        f'Baseline `python -c "import doit"`: median {median["baseline"]:.3f} s '
        f"(min {min(samples['baseline']):.3f}, max {max(samples['baseline']):.3f}).",
        "",
        "| case | median | min | max | target | met | reference system |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label, target, limit, reference in rows:
        values = samples[key]
        met = "" if limit is None else ("yes" if median[key] <= limit else "**no**")
        lines.append(
            f"| {label} | {median[key]:.3f} s | {min(values):.3f} s | {max(values):.3f} s | "
            f"{target} | {met} | {reference} s |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--write", type=Path, help="replace the generate-speed section of this markdown file"
    )
    args = parser.parse_args()
    samples = measure(args.rounds)
    table = report(samples)
    print(table)
    if args.write:
        section = (
            "<!-- generate_speed:start -->\n"
            f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
            f"Python {platform.python_version()}, {args.rounds} rounds, by "
            f"`python benchmarks/generate_speed.py --rounds {args.rounds} "
            f"--write {args.write}`.\n\n"
            f"{table}\n<!-- generate_speed:end -->"
        )
        text = args.write.read_text() if args.write.exists() else ""
        start, end = "<!-- generate_speed:start -->", "<!-- generate_speed:end -->"
        if start in text and end in text:
            text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
        else:
            text = text + ("\n" if text else "") + section + "\n"
        args.write.write_text(text)


if __name__ == "__main__":
    main()
