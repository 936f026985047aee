"""black, applied chunk by chunk (a class, a method), with the results remembered on disk.

black costs about 0.3-0.6 ms per line on the 2-core CI machine: a client with 15 operations is
~900 lines, i.e. half a second, most of the budget of `doit generate` after one endpoint edit.
The generated module is a sequence of independent chunks (module head, each enum and model,
each method), and black formats a top-level class or a method the same way alone as inside the
whole file, so each chunk is formatted alone and its result cached by the chunk's exact text.
After an edit only the chunks that changed meet black (tests/client check that the assembled
output is byte-identical to black on the whole file, and stable under black).

Most chunks need no black at all. The templates write black's layout themselves, including
for what can grow past 100 columns (a `Field(...)` call, a signature, a `_Route(...)`, a
request's arguments): on one line when it fits, else one item per line with a trailing comma,
which black keeps as it is (renderer.py's `bracketed`). `_fits_as_written` then decides, in one
regex scan, whether black would leave a chunk unchanged; such a chunk is kept as written. It is
precise about tokens (strings, docstrings, comments, numbers: a single quote inside a docstring,
a comment or a double-quoted string is fine, a single-quoted string is not), conservative about
everything else (a line black would split, an escape or a prefix it could rewrite): any doubt
goes to black. The layout between tokens (indentation, blank lines, brackets) is the templates'
own and is checked by tests: tests/client/test_black_free_rendering.py and
tests/ws_client/test_black_free_rendering.py run black on every chunk kept as written, over
hand-written and generated hostile documents, require the whole file to be black's, and
require that rendering the project's documents needs no black at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from apigen.atomic_write import write_if_changed
from apigen.library_versions import installed_versions

LINE_LENGTH = 100
TARGET = "py311"
_METHOD_WRAPPER = "class _Chunk:\n"


def _black_mode() -> Any:
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})


def format_module(source: str) -> str:
    """black on a whole module, in-process (the reference the chunked path must match)."""
    import black

    return black.format_str(source, mode=_black_mode())


# One scan of the chunk for the tokens black may rewrite, matched whole from their first
# character so that nothing inside them is taken for code: docstrings (any triple-quoted
# string), strings, comments; and what black would (or might) change wherever it stands outside
# them: a single quote (a single-quoted string), a quote that starts no string read here, a
# backslash (a line continuation), a semicolon. No capturing group, so that re skips every
# other character at C speed (a group first would make the scan three times slower); the
# caller tells the kinds apart by their first characters.
_TOKENS = re.compile(
    r"""
    \"\"\"(?:[^"\\]++|\\.|"(?!""))*+\"\"\"
  | "(?:[^"\\\n\r]++|\\.)*+"
  | \#[^\n]*+
  | ['"\\;]
    """,
    re.VERBOSE | re.DOTALL,
)
# In the code between those tokens: a number (not a digit inside a name), whose form black
# may normalise; a number starting with a dot (black writes `0.5` for `.5`); a control
# character; a comma before a closing bracket on the same line (a magic trailing comma: black
# explodes the brackets), unless it makes a one-element tuple `(x,)`. (Non-ASCII code is
# refused before, with str.isascii.)
_NUMBER = re.compile(r"\d(?<![\w.]\d)[\w.]*+(?:(?<=[eE])[+-][\w.]*+)?")
_CODE_EDIT = re.compile(r"\.\d(?<!\d\.\d)|, ?[)\]}]|[\x00-\x09\x0b-\x1f\x7f]")
_ONE_TUPLE = re.compile(r"\([A-Za-z_]\w*,\)")
# Numbers black writes as they are: digits, a fraction, a lowercase exponent without "+".
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e-?\d+)?")
# In a string's body with its escaped backslashes removed: escapes black rewrites (it
# lowercases \x, \u and \U digits, uppercases \N{} names) or a backslash-newline (any doubt
# goes to black).
_ESCAPE_EDIT = re.compile(r"\\(?:[xuU][0-9a-f]*[A-F]|N|\s*\n)")
# A comment as black writes it: "# " and printable ASCII, without trailing space; none that
# black could read as a directive or a type comment.
_PLAIN_COMMENT = re.compile(r"# [!-~](?:[ -~]*[!-~])?")
_COMMENT_DIRECTIVE = re.compile(r"fmt|type|yapf", re.I)
# Characters some of black's docstring steps (str.splitlines) take for line breaks; the
# templates escape them.
_ODD_LINE_BREAK = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def line_width(line: str) -> int:
    """At least black's width of `line` (and `len(line)` at most that). black counts East Asian
    wide characters twice, by its own table (of a newer Unicode than Python's unicodedata), none
    below U+1100, and no character as less than one column (both tested); this counts every
    character from U+1100 on twice."""
    if line.isascii():
        return len(line)
    return len(line) + sum(c >= "\u1100" for c in line)


def _docstring_kept(indent: str, literal: str) -> bool:
    """Whether black leaves the triple-quoted string `literal`, after `indent` on its line, as
    it is, were it a docstring.

    A field's docstring is no docstring for black (it leaves its text alone), so this asks
    more than needed there. The conditions are those under which black's docstring steps
    (linegen.visit_STRING, strings.fix_multiline_docstring) change nothing.
    """
    if indent.strip(" "):
        return False  # not first on its line: the templates write no such string
    body = literal[3:-3]
    # Black pads a docstring that starts or ends with a quote or ends with a backslash.
    if not body or body[0] == '"' or body[-1] in '"\\' or _ODD_LINE_BREAK.search(body):
        return False
    if "\\" in body and _ESCAPE_EDIT.search(body.replace("\\\\", "")):
        return False
    lines = body.split("\n")
    if lines[0] != lines[0].strip():
        return False
    # Black re-indents the other lines: their common leading whitespace (str.isspace: Unicode
    # spaces too) becomes `indent`, trailing whitespace goes, whitespace-only lines become
    # empty and the last line (before the closing quotes) is `indent`.
    at_indent = len(lines) == 1
    last = len(lines) - 1
    for number in range(1, len(lines)):
        line = lines[number]
        if not line or line.isspace():
            if line != (indent if number == last else ""):
                return False
        elif not line.startswith(indent) or line[-1].isspace():
            return False
        elif not line[len(indent)].isspace():
            at_indent = True
    return at_indent


def _fits_as_written(source: str) -> bool:
    """Whether black leaves `source` (a chunk as the templates wrote it) unchanged.

    Precise about tokens (a single quote in a docstring, a comment or a double-quoted string,
    which black never touches), conservative about what could come from a document (any doubt
    goes to black). The layout between tokens (indentation, spaces, blank lines, brackets) is
    the templates' own: besides tabs, trailing spaces and double blank lines it is not checked
    here but by tests, which run black on every chunk kept as written.
    """
    if "\t" in source or " \n" in source or "\n\n\n" in source or source.endswith(" "):
        return False
    docstrings: list[tuple[int, int]] = []
    code: list[str] = []
    position = 0
    for match in _TOKENS.finditer(source):
        text = match.group()
        start, end = match.span()
        code.append(source[position:start])
        position = end
        if text[0] == "#":
            if not _PLAIN_COMMENT.fullmatch(text) or _COMMENT_DIRECTIVE.search(text):
                return False
            continue
        # An edit (a lone character), a string prefix (b"", f"", ...), strings back to back.
        if len(text) == 1 or (start and (source[start - 1].isalnum() or source[start - 1] in '_"')):
            return False
        code.append('""')
        line_start = source.rfind("\n", 0, start) + 1
        if text.startswith('"""') and len(text) >= 6:
            if not _docstring_kept(source[line_start:start], text):
                return False
            docstrings.append((line_start, end))
            continue
        # A double-quoted string: black changes it only through its escapes (and quotes,
        # which repr escapes only in single-quoted strings).
        if "\\" in text and (
            '\\"' in text or "'" in text or _ESCAPE_EDIT.search(text.replace("\\\\", ""))
        ):
            return False
        # Alone on its line, first in the chunk or after a line ending with a colon: a
        # docstring for black, which strips and pads those.
        if source.startswith("\n", end) and not source[line_start:start].strip(" "):
            before = source[:line_start].rstrip()
            if not before or before.endswith(":"):
                return False
    code.append(source[position:])
    between = "".join(code)
    if not between.isascii():
        return False
    if any(not _PLAIN_NUMBER.fullmatch(number) for number in _NUMBER.findall(between)):
        return False
    for edit in _CODE_EDIT.finditer(between):
        if not _is_one_tuple(between, edit.start(), edit.end()):
            return False
    # black splits long lines, except inside a multi-line string: it leaves a docstring's text
    # alone (it would move closing quotes that do not fit: their line is not exempt).
    return all(
        any(start <= line_start and line_end < end for start, end in docstrings)
        for line_start, line_end in _long_lines(source)
    )


def _is_one_tuple(code: str, comma: int, end: int) -> bool:
    """Whether the `,)` at `comma` closes a one-element tuple `(name,)`, not a call's
    arguments (a magic trailing comma)."""
    opening = code.rfind("(", 0, comma)
    before = code[opening - 1 : opening] if opening > 0 else ""
    return (
        opening >= 0
        and _ONE_TUPLE.fullmatch(code, opening, end) is not None
        and not (before.isalnum() or before in ("_", ")", "]", '"'))
    )


# Lines that may be longer than 100 columns: any when ASCII, else those over 50 characters
# (line_width is at most twice the length), measured then.
_LONG_ASCII_LINE = re.compile(rf"^.{{{LINE_LENGTH + 1},}}$", re.M)
_MAYBE_LONG_LINE = re.compile(rf"^.{{{LINE_LENGTH // 2 + 1},}}$", re.M)


def _long_lines(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the lines of `source` longer than 100 columns."""
    if source.isascii():
        return [match.span() for match in _LONG_ASCII_LINE.finditer(source)]
    return [
        match.span()
        for match in _MAYBE_LONG_LINE.finditer(source)
        if line_width(match.group()) > LINE_LENGTH
    ]


class ChunkFormatter:
    """Formats chunks of one client module; `cache_file` (optional) keeps results across runs.

    The cache file holds only the chunks of the latest render, so it never grows beyond one
    client's worth; it is keyed by the black version, and unreadable content is ignored.
    """

    def __init__(self, cache_file: Path | None = None) -> None:
        self._cache_file = cache_file
        self._black_version = installed_versions(["black"])["black"]
        self._known = self._load()
        self._used: dict[str, str] = {}
        self._mode: Any = None

    def _load(self) -> dict[str, str]:
        if self._cache_file is None:
            return {}
        try:
            data = json.loads(self._cache_file.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("black") != self._black_version:
            return {}
        entries = data.get("chunks")
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, str)}

    def _format(self, kind: str, source: str) -> str:
        key = hashlib.sha256(f"{kind}\0{LINE_LENGTH}\0{TARGET}\0{source}".encode()).hexdigest()
        formatted = self._used.get(key)
        if formatted is None:
            formatted = self._known.get(key)
        if formatted is None:
            formatted = source if _fits_as_written(source) else self._run_black(kind, source)
        self._used[key] = formatted
        return formatted

    def _run_black(self, kind: str, source: str) -> str:
        import black

        if self._mode is None:
            self._mode = _black_mode()
        if kind == "module":
            return black.format_str(source, mode=self._mode)
        # A method is formatted inside a stand-in class, so indentation and blank lines are
        # those of a method; the stand-in line is then dropped.
        formatted = black.format_str(_METHOD_WRAPPER + source, mode=self._mode)
        if not formatted.startswith(_METHOD_WRAPPER):
            raise AssertionError(f"black moved the method wrapper: {formatted[:80]!r}")
        return formatted[len(_METHOD_WRAPPER) :]

    def module(self, source: str) -> str:
        """Top-level code (imports, functions, classes), formatted as a module of its own."""
        return self._format("module", source)

    def method(self, source: str) -> str:
        """One method, indented by four spaces, formatted as the body of a class."""
        return self._format("method", source)

    def save(self) -> None:
        """Write the chunks of this render to the cache file (only if they changed)."""
        if self._cache_file is None or self._used == self._known:
            return
        payload = {"black": self._black_version, "chunks": dict(sorted(self._used.items()))}
        data = json.dumps(payload, indent=0, sort_keys=True).encode()
        # A cache that cannot be written only costs speed on the next run.
        with contextlib.suppress(OSError):
            write_if_changed(self._cache_file, data)
