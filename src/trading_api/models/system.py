"""System: health, API version listings and error bodies."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class HealthStatus(StrEnum):
    """Overall service health."""

    OK = "ok"
    DEGRADED = "degraded"


class HealthPublic(BaseModel):
    """Health check answer."""

    status: HealthStatus
    checked_at: datetime
    modules: list[str] = Field(default_factory=list, description="Modules found at start-up")


class ModuleVersionsPublic(BaseModel):
    """API versions one module serves."""

    name: str
    versions: list[int]
    latest: int | None = Field(description="Highest version, null if the module serves none")
    base_paths: list[str] = Field(examples=[["/api/v1/broker"]])


class VersionsPublic(BaseModel):
    """Every module and its API versions."""

    modules: list[ModuleVersionsPublic]


class MountedApiPublic(BaseModel):
    """One module version mounted on the root app."""

    module: str
    version: int = Field(ge=1)
    base_path: str
    docs_url: str
    openapi_url: str


class ErrorPublic(BaseModel):
    """Body of an error response that is not a validation error."""

    detail: str
