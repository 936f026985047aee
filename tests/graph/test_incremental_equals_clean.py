"""Property: after any sequence of edits, each followed by `doit generate`, the outputs are
byte-identical to a from-scratch build of the same sources in a separate copy."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph.test_parallel import outputs
from tests.support.doit_project import copy_project, run_doit

Edit = Callable[[Path, int], None]


def append(relative: str, text: str) -> Edit:
    def edit(project: Path, n: int) -> None:
        path = project / relative
        path.write_text(path.read_text() + text.format(n=n))

    return edit


def touch(relative: str) -> Edit:
    return lambda project, n: (project / relative).touch()


EDITS: dict[str, Edit] = {
    "add a broker route": append(
        "src/trading_api/modules/broker/api/v1.py",
        '\n\n@router.get("/prop-{n}", operation_id="prop_{n}", response_model=dict[str, str])\n'
        'def prop_{n}() -> dict[str, str]:\n    """Property route {n}."""\n    return {{}}\n',
    ),
    "comment in datafeed": append("src/trading_api/modules/datafeed/api/v1.py", "\n# {n}\n"),
    "add a WS route": append(
        "src/trading_api/modules/datafeed/ws/v1.py",
        "\nProp{n}Router: TypeAlias = WsRouter[QuotesSubscriptionRequest, QuotePublic]\n",
    ),
    "add a model field": append(
        "src/trading_api/models/system.py",
        '\n\nclass Prop{n}Public(BaseModel):\n    """Model {n}."""\n\n    value: int = {n}\n',
    ),
    "touch shared code": touch("src/trading_api/shared/versioned_app.py"),
    "edit a template comment": append("src/apigen/templates/client.py.jinja", "{{# {n} #}}\n"),
}


def edit_sequences(max_size: int = 3) -> st.SearchStrategy[list[str]]:
    """Sequences of edits (names in EDITS); benchmarks/fuzz_incremental.py draws longer ones."""
    return st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=max_size)


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=edit_sequences())
def test_incremental_builds_equal_clean_builds(built_template: Path, steps: list[str]) -> None:
    check_incremental_equals_clean(built_template, steps)


def check_incremental_equals_clean(built_template: Path, steps: list[str]) -> None:
    """Apply `steps` to a copy of the built project, `doit generate` after each, and compare
    the outputs with a from-scratch build of the same sources."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "incremental"
        shutil.copytree(built_template, project, symlinks=True)
        for n, step in enumerate(steps):
            EDITS[step](project, n)
            run = run_doit(project, "generate")
            assert run.returncode == 0, (step, run.output)
            clean = copy_project(Path(tmp) / f"clean{n}", source=project)
            scratch = run_doit(clean, "generate")
            assert scratch.returncode == 0, (step, scratch.output)
            assert outputs(project) == outputs(clean), step
