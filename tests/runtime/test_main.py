"""`python -m trading_api`: options and a real server process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_help_lists_host_and_port() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "trading_api", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "--host" in result.stdout
    assert "--port" in result.stdout


def test_invalid_port_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "trading_api", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "port must be between 0 and 65535" in result.stderr


def test_module_entry_point_serves_the_app() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "trading_api", "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"server exited early: {process.stderr.read()}"  # type: ignore[union-attr]
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/core/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        index = httpx.get(f"http://127.0.0.1:{port}/", timeout=5).json()
        assert {m["base_path"] for m in index} >= {"/api/v1/broker", "/api/v1/datafeed"}
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()
