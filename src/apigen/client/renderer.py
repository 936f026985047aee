"""Render a `ClientModule` with the Jinja templates; black formats it chunk by chunk, in-process."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from apigen.client.domain import ClientModule
from apigen.client.formatter import ChunkFormatter
from apigen.client.safe_text import SafeText

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
CLIENT_TEMPLATE = "client.py.jinja"


def _only_safe_text(value: Any) -> Any:
    """Jinja `finalize`: only sanitised domain text and macro output may reach the source."""
    if isinstance(value, SafeText | Markup):
        return value
    raise TypeError(
        f"template tried to output {type(value).__name__} {value!r:.60}; only SafeText values "
        "built by apigen.client.spec_model may reach generated code"
    )


@jinja2.pass_context
def _black_module(context: jinja2.runtime.Context, text: str) -> Markup:
    formatter: ChunkFormatter = context["formatter"]
    return Markup(formatter.module(str(text).strip("\n") + "\n"))


@jinja2.pass_context
def _black_method(context: jinja2.runtime.Context, text: str) -> Markup:
    formatter: ChunkFormatter = context["formatter"]
    return Markup(formatter.method(str(text).lstrip("\n").rstrip() + "\n"))


@functools.cache
def environment(bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment, built once per process (and cache folder).

    autoescape is on only so that macro output arrives as `Markup` and `finalize` can tell it
    from a plain `str`; `SafeText.__html__` keeps our text unescaped. With `bytecode_dir`, the
    compiled template is kept there (compiling it costs ~60 ms on the CI machine).
    """
    bytecode_cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_only_safe_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=bytecode_cache,
    )
    env.filters["black_module"] = _black_module
    env.filters["black_method"] = _black_method
    return env


def render(
    module: ClientModule, formatter: ChunkFormatter, bytecode_dir: Path | None = None
) -> str:
    """The formatted source of the client module."""
    template = environment(bytecode_dir).get_template(CLIENT_TEMPLATE)
    return template.render(module=module, formatter=formatter)
