"""Base class of every module's `<Name>Module`: its name, its service, its API and WS routers."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import APIRouter

from trading_api.shared.module_errors import ModuleContractError
from trading_api.shared.module_layout import MODULES_PACKAGE, api_versions
from trading_api.shared.ws import WsRouter, WsSettings

ServiceT = TypeVar("ServiceT")


class Module(Generic[ServiceT]):
    """One backend module: `trading_api.modules.<name>` with `service.py` and `api/v<N>.py` files.

    Subclasses set `name` to their folder name and implement `create_service()`. Routers are
    imported by computed name (importlib) so this file never statically imports a module package:
    the build graph computes each module's import closure with `ast`.

    WebSocket topics are declared in `ws/v<N>.py`; `doit generate` turns the declarations into
    router classes in `ws_generated/v<N>/`, which `ws_routers()` returns. `ws_settings` holds
    the limits of the `/ws` endpoint (an instance may override it before its app is built).
    """

    name: str
    ws_settings: WsSettings = WsSettings()

    def __init__(self) -> None:
        self._service: ServiceT | None = None

    def create_service(self) -> ServiceT:
        """Build this module's service; called once, on first access to `service`."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_service() (module {self.name!r})"
        )

    @property
    def service(self) -> ServiceT:
        """The module's service, created once per module instance and shared by all its versions."""
        if self._service is None:
            self._service = self.create_service()
        return self._service

    @property
    def title(self) -> str:
        """Human title: "market_data" -> "Market Data"."""
        return self.name.replace("_", " ").title()

    @property
    def package(self) -> str:
        """Dotted name of the module package."""
        return f"{MODULES_PACKAGE}.{self.name}"

    @property
    def package_dir(self) -> Path:
        """Folder of the module package."""
        package_file = importlib.import_module(self.package).__file__
        if package_file is None:
            raise ModuleContractError(f"module {self.name!r}: package {self.package} has no file")
        return Path(package_file).parent

    def versions(self) -> list[int]:
        """API versions this module serves, sorted numerically (from its `api/v<N>.py` files)."""
        return api_versions(self.package_dir)

    def router(self, version: int) -> APIRouter:
        """The module-level `router` of `api/v<version>.py`."""
        version_file = self.package_dir / "api" / f"v{version}.py"
        if version not in self.versions():
            raise ModuleContractError(
                f"module {self.name!r} has no API version v{version}: {version_file} does not "
                f"exist (available: {', '.join(f'v{v}' for v in self.versions()) or 'none'})"
            )
        api_module = importlib.import_module(f"{self.package}.api.v{version}")
        router = getattr(api_module, "router", None)
        if not isinstance(router, APIRouter):
            raise ModuleContractError(
                f"{version_file}: expected a module-level `router = APIRouter(...)`, "
                f"found {type(router).__name__}"
            )
        return router

    def ws_routers(self, version: int) -> tuple[type[WsRouter[Any, Any]], ...]:
        """The generated WebSocket router classes of `version`, in declaration order.

        Empty when the module declares no topics for `version` (no `ws/v<version>.py`).
        """
        declarations = self.package_dir / "ws" / f"v{version}.py"
        if not declarations.is_file():
            return ()
        generated_dir = self.package_dir / "ws_generated" / f"v{version}"
        package = f"{self.package}.ws_generated.v{version}"
        try:
            generated = importlib.import_module(package)
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            generated_part = missing.startswith(f"{self.package}.ws_generated")
            if not (generated_part or (missing and package.startswith(missing))):
                raise  # something the generated routers import is missing, not the routers
            raise ModuleContractError(
                f"{declarations}: declares WebSocket routes of module {self.name!r} v{version}, "
                f"but their generated routers ({generated_dir}) do not exist; run `doit generate`"
            ) from exc
        routers = getattr(generated, "ROUTERS", None)
        if not isinstance(routers, tuple) or not all(
            isinstance(router, type) and issubclass(router, WsRouter) for router in routers
        ):
            raise ModuleContractError(
                f"{generated_dir / '__init__.py'}: expected `ROUTERS`, a tuple of WsRouter "
                f"classes, found {type(routers).__name__}; run `doit generate` to rebuild it"
            )
        return routers
