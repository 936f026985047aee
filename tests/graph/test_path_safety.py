"""Module, version and file names can never make the build write outside the project tree.

Names reach paths in three places: module folder names (spec, client and router files),
API version file names (`v<N>.py`) and WebSocket router aliases (one router file each). Each
is checked for every name hypothesis can think of. The one way around the names, a module
folder that is a symlink to elsewhere, is refused (row 28 of docs/errors.md, a real run).
"""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from apigen.module_discovery import discover_modules, is_module_name, version_of
from apigen.project_layout import CLIENTS_DIR, SPECS_DIR, ProjectLayout
from apigen.ws_declarations import Declaration, read_declarations

# Path-like and hostile text: separators, dots, NUL, look-alikes (fullwidth solidus, one dot
# leader), Windows separators and drive letters, newlines.
HOSTILE = st.text(
    alphabet=st.sampled_from(
        [*"abcxyz_019./\\:-~ \n\t\x00", "\uff0f", "\u2024", "\u2215", "\u00e9", "\uff42"]
    ),
    max_size=12,
)
NAMES = st.one_of(HOSTILE, st.text(max_size=12))


@settings(max_examples=500, deadline=None)
@given(name=NAMES, version=st.integers(min_value=1, max_value=10**6))
def test_an_accepted_module_name_only_names_files_inside_the_output_folders(
    name: str, version: int
) -> None:
    if not is_module_name(name):
        return
    layout = ProjectLayout(Path("/project"))
    for folder, path in [
        (SPECS_DIR, layout.spec_path(name, version)),
        (SPECS_DIR, layout.asyncapi_path(name, version)),
        (CLIENTS_DIR, layout.client_path(name, version)),
        (CLIENTS_DIR, layout.ws_client_path(name, version)),
    ]:
        path = Path(path)
        assert path.parent == folder
        assert path.name.startswith(f"{name}_v{version}_")
        assert os.sep not in path.name and "\x00" not in path.name and ".." not in path.name


@settings(max_examples=300, deadline=None)
@given(name=NAMES)
def test_module_names_are_plain_lowercase_ascii_identifiers(name: str) -> None:
    if is_module_name(name):
        assert name.isascii() and name.isidentifier() and name == name.lower()
        assert name[0].isalpha()


@settings(max_examples=300, deadline=None)
@given(stem=NAMES)
def test_a_version_is_a_positive_integer_or_nothing(stem: str) -> None:
    version = version_of(f"v{stem}.py")
    assert version is None or (isinstance(version, int) and version >= 1)
    if version is not None:
        assert (
            f"v{version}.py" == f"v{stem}.py"
        )  # one spelling per version: no v01, no fullwidth digits


@settings(max_examples=300, deadline=None)
@given(alias=st.text(min_size=1, max_size=16))
def test_a_router_alias_names_a_file_inside_its_version_folder(alias: str) -> None:
    source = (
        "from typing import TypeAlias\n"
        "from trading_api.models.orders import OrderPublic\n"
        "from trading_api.shared.ws import WsRouter\n"
        f"{alias}Router: TypeAlias = WsRouter[OrderPublic, OrderPublic]\n"
    )
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return  # not an identifier: Python itself refuses the declaration file
    with tempfile.TemporaryDirectory() as folder:
        declarations = Path(folder, "v1.py")
        declarations.write_text(source, encoding="utf-8")
        found = read_declarations(declarations)
    for declaration in found.items:
        assert isinstance(declaration, Declaration)
        file_name = f"{declaration.snake_name}.py"
        assert Path(file_name).name == file_name and file_name not in {".py", "..py"}
        assert os.sep not in file_name and "\x00" not in file_name
        assert not file_name.startswith(".")


def test_a_module_folder_symlinked_inside_the_project_is_a_module(tmp_path: Path) -> None:
    modules = tmp_path / "src/trading_api/modules"
    (tmp_path / "vendored/options/api").mkdir(parents=True)
    (tmp_path / "vendored/options/__init__.py").write_text("")
    (tmp_path / "vendored/options/api/v1.py").write_text("")
    modules.mkdir(parents=True)
    (modules / "options").symlink_to(tmp_path / "vendored/options")

    discovery = discover_modules(modules)

    assert discovery.problems == ()
    assert [module.name for module in discovery.modules] == ["options"]
