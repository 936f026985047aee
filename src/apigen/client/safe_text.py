"""String types that may reach a template: each was made safe once, by the function that built it.

Templates render only these types (the renderer's `finalize` rejects a plain `str`), so spec text
can reach generated code only after it went through `names` (identifiers) or `literals`
(Python literals, comments).
"""

from __future__ import annotations


class SafeText(str):
    """Text that is safe to paste into generated Python source at the place it is meant for."""

    __slots__ = ()

    def __html__(self) -> str:
        # The renderer runs Jinja with autoescape on, so a plain `str` that slips into a template
        # is rejected; this marks our own safe text as "already escaped" for Python source.
        return str(self)


class PythonIdentifier(SafeText):
    """A valid, non-keyword, ASCII Python identifier (field, parameter, method, enum member)."""

    __slots__ = ()


class ClassName(SafeText):
    """A valid, non-keyword, ASCII PascalCase Python class name."""

    __slots__ = ()


class PyLiteral(SafeText):
    """Python source of one literal expression (string, number, bool, None, list, dict)."""

    __slots__ = ()


class PyCode(SafeText):
    """A Python expression composed only of sanitised names, literals and fixed syntax."""

    __slots__ = ()


class CommentText(SafeText):
    """Printable ASCII on one line, safe after a `#`."""

    __slots__ = ()
