"""serve — run the API with uvicorn on this project's sources."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys


def serve(src_dir: str, host: str, port: int) -> None:
    """doit action for serve: `python -m trading_api` with this checkout's sources, until Ctrl-C."""
    paths = [os.path.abspath(src_dir), os.environ.get("PYTHONPATH", "")]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(path for path in paths if path)}
    command = [sys.executable, "-m", "trading_api", "--host", host, "--port", str(port)]
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(command, env=env, check=False)
