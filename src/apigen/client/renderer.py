"""Render a `ClientModule` with the Jinja templates and format the result with black in-process."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import black
import jinja2
from markupsafe import Markup

from apigen.client.domain import ClientModule
from apigen.client.safe_text import SafeText

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
CLIENT_TEMPLATE = "client.py.jinja"
BLACK_MODE = black.Mode(line_length=100, target_versions={black.TargetVersion.PY311})


def _only_safe_text(value: Any) -> Any:
    """Jinja `finalize`: only sanitised domain text and macro output may reach the source."""
    if isinstance(value, SafeText | Markup):
        return value
    raise TypeError(
        f"template tried to output {type(value).__name__} {value!r:.60}; only SafeText values "
        "built by apigen.client.spec_model may reach generated code"
    )


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja environment (built once per process; templates compile on first use).

    autoescape is on only so that macro output arrives as `Markup` and `finalize` can tell it
    from a plain `str`; `SafeText.__html__` keeps our text unescaped.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_only_safe_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def render_source(module: ClientModule) -> str:
    """The template output, before formatting."""
    return environment().get_template(CLIENT_TEMPLATE).render(module=module)


def format_source(source: str) -> str:
    """black, in-process, line length 100, Python 3.11."""
    return black.format_str(source, mode=BLACK_MODE)
