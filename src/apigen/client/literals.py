"""Render spec values (defaults, enum values, texts, paths) as Python literals and comments.

Every spec string that reaches generated code passes through here: `repr`-style rendering means
hostile text (quotes, backslashes, newlines, braces) stays data and can never become code.
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from typing import Any

from apigen.client.safe_text import CommentText, PyLiteral

# Unicode categories escaped inside docstrings: controls, format characters, surrogates, private
# use, unassigned, and line/paragraph separators (tokenizers and editors treat some as newlines).
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# A comment stands on its own line, indented up to 8 columns: "# " + 88 fits in 100.
_MAX_COMMENT = 88
_LINE_LENGTH = 100
_MIN_WIDTH = 40


class UnsupportedLiteral(ValueError):
    """The value has no Python literal (e.g. NaN, or a non-JSON type)."""


def python_literal(value: Any) -> PyLiteral:
    """Python source for a JSON value: `repr` for scalars, built recursively for containers."""
    return PyLiteral(_literal(value))


def _literal(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsupportedLiteral(f"{value!r} has no Python literal")
        return repr(float(value))
    if isinstance(value, str):
        return _string_literal(str(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{_literal(str(key))}: {_literal(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    raise UnsupportedLiteral(f"a {type(value).__name__} is not a JSON value")


def _string_literal(text: str) -> str:
    """`repr`, with double quotes when that needs no escaping (black's preference, fewer edits)."""
    source = repr(text)
    # repr only picks single quotes for text without '"' when it has no "'" either, so
    # swapping the delimiters needs no other change.
    if source.startswith("'") and '"' not in text:
        return '"' + source[1:-1] + '"'
    return source


def _escape_docstring_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char in "\n\t":
        return char
    if unicodedata.category(char) in _ESCAPED_CATEGORIES:
        code = ord(char)
        if code < 0x100:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return char


# textwrap's whitespace (ASCII only: other separators stay inside words, and are escaped).
_WHITESPACE_RUN = re.compile(r"([\t\n\x0b\x0c\r ]+)")
_TO_SPACE = {ord(char): " " for char in "\t\n\x0b\x0c\r"}
_TAB_COLUMNS = 4  # ruff's indent-width, which its line-length check counts a tab as


def _source_width(text: str) -> int:
    """Columns `text` takes once written into a docstring, as ruff's line-length check counts
    them: escapes as written (`\\`, `\\x00`, `\\U0010ffff`, `\\"\\"\\"`), wide East Asian
    characters two columns, combining marks none."""
    if text.isascii() and text.isprintable() and "\\" not in text:
        return len(text) + 3 * text.count('"""')
    width = 3 * text.count('"""')
    for char in text:
        if char == "\t":
            width += _TAB_COLUMNS
        elif char.isascii() and char.isprintable():
            width += 2 if char == "\\" else 1
        elif unicodedata.category(char) in _ESCAPED_CATEGORIES:
            width += len(_escape_docstring_char(char))
        elif unicodedata.combining(char) or unicodedata.category(char) == "Me":
            continue
        else:
            width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _wrap_line(line: str, width: int, indent: str) -> list[str]:
    """`textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False,
    break_on_hyphens=False)`, measuring with `_source_width` instead of `len`."""
    chunks = _WHITESPACE_RUN.split(line.expandtabs().translate(_TO_SPACE))
    chunks = [chunk for chunk in reversed(chunks) if chunk]
    lines: list[str] = []
    while chunks:
        prefix = indent if lines else ""
        room = width - _source_width(prefix)
        if lines and not chunks[-1].strip():
            chunks.pop()  # a new line does not start with whitespace
        current: list[str] = []
        used = 0
        while chunks and used + _source_width(chunks[-1]) <= room:
            used += _source_width(chunks[-1])
            current.append(chunks.pop())
        if chunks and not current and _source_width(chunks[-1]) > room:
            current.append(chunks.pop())  # a word longer than a line stands alone
        if current and not current[-1].strip():
            current.pop()
        if current:
            lines.append(prefix + "".join(current))
    return lines


def _wrap(text: str, width: int) -> str:
    """Wrap only the lines longer than `width`, so short-line layout (lists, code) survives.

    Widths are those of the docstring's source (`_source_width`): escapes and wide characters
    count as they will be written, so no wrapped line is longer than `width` columns.
    """
    lines: list[str] = []
    # split("\n"), not splitlines(): other line breaks (\r, \u2028, ...) stay and are escaped.
    for line in text.split("\n"):
        if _source_width(line) <= width:
            lines.append(line.rstrip())
            continue
        indent = line[: len(line) - len(line.lstrip())]
        lines.extend(_wrap_line(line, width, indent))
    return "\n".join(lines)


def docstring_literal(text: str, *, indent: int = 0) -> PyLiteral:
    """A triple-quoted literal of `text` for a docstring at `indent` columns.

    Long lines are wrapped to fit 100 columns; a multi-line docstring gets its closing quotes on a
    line of their own. Quotes, backslashes and control characters are escaped, so the literal
    always parses back to the (wrapped) text.
    """
    text = _wrap(text.strip(), max(_MIN_WIDTH, _LINE_LENGTH - indent - 6))
    if "\n" in text:
        # Indented like black indents docstrings, closing quotes on their own line.
        margin = " " * indent
        lines = text.split("\n")
        text = "\n".join([lines[0], *(margin + line if line else line for line in lines[1:])])
        text += "\n" + margin
    body = "".join(_escape_docstring_char(char) for char in text).replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    source = f'"""{body}"""'
    # Belt and braces: the literal must parse back to exactly the text, else fall back to repr.
    try:
        if ast.literal_eval(source) == text:
            return PyLiteral(source)
    except (SyntaxError, ValueError):
        pass
    return PyLiteral(_string_literal(text))


def comment_text(text: str) -> CommentText:
    """One line of printable ASCII for a `# comment`; anything else becomes "?"."""
    flat = " ".join(text.split())
    safe = "".join(char if " " <= char <= "~" else "?" for char in flat)
    if len(safe) > _MAX_COMMENT:
        safe = safe[: _MAX_COMMENT - 3] + "..."
    return CommentText(safe)
