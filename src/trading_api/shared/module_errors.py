"""The one exception family for a module folder that breaks the module contract."""

from __future__ import annotations


class ModuleContractError(Exception):
    """A module folder or class breaks the module contract; the message says where and how to fix.

    Callers that return control to a user (CLI, build graph) print it as one line, no traceback.
    """
