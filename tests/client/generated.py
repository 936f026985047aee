"""Render a client into a folder and import it the way a user would: as a plain module file."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from apigen.client import render_client


def write_client(spec: Mapping[str, Any], folder: Path, *, module: str, version: int = 1) -> Path:
    path = folder / f"{module}_v{version}_client.py"
    path.write_text(render_client(spec, module=module, version=version), encoding="utf-8")
    return path


def import_client(path: Path) -> ModuleType:
    """Import a generated file under a unique name, registered in sys.modules like any import."""
    name = f"generated_{path.stem}_{abs(hash(path))}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
