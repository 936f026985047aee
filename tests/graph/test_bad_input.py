"""docs/errors.md, row by row: each user mistake, made in a built copy of the project.

For every row the test checks what the table promises: the exact message (file:line where
there is a file), the exit status, no traceback; with `doit --continue` the artifacts the
mistake does not touch are still built and stay byte-identical; nothing half-written is left;
and after the fix the next run succeeds with outputs byte-identical to the first build.

The expected message and exit status are read from docs/errors.md itself, so the table cannot
drift from what users see.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.doit_project import PROJECT_ROOT, run_doit_command

ERRORS_DOC = PROJECT_ROOT / "docs/errors.md"
MODULES = Path("src/trading_api/modules")
BROKER_API = MODULES / "broker/api/v1.py"
BROKER_SERVICE = MODULES / "broker/service.py"
CLIENT_TEMPLATE = Path("src/apigen/templates/client.py.jinja")
OUTPUT_FOLDERS = ("specs_generated", "client_generated")
# A mistake in one module leaves the merged documents and the index as they were: they are
# built from every module.
MERGED = ("specs_generated/app_*.json", "client_generated/__init__.py")
BROKER_OUTPUTS = (
    "specs_generated/broker_*",
    "client_generated/broker_*",
    "src/trading_api/modules/broker/ws_generated/*",
    *MERGED,
)


def append(project: Path, relative: Path | str, text: str) -> None:
    path = project / relative
    old = path.read_text()
    path.write_text(old + ("" if old.endswith("\n") else "\n") + text)


def add_module(project: Path, name: str, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = project / MODULES / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def edit_broker_endpoint(project: Path) -> None:
    """A change that alters broker's OpenAPI document (the spec must be rewritten)."""
    path = project / BROKER_API
    text = path.read_text()
    edited = text.replace('operation_id="list_orders",', 'operation_id="list_all_orders",', 1)
    assert edited != text
    path.write_text(edited)


def add_invalid_openapi_field(project: Path) -> None:
    """`openapi_extra` is copied into the document unchecked: a key OpenAPI does not define
    (extensions must start with `x-`) makes the document invalid."""
    path = project / BROKER_API
    text = path.read_text()
    edited = text.replace(
        'operation_id="list_orders",',
        'operation_id="list_orders", openapi_extra={"summary2": "x"},',
        1,
    )
    assert edited != text
    path.write_text(edited)


def include_router_reusing_an_operation_id(project: Path) -> None:
    """The duplicate is in another file: only the built app shows it."""
    (project / MODULES / "broker/api/extra.py").write_text(
        "from fastapi import APIRouter\n\n"
        "extra_router = APIRouter()\n\n\n"
        '@extra_router.get("/orders-extra", operation_id="list_orders", response_model=list[str])\n'
        "def orders_extra() -> list[str]:\n"
        "    return []\n"
    )
    append(
        project,
        BROKER_API,
        "from trading_api.modules.broker.api.extra import extra_router  # noqa: E402\n\n"
        "router.include_router(extra_router)\n",
    )


def make_read_only(project: Path) -> None:
    edit_broker_endpoint(project)
    (project / "specs_generated").chmod(0o555)


def make_writable(project: Path) -> None:
    (project / "specs_generated").chmod(0o755)


def put_directory_in_place_of_client(project: Path) -> None:
    client = project / "client_generated/broker_v1_client.py"
    client.unlink()
    (client / "notes").mkdir(parents=True)


def remove_directory_in_place_of_client(project: Path) -> None:
    shutil.rmtree(project / "client_generated/broker_v1_client.py")


def write_foreign_sqlite_database(project: Path) -> None:
    (project / ".doit.db").unlink()
    with sqlite3.connect(project / ".doit.db") as connection:
        connection.execute("CREATE TABLE bookmarks (url TEXT)")
        connection.execute("INSERT INTO bookmarks VALUES ('https://example.org')")


def write_json_backend_database(project: Path) -> None:
    # What doit writes with `backend='json'` (its default dbm backend writes other formats).
    (project / ".doit.db").write_text(json.dumps({"openapi:broker": {"_values_:": {}}}))


def foreign_database_kept_aside(project: Path) -> None:
    with sqlite3.connect(project / ".doit.db.unusable") as connection:
        assert connection.execute("SELECT url FROM bookmarks").fetchall() == [
            ("https://example.org",)
        ]
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("bookmarks",)]  # doit's table was not added to it


def symlink_module_outside(project: Path) -> None:
    outside = project.parent / "elsewhere/options"
    (outside / "api").mkdir(parents=True)
    (outside / "__init__.py").write_text("class OptionsModule:\n    pass\n")
    (outside / "api/v1.py").write_text("from fastapi import APIRouter\n\nrouter = APIRouter()\n")
    # Declarations: without the check, ws_routers:options would write routers in there.
    (outside / "ws").mkdir()
    (outside / "ws/__init__.py").write_text("")
    (outside / "ws/v1.py").write_text(
        "from typing import TypeAlias\n"
        "from trading_api.models.orders import OrderPublic, OrdersSubscriptionRequest\n"
        "from trading_api.shared.ws import WsRouter\n"
        "OrdersRouter: TypeAlias = WsRouter[OrdersSubscriptionRequest, OrderPublic]\n"
    )
    (project / MODULES / "options").symlink_to(outside, target_is_directory=True)


def nothing_written_outside(project: Path) -> None:
    outside = project.parent / "elsewhere/options"
    assert not (outside / "ws_generated").exists()
    assert not list(outside.rglob("*_generated"))


def truncate_database(project: Path) -> None:
    database = project / ".doit.db"
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 2])


@dataclass(frozen=True)
class Mistake:
    """One row of docs/errors.md: how to make the mistake and what it may leave unbuilt."""

    make: Callable[[Path], None]
    # Outputs (fnmatch patterns, project-relative) the mistake may leave missing or stale.
    affected: tuple[str, ...] = BROKER_OUTPUTS
    # The user's fix besides restoring the sources as they were.
    fix: Callable[[Path], None] | None = None
    # Run doit without root's power to write anywhere (the row is about permissions).
    unprivileged: bool = False
    # What else must hold after the first run.
    then: Callable[[Path], None] | None = None


MISTAKES: dict[int, Mistake] = {
    1: Mistake(lambda p: append(p, BROKER_API, "def broken(:\n    pass\n")),
    2: Mistake(lambda p: append(p, BROKER_API, "from trading_api.models import DoesNotExist\n")),
    3: Mistake(
        lambda p: append(
            p,
            BROKER_API,
            '@router.get("/no-model", operation_id="no_model")\n'
            "def no_model() -> dict[str, str]:\n"
            '    return {"a": "b"}\n',
        )
    ),
    4: Mistake(
        lambda p: append(
            p,
            BROKER_API,
            '@router.get("/no-id", response_model=dict[str, str])\n'
            "def no_id() -> dict[str, str]:\n"
            '    return {"a": "b"}\n',
        )
    ),
    5: Mistake(
        lambda p: append(
            p,
            BROKER_API,
            '@router.get("/orders-again", operation_id="list_orders", response_model=list[str])\n'
            "def orders_again() -> list[str]:\n"
            "    return []\n",
        )
    ),
    6: Mistake(
        lambda p: add_module(p, "Market-Data", {"__init__.py": ""}),
        affected=MERGED,
    ),
    7: Mistake(
        lambda p: add_module(p, "class", {"__init__.py": "", "api/v1.py": ""}),
        affected=MERGED,
    ),
    8: Mistake(
        lambda p: add_module(p, "shared", {"__init__.py": "", "api/v1.py": ""}),
        affected=MERGED,
    ),
    9: Mistake(
        lambda p: [
            add_module(p, name, {"__init__.py": "", "api/v1.py": ""})
            for name in ("report", "report_")
        ],
        affected=MERGED,
    ),
    10: Mistake(
        lambda p: append(p, BROKER_SERVICE, "from trading_api.modules.datafeed import service\n")
    ),
    11: Mistake(lambda p: append(p, BROKER_SERVICE, "import apigen.task_graph\n")),
    12: Mistake(
        lambda p: append(
            p, "src/trading_api/models/orders.py", "from trading_api.shared import ws\n"
        ),
        affected=("*",),  # every module imports the models
    ),
    13: Mistake(
        lambda p: append(
            p, "src/trading_api/shared/versioned_app.py", "import trading_api.modules.broker\n"
        ),
        affected=("*",),
    ),
    14: Mistake(
        lambda p: append(
            p,
            MODULES / "broker/ws/v1.py",
            "QuotesRouter: TypeAlias = WsRouter[QuotesRequest, OrderPublic]\n",
        )
    ),
    15: Mistake(
        lambda p: append(p, CLIENT_TEMPLATE, "{% if %}\n"),
        affected=("client_generated/*_v1_client.py", *MERGED),
    ),
    16: Mistake(
        lambda p: append(p, CLIENT_TEMPLATE, "{{ no_such_variable.name }}\n"),
        affected=("client_generated/*_v1_client.py", *MERGED),
    ),
    17: Mistake(lambda p: (p / ".doit.db").write_bytes(b"\x00garbage" * 100), affected=()),
    18: Mistake(truncate_database, affected=()),
    19: Mistake(write_json_backend_database, affected=()),
    20: Mistake(write_foreign_sqlite_database, affected=(), then=foreign_database_kept_aside),
    21: Mistake(make_read_only, fix=make_writable, unprivileged=True),
    22: Mistake(put_directory_in_place_of_client, fix=remove_directory_in_place_of_client),
    23: Mistake(
        lambda p: (p / MODULES / "core/api/v2.py").write_text(
            '"""Version 2, not written yet."""\n\nfrom fastapi import APIRouter\n\n'
            "router = APIRouter()\n"
        ),
        affected=("specs_generated/core_*", "client_generated/core_*", *MERGED),
    ),
    24: Mistake(
        lambda p: (p / MODULES / "options/__pycache__").mkdir(parents=True), affected=MERGED
    ),
    25: Mistake(lambda p: add_module(p, "options", {"service.py": ""}), affected=MERGED),
    26: Mistake(lambda p: add_module(p, "options", {"__init__.py": ""}), affected=MERGED),
    27: Mistake(
        lambda p: append(p, "src/trading_api/app.py", "from apigen import task_graph\n"),
        affected=MERGED,
    ),
    28: Mistake(symlink_module_outside, affected=MERGED, then=nothing_written_outside),
    29: Mistake(add_invalid_openapi_field),
    30: Mistake(include_router_reusing_an_operation_id),
    31: Mistake(
        lambda p: add_module(
            p,
            "core",
            {
                "api/v2/__init__.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
                '@router.get("/ping", operation_id="ping", response_model=str)\n'
                'def ping() -> str:\n    return "pong"\n'
            },
        ),
        affected=MERGED,
    ),
}


@dataclass(frozen=True)
class Row:
    number: int
    what: str
    message: str
    exit_status: int

    def message_pattern(self) -> re.Pattern[str]:
        """The documented message; `<line>` stands for a line number, `...` for any text."""
        pattern = re.escape(self.message).replace(re.escape("<line>"), r"\d+")
        return re.compile(pattern.replace(re.escape("..."), ".*?"))


def documented_rows() -> dict[int, Row]:
    rows = {}
    for line in ERRORS_DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].isdigit():
            message = re.search(r"`([^`]+)`", cells[2])
            assert message, f"docs/errors.md row {cells[0]}: no `message` in its third column"
            rows[int(cells[0])] = Row(int(cells[0]), cells[1], message.group(1), int(cells[3]))
    return rows


ROWS = documented_rows()


def test_every_documented_row_has_a_test_and_there_are_enough() -> None:
    assert sorted(ROWS) == sorted(MISTAKES)
    assert len(ROWS) >= 15


def outputs(project: Path) -> dict[str, bytes]:
    files = [path for folder in OUTPUT_FOLDERS for path in (project / folder).rglob("*")]
    files += (project / MODULES).glob("*/ws_generated/**/*")
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in files
        if path.is_file() and "__pycache__" not in path.parts
    }


def affected(path: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)


def complete(path: str, data: bytes) -> bool:
    """A generated file is whole: a JSON document parses, Python source compiles."""
    if path.endswith(".json"):
        json.loads(data)
    elif path.endswith(".py"):
        compile(data, path, "exec")
    return True


def without_root_override() -> tuple[str, ...]:
    """A command prefix that makes root obey file permissions (as every other user does)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without util-linux's setpriv: permissions cannot apply")
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--")


def check_reported(row: Row, returncode: int, output: str, status: int) -> None:
    assert returncode == status, f"row {row.number}: {row.what}\n{output}"
    assert row.message_pattern().search(output), (
        f"row {row.number}: expected\n  {row.message}\nin the output:\n{output}"
    )
    assert "Traceback" not in output, output


@pytest.mark.parametrize("number", sorted(MISTAKES))
def test_bad_input_row(number: int, built_project: Path, tmp_path: Path) -> None:
    row, mistake = ROWS[number], MISTAKES[number]
    built = outputs(built_project)
    sources = tmp_path / "sources-before"
    shutil.copytree(built_project / "src", sources, symlinks=True)

    mistake.make(built_project)
    prefix = without_root_override() if mistake.unprivileged else ()
    run = run_doit_command(built_project, "generate", prefix=prefix)
    check_reported(row, run.returncode, run.stdout + run.stderr, row.exit_status)
    if row.exit_status != 0:
        # doit's status when tasks were skipped because of the failure.
        run = run_doit_command(built_project, "--continue", "generate", prefix=prefix)
        check_reported(row, run.returncode, run.stdout + run.stderr, 2)
    if mistake.then:
        mistake.then(built_project)

    after = outputs(built_project)
    for path, data in built.items():
        if not affected(path, mistake.affected):
            assert after.get(path) == data, f"row {number}: {path} was not kept as built"
    for path, data in after.items():
        assert complete(path, data)
        assert path in built or affected(path, mistake.affected), f"unexpected output {path}"
    leftovers = [p for folder in OUTPUT_FOLDERS for p in (built_project / folder).glob(".*.tmp")]
    assert not leftovers, leftovers

    if mistake.fix:
        mistake.fix(built_project)
    shutil.rmtree(built_project / "src")
    shutil.copytree(sources, built_project / "src", symlinks=True)
    fixed = run_doit_command(built_project, "generate")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert outputs(built_project) == built
    again = run_doit_command(built_project, "generate")
    assert again.returncode == 0 and "0 ran" in again.stdout, again.stdout


@pytest.mark.parametrize("number", [1, 3, 14])
def test_with_continue_a_cold_build_builds_everything_the_mistake_does_not_touch(
    number: int, built_template: Path, fresh_project: Path
) -> None:
    """From nothing (a fresh clone), not only from a built tree: the other modules' artifacts
    are built, byte-identical to a build without the mistake."""
    mistake = MISTAKES[number]
    mistake.make(fresh_project)

    run = run_doit_command(fresh_project, "--continue", "generate")

    assert run.returncode == 2, run.stdout + run.stderr
    reference = outputs(built_template)
    built = outputs(fresh_project)
    expected = {path for path in reference if not affected(path, mistake.affected)}
    assert expected, "the mistake touches everything: nothing to check"
    for path in expected:
        assert built.get(path) == reference[path], f"row {number}: {path} not built as usual"


@pytest.mark.parametrize(
    ("number", "exception"),
    [(1, "UserError"), (15, "TemplateSyntaxError"), (22, "IsADirectoryError")],
)
def test_the_verbose_switch_shows_the_traceback(
    number: int, exception: str, built_project: Path
) -> None:
    MISTAKES[number].make(built_project)
    run = run_doit_command(built_project, "generate", env={"APIGEN_TRACEBACK": "1"})
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Traceback (most recent call last)" in output and exception in output, output
