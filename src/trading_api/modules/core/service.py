"""Health and version discovery, read from the module folders (no module is imported)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from trading_api.models.system import (
    HealthPublic,
    HealthStatus,
    ModuleVersionsPublic,
    VersionsPublic,
)
from trading_api.shared.module_layout import (
    DEFAULT_MODULES_DIR,
    api_versions,
    discover_module_names,
    version_base_path,
)


class CoreService:
    """Answers health checks and lists each module's API versions."""

    def __init__(self, modules_dir: Path = DEFAULT_MODULES_DIR) -> None:
        self._modules = {
            name: api_versions(modules_dir / name) for name in discover_module_names(modules_dir)
        }

    def health(self) -> HealthPublic:
        """Always ok while the process serves requests; lists the modules found at start-up."""
        return HealthPublic(
            status=HealthStatus.OK, checked_at=datetime.now(UTC), modules=list(self._modules)
        )

    def versions(self) -> VersionsPublic:
        """Every module with its API versions, sorted by module name then version."""
        return VersionsPublic(
            modules=[
                ModuleVersionsPublic(
                    name=name,
                    versions=versions,
                    latest=versions[-1] if versions else None,
                    base_paths=[version_base_path(name, version) for version in versions],
                )
                for name, versions in self._modules.items()
            ]
        )
