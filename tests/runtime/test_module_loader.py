"""Module discovery and loading: names, version files, contract errors."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from trading_api.shared.module_contract import Module
from trading_api.shared.module_errors import ModuleContractError
from trading_api.shared.module_loader import (
    api_versions,
    discover_module_names,
    load_module,
    load_modules,
    module_class_name,
)


def _package(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "__init__.py").write_text("")
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broker", "BrokerModule"),
        ("market_data", "MarketDataModule"),
        ("datafeed", "DatafeedModule"),
        ("a_b_c", "ABCModule"),
        ("v2_feed", "V2FeedModule"),
    ],
)
def test_module_class_name(name: str, expected: str) -> None:
    assert module_class_name(name) == expected


def test_api_versions_sort_numerically(tmp_path: Path) -> None:
    api = _package(tmp_path / "mod" / "api")
    for name in ("v10.py", "v2.py", "v1.py", "v1_helpers.py", "schemas.py"):
        (api / name).write_text("router = None\n")
    (api / "v3.py").mkdir()  # a folder is not a version file
    assert api_versions(tmp_path / "mod") == [1, 2, 10]


def test_api_versions_of_a_module_without_api_folder_is_empty(tmp_path: Path) -> None:
    _package(tmp_path / "mod")
    assert api_versions(tmp_path / "mod") == []


@pytest.mark.parametrize("bad_file", ["v0.py", "v01.py", "V2.py"])
def test_non_canonical_version_file_is_a_contract_error(tmp_path: Path, bad_file: str) -> None:
    api = _package(tmp_path / "mod" / "api")
    (api / "v1.py").write_text("")
    (api / bad_file).write_text("")
    with pytest.raises(ModuleContractError, match=bad_file.replace(".", r"\.")) as caught:
        api_versions(tmp_path / "mod")
    assert "v<N>.py" in str(caught.value)


def test_discover_module_names_skips_private_hidden_and_non_packages(tmp_path: Path) -> None:
    for name in ("zeta", "alpha", "market_data", "_private", ".hidden"):
        _package(tmp_path / name)
    (tmp_path / "not_a_package").mkdir()
    (tmp_path / "loose_file.py").write_text("")
    assert discover_module_names(tmp_path) == ["alpha", "market_data", "zeta"]


@pytest.mark.parametrize("bad_name", ["Broker", "market-data", "2fast", "class"])
def test_invalid_module_folder_name_is_an_error_naming_the_folder(
    tmp_path: Path, bad_name: str
) -> None:
    _package(tmp_path / "good")
    _package(tmp_path / bad_name)
    with pytest.raises(ModuleContractError) as caught:
        discover_module_names(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / bad_name) in message
    assert "lowercase Python identifier" in message


def test_discover_real_modules() -> None:
    assert discover_module_names() == ["broker", "core", "datafeed"]


def test_load_module_instantiates_the_named_class() -> None:
    module = load_module("broker")
    assert type(module).__name__ == "BrokerModule"
    assert isinstance(module, Module)
    assert module.name == "broker"
    assert module.versions() == [1]
    assert any(getattr(r, "path", None) == "/orders" for r in module.router(1).routes)
    assert [m.name for m in load_modules()] == ["broker", "core", "datafeed"]


def test_module_service_is_created_once_per_instance() -> None:
    first, second = load_module("datafeed"), load_module("datafeed")
    assert first.service is first.service
    assert first.service is not second.service


def test_router_of_missing_version_is_a_contract_error() -> None:
    with pytest.raises(ModuleContractError, match=r"no API version v7.*v7\.py.*available: v1"):
        load_module("core").router(7)


def test_load_unknown_or_invalid_module_is_a_contract_error() -> None:
    with pytest.raises(ModuleContractError, match=r"no module 'nope'.*found: broker, core"):
        load_module("nope")
    with pytest.raises(ModuleContractError, match="'Bad-Name' is not a valid module name"):
        load_module("Bad-Name")


def test_package_without_its_module_class_is_a_contract_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = types.ModuleType("trading_api.modules.fake_feed")
    package.__file__ = "/somewhere/fake_feed/__init__.py"
    monkeypatch.setitem(sys.modules, package.__name__, package)
    with pytest.raises(ModuleContractError, match=r"must define `class FakeFeedModule\(Module\)`"):
        load_module("fake_feed")

    class FakeFeedModule(Module[object]):
        name = "other_name"

    package.FakeFeedModule = FakeFeedModule  # type: ignore[attr-defined]
    with pytest.raises(ModuleContractError, match=r"FakeFeedModule\.name must be 'fake_feed'"):
        load_module("fake_feed")
