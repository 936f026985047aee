"""The pieces the graph is built from, on small real folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from apigen.atomic_write import write_if_changed
from apigen.import_graph import ImportGraph
from apigen.library_versions import installed_versions
from apigen.module_discovery import discover_modules
from apigen.spec_json import canonical_json
from apigen.xxhash_checker import XxhashChecker
from tests.support.spec_parts import load_parts


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_versions_sort_numerically_and_bad_folders_are_problems(tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    for version in (1, 2, 10):
        write(modules / "alpha" / "api" / f"v{version}.py")
    write(modules / "alpha" / "api" / "v01.py")  # not a version: leading zero
    write(modules / "alpha" / "api" / "helpers.py")
    write(modules / "alpha" / "__init__.py")
    write(modules / "Bad-Name" / "__init__.py")
    write(modules / "class" / "__init__.py")
    write(modules / "shared" / "__init__.py")
    (modules / "empty").mkdir()
    write(modules / "noinit" / "service.py")
    write(modules / "noapi" / "__init__.py")
    (modules / "_private").mkdir()
    found = discover_modules(modules)
    assert [(m.name, m.versions) for m in found.modules] == [("alpha", (1, 2, 10))]
    problems = "\n".join(p.render() for p in found.problems)
    assert (
        "'Bad-Name' is not a lowercase Python identifier; rename the folder, e.g. to 'bad_name'"
        in problems
    )
    assert "'class' is a Python keyword; rename the folder, e.g. to 'm_class'" in problems
    assert "'shared' is reserved" in problems
    assert f"{modules / 'empty'}: module folder is empty" in problems
    assert f"{modules / 'noinit'}: module folder has no __init__.py" in problems
    assert "module 'noapi' has no API version" in problems
    assert "_private" not in problems


def test_import_closure_follows_relative_absolute_and_function_level_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    src = Path("src")
    write(src / "pkg" / "__init__.py")
    write(src / "pkg" / "models" / "__init__.py", "from .orders import Order\n")
    write(src / "pkg" / "models" / "orders.py", "import enum\n")
    write(src / "pkg" / "models" / "unused.py")
    write(src / "pkg" / "shared" / "__init__.py")
    write(src / "pkg" / "shared" / "helpers.py", "def f():\n    from pkg.shared import lazy\n")
    write(src / "pkg" / "shared" / "lazy.py")
    write(
        src / "pkg" / "mod" / "__init__.py",
        "from ..models import Order\nfrom pkg.shared.helpers import f\n",
    )
    write(src / "pkg" / "other" / "__init__.py")
    graph = ImportGraph(src, Path(".cache/imports.json"))
    closure = set(graph.closure([src / "pkg" / "mod" / "__init__.py"]))
    assert closure == {
        "src/pkg/__init__.py",
        "src/pkg/mod/__init__.py",
        "src/pkg/models/__init__.py",
        "src/pkg/models/orders.py",
        "src/pkg/shared/__init__.py",
        "src/pkg/shared/helpers.py",
        "src/pkg/shared/lazy.py",
    }
    graph.save()
    assert Path(".cache/imports.json").is_file()


def test_import_cache_is_keyed_by_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = Path("src")
    module = write(src / "pkg" / "__init__.py", "import pkg.a\n")
    write(src / "pkg" / "a.py")
    write(src / "pkg" / "b.py")
    cache = Path("imports.json")
    first = ImportGraph(src, cache)
    assert first.imports_of(module) == ["pkg.a"]
    first.save()
    write(module, "import pkg.b  \n")  # other size: the cached entry must not be used
    assert ImportGraph(src, cache).imports_of(module) == ["pkg.b"]


def test_a_file_with_a_syntax_error_stays_in_the_closure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    src = Path("src")
    broken = write(src / "pkg" / "__init__.py", "def broken(:\n")
    assert ImportGraph(src).closure([broken]) == [broken.as_posix()]


def test_checker_hashes_only_when_stat_differs(tmp_path: Path) -> None:
    path = write(tmp_path / "f.txt", "hello")
    checker = XxhashChecker()
    state = checker.get_state(str(path), None)
    assert state is not None
    assert checker.get_state(str(path), state) is None  # unchanged stat: no new state
    assert not checker.check_modified(str(path), os.stat(path), state)
    os.utime(path, ns=(1, 1))  # same bytes, new mtime: the digest decides
    assert not checker.check_modified(str(path), os.stat(path), state)
    path.write_text("HELLO")  # same size, new bytes
    os.utime(path, ns=(2, 2))
    assert checker.check_modified(str(path), os.stat(path), state)
    path.write_text("longer")
    assert checker.check_modified(str(path), os.stat(path), state)


def test_write_if_changed_keeps_identical_files_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out" / "spec.json"
    assert write_if_changed(target, b"one")
    os.utime(target, ns=(5, 5))
    assert not write_if_changed(target, b"one")
    assert target.stat().st_mtime_ns == 5
    assert write_if_changed(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["spec.json"]  # no temp file left


def test_library_versions_match_importlib_metadata() -> None:
    from importlib.metadata import version

    found = installed_versions(["doit", "xxhash", "not-a-real-distribution"])
    assert found["doit"] == version("doit")
    assert found["xxhash"] == version("xxhash")
    assert found["not-a-real-distribution"] == "missing"


def test_imports_are_found_in_every_kind_of_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = """
try:
    import a1
except ImportError:
    import a2
else:
    import a3
finally:
    import a4
if x:
    import a5
elif y:
    import a6
with open(f):
    for i in range(3):
        while True:
            import a7
class C:
    def m(self):
        async def inner():
            import a8
match v:
    case 1:
        import a9
"""
    module = write(Path("src/pkg/__init__.py"), source)
    assert ImportGraph(Path("src")).imports_of(module) == [f"a{n}" for n in range(1, 10)]


def test_canonical_json_is_json_dumps_byte_for_byte(built_template: Path) -> None:
    """Every spec is written with apigen's own indenting encoder: the bytes must be the
    standard library's."""

    documents: list[object] = [
        json.loads(path.read_bytes())
        for path in sorted((built_template / "specs_generated").glob("*.json"))
    ]
    documents += [
        {},
        [],
        {"a": [], "b": {}, "c": [[], [{}], [1, [2, {"z": None}]]]},
        [0, 1, -7, 10**30, True, False, None, 1.5, -0.0, 1e16, 1e-7, float("nan")],
        [float("inf"), -float("inf"), 'x\u2028\n"\\é\x01\x7f', "/\\/ #/paths/"],
        {1: "int key", None: "null key", 2.5: "float key", False: "bool key"},
        {"tuple": (1, (2, {"u": ()}))},
    ]
    for document in documents:
        assert canonical_json(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_cached_closures_follow_edits_and_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closures are reused across runs while their own files are unchanged: an edit that adds
    an import, and a new file that an existing import now resolves to, both show."""
    monkeypatch.chdir(tmp_path)
    src, cache = Path("src"), Path("cache/imports.json")
    write(src / "pkg" / "__init__.py")
    a = write(src / "pkg" / "a.py", "from pkg import x\n")  # pkg.x does not exist yet
    b = write(src / "pkg" / "b.py", "import pkg.c\n")
    write(src / "pkg" / "c.py")
    write(src / "pkg" / "d.py")

    def closures() -> tuple[set[str], set[str]]:
        graph = ImportGraph(src, cache)
        found = set(graph.closure([a])), set(graph.closure([b]))
        graph.save()
        return found

    init, c, d, x = (f"src/pkg/{name}.py" for name in ("__init__", "c", "d", "x"))
    assert closures() == ({init, a.as_posix()}, {init, b.as_posix(), c})
    write(a, "from pkg import x\nimport pkg.d\n")  # an edit: b's closure is reused
    assert closures() == ({init, a.as_posix(), d}, {init, b.as_posix(), c})
    write(src / "pkg" / "x.py")  # a new file: `from pkg import x` now reaches it
    assert closures() == ({init, a.as_posix(), d, x}, {init, b.as_posix(), c})
    write(src / "pkg" / "c.py", "import pkg.d  \n")  # an edit of a file b reaches
    assert closures() == ({init, a.as_posix(), d, x}, {init, b.as_posix(), c, d})


def test_app_specs_reuse_unchanged_parts_text(
    built_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app_specs copies the text of unchanged parts' entries from its previous output: the
    result is still exactly canonical_json of the merged document, after edits, removals, a hand-
    edited output and a garbled index."""
    from apigen.producers import merged_specs

    monkeypatch.chdir(tmp_path)
    specs = built_template / "specs_generated"
    parts = {
        kind: {
            path.name.split("_v")[0]: str(shutil.copy(path, tmp_path / path.name))
            for path in sorted(specs.glob(f"*_v1_{kind}.json"))
        }
        for kind in ("openapi", "asyncapi")
    }
    outputs = [str(tmp_path / "app_openapi.json"), str(tmp_path / "app_asyncapi.json")]

    def build_and_check() -> None:
        failure = merged_specs.write_app_specs(parts["openapi"], parts["asyncapi"], outputs)
        assert failure is None, failure
        texts, documents = load_parts(parts["openapi"])
        merged = merged_specs.merge_openapi(documents, title="Trading API", texts=texts)
        assert Path(outputs[0]).read_text() == canonical_json(merged)
        texts, documents = load_parts(parts["asyncapi"])
        merged = merged_specs.merge_asyncapi(documents, title="Trading WebSocket API")
        assert Path(outputs[1]).read_text() == canonical_json(merged)

    build_and_check()
    assert all(merged_specs.cache_file(kind).is_file() for kind in parts)
    broker = Path(parts["openapi"]["broker"])
    document = json.loads(broker.read_text())
    document["paths"]["/extra"] = {
        "get": {"operationId": "extra", "responses": {"200": {"description": "OK"}}}
    }
    document["components"]["schemas"]["ExtraPublic"] = {"type": "object"}
    broker.write_text(json.dumps(document, indent=2))
    build_and_check()
    datafeed = Path(parts["asyncapi"]["datafeed"])
    datafeed.write_text(datafeed.read_text().replace('"description": "', '"description": "x ', 1))
    build_and_check()
    del parts["openapi"]["core"]
    build_and_check()
    Path(outputs[0]).write_text(Path(outputs[0]).read_text().replace("broker", "BROKER"))
    build_and_check()
    for kind in parts:
        merged_specs.cache_file(kind).write_text('{"openapi": {"spans": [1, 2]}, "asyncapi": 3}')
    build_and_check()
