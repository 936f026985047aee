"""One OpenAPI and one AsyncAPI document for the whole app, merged from the per-module documents.

Keys of the `documents` mapping name the parts (e.g. "broker", or "datafeed_v2" when a module has
several versions); they appear in error messages and prefix channel and operation ids. A component
two parts define identically is shared; defined differently, it is an error naming both parts,
because a merged document cannot hold two meanings under one name (docs/asyncapi-and-ws-client.md).
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from apigen.atomic_write import write_text_if_changed
from apigen.project_layout import CACHE_DIR
from apigen.spec_json import encoded_at, json_key
from apigen.spec_validation import validate_document
from apigen.user_errors import UserError, user_facing

_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JsonObject = dict[str, Any]


class _Merger:
    """Collects named definitions; the same name twice must mean the same thing."""

    def __init__(self, kind: str) -> None:
        self._kind = kind
        self.items: JsonObject = {}
        self._owners: dict[str, str] = {}

    def add(self, owner: str, name: str, value: Any) -> None:
        if name not in self.items:
            self.items[name] = value
            self._owners[name] = owner
        elif self.items[name] != value:
            raise UserError.at(
                None,
                None,
                f"{self._kind} '{name}' is defined differently by {self._owners[name]} and "
                f"{owner}; rename it in one of them (component names must be unique across "
                "the app)",
            )

    def sorted(self) -> JsonObject:
        return dict(sorted(self.items.items()))


def merge_openapi(
    documents: Mapping[str, JsonObject],
    *,
    title: str = "API",
    version: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> JsonObject:
    """One OpenAPI document: each part's paths prefixed with its server URL, operation ids with
    its key (`broker.place_order`), components merged.

    `texts`: the documents' JSON texts, when known; a part whose text holds no reference into
    `#/paths/` is not walked to rename them (FastAPI writes none)."""
    _check_keys(documents)
    merged: JsonObject = {"openapi": _same(documents, "openapi", "OpenAPI version")}
    merged["info"] = _info(documents, title, version)
    dialect = {doc.get("jsonSchemaDialect") for doc in documents.values()} - {None}
    if len(dialect) > 1:
        raise UserError.at(None, None, f"the documents use different jsonSchemaDialect: {dialect}")
    if dialect:
        merged["jsonSchemaDialect"] = dialect.pop()
    paths = _Merger("path")
    webhooks = _Merger("webhook")
    tags = _Merger("tag")
    components: dict[str, _Merger] = {}
    for key, document in documents.items():
        prefix = _server_path(key, document)
        renamed = {path: prefix + path for path in document.get("paths", {})}
        if _may_refer(texts, key, ("#/paths/",)):
            document = _rewrite_document_refs(document, _path_ref_renames(renamed), ("#/paths/",))
        security = document.get("security")
        for path, item in document.get("paths", {}).items():
            paths.add(key, renamed[path], _prefix_operation_ids(key, item, security))
        for name, item in document.get("webhooks", {}).items():
            webhooks.add(key, name, _prefix_operation_ids(key, item, security))
        for tag in document.get("tags", []):
            tags.add(key, tag["name"], tag)
        _merge_components(key, document, components)
    merged["paths"] = paths.items
    if webhooks.items:
        merged["webhooks"] = webhooks.items
    if components:
        merged["components"] = {section: m.sorted() for section, m in components.items()}
    if tags.items:
        merged["tags"] = list(tags.items.values())
    return merged


def merge_asyncapi(
    documents: Mapping[str, JsonObject],
    *,
    title: str = "API",
    version: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> JsonObject:
    """One AsyncAPI 3 document: channel and operation ids prefixed with the part's key
    (`datafeed.bars`, `datafeed.bars.subscribe`), servers and components merged."""
    _check_keys(documents)
    merged: JsonObject = {"asyncapi": _same(documents, "asyncapi", "AsyncAPI version")}
    merged["info"] = _info(documents, title, version)
    content_types = {doc.get("defaultContentType") for doc in documents.values()}
    if len(content_types) > 1:
        found = ", ".join(sorted(map(str, content_types)))
        raise UserError.at(None, None, f"the documents use different defaultContentType: {found}")
    content_type = content_types.pop() if content_types else None
    if content_type is not None:
        merged["defaultContentType"] = content_type
    servers = _Merger("server")
    channels: JsonObject = {}
    operations: JsonObject = {}
    components: dict[str, _Merger] = {}
    for key, document in documents.items():
        pointers = {
            f"#/{section}/{_escape(name)}": f"#/{section}/{_escape(f'{key}.{name}')}"
            for section in ("channels", "operations")
            for name in document.get(section, {})
        }
        if _may_refer(texts, key, ("#/channels/", "#/operations/")):
            document = _rewrite_document_refs(
                document, _pointer_renames(pointers), ("#/channels/", "#/operations/")
            )
        for name, server in document.get("servers", {}).items():
            servers.add(key, name, server)
        channels.update({f"{key}.{name}": c for name, c in document.get("channels", {}).items()})
        operations.update(
            {f"{key}.{name}": op for name, op in document.get("operations", {}).items()}
        )
        _merge_components(key, document, components)
    if servers.items:
        merged["servers"] = servers.items
    merged["channels"] = channels
    merged["operations"] = operations
    if components:
        merged["components"] = {section: m.sorted() for section, m in components.items()}
    return merged


def _check_keys(documents: Mapping[str, JsonObject]) -> None:
    if not documents:
        raise ValueError("nothing to merge: no documents")
    bad = [key for key in documents if not _KEY.fullmatch(key)]
    if bad:
        raise ValueError(f"document keys must be like 'broker' or 'datafeed_v2', found {bad}")


def _same(documents: Mapping[str, JsonObject], field: str, what: str) -> str:
    values = {key: document.get(field) for key, document in documents.items()}
    distinct = sorted(set(map(str, values.values())))
    if len(distinct) > 1:
        found = ", ".join(f"{key}: {value}" for key, value in values.items())
        raise UserError.at(None, None, f"cannot merge documents of different {what}s ({found})")
    return distinct[0]


def _info(documents: Mapping[str, JsonObject], title: str, version: str | None) -> JsonObject:
    versions = [str(document.get("info", {}).get("version", "")) for document in documents.values()]
    if version is None:
        version = (
            versions[0]
            if len(set(versions)) == 1
            else ", ".join(f"{key} {v}" for key, v in zip(documents, versions, strict=True))
        )
    parts = ", ".join(
        f"{key} ({document.get('info', {}).get('title', key)})"
        for key, document in documents.items()
    )
    return {"title": title, "version": version, "description": f"Merged from: {parts}."}


def _server_path(key: str, document: JsonObject) -> str:
    """The path every operation of the document is relative to: its first server's URL path."""
    servers = document.get("servers") or [{"url": "/"}]
    url = str(servers[0].get("url", "/"))
    if "{" in url:
        raise UserError.at(
            None, None, f"{key}: cannot merge a document whose server URL has variables ({url})"
        )
    return urlsplit(url).path.rstrip("/")


def _prefix_operation_ids(key: str, item: JsonObject, security: Any) -> JsonObject:
    """A path item whose operations have `<key>.`-prefixed ids and the document's security."""
    item = dict(item)
    for method in _HTTP_METHODS:
        operation = item.get(method)
        if not isinstance(operation, dict):
            continue
        operation = dict(operation)
        if "operationId" in operation:
            operation["operationId"] = f"{key}.{operation['operationId']}"
        if security is not None and "security" not in operation:
            # The part's top-level requirement must keep applying to its own operations only.
            operation["security"] = security
        item[method] = operation
    return item


def _merge_components(key: str, document: JsonObject, components: dict[str, _Merger]) -> None:
    for section, definitions in document.get("components", {}).items():
        merger = components.setdefault(section, _Merger(f"component {section}"))
        for name, definition in definitions.items():
            merger.add(key, name, definition)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _path_ref_renames(renamed: Mapping[str, str]) -> Callable[[str], str]:
    return _pointer_renames(
        {f"#/paths/{_escape(old)}": f"#/paths/{_escape(new)}" for old, new in renamed.items()}
    )


def _pointer_renames(pointers: Mapping[str, str]) -> Callable[[str], str]:
    """A `$ref` rewriter: a ref into a renamed object (`#/channels/bars/messages/x`) follows it."""

    def rename(ref: str) -> str:
        parts = ref.split("/")
        head = "/".join(parts[:3])
        return "/".join([pointers[head], *parts[3:]]) if head in pointers else ref

    return rename


def _may_refer(texts: Mapping[str, str] | None, key: str, pointers: tuple[str, ...]) -> bool:
    """Whether the part's JSON text may hold a `$ref` starting with one of `pointers`. Without
    its text, or with escapes in it (`\\/`, `\\u...`) that could spell one, assume so."""
    text = None if texts is None else texts.get(key)
    if text is None or "\\/" in text or "\\u" in text:
        return True
    return any(pointer in text for pointer in pointers)


def _rewrite_document_refs(
    document: JsonObject, rename: Callable[[str], str], pointers: tuple[str, ...]
) -> JsonObject:
    """`_rewrite_refs` on each top-level section that holds one of `pointers` at all: most of a
    document (its schemas) refers only to components, and finding that out with the C JSON
    encoder costs a fraction of walking it in Python."""
    copy = None
    for section, value in document.items():
        if not isinstance(value, dict | list):
            continue
        encoded = json.dumps(value, ensure_ascii=False, check_circular=False)
        if not any(pointer in encoded for pointer in pointers):
            continue
        new = _rewrite_refs(value, rename)
        if new is not value:
            if copy is None:
                copy = dict(document)
            copy[section] = new
    return document if copy is None else copy


def _rewrite_refs(value: Any, rename: Callable[[str], str]) -> Any:
    """`value` with every `$ref` renamed; containers are copied only where something changed
    (most of a document has no reference to rename: walking it must not rebuild it)."""
    if isinstance(value, dict):
        copy = None
        for key, item in value.items():
            if isinstance(item, dict | list):
                new = _rewrite_refs(item, rename)
                if new is not item:
                    if copy is None:
                        copy = dict(value)
                    copy[key] = new
        ref = value.get("$ref")
        if isinstance(ref, str):
            renamed = rename(ref)
            if renamed != ref:
                if copy is None:
                    copy = dict(value)
                copy["$ref"] = renamed
        return value if copy is None else copy
    if isinstance(value, list):
        items = None
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                new = _rewrite_refs(item, rename)
                if new is not item:
                    if items is None:
                        items = list(value)
                    items[index] = new
        return value if items is None else items
    return value


# Sections of a merged document whose entries each come from one part (its "owner"): when the
# owner's document is unchanged, the entry's text is the one written last time.
_OWNED_SECTIONS = frozenset({"paths", "webhooks", "servers", "channels", "operations", "tags"})
Spans = dict[str, dict[str, list[int]]]  # section -> entry name -> [start, end] in the text


def _owners(documents: Mapping[str, JsonObject]) -> dict[str, dict[str, str]]:
    """section -> entry name -> key of the part whose value the merged document holds (the first
    part defining it; for channels and operations, named after their part, that part)."""
    owners: dict[str, dict[str, str]] = {}
    for key, document in documents.items():
        if "openapi" in document:
            prefix = _server_path(key, document)
            for path in document.get("paths", {}):
                owners.setdefault("paths", {}).setdefault(prefix + path, key)
            for name in document.get("webhooks", {}):
                owners.setdefault("webhooks", {}).setdefault(name, key)
        else:
            for name in document.get("servers", {}):
                owners.setdefault("servers", {}).setdefault(name, key)
            for section in ("channels", "operations"):
                for name in document.get(section, {}):
                    owners.setdefault(section, {})[f"{key}.{name}"] = key
        for tag in document.get("tags", []):
            if isinstance(tag, dict):
                owners.setdefault("tags", {}).setdefault(str(tag.get("name")), key)
        for section, definitions in document.get("components", {}).items():
            for name in definitions:
                owners.setdefault(f"components/{section}", {}).setdefault(name, key)
    return owners


def assemble_json(
    merged: JsonObject,
    owners: dict[str, dict[str, str]],
    reuse: Callable[[str, str, str], str | None],
) -> tuple[str, Spans]:
    """`canonical_json(merged)` (byte for byte: tests check it), with each entry of an owned section
    taken from `reuse(section, owner, name)` when it gives one (the entry's text from the
    previous run, for an owner whose document did not change) instead of encoded again; and
    where each owned entry now lies in the text."""
    out: list[str] = []
    position = 0
    spans: Spans = {}

    def put(text: str) -> None:
        nonlocal position
        out.append(text)
        position += len(text)

    def entries(section: str, container: Any, indent: str) -> None:
        inner = indent + "  "
        is_list = isinstance(container, list)
        put("[\n" if is_list else "{\n")
        section_owners = owners.get(section, {})
        section_spans = spans.setdefault(section, {})
        items = (
            (
                (str(item.get("name")) if isinstance(item, dict) else None, item)
                for item in container
            )
            if is_list
            else container.items()
        )
        for index, (name, item) in enumerate(items):
            if index:
                put(",\n")
            owner = section_owners.get(name) if isinstance(name, str) else None
            text = None if owner is None else reuse(section, owner, name)
            if text is None:
                head = "" if is_list else (json_key(name) + ": ")
                text = inner + head + encoded_at(item, inner)
            if owner is not None:
                section_spans[name] = [position, position + len(text)]
            put(text)
        put("\n" + indent + ("]" if is_list else "}"))

    put("{\n")
    for index, (top, value) in enumerate(merged.items()):
        if index:
            put(",\n")
        put("  " + encode_basestring(top) + ": ")
        if top == "components" and isinstance(value, dict) and value:
            put("{\n")
            for number, (section, definitions) in enumerate(value.items()):
                if number:
                    put(",\n")
                put("    " + encode_basestring(section) + ": ")
                if isinstance(definitions, dict) and definitions:
                    entries(f"components/{section}", definitions, "    ")
                else:
                    put(encoded_at(definitions, "    "))
            put("\n  }")
        elif top in _OWNED_SECTIONS and isinstance(value, dict | list) and value:
            entries(top, value, "  ")
        else:
            put(encoded_at(value, "  "))
    put("\n}\n")
    return "".join(out), spans


def _tag_name(item: Any) -> str | None:
    return str(item.get("name")) if isinstance(item, dict) else None


class _PreviousOutput:
    """The merged document written last time and where each part's entries lie in it, from the
    index in `.apigen-cache/` (only speed: used when the output file is byte for byte what the
    index describes and this code is the code that wrote it)."""

    def __init__(self, index: Any, output: Path, digests: Mapping[str, str]) -> None:
        self.text = ""
        self.spans: Spans = {}
        self.unchanged: set[str] = set()
        if not isinstance(index, dict) or index.get("code") != _code_digest():
            return
        try:
            text = output.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return
        spans, parts = index.get("spans"), index.get("parts")
        if index.get("output") != _digest(text) or not isinstance(spans, dict):
            return
        if not isinstance(parts, dict):
            return
        self.text, self.spans = text, spans
        self.unchanged = {key for key, digest in digests.items() if parts.get(key) == digest}

    def reuse(self, section: str, owner: str, name: str) -> str | None:
        if owner not in self.unchanged:
            return None
        span = self.spans.get(section, {}).get(name)
        if not (isinstance(span, list) and len(span) == 2):
            return None
        start, end = span
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            return None
        return self.text[start:end] if end <= len(self.text) else None


def _digest(text: str) -> str:
    import xxhash

    return str(xxhash.xxh3_128_hexdigest(text.encode("utf-8")))


@functools.cache
def _code_digest() -> str:
    """The code that shapes a merged document's text: this module and the JSON writer's."""
    from apigen import spec_json

    return _digest(Path(__file__).read_text("utf-8") + Path(spec_json.__file__).read_text("utf-8"))


INDEX_FILE = CACHE_DIR / "app-specs.json"


@user_facing
def write_app_specs(
    openapi_parts: dict[str, str], asyncapi_parts: dict[str, str], outputs: list[str]
) -> None:
    """doit action for app_specs: {part key: spec file} in, the two merged documents out.

    Only the parts whose documents changed since the last run are encoded again: the other
    entries' text is copied from the previous output (see `assemble_json`)."""
    openapi_output, asyncapi_output = outputs
    previous = _read_index()
    index: dict[str, Any] = {}
    texts, documents = _load(openapi_parts)
    merged_openapi = merge_openapi(documents, title="Trading API", texts=texts)
    # Valid parts can still merge into an invalid whole (a merging bug of ours, or paths that
    # collide): never write one.
    validate_document(Path(openapi_output), merged_openapi)
    index["openapi"] = _write(openapi_output, merged_openapi, documents, texts, previous)
    if asyncapi_parts:
        texts, documents = _load(asyncapi_parts)
        merged_asyncapi = merge_asyncapi(documents, title="Trading WebSocket API", texts=texts)
        validate_document(Path(asyncapi_output), merged_asyncapi)
        index["asyncapi"] = _write(asyncapi_output, merged_asyncapi, documents, texts, previous)
    with contextlib.suppress(OSError):  # a cache we cannot write only costs speed
        write_text_if_changed(INDEX_FILE, json.dumps(index))


def _write(
    output: str,
    merged: JsonObject,
    documents: Mapping[str, JsonObject],
    texts: Mapping[str, str],
    previous: dict[str, Any],
) -> dict[str, Any]:
    digests = {key: _digest(text) for key, text in texts.items()}
    kind = "openapi" if "openapi" in merged else "asyncapi"
    last = _PreviousOutput(previous.get(kind), Path(output), digests)
    text, spans = assemble_json(merged, _owners(documents), last.reuse)
    write_text_if_changed(Path(output), text)
    return {"code": _code_digest(), "output": _digest(text), "parts": digests, "spans": spans}


def _read_index() -> dict[str, Any]:
    try:
        index = json.loads(INDEX_FILE.read_bytes())
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def _load(parts: dict[str, str]) -> tuple[dict[str, str], dict[str, JsonObject]]:
    texts = {key: Path(path).read_text(encoding="utf-8") for key, path in parts.items()}
    return texts, {key: json.loads(text) for key, text in texts.items()}
