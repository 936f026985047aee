"""How the build graph scales: a synthetic project of N modules next to the real ones.

    python benchmarks/scale.py [--sizes 10 50 200] [--write docs/benchmarks.md]

Each synthetic module `s<i>` has its own models (`models/synth_s<i>.py`: an enum, five models,
a subscription request), eight REST routes, two WebSocket topics and a service, and uses one
model shared by every synthetic module (`models/synth_shared.py`). For each size it measures,
with the warm worker off (each run pays its own imports, as in CI):

  cold          `doit generate` from clean, serial
  cold -n 2     the same with `doit -n 2`
  no-op         `doit generate` with nothing to do (best of 3), next to `python -c "import
                doit"` (best of 3), the floor of any doit run, measured in the same minute
  module edit   one synthetic module's route added
  shared edit   a comment in the model every synthetic module imports (specs keep their bytes)

and the peak RSS of the cold serial run (GNU time's maximum resident set size of the doit
process). Targets (issue 4): no-op at 200 modules <= 0.5 s; module edit at 200 <= 1.5 x the same
edit at 10; cold with -n 2 <= 0.1 s per module; peak RSS at 200 <= 400 MB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.doit_project import copy_project, doit_env  # noqa: E402

SHARED_MODELS = '''"""A model every synthetic module uses (benchmarks/scale.py)."""

from pydantic import BaseModel


class SynthPage(BaseModel):
    """A page of results."""

    total: int
    offset: int = 0
'''

MODELS = '''"""Synthetic models of module {name} (benchmarks/scale.py)."""

from enum import StrEnum

from pydantic import BaseModel, Field

from trading_api.models.synth_shared import SynthPage


class {C}Status(StrEnum):
    """Lifecycle of an item."""

    NEW = "new"
    ACTIVE = "active"
    CLOSED = "closed"


class {C}ItemCreate(BaseModel):
    """An item to create."""

    label: str
    qty: float = Field(gt=0)
    note: str | None = None


class {C}ItemPublic(BaseModel):
    """An item."""

    id: int
    label: str
    qty: float
    status: {C}Status
    note: str | None = None
    tags: list[str] = []


class {C}ItemUpdate(BaseModel):
    """Changes to an item."""

    label: str | None = None
    qty: float | None = None


class {C}ItemsPublic(BaseModel):
    """Items, with paging."""

    items: list[{C}ItemPublic]
    page: SynthPage


class {C}StatsPublic(BaseModel):
    """Counts per status."""

    counts: dict[str, int]


class {C}SubscriptionRequest(BaseModel):
    """Subscribe to one item's updates."""

    item_id: int
'''

MODULE_INIT = '''"""Synthetic module {name} (benchmarks/scale.py)."""

from trading_api.modules.{name}.service import {C}Service
from trading_api.shared.module_contract import Module


class {C}Module(Module[{C}Service]):
    """A synthetic module."""

    name = "{name}"

    def create_service(self) -> {C}Service:
        """The in-memory service."""
        return {C}Service()
'''

SERVICE = '''"""Synthetic service of {name} (benchmarks/scale.py)."""

from pydantic import BaseModel

from trading_api.models.synth_{name} import {C}ItemPublic, {C}Status


class {C}Service:
    """Keeps nothing; answers with fixed items."""

    def item(self, item_id: int) -> {C}ItemPublic:
        return {C}ItemPublic(id=item_id, label="x", qty=1.0, status={C}Status.NEW)

    async def create_topic(
        self, route: str, topic: str, request: BaseModel, publish: object
    ) -> None:
        return None

    async def remove_topic(self, route: str, topic: str) -> None:
        return None
'''

API = '''"""Synthetic API of {name} (benchmarks/scale.py)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from trading_api.models.synth_shared import SynthPage
from trading_api.models.synth_{name} import (
    {C}ItemCreate,
    {C}ItemPublic,
    {C}ItemsPublic,
    {C}ItemUpdate,
    {C}StatsPublic,
    {C}Status,
)
from trading_api.modules.{name}.service import {C}Service
from trading_api.shared.service_dependency import service_dependency

router = APIRouter(tags=["{name}"])
Service = Annotated[{C}Service, Depends(service_dependency({C}Service))]


@router.get("/items", operation_id="list_items", response_model={C}ItemsPublic)
async def list_items(
    service: Service, offset: int = 0, status: {C}Status | None = None
) -> {C}ItemsPublic:
    """List items."""
    return {C}ItemsPublic(items=[service.item(1)], page=SynthPage(total=1, offset=offset))


@router.post("/items", operation_id="create_item", response_model={C}ItemPublic, status_code=201)
async def create_item(service: Service, body: {C}ItemCreate) -> {C}ItemPublic:
    """Create an item."""
    return service.item(1)


@router.get("/items/{{item_id}}", operation_id="get_item", response_model={C}ItemPublic)
async def get_item(service: Service, item_id: int) -> {C}ItemPublic:
    """Get an item."""
    return service.item(item_id)


@router.patch("/items/{{item_id}}", operation_id="update_item", response_model={C}ItemPublic)
async def update_item(service: Service, item_id: int, body: {C}ItemUpdate) -> {C}ItemPublic:
    """Update an item."""
    return service.item(item_id)


@router.delete("/items/{{item_id}}", operation_id="close_item", response_model={C}ItemPublic)
async def close_item(service: Service, item_id: int) -> {C}ItemPublic:
    """Close an item."""
    return service.item(item_id)


@router.get("/stats", operation_id="get_stats", response_model={C}StatsPublic)
async def get_stats(service: Service) -> {C}StatsPublic:
    """Counts per status."""
    return {C}StatsPublic(counts={{}})


@router.get("/items/{{item_id}}/tags", operation_id="list_tags", response_model=list[str])
async def list_tags(service: Service, item_id: int) -> list[str]:
    """Tags of an item."""
    return []


@router.put("/items/{{item_id}}/tags", operation_id="set_tags", response_model=list[str])
async def set_tags(service: Service, item_id: int, body: list[str]) -> list[str]:
    """Replace the tags of an item."""
    return body
'''

WS = '''"""Synthetic WebSocket topics of {name} (benchmarks/scale.py)."""

from typing import TypeAlias

from trading_api.models.synth_{name} import {C}ItemPublic, {C}StatsPublic, {C}SubscriptionRequest
from trading_api.shared.ws import WsRouter

# Route names unique app-wide: the merged AsyncAPI document names frame schemas after routes.
{C}ItemsRouter: TypeAlias = WsRouter[{C}SubscriptionRequest, {C}ItemPublic]
{C}StatsRouter: TypeAlias = WsRouter[{C}SubscriptionRequest, {C}StatsPublic]
'''

EDIT = '''

@router.get("/bench-{n}", operation_id="bench_{n}", response_model=list[str])
async def bench_{n}() -> list[str]:
    """Benchmark route {n}."""
    return []
'''


def add_synthetic_modules(project: Path, count: int) -> None:
    models = project / "src/trading_api/models"
    (models / "synth_shared.py").write_text(SHARED_MODELS)
    for index in range(count):
        name, camel = f"s{index}", f"S{index}"
        (models / f"synth_{name}.py").write_text(MODELS.format(name=name, C=camel))
        package = project / "src/trading_api/modules" / name
        for relative, template in (
            ("__init__.py", MODULE_INIT),
            ("service.py", SERVICE),
            ("api/__init__.py", '"""API versions."""\n'),
            ("api/v1.py", API),
            ("ws/__init__.py", '"""WebSocket declarations."""\n'),
            ("ws/v1.py", WS),
        ):
            path = package / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(name=name, C=camel))


def timed(
    project: Path, *args: str, python_args: tuple[str, ...] = ("-m", "doit")
) -> tuple[float, int]:
    """(seconds, peak RSS in MB) of `python -m doit ARGS` (or `python PYTHON_ARGS ARGS`) in
    `project`; fails loudly."""
    command = ["/usr/bin/time", "-f", "%M", sys.executable, *python_args, *args]
    env = doit_env(warm_worker=False)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"doit {' '.join(args)} failed in {project}:\n{done.stdout}\n{done.stderr}"
        )
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb // 1024


def clean(project: Path) -> None:
    for name in (".doit.db", ".apigen-cache", "specs_generated", "client_generated"):
        path = project / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for generated in (project / "src/trading_api/modules").glob("*/ws_generated"):
        shutil.rmtree(generated)


def measure(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        add_synthetic_modules(project, count)
        results: dict[str, float] = {"modules": count + 3}
        results["cold_parallel"], _ = timed(project, "-n", "2", "generate")
        clean(project)
        results["cold"], results["peak_rss_mb"] = timed(project, "generate")
        results["noop"] = min(timed(project, "generate")[0] for _ in range(3))
        # The floor under every doit run, measured in the same minute (the machine is noisy).
        results["import_doit"] = min(
            timed(project, python_args=("-c", "import doit"))[0] for _ in range(3)
        )
        api = project / "src/trading_api/modules/s0/api/v1.py"
        edits = []
        for n in range(3):
            api.write_text(api.read_text() + EDIT.format(n=n))
            edits.append(timed(project, "generate")[0])
        results["module_edit"] = sorted(edits)[1]
        shared = project / "src/trading_api/models/synth_shared.py"
        shared.write_text(shared.read_text() + "\n# a comment\n")
        results["shared_edit"], _ = timed(project, "generate")
        return results


def report(rows: list[dict[str, float]]) -> str:
    lines = [
        "| modules | cold | cold -n 2 | per module (-n 2) | no-op | `import doit` | module edit "
        "| shared edit | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['modules']:.0f} | {row['cold']:.1f} s | {row['cold_parallel']:.1f} s | "
            f"{row['cold_parallel'] / row['modules']:.3f} s | {row['noop']:.2f} s | "
            f"{row['import_doit']:.2f} s | "
            f"{row['module_edit']:.2f} s | {row['shared_edit']:.2f} s | "
            f"{row['peak_rss_mb']:.0f} MB |"
        )
    small, large = rows[0], rows[-1]
    per_module = large["cold_parallel"] / large["modules"]
    lines += [
        "",
        "| target (issue 4) | measured | met |",
        "|---|---|---|",
        f"| no-op at {large['modules']:.0f} modules ≤ 0.5 s | {large['noop']:.2f} s | "
        f"{'yes' if large['noop'] <= 0.5 else '**no**'} |",
        f"| module edit at {large['modules']:.0f} ≤ 1.5 x at {small['modules']:.0f} "
        f"({1.5 * small['module_edit']:.2f} s) | {large['module_edit']:.2f} s | "
        f"{'yes' if large['module_edit'] <= 1.5 * small['module_edit'] else '**no**'} |",
        f"| cold with -n 2 ≤ 0.1 s per module | {per_module:.3f} s | "
        f"{'yes' if per_module <= 0.1 else '**no**'} |",
        f"| peak RSS of the {large['modules']:.0f}-module cold build ≤ 400 MB | "
        f"{large['peak_rss_mb']:.0f} MB | {'yes' if large['peak_rss_mb'] <= 400 else '**no**'} |",
    ]
    return "\n".join(lines)


def plot(rows: list[dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modules = [row["modules"] for row in rows]
    figure, axis = plt.subplots(figsize=(7, 4))
    for key, label in (
        ("cold", "cold"),
        ("cold_parallel", "cold, -n 2"),
        ("module_edit", "one module edited"),
        ("shared_edit", "shared model edited"),
        ("noop", "no-op"),
    ):
        axis.plot(modules, [row[key] for row in rows], marker="o", label=label)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("modules")
    axis.set_ylabel("seconds")
    axis.set_title("doit generate on a synthetic project (2 cores)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument(
        "--write", type=Path, help="replace the scale section of this markdown file"
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        rows.append(measure(size))
        print(rows[-1], flush=True)
    table = report(rows)
    print(table)
    if args.write:
        image = args.write.parent / "benchmarks-scale.png"
        plot(rows, image)
        section = (
            "<!-- scale:start -->\n"
            f"Measured {time.strftime('%Y-%m-%d')} by `python benchmarks/scale.py --sizes "
            f"{' '.join(map(str, args.sizes))} --write {args.write}` (module counts include the "
            f"3 real modules).\n\n{table}\n\n![scale]({image.name})\n<!-- scale:end -->"
        )
        text = args.write.read_text()
        start, end = "<!-- scale:start -->", "<!-- scale:end -->"
        if start in text:
            text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
        else:
            text += "\n## Scale\n\n" + section + "\n"
        args.write.write_text(text)


if __name__ == "__main__":
    main()
