"""Core module API: health and version discovery, through the mounted app."""

from __future__ import annotations

import httpx


def test_health_is_ok_and_lists_modules(client: httpx.Client) -> None:
    response = client.get("/api/v1/core/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["modules"] == ["broker", "core", "datafeed"]
    assert body["checked_at"].endswith("Z") or "+00:00" in body["checked_at"]


def test_versions_lists_each_module_with_sorted_versions_and_base_paths(
    client: httpx.Client,
) -> None:
    response = client.get("/api/v1/core/versions")
    assert response.status_code == 200
    modules = {m["name"]: m for m in response.json()["modules"]}
    assert set(modules) == {"broker", "core", "datafeed"}
    assert modules["datafeed"] == {
        "name": "datafeed",
        "versions": [1],
        "latest": 1,
        "base_paths": ["/api/v1/datafeed"],
    }
    # every listed base path is really served
    for module in modules.values():
        for base_path in module["base_paths"]:
            assert client.get(f"{base_path}/openapi.json").status_code == 200


def test_unknown_core_path_is_404(client: httpx.Client) -> None:
    assert client.get("/api/v1/core/nope").status_code == 404
    assert client.get("/api/v9/core/health").status_code == 404
