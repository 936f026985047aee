"""Typed, pointer-aware access to an OpenAPI document held as plain JSON data.

A `SpecNode` is one JSON value plus its JSON pointer, so any problem found while reading can name
exactly where it is (`SpecError("#/paths/~1orders/get/responses", ...)`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class SpecError(ValueError):
    """The document is not a usable OpenAPI 3.x document; `pointer` says where."""

    def __init__(self, pointer: str, problem: str) -> None:
        super().__init__(f"invalid OpenAPI document at {pointer}: {problem}")
        self.pointer = pointer
        self.problem = problem


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"{type(value).__name__} {value!r:.40}"


def check_unicode(value: Any, pointer: str = "#") -> None:
    """Raise `SpecError` at the first member name or string holding a lone surrogate.

    JSON's `\\ud800` escapes let a document carry such strings, but they are not text: CPython
    cannot put one in a class docstring (UTF-8), pydantic not in a `Literal` or an alias, and a
    UTF-8 file cannot hold one. The generated client would fail when imported, so the document
    is refused here, at the pointer of the string (of the object, for a member name).
    """
    if isinstance(value, str):
        problem = _surrogate_problem(value)
        if problem is not None:
            raise SpecError(pointer, problem)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                problem = _surrogate_problem(key)
                if problem is not None:
                    raise SpecError(pointer, f"member name {problem}")
                check_unicode(item, f"{pointer}/{_escape(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_unicode(item, f"{pointer}/{index}")


def _surrogate_problem(text: str) -> str | None:
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        return f"{text!r:.60} is not valid Unicode (lone surrogate U+{code:04X})"
    return None


class SpecNode:
    """A JSON value inside the document, with the pointer that locates it."""

    __slots__ = ("pointer", "value")

    def __init__(self, value: Any, pointer: str = "#") -> None:
        self.value = value
        self.pointer = pointer

    def error(self, problem: str) -> SpecError:
        return SpecError(self.pointer, problem)

    def child(self, key: str | int) -> SpecNode:
        """The member `key` of this object or array; it must exist."""
        mapping_or_list = self.value
        try:
            value = mapping_or_list[key]
        except (KeyError, IndexError, TypeError):
            raise self.error(f"missing {key!r}") from None
        return SpecNode(value, f"{self.pointer}/{_escape(str(key))}")

    def get(self, key: str) -> SpecNode | None:
        """The member `key` of this object, or None when absent."""
        members = self.mapping()
        if key not in members:
            return None
        return SpecNode(members[key], f"{self.pointer}/{_escape(key)}")

    def mapping(self) -> Mapping[str, Any]:
        if not isinstance(self.value, Mapping):
            raise self.error(f"expected an object, found {_kind(self.value)}")
        return self.value

    def items(self) -> Iterator[tuple[str, SpecNode]]:
        """(key, node) for each member of this object, in document order."""
        for key in self.mapping():
            if not isinstance(key, str):
                raise self.error(f"expected string keys, found {key!r}")
            yield key, SpecNode(self.value[key], f"{self.pointer}/{_escape(key)}")

    def elements(self) -> Iterator[SpecNode]:
        """A node for each element of this array."""
        if not isinstance(self.value, list):
            raise self.error(f"expected an array, found {_kind(self.value)}")
        for index, value in enumerate(self.value):
            yield SpecNode(value, f"{self.pointer}/{index}")

    def is_mapping(self) -> bool:
        return isinstance(self.value, Mapping)

    def text(self) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected a string, found {_kind(self.value)}")
        return self.value

    def optional_text(self, key: str) -> str | None:
        """The string member `key`, None when absent; any other type is an error."""
        node = self.get(key)
        return None if node is None else node.text()

    def flag(self, key: str, default: bool = False) -> bool:
        """The boolean member `key`, `default` when absent."""
        node = self.get(key)
        if node is None:
            return default
        if not isinstance(node.value, bool):
            raise node.error(f"expected true or false, found {_kind(node.value)}")
        return node.value
