"""check_modules — fail with every problem found while scanning the modules folder."""

from __future__ import annotations

from apigen.user_errors import UserError, user_facing


@user_facing
def report_layout_problems(problems: list[str]) -> None:
    """doit action for check_modules: the problems were found (without import) by discovery."""
    if problems:
        raise UserError.at(None, None, "\n".join(problems))
