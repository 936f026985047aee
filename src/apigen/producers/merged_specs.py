"""One OpenAPI and one AsyncAPI document for the whole app, merged from the per-module documents.

Keys of the `documents` mapping name the parts (e.g. "broker", or "datafeed_v2" when a module has
several versions); they appear in error messages and prefix channel and operation ids. A component
two parts define identically is shared; defined differently, it is an error naming both parts,
because a merged document cannot hold two meanings under one name (docs/asyncapi-and-ws-client.md).

A merge is two steps. Each part is first *prepared* on its own (`_prepare_openapi`,
`_prepare_asyncapi`): its paths put under its server path, its operation ids (OpenAPI) or its
channel and operation names (AsyncAPI) prefixed with its key, the `$ref`s into them renamed; this
depends on the part's key and document alone. The prepared parts are then *combined*: entries
collected in part order, components merged, collisions found. `write_app_specs` keeps each
part's prepared form in `.apigen-cache/`, keyed by its file's stat (`_PartsCache`): after an
edit only the changed parts are read, parsed and prepared again, and a document none of whose
parts changed is not merged again at all. A merged document is always validated whole before
it is written.
"""

from __future__ import annotations

import contextlib
import functools
import json
import marshal
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from apigen.atomic_write import write_if_changed
from apigen.findings import Finding
from apigen.project_layout import CACHE_DIR
from apigen.spec_json import encoded_at, json_key
from apigen.spec_validation import SCHEMA_FILES, validate_document
from apigen.user_errors import UserError, user_facing

_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JsonObject = dict[str, Any]


class _Merger:
    """Collects named definitions; the same name twice must mean the same thing."""

    def __init__(self, kind: str) -> None:
        self._kind = kind
        self.items: JsonObject = {}
        self.owners: dict[str, str] = {}  # name -> the part whose definition `items` holds

    def add(self, owner: str, name: str, value: Any) -> None:
        if name not in self.items:
            self.items[name] = value
            self.owners[name] = owner
        elif self.items[name] != value:
            raise UserError.at(
                None,
                None,
                f"{self._kind} '{name}' is defined differently by {self.owners[name]} and "
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
    prepared = {
        key: _prepare_openapi(key, document, None if texts is None else texts.get(key))
        for key, document in documents.items()
    }
    return _combine_openapi(prepared, title, version)[0]


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
    prepared = {
        key: _prepare_asyncapi(key, document, None if texts is None else texts.get(key))
        for key, document in documents.items()
    }
    return _combine_asyncapi(prepared, title, version)[0]


# A prepared part is made of JSON values only (so that `marshal` can keep it): "head", the
# document's fields the combine step compares across parts; the part's own entries, renamed;
# for OpenAPI, "error": the findings the part's turn in the combine step raises, or None.
Owners = dict[str, dict[str, str]]  # section -> entry name -> key of the part it comes from
_OPENAPI_HEAD = ("openapi", "info", "jsonSchemaDialect")
_ASYNCAPI_HEAD = ("asyncapi", "info", "defaultContentType")


def _prepare_openapi(key: str, document: JsonObject, text: str | None) -> JsonObject:
    """The part under its server path, its operation ids prefixed with `key`, the `$ref`s into
    its paths renamed, its top-level security requirement copied to its operations."""
    head = {field: document[field] for field in _OPENAPI_HEAD if field in document}
    try:
        prefix = _server_path(key, document)
    except UserError as error:  # raised in the part's turn, as a merge of the documents did
        return {"head": head, "error": [list(finding) for finding in error.findings]}
    renamed = {path: prefix + path for path in document.get("paths", {})}
    if _may_refer(text, ("#/paths/",)):
        document = _rewrite_document_refs(document, _path_ref_renames(renamed), ("#/paths/",))
    security = document.get("security")
    return {
        "head": head,
        "error": None,
        "paths": {
            renamed[path]: _prefix_operation_ids(key, item, security)
            for path, item in document.get("paths", {}).items()
        },
        "webhooks": {
            name: _prefix_operation_ids(key, item, security)
            for name, item in document.get("webhooks", {}).items()
        },
        "tags": document.get("tags", []),
        "components": document.get("components", {}),
    }


def _combine_openapi(
    parts: Mapping[str, JsonObject], title: str, version: str | None
) -> tuple[JsonObject, Owners]:
    """The merged document of the prepared parts, and which part each owned entry comes from."""
    _check_keys(parts)
    heads = {key: part["head"] for key, part in parts.items()}
    merged: JsonObject = {"openapi": _same(heads, "openapi", "OpenAPI version")}
    merged["info"] = _info(heads, title, version)
    dialect = {head.get("jsonSchemaDialect") for head in heads.values()} - {None}
    if len(dialect) > 1:
        raise UserError.at(None, None, f"the documents use different jsonSchemaDialect: {dialect}")
    if dialect:
        merged["jsonSchemaDialect"] = dialect.pop()
    paths = _Merger("path")
    webhooks = _Merger("webhook")
    tags = _Merger("tag")
    components: dict[str, _Merger] = {}
    for key, part in parts.items():
        if part["error"]:
            raise UserError(Finding(*finding) for finding in part["error"])
        for path, item in part["paths"].items():
            paths.add(key, path, item)
        for name, item in part["webhooks"].items():
            webhooks.add(key, name, item)
        for tag in part["tags"]:
            tags.add(key, tag["name"], tag)
        _merge_components(key, part, components)
    merged["paths"] = paths.items
    if webhooks.items:
        merged["webhooks"] = webhooks.items
    if components:
        merged["components"] = {section: m.sorted() for section, m in components.items()}
    if tags.items:
        merged["tags"] = list(tags.items.values())
    owners = {"paths": paths.owners, "webhooks": webhooks.owners, "tags": tags.owners}
    owners.update({f"components/{section}": m.owners for section, m in components.items()})
    return merged, owners


def _prepare_asyncapi(key: str, document: JsonObject, text: str | None) -> JsonObject:
    """The part's channels and operations named `<key>.<name>`, the `$ref`s into them renamed."""
    head = {field: document[field] for field in _ASYNCAPI_HEAD if field in document}
    pointers = {
        f"#/{section}/{_escape(name)}": f"#/{section}/{_escape(f'{key}.{name}')}"
        for section in ("channels", "operations")
        for name in document.get(section, {})
    }
    if _may_refer(text, ("#/channels/", "#/operations/")):
        document = _rewrite_document_refs(
            document, _pointer_renames(pointers), ("#/channels/", "#/operations/")
        )
    return {
        "head": head,
        "servers": document.get("servers", {}),
        "channels": {f"{key}.{name}": c for name, c in document.get("channels", {}).items()},
        "operations": {f"{key}.{name}": o for name, o in document.get("operations", {}).items()},
        "components": document.get("components", {}),
    }


def _combine_asyncapi(
    parts: Mapping[str, JsonObject], title: str, version: str | None
) -> tuple[JsonObject, Owners]:
    """The merged document of the prepared parts, and which part each owned entry comes from."""
    _check_keys(parts)
    heads = {key: part["head"] for key, part in parts.items()}
    merged: JsonObject = {"asyncapi": _same(heads, "asyncapi", "AsyncAPI version")}
    merged["info"] = _info(heads, title, version)
    content_types = {head.get("defaultContentType") for head in heads.values()}
    if len(content_types) > 1:
        found = ", ".join(sorted(map(str, content_types)))
        raise UserError.at(None, None, f"the documents use different defaultContentType: {found}")
    content_type = content_types.pop() if content_types else None
    if content_type is not None:
        merged["defaultContentType"] = content_type
    servers = _Merger("server")
    channels: JsonObject = {}
    operations: JsonObject = {}
    owners: Owners = {"channels": {}, "operations": {}}
    components: dict[str, _Merger] = {}
    for key, part in parts.items():
        for name, server in part["servers"].items():
            servers.add(key, name, server)
        channels.update(part["channels"])
        operations.update(part["operations"])
        owners["channels"].update(dict.fromkeys(part["channels"], key))
        owners["operations"].update(dict.fromkeys(part["operations"], key))
        _merge_components(key, part, components)
    if servers.items:
        merged["servers"] = servers.items
    merged["channels"] = channels
    merged["operations"] = operations
    if components:
        merged["components"] = {section: m.sorted() for section, m in components.items()}
    owners["servers"] = servers.owners
    owners.update({f"components/{section}": m.owners for section, m in components.items()})
    return merged, owners


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


def _may_refer(text: str | None, pointers: tuple[str, ...]) -> bool:
    """Whether a part's JSON text may hold a `$ref` starting with one of `pointers`. Without
    its text, or with escapes in it (`\\/`, `\\u...`) that could spell one, assume so."""
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


class PreviousOutput(NamedTuple):
    """The merged document written last time, for `assemble_json` to copy entries from."""

    text: str
    spans: Spans  # where each owned entry lay in it
    owners: Owners  # which part each one came from
    unchanged: set[str]  # the parts whose documents are the same now


def assemble_json(
    merged: JsonObject, owners: Owners, previous: PreviousOutput | None = None
) -> tuple[str, Spans]:
    """`canonical_json(merged)` (byte for byte: tests check it), and where each owned entry lies
    in it. An entry whose part is unchanged since `previous` and whose part it came from then
    too (two parts may define a component alike, with their keys in another order) is copied
    from the previous text instead of encoded again; consecutive ones in one stretch."""
    out: list[str] = []
    position = 0
    spans: Spans = {}
    old_text = "" if previous is None else previous.text
    unchanged = set() if previous is None else previous.unchanged

    def put(text: str) -> None:
        nonlocal position
        out.append(text)
        position += len(text)

    def entries(section: str, container: Any, indent: str) -> None:
        nonlocal position
        inner = indent + "  "
        is_list = isinstance(container, list)
        put("[\n" if is_list else "{\n")
        section_owners = owners.get(section, {})
        section_spans = spans.setdefault(section, {})
        old_spans = {} if previous is None else previous.spans.get(section, {})
        old_owners = {} if previous is None else previous.owners.get(section, {})
        # The stretch of the old text being copied: [start, end), at `copy_at` in the new one.
        start = end = copy_at = -1
        items = (
            (
                (str(item.get("name")) if isinstance(item, dict) else None, item)
                for item in container
            )
            if is_list
            else container.items()
        )
        for index, (name, item) in enumerate(items):
            owner = section_owners.get(name) if isinstance(name, str) else None
            span = None
            if owner in unchanged and old_owners.get(name) == owner:
                span = old_spans.get(name)
            if (
                span is not None
                and start >= 0
                and span[0] == end + 2
                and old_text.startswith(",\n", end)
            ):
                # Right after the stretch in the old text as it is in the new: extend it.
                position += span[1] - end
                end = span[1]
            else:
                if start >= 0:
                    out.append(old_text[start:end])
                    start = -1
                if index:
                    put(",\n")
                if span is not None:
                    start, end, copy_at = span[0], span[1], position
                    position += end - start
            if span is not None:
                section_spans[name] = [copy_at + span[0] - start, copy_at + span[1] - start]
                continue
            head = "" if is_list else (json_key(name) + ": ")
            text = inner + head + encoded_at(item, inner)
            if owner is not None:
                section_spans[name] = [position, position + len(text)]
            put(text)
        if start >= 0:
            out.append(old_text[start:end])
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


def _digest(data: bytes) -> str:
    import xxhash

    return str(xxhash.xxh3_128_hexdigest(data))


@functools.cache
def _code_digest() -> str:
    """What shapes a merged document's text and decides that it is valid: this module, the
    JSON writer's and the specification schemas."""
    from apigen import spec_json

    files = [Path(__file__), Path(spec_json.__file__), *SCHEMA_FILES.values()]
    return _digest(b"\0".join(path.read_bytes() for path in files))


_TITLES = {"openapi": "Trading API", "asyncapi": "Trading WebSocket API"}
_PREPARE = {"openapi": _prepare_openapi, "asyncapi": _prepare_asyncapi}
_COMBINE = {"openapi": _combine_openapi, "asyncapi": _combine_asyncapi}


def cache_file(kind: str) -> Path:
    """Where write_app_specs keeps what it made of each part of `kind` (see `_PartsCache`)."""
    return CACHE_DIR / f"app-specs-{kind}.marshal"


@user_facing
def write_app_specs(
    openapi_parts: dict[str, str], asyncapi_parts: dict[str, str], outputs: list[str]
) -> None:
    """doit action for app_specs: {part key: spec file} in, the two merged documents out.

    Only the parts whose files changed since the last run are read, parsed and prepared again;
    only their entries are encoded again (the other entries' text is copied from the previous
    output, see `assemble_json`); a document none of whose parts changed is left alone."""
    openapi_output, asyncapi_output = outputs
    _write_merged("openapi", openapi_parts, Path(openapi_output))
    if asyncapi_parts:
        _write_merged("asyncapi", asyncapi_parts, Path(asyncapi_output))


# A part file whose mtime is this close to the moment it was read could still change within the
# same timestamp tick without its stat showing it: its stat is not recorded, so the next run
# reads it again (and finds it unchanged by its digest). 2 s: coarse (FAT) timestamps.
_RACY_NS = 2_000_000_000
PartState = tuple[str, int | None, int, str]  # path, mtime_ns (None: racy), size, digest


def _write_merged(kind: str, parts: dict[str, str], output: Path) -> None:
    """Merge, validate and write the document of `kind`, preparing only the parts that changed."""
    cache = _PartsCache.read(cache_file(kind))
    # A part is unchanged when its file's stat is the one recorded (docs/architecture.md, "Up
    # to date, exactly"), or else when its bytes have the digest recorded.
    states: dict[str, PartState] = {}
    contents: dict[str, bytes] = {}
    now = time.time_ns()
    for key, path in parts.items():
        stat = os.stat(path)  # before reading: a later edit shows as another stat
        known = cache.parts.get(key)
        if known is not None and known[:3] == (path, stat.st_mtime_ns, stat.st_size):
            states[key] = known
            continue
        contents[key] = content = Path(path).read_bytes()
        mtime = stat.st_mtime_ns if now - stat.st_mtime_ns >= _RACY_NS else None
        states[key] = (path, mtime, stat.st_size, _digest(content))
    unchanged = {
        key
        for key, state in states.items()
        if (known := cache.parts.get(key)) is not None
        and (known[0], known[3]) == (state[0], state[3])
    }
    try:
        previous_output: bytes | None = output.read_bytes()
    except OSError:
        previous_output = None
    previous_digest = None if previous_output is None else _digest(previous_output)
    if (
        len(unchanged) == len(parts)
        and list(cache.parts) == list(parts)
        and previous_digest is not None
        and previous_digest == cache.output
    ):
        # The output is what this code made of exactly these parts: nothing to do. Files read
        # although their bytes had not changed (touched, restored from a CI cache) have their
        # new stat recorded, or every run would read them again; not just for racy ones settled
        # (a few files, written last): rewriting the whole cache would cost more.
        if any(cache.parts[key][1] is not None for key in contents):
            cache.write_again(states)
        return
    body = cache.body()
    before: dict[str, JsonObject] = {} if body is None else body["prepared"]
    unchanged &= before.keys()
    for key, path in parts.items():
        if key not in unchanged and key not in contents:
            contents[key] = content = Path(path).read_bytes()
            states[key] = (*states[key][:3], _digest(content))
    prepare = _PREPARE[kind]
    prepared: dict[str, JsonObject] = {}
    for key in parts:
        if key in unchanged:
            prepared[key] = before[key]
        else:
            text = contents[key].decode("utf-8")
            prepared[key] = prepare(key, json.loads(text), text)
    merged, owners = _COMBINE[kind](prepared, _TITLES[kind], None)
    # Valid parts can still merge into an invalid whole (a merging bug of ours, or paths that
    # collide): never write one.
    validate_document(output, merged)
    previous = None
    if body is not None and previous_output is not None and previous_digest == cache.output:
        old = previous_output.decode("utf-8")
        previous = PreviousOutput(old, body["spans"], body["owners"], unchanged)
    text, spans = assemble_json(merged, owners, previous)
    data = text.encode("utf-8")
    write_if_changed(output, data)
    cache.write(states, _digest(data), {"prepared": prepared, "spans": spans, "owners": owners})


class _PartsCache:
    """What write_app_specs made of each part of one kind last time, and of the whole: in
    `.apigen-cache/app-specs-<kind>.marshal`, only speed.

    The file is one line `<format> <python> <code digest> <header length> <header digest>`, a
    marshal header {"parts": [[key, path, mtime_ns or None, size, digest of the bytes], ...],
    "output": digest of the output written, "body": [length, digest]}, and a marshal body
    {"prepared": {key: prepared part}, "spans": where each owned entry lies in the output,
    "owners": which part each one came from}. A file written by other code or another Python, or
    whose header does not match its digest (truncated, garbage), reads as empty; a body that does
    not match its digest is not used: the parts are then all read and prepared, and the output
    encoded in full. marshal holds JSON values only and, unlike pickle, runs no code when it
    loads them (a cache restored from CI is data)."""

    FORMAT = b"apigen-app-specs-1"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts: dict[str, PartState] = {}
        self.output: str | None = None
        self._body = b""
        self._body_digest = ""

    @staticmethod
    def _version() -> bytes:
        return f"{sys.implementation.name}-{sys.hexversion:x}-{marshal.version}".encode()

    @classmethod
    def read(cls, path: Path) -> _PartsCache:
        cache = cls(path)
        with contextlib.suppress(OSError, ValueError, TypeError, EOFError, LookupError):
            cache._load(path.read_bytes())
        return cache

    def _load(self, data: bytes) -> None:
        end = data.find(b"\n", 0, 512)
        fields = data[:end].split(b" ") if end > 0 else []
        expected = [self.FORMAT, self._version(), _code_digest().encode()]
        if len(fields) != 5 or fields[:3] != expected:
            return
        header_end = end + 1 + int(fields[3])
        header = data[end + 1 : header_end]
        if len(header) != int(fields[3]) or _digest(header) != fields[4].decode():
            return
        index = marshal.loads(header)
        (length, body_digest), output = index["body"], index["output"]
        body = data[header_end:]
        if len(body) != length:
            return
        parts = {}
        for key, path, mtime, size, digest in index["parts"]:
            parts[key] = (path, mtime, size, digest)
        self.parts, self.output = parts, output
        self._body, self._body_digest = body, body_digest

    def body(self) -> dict[str, Any] | None:
        """The body, or None when it does not check out."""
        if not self._body or _digest(self._body) != self._body_digest:
            return None
        with contextlib.suppress(ValueError, TypeError, EOFError):
            body = marshal.loads(self._body)
            if isinstance(body, dict) and body.keys() >= {"prepared", "spans", "owners"}:
                return body
        return None

    def write(self, states: dict[str, PartState], output: str, body: dict[str, Any]) -> None:
        try:
            data = marshal.dumps(body)
        except ValueError:  # not JSON values only: cannot happen, and would only cost speed
            return
        self._write(states, output, data, _digest(data))

    def write_again(self, states: dict[str, PartState]) -> None:
        """The same output and body (with the digest it was read with: a body that does not
        check out must stay so), the parts' states as they are now."""
        if self.output is not None:
            self._write(states, self.output, self._body, self._body_digest)

    def _write(
        self, states: dict[str, PartState], output: str, body: bytes, body_digest: str
    ) -> None:
        parts = [[key, *state] for key, state in states.items()]
        header = marshal.dumps({"parts": parts, "output": output, "body": [len(body), body_digest]})
        line = b" ".join(
            [
                self.FORMAT,
                self._version(),
                _code_digest().encode(),
                b"%d" % len(header),
                _digest(header).encode(),
            ]
        )
        with contextlib.suppress(OSError):  # a cache we cannot write only costs speed
            write_if_changed(self.path, line + b"\n" + header + body)
