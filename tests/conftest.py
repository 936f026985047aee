"""Shared fixtures: a project copy built once by real doit, then cheap copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.doit_project import copy_project, run_doit


@pytest.fixture(scope="session")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project after one full `doit generate` (outputs and .doit.db included)."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    run = run_doit(project, "generate")
    assert run.returncode == 0, run.output
    return project


@pytest.fixture
def built_project(built_template: Path, tmp_path: Path) -> Path:
    """A private copy of the built project; mtimes are preserved, so nothing is stale."""
    project = tmp_path / "project"
    shutil.copytree(built_template, project, symlinks=True)
    return project


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    """A copy of the project's sources that has never been built."""
    return copy_project(tmp_path / "project")
