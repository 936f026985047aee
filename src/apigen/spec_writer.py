"""Write a spec document, and say what changed in it.

The exporters write through `write_spec`: identical bytes are left alone (early cutoff); new
bytes are compared with the old document (apigen.spec_diff) and the changes are returned, for
the reporter to print under the task's line. With APIGEN_FAIL_ON_BREAKING=1 (for CI) a change
that breaks a client's user fails the task instead, and the old document stays in place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apigen.atomic_write import write_text_if_changed
from apigen.run_reasons import CHANGES_KEY
from apigen.spec_diff import diff_specs
from apigen.spec_json import canonical_json
from apigen.spec_validation import validate_document
from apigen.user_errors import UserError

FAIL_ON_BREAKING_ENV = "APIGEN_FAIL_ON_BREAKING"


def write_spec(path: Path, document: dict[str, Any]) -> list[str]:
    """Write `document` to `path` unless unchanged; the rendered changes (empty when none).

    An invalid document (against its specification's schema) is never written."""
    validate_document(path, document)
    text = canonical_json(document)
    try:
        old_bytes = path.read_bytes()
    except OSError:
        old_bytes = None
    if old_bytes == text.encode("utf-8"):
        return []
    changes = []
    if old_bytes is not None:
        try:
            changes = diff_specs(json.loads(old_bytes), document)
        except ValueError:
            changes = []  # the old file was not JSON (edited by hand): nothing to compare
    breaking = [change for change in changes if change.breaking]
    if breaking and os.environ.get(FAIL_ON_BREAKING_ENV) not in (None, "", "0"):
        lines = "\n".join(f"  {change.render()}" for change in breaking)
        raise UserError.at(
            path,
            None,
            f"breaking changes ({FAIL_ON_BREAKING_ENV} is set):\n{lines}\n"
            f"unset {FAIL_ON_BREAKING_ENV} to accept them",
        )
    write_text_if_changed(path, text)
    return [change.render() for change in changes]


def change_report(changes: dict[str, list[str]]) -> dict[str, Any]:
    """A doit python-action's return value: saved in the task's values, read by the reporter."""
    return {CHANGES_KEY: {path: lines for path, lines in changes.items() if lines}}


def write_version_specs(
    build: Callable[[str, str, int], dict[str, Any]],
    src_dir: str,
    module: str,
    versions: list[int],
    outputs: list[str],
) -> dict[str, Any]:
    """`build(src_dir, module, version)` for each version, written to its output; the report."""
    changes = {
        output: write_spec(Path(output), build(src_dir, module, version))
        for version, output in zip(versions, outputs, strict=True)
    }
    return change_report(changes)
