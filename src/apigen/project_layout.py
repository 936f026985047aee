"""Where things live in a project: sources, modules and every generated artifact.

All paths are relative to the project root (doit's working directory), so `.doit.db` keys stay
valid when CI restores a cache into a clone at another absolute path.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

SPECS_DIR = Path("specs_generated")
CLIENTS_DIR = Path("client_generated")
CACHE_DIR = Path(".apigen-cache")


class ProjectLayout(NamedTuple):
    """The folders of one project, as seen from its root."""

    root: Path
    src_dir: Path = Path("src")
    package: str = "trading_api"
    build_package: str = "apigen"

    @property
    def modules_dir(self) -> Path:
        return self.src_dir / self.package / "modules"

    @property
    def build_package_dir(self) -> Path:
        return self.src_dir / self.build_package

    @property
    def templates_dir(self) -> Path:
        return self.build_package_dir / "templates"

    @property
    def import_cache_file(self) -> Path:
        return CACHE_DIR / "import-graph.json"

    @property
    def client_cache_dir(self) -> Path:
        """Formatted chunks and compiled templates of the client renderer (only speed)."""
        return CACHE_DIR / "client"

    # One output file per module version. Plain posix strings: the task graph builds four per
    # module version on every run, and pathlib's per-call cost shows at a few hundred modules.

    def spec_path(self, module: str, version: int) -> str:
        return f"{SPECS_DIR.as_posix()}/{module}_v{version}_openapi.json"

    def client_path(self, module: str, version: int) -> str:
        return f"{CLIENTS_DIR.as_posix()}/{module}_v{version}_client.py"

    def asyncapi_path(self, module: str, version: int) -> str:
        return f"{SPECS_DIR.as_posix()}/{module}_v{version}_asyncapi.json"

    def ws_client_path(self, module: str, version: int) -> str:
        return f"{CLIENTS_DIR.as_posix()}/{module}_v{version}_ws_client.py"

    @property
    def clients_index_path(self) -> Path:
        return CLIENTS_DIR / "__init__.py"

    @property
    def app_openapi_path(self) -> Path:
        """The whole app's OpenAPI document (every module, prefixed)."""
        return SPECS_DIR / "app_openapi.json"

    @property
    def app_asyncapi_path(self) -> Path:
        """The whole app's AsyncAPI document (every module, prefixed)."""
        return SPECS_DIR / "app_asyncapi.json"

    @property
    def output_dirs(self) -> tuple[Path, ...]:
        """Folders holding only generated files (pruned of files no task produces)."""
        return (SPECS_DIR, CLIENTS_DIR)
