"""Core API v1: health and version discovery."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from trading_api.models.system import HealthPublic, VersionsPublic
from trading_api.modules.core.service import CoreService
from trading_api.shared.service_dependency import service_dependency

router = APIRouter(tags=["system"])

CoreServiceDep = Annotated[CoreService, Depends(service_dependency(CoreService))]


@router.get("/health", operation_id="get_health", response_model=HealthPublic)
async def get_health(service: CoreServiceDep) -> HealthPublic:
    """Report that the backend is up and which modules it found."""
    return service.health()


@router.get("/versions", operation_id="list_versions", response_model=VersionsPublic)
async def list_versions(service: CoreServiceDep) -> VersionsPublic:
    """List every module and the API versions it serves."""
    return service.versions()
