"""Turn spec names (schema keys, properties, operationIds, enum values) into safe Python names."""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

from apigen.client.safe_text import ClassName, PythonIdentifier

_CAMEL_LOWER_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_ACRONYM_END = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")

# Names the generated module binds or uses inside class bodies and method bodies. A field,
# parameter or method with one of these names would shadow it (`list: list[str]`; a method
# `bytes` makes the class's later `-> bytes` annotations name the method, for mypy), so it gets
# a trailing "_".
BUILTIN_TYPE_NAMES = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple", "type"}
)

# Public attributes of pydantic's BaseModel (pydantic 2.x), its metaclass's included (`mro`
# from `type`, `register` from `ABCMeta`): a field with one of these names would shadow the
# attribute and pydantic warns. tests/client/test_names_and_literals.py checks this list is
# complete for the installed pydantic, so a new pydantic release that adds one is noticed.
BASE_MODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "mro",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "register",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)

# Capitalised builtins (Python 3.11, plus later additions): a schema class named like one would
# shadow it in the whole module (`except TimeoutError`, `type[BaseException]` in the runtime).
# A fixed list, so that the output does not depend on the interpreter that renders it;
# tests/client/test_names_and_literals.py checks it covers the installed Python's.
BUILTIN_CLASS_NAMES = frozenset(
    {
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BaseException",
        "BaseExceptionGroup",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "Ellipsis",
        "EncodingWarning",
        "EnvironmentError",
        "Exception",
        "ExceptionGroup",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "NotADirectoryError",
        "NotImplemented",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "PendingDeprecationWarning",
        "PermissionError",
        "ProcessLookupError",
        "PythonFinalizationError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "Warning",
        "ZeroDivisionError",
    }
)

FIELD_RESERVED = BUILTIN_TYPE_NAMES | BASE_MODEL_ATTRIBUTES
PARAMETER_RESERVED = BUILTIN_TYPE_NAMES | {"self"}
# Public methods of the generated client classes, and the types their annotations use.
METHOD_RESERVED = BUILTIN_TYPE_NAMES | {"close", "aclose"}


def _ascii_words(raw: str) -> list[str]:
    """Split `raw` into ASCII alphanumeric words at camelCase and punctuation boundaries."""
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    text = _CAMEL_LOWER_UPPER.sub("_", text)
    text = _CAMEL_ACRONYM_END.sub("_", text)
    return [word for word in _NON_ALNUM.split(text) if word]


# Names pycodestyle (ruff E741-E743, in the project's rule set) rejects as ambiguous: `l`, `O`
# and `I` look like 1 and 0. A field `l` (the low of an OHLC bar) becomes `l_`.
_AMBIGUOUS_NAMES = frozenset({"l", "O", "I"})


def _finish(name: str, *, fallback: str, separator: str, reserved: Iterable[str]) -> str:
    if not name:
        name = fallback
    elif name[0].isdigit():
        name = fallback + separator + name
    if keyword.iskeyword(name) or name in reserved or name in _AMBIGUOUS_NAMES:
        name += "_"
    return name


def snake_case(raw: str, *, fallback: str, reserved: Iterable[str] = ()) -> PythonIdentifier:
    """`getOrderById` -> `get_order_by_id`; keywords and `reserved` names get a trailing "_".

    `fallback` names an empty result and prefixes one that would start with a digit.
    """
    name = "_".join(word.lower() for word in _ascii_words(raw))
    return PythonIdentifier(_finish(name, fallback=fallback, separator="_", reserved=reserved))


def upper_snake_case(raw: str, *, fallback: str) -> PythonIdentifier:
    """Enum member name: `limit-order` -> `LIMIT_ORDER`, `1m` -> `VALUE_1M` (fallback "VALUE")."""
    name = "_".join(word.upper() for word in _ascii_words(raw))
    return PythonIdentifier(_finish(name, fallback=fallback, separator="_", reserved=()))


def pascal_case(raw: str, *, fallback: str, reserved: Iterable[str] = ()) -> ClassName:
    """`order_create` -> `OrderCreate`, `Item-Input` -> `ItemInput`; inner capitals are kept."""
    name = "".join(word[0].upper() + word[1:] for word in _ascii_words(raw))
    return ClassName(_finish(name, fallback=fallback, separator="", reserved=reserved))


class NameAllocator:
    """Hands out names unique within one namespace; a taken name gets a numeric suffix."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)

    def _unique(self, name: str, separator: str) -> str:
        candidate, counter = name, 2
        while candidate in self._taken:
            candidate = f"{name}{separator}{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate

    def identifier(self, name: PythonIdentifier) -> PythonIdentifier:
        """`name`, or `name_2`, `name_3`, ... if taken."""
        return PythonIdentifier(self._unique(name, "_"))

    def class_name(self, name: ClassName) -> ClassName:
        """`Name`, or `Name2`, `Name3`, ... if taken."""
        return ClassName(self._unique(name, ""))


def client_class_name(module: str, version: int) -> ClassName:
    """`("market_data", 1)` -> `MarketDataV1Client`."""
    if version < 0:
        raise ValueError(f"API version must be >= 0, got {version}")
    base = pascal_case(module, fallback="Api")
    return ClassName(f"{base}V{version}Client")
