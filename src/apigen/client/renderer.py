"""Render a `ClientModule` with the Jinja templates; black formats it chunk by chunk, in-process.

The templates write black's layout themselves wherever a construct can grow past 100 columns
(`bracketed`), so black only meets the chunks they cannot predict (formatter.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from apigen.client.domain import ClientModule
from apigen.client.formatter import LINE_LENGTH, ChunkFormatter, line_width
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


def _bracketed(block: Markup) -> Markup:
    """Jinja filter: a bracketed construct, laid out as black lays it out.

    The block's first line is the statement up to its opening bracket (indentation included),
    its last line the closing bracket and what follows it, each line between one item (leading
    whitespace and empty lines ignored). The result is one line when that fits in 100 columns;
    else one item per line, each with a trailing comma, the closing bracket on a line of its own:
    black keeps that layout as it is (the "magic trailing comma"), so the chunk needs no black.
    """
    if not isinstance(block, Markup):
        raise TypeError("bracketed formats template blocks only")
    head, *middle, tail = str(block).strip("\n").split("\n")
    items = [item.strip() for item in middle if item.strip()]
    one_line = head + ", ".join(items) + tail.strip()
    if not items or line_width(one_line) <= LINE_LENGTH:
        return Markup(one_line + "\n")
    indent = head[: len(head) - len(head.lstrip(" "))]
    lines = [head, *(f"{indent}    {item}," for item in items), indent + tail.strip()]
    return Markup("\n".join(lines) + "\n")


def _too_long(text: Markup) -> bool:
    """Jinja test: whether black surely splits `text` (indentation included, a newline after it
    ignored): more than one line, or longer than 100 columns even at one column a character.

    For layouts black keeps only because the one-line form does not fit (no magic trailing
    comma holds them): when black's width is not sure to exceed 100 columns, the template writes
    the one-line form, which formatter.py then leaves to black if it may be too long.
    """
    line = str(text).removesuffix("\n")
    return "\n" in line or len(line) > LINE_LENGTH


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
    env.filters["bracketed"] = _bracketed
    env.tests["too_long"] = _too_long
    return env


def render(
    module: ClientModule, formatter: ChunkFormatter, bytecode_dir: Path | None = None
) -> str:
    """The formatted source of the client module."""
    template = environment(bytecode_dir).get_template(CLIENT_TEMPLATE)
    return template.render(module=module, formatter=formatter)
