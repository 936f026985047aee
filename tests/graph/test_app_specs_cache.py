"""app_specs keeps each part's prepared document in `.apigen-cache/` (only speed): whatever the
cache holds, the merged documents are byte for byte what a merge from scratch makes, and only
the parts whose files changed are read and prepared again."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apigen.producers import merged_specs
from apigen.spec_json import canonical_json
from apigen.spec_validation import validate_document
from apigen.user_errors import UserError
from tests.asyncapi.real_documents import asyncapi_text, openapi_document, ws_modules
from tests.support.spec_parts import load_parts

KINDS = ("openapi", "asyncapi")
TITLES = {"openapi": "Trading API", "asyncapi": "Trading WebSocket API"}
OUTPUTS = {"openapi": "app_openapi.json", "asyncapi": "app_asyncapi.json"}
MERGE: dict[str, Callable[..., dict[str, Any]]] = {
    "openapi": merged_specs.merge_openapi,
    "asyncapi": merged_specs.merge_asyncapi,
}
# A component every real part of the kind defines alike.
SHARED = {"openapi": "HTTPValidationError", "asyncapi": "SubscriptionResponse"}

# Every file the tests write gets its own mtime, in the past: the cache trusts a stat it has
# seen (a part written just now is read again anyway: see test_a_part_rewritten_within_...).
_BASE_NS = time.time_ns() - 30 * 86_400 * 10**9
_clock = itertools.count()


def fresh_mtime(path: Path) -> None:
    moment = _BASE_NS + next(_clock) * 10**9
    os.utime(path, ns=(moment, moment))


def base_documents() -> dict[str, dict[str, str]]:
    """The real modules' documents, as text, by kind and module."""
    openapi = {m: canonical_json(openapi_document(m)) for m in ("broker", "core", "datafeed")}
    asyncapi = {module: asyncapi_text(module) for module, _ in ws_modules()}
    return {"openapi": openapi, "asyncapi": asyncapi}


_BASES: dict[str, dict[str, str]] = {}


def base_document(kind: str, key: str) -> dict[str, Any]:
    """A real document for part `key`: the module's own, or a copy of one under its own URL."""
    if not _BASES:
        _BASES.update(base_documents())
    bases = _BASES[kind]
    module = key if key in bases else sorted(bases)[sum(map(ord, key)) % len(bases)]
    document: dict[str, Any] = json.loads(bases[module])
    if kind == "openapi":
        document["servers"] = [{"url": f"/api/v1/{key}"}]
    return document


class Parts:
    """Part files of both kinds in the current folder, and what app_specs makes of them."""

    def __init__(self, keys: dict[str, list[str]]) -> None:
        self.paths: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        Path("parts").mkdir(exist_ok=True)
        for kind, kind_keys in keys.items():
            for key in kind_keys:
                self.write(kind, key, base_document(kind, key))

    def write(self, kind: str, key: str, document: Any, *, ascii_only: bool = False) -> None:
        path = Path("parts") / f"{key}_{kind}.json"
        text = json.dumps(document) if ascii_only else canonical_json(document)
        path.write_text(text, encoding="utf-8")
        fresh_mtime(path)
        self.paths[kind][key] = path.as_posix()

    def document(self, kind: str, key: str) -> Any:
        return json.loads(Path(self.paths[kind][key]).read_text(encoding="utf-8"))

    def run(self) -> str | None:
        """write_app_specs; its failure message, if any."""
        outputs = [OUTPUTS[kind] for kind in KINDS]
        failure = merged_specs.write_app_specs(
            self.paths["openapi"], self.paths["asyncapi"], outputs
        )
        return None if failure is None else str(failure.message)

    def from_scratch(self, kind: str) -> str:
        """What a merge of the part files makes, without any cache (raises its UserError)."""
        texts, documents = load_parts(self.paths[kind])
        merged = MERGE[kind](documents, title=TITLES[kind], texts=texts)
        validate_document(Path(OUTPUTS[kind]), merged)
        return canonical_json(merged)

    def check(self) -> str | None:
        """Run app_specs: it fails exactly when a merge from scratch does, with its message, and
        leaves the outputs as they were; else both outputs are what the merge makes."""
        before = {kind: _read(OUTPUTS[kind]) for kind in KINDS}
        failure = self.run()
        expected: dict[str, str] = {}
        message = None
        for kind in KINDS:
            try:
                expected[kind] = self.from_scratch(kind)
            except UserError as error:
                message = str(error)
                break
        assert failure == message
        for kind in KINDS:
            assert _read(OUTPUTS[kind]) == expected.get(kind, before[kind]), kind
        return failure


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def in_temp_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        yield Path(folder)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def prepared(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The keys of the parts app_specs prepares (reads, parses and renames), by kind."""
    calls: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for kind in KINDS:
        prepare = merged_specs._PREPARE[kind]

        def counting(
            key: str, document: Any, text: Any, kind: str = kind, real: Any = prepare
        ) -> Any:
            calls[kind].append(key)
            return real(key, document, text)

        monkeypatch.setitem(merged_specs._PREPARE, kind, counting)
    return calls


# Edits of one part's document; each keeps it valid on its own.


def _first(section: dict[str, Any]) -> Any:
    return next(iter(section.values()))


def edit_extension(kind: str, key: str, document: Any, n: int) -> None:
    _first(document["paths" if kind == "openapi" else "channels"])[f"x-n{n % 3}"] = n


def edit_new_entry(kind: str, key: str, document: Any, n: int) -> None:
    if kind == "openapi":
        operation = {"operationId": f"extra{n}", "responses": {"200": {"description": "OK"}}}
        document["paths"][f"/extra{n}"] = {"get": operation}
    else:
        document["channels"][f"extra{n}"] = {"address": f"/extra/{n}", "messages": {}}
        channel = {"$ref": f"#/channels/extra{n}"}
        document["operations"][f"extra{n}.send"] = {"action": "send", "channel": channel}


def edit_own_component(kind: str, key: str, document: Any, n: int) -> None:
    document["components"]["schemas"][f"Own_{key}_{n % 4}"] = {"type": "object", "title": str(n)}


def edit_shared_key_order(kind: str, key: str, document: Any, n: int) -> None:
    """The shared component, equal (==) to the others' but written in another key order."""
    schemas = document["components"]["schemas"]
    if SHARED[kind] in schemas:
        schemas[SHARED[kind]] = dict(reversed(schemas[SHARED[kind]].items()))


def edit_shared_meaning(kind: str, key: str, document: Any, n: int) -> None:
    """The shared component changed: other parts still define it the old way (a conflict)."""
    schemas = document["components"]["schemas"]
    if SHARED[kind] in schemas:
        schemas[SHARED[kind]]["description"] = f"changed {n % 2}"


def edit_ref_into_own_entries(kind: str, key: str, document: Any, n: int) -> None:
    """A `$ref` to one of the part's own paths (operations): renamed with them."""
    section = "paths" if kind == "openapi" else "operations"
    name = list(document[section])[n % len(document[section])]
    pointer = f"#/{section}/" + name.replace("~", "~0").replace("/", "~1")
    _first(document[section])["x-see"] = {"$ref": pointer}


def edit_server(kind: str, key: str, document: Any, n: int) -> None:
    if kind == "openapi":
        document["servers"] = [{"url": f"/api/v{n % 3 + 1}/{key}"}]
    else:
        document["info"]["description"] = f"é {n}"  # written with \\u escapes when ascii_only


EDITS = [
    edit_extension,
    edit_new_entry,
    edit_own_component,
    edit_shared_key_order,
    edit_shared_meaning,
    edit_ref_into_own_entries,
    edit_server,
]


def garble(path: Path, how: str) -> None:
    """Damage a cache file the ways a disk, a crash, another version or CI could."""
    if how == "delete":
        path.unlink(missing_ok=True)
        return
    if not path.is_file():
        return
    data = path.read_bytes()
    line, _, rest = data.partition(b"\n")
    fields = line.split(b" ")
    body = len(line) + 1 + int(fields[3]) if len(fields) == 5 else 0
    if how == "truncate":
        data = data[: len(data) // 2]
    elif how == "flip_body":  # in a document: "type" -> "Type"
        at = data.index(b"type", body)
        data = data[:at] + b"T" + data[at + 1 :]
    elif how == "flip_header":  # a part's path: "parts/..." -> "parts/X..."
        at = data.index(b"parts/", len(line)) + len("parts/")
        data = data[:at] + b"X" + data[at + 1 :]
    elif how == "other_code":
        data = b" ".join([*fields[:2], b"0" * len(fields[2]), *fields[3:]]) + b"\n" + rest
    elif how == "other_python":
        data = b" ".join([fields[0], b"cpython-30b00f0-4", *fields[2:]]) + b"\n" + rest
    elif how == "garbage":
        data = os.urandom(len(data))
    elif how == "empty":
        data = b""
    elif how == "old_index":  # what app_specs kept there before, in JSON
        data = b'{"openapi": {"spans": [1, 2]}, "asyncapi": 3}'
    path.write_bytes(data)


GARBLES = [
    "delete",
    "truncate",
    "flip_body",
    "flip_header",
    "other_code",
    "other_python",
    "garbage",
    "empty",
    "old_index",
]
KEYS = ["broker", "core", "datafeed", "extra", "more_v2", "zz"]

ACTIONS = ["edit"] * 4 + ["add", "remove", "revert", "touch", "reorder", "garble", "rerun"]
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.sampled_from(KINDS),
        st.integers(0, 9),  # which part
        st.sampled_from(range(len(EDITS))),
        st.booleans(),  # written with \u escapes
        st.sampled_from(KEYS),  # added
        st.sampled_from(GARBLES),
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=steps)
def test_outputs_equal_a_merge_from_scratch_after_any_edits(steps: list[tuple[Any, ...]]) -> None:
    with in_temp_folder():
        parts = Parts(
            {"openapi": ["broker", "core", "datafeed"], "asyncapi": ["broker", "datafeed"]}
        )
        assert parts.check() is None
        for number, (action, kind, which, edit, ascii_only, new_key, how) in enumerate(steps):
            paths = parts.paths[kind]
            key = list(paths)[which % len(paths)]
            if action == "edit":
                document = parts.document(kind, key)
                EDITS[edit](kind, key, document, number)
                parts.write(kind, key, document, ascii_only=ascii_only)
            elif action == "add":
                parts.write(kind, new_key, base_document(kind, new_key))
            elif action == "remove" and len(paths) > 1:
                del paths[key]
            elif action == "revert":
                parts.write(kind, key, base_document(kind, key))
            elif action == "touch":  # the same bytes, another mtime (a CI cache restore)
                fresh_mtime(Path(paths[key]))
            elif action == "reorder":
                parts.paths[kind] = dict(reversed(paths.items()))
            elif action == "garble":
                garble(merged_specs.cache_file(kind), how)
            parts.check()


def test_only_changed_parts_are_read_and_prepared(
    folder: Path, prepared: dict[str, list[str]]
) -> None:
    parts = Parts({"openapi": ["broker", "core", "datafeed"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    assert prepared == {
        "openapi": ["broker", "core", "datafeed"],
        "asyncapi": ["broker", "datafeed"],
    }
    prepared["openapi"].clear()
    prepared["asyncapi"].clear()
    # Unchanged parts are not even read: their files now hold garbage of the same size, under
    # the same stat, and the outputs are still those of the real documents.
    document = parts.document("openapi", "core")
    edit_new_entry("openapi", "core", document, 1)
    parts.write("openapi", "core", document)
    before = parts.from_scratch("openapi")
    hidden = {}
    for kind, key in [("openapi", "broker"), ("openapi", "datafeed"), ("asyncapi", "broker")]:
        path = Path(parts.paths[kind][key])
        stat, hidden[path] = path.stat(), path.read_bytes()
        path.write_bytes(b"\0" * stat.st_size)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    asyncapi_before = os.stat(OUTPUTS["asyncapi"])
    assert parts.run() is None
    assert prepared == {"openapi": ["core"], "asyncapi": []}
    assert Path(OUTPUTS["openapi"]).read_text(encoding="utf-8") == before
    # No asyncapi part changed: that document was left alone.
    assert os.stat(OUTPUTS["asyncapi"]).st_mtime_ns == asyncapi_before.st_mtime_ns
    for path, data in hidden.items():
        path.write_bytes(data)
        fresh_mtime(path)
    prepared["openapi"].clear()
    assert parts.check() is None
    assert prepared == {"openapi": [], "asyncapi": []}  # the same bytes: nothing prepared again


@pytest.mark.parametrize("how", GARBLES)
def test_a_damaged_or_foreign_cache_is_ignored(
    folder: Path, prepared: dict[str, list[str]], how: str
) -> None:
    parts = Parts({"openapi": ["broker", "core", "datafeed"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    for kind in KINDS:
        prepared[kind].clear()
        garble(merged_specs.cache_file(kind), how)
    document = parts.document("asyncapi", "datafeed")
    edit_new_entry("asyncapi", "datafeed", document, 7)
    parts.write("asyncapi", "datafeed", document)
    Path(OUTPUTS["openapi"]).unlink()  # or openapi would be left alone, its cache unread
    assert parts.check() is None
    # Nothing of the damaged cache was used: every part was prepared again...
    assert prepared == {
        "openapi": ["broker", "core", "datafeed"],
        "asyncapi": ["broker", "datafeed"],
    }
    # ... and the cache written then serves the next run.
    for kind in KINDS:
        prepared[kind].clear()
    document = parts.document("openapi", "core")
    edit_extension("openapi", "core", document, 1)
    parts.write("openapi", "core", document)
    assert parts.check() is None
    assert prepared == {"openapi": ["core"], "asyncapi": []}


def test_a_damaged_body_stays_damaged_when_only_the_stats_are_recorded_again(
    folder: Path,
) -> None:
    """A run that has nothing to merge but records new stats rewrites the cache with the body
    it read, and the digest that body was written with: a damaged body must not become valid."""
    parts = Parts({"openapi": ["broker", "core", "datafeed"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    garble(merged_specs.cache_file("openapi"), "flip_body")
    fresh_mtime(Path(parts.paths["openapi"]["broker"]))  # the same bytes: nothing to merge
    before = merged_specs.cache_file("openapi").read_bytes()
    assert parts.check() is None
    assert merged_specs.cache_file("openapi").read_bytes() != before  # the stats recorded
    document = parts.document("openapi", "core")
    edit_extension("openapi", "core", document, 1)
    parts.write("openapi", "core", document)
    assert parts.check() is None


def test_a_part_whose_size_changed_under_the_same_mtime_is_seen(
    folder: Path, prepared: dict[str, list[str]]
) -> None:
    parts = Parts({"openapi": ["broker", "core"], "asyncapi": ["broker"]})
    assert parts.check() is None
    path = Path(parts.paths["openapi"]["core"])
    stat = path.stat()
    document = parts.document("openapi", "core")
    edit_own_component("openapi", "core", document, 1)
    path.write_text(canonical_json(document), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    prepared["openapi"].clear()
    assert parts.check() is None
    assert prepared["openapi"] == ["core"]


def test_a_cache_that_cannot_be_written_does_not_fail_the_task(folder: Path) -> None:
    Path(".apigen-cache").write_text("a file where the cache folder should be")
    parts = Parts({"openapi": ["broker", "core"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    document = parts.document("openapi", "core")
    edit_new_entry("openapi", "core", document, 1)
    parts.write("openapi", "core", document)
    assert parts.check() is None


def test_a_conflict_fails_with_the_same_message_when_only_one_part_changed(
    folder: Path, prepared: dict[str, list[str]]
) -> None:
    parts = Parts({"openapi": ["broker", "core", "datafeed"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    prepared["openapi"].clear()
    document = parts.document("openapi", "datafeed")
    edit_shared_meaning("openapi", "datafeed", document, 1)
    parts.write("openapi", "datafeed", document)
    message = parts.check()
    assert prepared["openapi"] == ["datafeed"]
    assert message == (
        "component schemas 'HTTPValidationError' is defined differently by broker and datafeed; "
        "rename it in one of them (component names must be unique across the app)"
    )
    # The same message when the part that changed comes first.
    parts.paths["openapi"] = dict(reversed(parts.paths["openapi"].items()))
    assert parts.check() == message.replace("by broker and datafeed", "by datafeed and broker")
    parts.write("openapi", "datafeed", base_document("openapi", "datafeed"))
    assert parts.check() is None


def test_the_first_problem_in_part_order_is_reported(folder: Path) -> None:
    """As the parts are merged in order: a conflict between the first two parts is reported,
    not the server URL of the third that cannot be merged; in the other order, the URL."""
    parts = Parts({"openapi": ["broker", "datafeed", "core"], "asyncapi": ["broker"]})
    assert parts.check() is None
    document = parts.document("openapi", "datafeed")
    edit_shared_meaning("openapi", "datafeed", document, 1)
    parts.write("openapi", "datafeed", document)
    document = parts.document("openapi", "core")
    document["servers"] = [{"url": "/api/{version}/core"}]
    parts.write("openapi", "core", document)
    conflict = parts.check()
    assert conflict is not None and conflict.startswith("component schemas 'HTTPValidationError'")
    parts.paths["openapi"] = dict(reversed(parts.paths["openapi"].items()))
    assert parts.check() == (
        "core: cannot merge a document whose server URL has variables (/api/{version}/core)"
    )


def test_an_owner_change_between_alike_definitions_takes_the_new_owners_text(
    folder: Path,
) -> None:
    """Two parts define a component alike (==) in another key order; the merged document holds
    the first one's. When that part drops it, the entry is the other one's, in its own order,
    not the text of the previous output (copied there while its part was unchanged)."""
    parts = Parts({"openapi": ["broker", "datafeed"], "asyncapi": ["broker", "datafeed"]})
    document = parts.document("openapi", "datafeed")
    edit_shared_key_order("openapi", "datafeed", document, 0)
    parts.write("openapi", "datafeed", document)
    assert parts.check() is None
    broker = parts.document("openapi", "broker")
    del parts.paths["openapi"]["broker"]
    assert parts.check() is None
    merged = json.loads(Path(OUTPUTS["openapi"]).read_text(encoding="utf-8"))
    shared = merged["components"]["schemas"][SHARED["openapi"]]
    assert list(shared) == list(reversed(broker["components"]["schemas"][SHARED["openapi"]]))


def test_a_part_rewritten_within_the_same_timestamp_tick_is_seen(
    folder: Path, prepared: dict[str, list[str]]
) -> None:
    """A file's stat cannot show an edit made within its timestamp's granularity (same size,
    same mtime): a part written moments before it was read is read again on the next run."""
    parts = Parts({"openapi": ["broker", "core"], "asyncapi": ["broker"]})
    path = Path(parts.paths["openapi"]["core"])
    path.touch()  # written just now
    assert parts.check() is None
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    same_size = text.replace('"title": "', '"title": "X', 1)[:-1]
    assert len(same_size.encode()) == stat.st_size
    path.write_text(same_size, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size
    prepared["openapi"].clear()
    assert parts.check() is None
    assert prepared["openapi"] == ["core"]


def test_restored_parts_are_read_once_then_trusted_by_their_stat(
    folder: Path, prepared: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a CI cache restore (same bytes, new mtimes) nothing is prepared again, and the new
    stats are recorded: the run after reads no part at all."""
    parts = Parts({"openapi": ["broker", "core", "datafeed"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    for kind in KINDS:
        prepared[kind].clear()
        for path in parts.paths[kind].values():
            fresh_mtime(Path(path))
    assert parts.check() is None
    assert prepared == {"openapi": [], "asyncapi": []}
    read: list[str] = []
    real_read_bytes = Path.read_bytes

    def counting_read_bytes(self: Path) -> bytes:
        read.append(self.as_posix())
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting_read_bytes)
    assert parts.run() is None
    assert not [path for path in read if path.startswith("parts/")]


def test_a_copy_of_the_project_keeps_its_cache_valid(
    folder: Path, prepared: dict[str, list[str]]
) -> None:
    """Part paths are as given (relative to the project root): a copy at another path reuses
    the cache (and its stats, as shutil.copytree keeps mtimes)."""
    parts = Parts({"openapi": ["broker", "core"], "asyncapi": ["broker", "datafeed"]})
    assert parts.check() is None
    shutil.copytree(folder, folder / "copy", symlinks=True)
    with contextlib.chdir(folder / "copy"):
        prepared["openapi"].clear()
        document = parts.document("openapi", "core")
        edit_new_entry("openapi", "core", document, 2)
        parts.write("openapi", "core", document)
        assert parts.check() is None
        assert prepared["openapi"] == ["core"]
