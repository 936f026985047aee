"""The doit tasks of a project, built from what is on disk without importing the backend.

Per module M (all of its API versions at once):

    validate:M ──> openapi:M ──> client:M ──> clients_index
    generate:M = validate:M + openapi:M + client:M
    generate   = every generate:M + clients_index + check_modules

Each task's inputs are exactly what shapes its output (docs/tasks.md): its files, the apigen
code that produces it (the static import closure of its producer), and the versions of the
libraries whose behaviour shapes the output. Building this graph is filesystem work only: it
stats files and reads a cached import graph, and imports nothing heavier than doit.
"""

from __future__ import annotations

import atexit
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apigen import actions
from apigen.derived_names import (
    async_client_class_name,
    client_class_name,
    ws_client_class_name,
)
from apigen.import_graph import ImportGraph
from apigen.library_versions import installed_versions
from apigen.module_discovery import Discovery, ModuleSource, discover_modules
from apigen.producers.output_pruning import no_stray_files
from apigen.project_layout import ProjectLayout
from apigen.run_reasons import SettingsChanged
from apigen.target_guard import TargetsUnchanged
from apigen.template_graph import template_closure
from apigen.ws_declarations import declared_versions, generated_files, read_declarations

# The libraries whose behaviour shapes each kind of output: upgrading one reruns those tasks.
OPENAPI_LIBRARIES = ("fastapi", "pydantic", "pydantic-core", "starlette")
CLIENT_LIBRARIES = ("black", "jinja2")
WS_ROUTER_LIBRARIES = ("black", "jinja2")
ASYNCAPI_LIBRARIES = ("pydantic", "pydantic-core")

Task = dict[str, Any]


class ProjectTasks:
    """Task creators for one project; dodo.py exposes its `task_*` methods to doit."""

    def __init__(self, root: Path, layout: ProjectLayout | None = None) -> None:
        self.layout = layout or ProjectLayout(root)

    # -- what is on disk, computed once per doit run ----------------------------------------

    @functools.cached_property
    def discovery(self) -> Discovery:
        return discover_modules(self.layout.modules_dir)

    @functools.cached_property
    def imports(self) -> ImportGraph:
        graph = ImportGraph(self.layout.src_dir, self.layout.import_cache_file)
        # Saved once, when the process ends (doit has built the graph and run its tasks by
        # then): saving after every closure made graph construction quadratic in modules.
        atexit.register(graph.save)
        return graph

    @functools.cached_property
    def library_versions(self) -> dict[str, str]:
        return installed_versions(OPENAPI_LIBRARIES + CLIENT_LIBRARIES + ASYNCAPI_LIBRARIES)

    def _libraries(self, names: tuple[str, ...]) -> dict[str, str]:
        versions = self.library_versions
        return {"python": versions["python"]} | {name: versions[name] for name in names}

    def _producer_files(self, producer: str) -> list[str]:
        """The apigen files a producer module (by dotted name) runs: its static import closure."""
        path = self.layout.src_dir.joinpath(*producer.split(".")).with_suffix(".py")
        return self._closure([path])

    def _closure(self, roots: list[Path]) -> list[str]:
        return self.imports.closure(roots)

    def _module_files(self, module: ModuleSource) -> list[str]:
        """The module's own sources, without generated folders."""
        return [
            path
            for path in self.imports.files_under(module.package_dir)
            if "_generated/" not in path
        ]

    def _spec_closure(self, module: ModuleSource) -> list[str]:
        """Project files the exporter imports for M: its own package, shared code, models."""
        package = self.layout.src_dir / self.layout.package
        roots = [
            package / "shared" / "module_loader.py",
            package / "shared" / "versioned_app.py",
            module.package_dir / "__init__.py",
            *(module.api_file(version) for version in module.versions),
        ]
        return self._closure(roots)

    def _ws_generated(self, module: ModuleSource) -> list[str]:
        """The files ws_routers:M writes, from its declarations as they are now."""
        return list(self._ws_layout(module)[1])

    def _ws_versions(self, module: ModuleSource) -> list[int]:
        return list(self._ws_layout(module)[0])

    @functools.cache  # noqa: B019  (one ProjectTasks per doit run: nothing to leak)
    def _ws_layout(self, module: ModuleSource) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """(declared WS versions, generated router files), read once per run."""
        files = declared_versions(module.package_dir)
        declared = {version: read_declarations(path).items for version, path in files.items()}
        generated = generated_files(module.package_dir, declared)
        return tuple(files), tuple(path.as_posix() for path in generated)

    def _asyncapi_specs(self, module: ModuleSource) -> list[str]:
        return [
            self.layout.asyncapi_path(module.name, v).as_posix() for v in self._ws_versions(module)
        ]

    def _ws_clients(self, module: ModuleSource) -> list[str]:
        return [
            self.layout.ws_client_path(module.name, v).as_posix() for v in self._ws_versions(module)
        ]

    def _asyncapi_closure(self, module: ModuleSource) -> list[str]:
        """What the AsyncAPI exporter imports for M: the module, its generated routers (whose
        imports are those of the declarations, which exist before the routers do) and the WS
        layer."""
        package = self.layout.src_dir / self.layout.package
        roots = [
            package / "shared" / "module_loader.py",
            package / "shared" / "ws" / "__init__.py",
            module.package_dir / "__init__.py",
            *declared_versions(module.package_dir).values(),
        ]
        return self._closure(roots) + self._ws_generated(module)

    def _specs(self, module: ModuleSource) -> list[str]:
        return [self.layout.spec_path(module.name, v).as_posix() for v in module.versions]

    def _clients(self, module: ModuleSource) -> list[str]:
        return [self.layout.client_path(module.name, v).as_posix() for v in module.versions]

    def _templates(self, main: str) -> list[str]:
        """A renderer's main template and every template it imports, includes or extends."""
        return template_closure(self.layout.templates_dir, main)

    # -- task creators: their docstrings are what `doit list` shows. doit reads each creator's
    # source to order them (inspect.getsourcelines tokenizes the whole body), so creators stay
    # two lines long and delegate to the builders below.

    def task_check_modules(self) -> Task:
        """Check the modules folder: every folder is a module that follows the contract."""
        return self._check_modules_tasks()

    def task_check_imports(self) -> Task:
        """Check the layering of models and shared code (each module's is part of validate:M)."""
        return self._check_imports_tasks()

    def task_validate(self) -> Iterator[Task]:
        """Check a module statically: syntax, module class, routes' operation_id/response_model."""
        return self._validate_tasks()

    def task_ws_routers(self) -> Iterator[Task]:
        """Generate a module's typed WebSocket router classes from its ws/v<N>.py declarations."""
        return self._ws_routers_tasks()

    def task_openapi(self) -> Iterator[Task]:
        """Export a module's OpenAPI documents (one per API version) from its FastAPI app."""
        return self._openapi_tasks()

    def task_asyncapi(self) -> Iterator[Task]:
        """Export a module's AsyncAPI 3.0 documents (one per WebSocket API version)."""
        return self._asyncapi_tasks()

    def task_client(self) -> Iterator[Task]:
        """Render a module's typed Python clients (sync and async) from its OpenAPI documents."""
        return self._client_tasks()

    def task_ws_client(self) -> Iterator[Task]:
        """Render a module's typed WebSocket clients from its AsyncAPI documents."""
        return self._ws_client_tasks()

    def task_app_specs(self) -> Task:
        """Merge every module's documents into one OpenAPI and one AsyncAPI document for the app."""
        return self._app_specs_tasks()

    def task_clients_index(self) -> Task:
        """Write client_generated/__init__.py re-exporting every generated client class."""
        return self._clients_index_tasks()

    def task_prune_outputs(self) -> Task:
        """Remove generated files no task produces any more (a module or API version went away)."""
        return self._prune_outputs_tasks()

    def task_generate(self) -> Iterator[Task]:
        """Build every stale artifact of every module (the main job)."""
        return self._generate_tasks()

    def task_serve(self) -> Task:
        """Serve the API with uvicorn (after bringing generation up to date)."""
        return self._serve_tasks()

    # -- task builders ----------------------------------------------------------------------

    def _check_modules_tasks(self) -> Task:
        problems = [finding.render() for finding in self.discovery.problems]
        return {
            "actions": [(actions.check_modules, [problems])],
            "uptodate": [SettingsChanged({"problems": problems})],
            "verbosity": 1,
        }

    def _check_imports_tasks(self) -> Task:
        package = self.layout.src_dir / self.layout.package
        modules = self.layout.modules_dir.as_posix() + "/"
        files = [f for f in self.imports.files_under(package) if not f.startswith(modules)]
        return {
            "actions": [
                (
                    actions.check_imports,
                    [
                        files,
                        self.layout.src_dir.as_posix(),
                        self.layout.package,
                        self.layout.build_package,
                    ],
                )
            ],
            "file_dep": files + self._producer_files("apigen.producers.import_boundaries"),
            "uptodate": [SettingsChanged({"files": len(files)})],
        }

    def _validate_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.route_validation")
        for module in self.discovery.modules:
            yield {
                "name": module.name,
                "doc": f"Check {module.name}'s sources statically (no import)",
                "actions": [
                    (
                        actions.validate_module,
                        [module.name, module.package_dir.as_posix(), list(module.versions)],
                    )
                ],
                "file_dep": self._module_files(module) + producer,
                "uptodate": [SettingsChanged({"versions": list(module.versions)})],
            }

    def _ws_routers_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.ws_routers") + [
            (self.layout.templates_dir / name).as_posix()
            for name in ("ws_router.py.jinja", "ws_routers_index.py.jinja")
        ]
        libraries = self._libraries(WS_ROUTER_LIBRARIES)
        for module in self.discovery.modules:
            declarations = declared_versions(module.package_dir)
            yield {
                "name": module.name,
                "doc": f"Generate {module.name}'s WebSocket router classes into ws_generated/",
                "actions": [
                    (actions.generate_ws_routers, [module.name, module.package_dir.as_posix()])
                ],
                # A module without declarations still gets the task: it removes stale output.
                "file_dep": [path.as_posix() for path in declarations.values()] + producer,
                "targets": self._ws_generated(module),
                "uptodate": [
                    SettingsChanged({"libraries": libraries, "ws_versions": list(declarations)}),
                    TargetsUnchanged(),
                ],
                "clean": True,
            }

    def _openapi_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.openapi_spec")
        libraries = self._libraries(OPENAPI_LIBRARIES)
        for module in self.discovery.modules:
            yield {
                "name": module.name,
                "doc": f"Export {module.name}'s OpenAPI documents",
                "actions": [
                    (
                        actions.export_openapi,
                        [
                            self.layout.src_dir.as_posix(),
                            module.name,
                            list(module.versions),
                            self._specs(module),
                        ],
                    )
                ],
                # The version app imports the generated WebSocket routers, so they must exist
                # (task_dep), but they never shape the OpenAPI document (WebSocket routes are
                # not in it): a change to them reruns the WebSocket tasks only.
                "file_dep": self._spec_closure(module) + producer,
                "targets": self._specs(module),
                "task_dep": [f"validate:{module.name}", f"ws_routers:{module.name}"],
                "uptodate": [
                    SettingsChanged({"libraries": libraries, "versions": list(module.versions)}),
                    TargetsUnchanged(),
                ],
                "clean": True,
            }

    def _client_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.python_client") + self._templates(
            "client.py.jinja"
        )
        libraries = self._libraries(CLIENT_LIBRARIES)
        for module in self.discovery.modules:
            yield {
                "name": module.name,
                "doc": f"Render {module.name}'s typed Python clients from its OpenAPI documents",
                "actions": [
                    (
                        actions.render_clients,
                        [
                            module.name,
                            list(module.versions),
                            self._specs(module),
                            self._clients(module),
                            self.layout.client_cache_dir.as_posix(),
                        ],
                    )
                ],
                "file_dep": self._specs(module) + producer,
                "targets": self._clients(module),
                "uptodate": [
                    SettingsChanged({"libraries": libraries, "versions": list(module.versions)}),
                    TargetsUnchanged(),
                ],
                "clean": True,
            }

    def _asyncapi_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.asyncapi_spec")
        libraries = self._libraries(ASYNCAPI_LIBRARIES)
        for module in self.discovery.modules:
            versions = self._ws_versions(module)
            if not versions:
                continue
            yield {
                "name": module.name,
                "doc": f"Export {module.name}'s AsyncAPI 3.0 documents",
                "actions": [
                    (
                        actions.export_asyncapi,
                        [
                            self.layout.src_dir.as_posix(),
                            module.name,
                            versions,
                            self._asyncapi_specs(module),
                        ],
                    )
                ],
                "file_dep": self._asyncapi_closure(module) + producer,
                "targets": self._asyncapi_specs(module),
                "task_dep": [f"validate:{module.name}", f"ws_routers:{module.name}"],
                "uptodate": [
                    SettingsChanged({"libraries": libraries, "versions": versions}),
                    TargetsUnchanged(),
                ],
                "clean": True,
            }

    def _ws_client_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.python_ws_client") + self._templates(
            "ws_client.py.jinja"
        )
        libraries = self._libraries(CLIENT_LIBRARIES)
        for module in self.discovery.modules:
            versions = self._ws_versions(module)
            if not versions:
                continue
            yield {
                "name": module.name,
                "doc": f"Render {module.name}'s typed WebSocket clients from its AsyncAPI",
                "actions": [
                    (
                        actions.render_ws_clients,
                        [
                            module.name,
                            versions,
                            self._asyncapi_specs(module),
                            self._ws_clients(module),
                            self.layout.client_cache_dir.as_posix(),
                        ],
                    )
                ],
                "file_dep": self._asyncapi_specs(module) + producer,
                "targets": self._ws_clients(module),
                "uptodate": [
                    SettingsChanged({"libraries": libraries, "versions": versions}),
                    TargetsUnchanged(),
                ],
                "clean": True,
            }

    def _part_key(self, module: ModuleSource, version: int, versions: list[int]) -> str:
        """How the merged documents name one module version: `broker`, or `broker_v2` when the
        module has several versions."""
        return module.name if len(versions) == 1 else f"{module.name}_v{version}"

    def _app_specs_tasks(self) -> Task:
        openapi_parts: dict[str, str] = {}
        asyncapi_parts: dict[str, str] = {}
        for module in self.discovery.modules:
            for version, spec in zip(module.versions, self._specs(module), strict=True):
                openapi_parts[self._part_key(module, version, list(module.versions))] = spec
            ws_versions = self._ws_versions(module)
            for version, spec in zip(ws_versions, self._asyncapi_specs(module), strict=True):
                asyncapi_parts[self._part_key(module, version, ws_versions)] = spec
        outputs = self._app_spec_outputs(asyncapi_parts)
        return {
            "actions": [
                (
                    actions.write_app_specs,
                    [openapi_parts, asyncapi_parts, [p.as_posix() for p in self._app_spec_paths()]],
                )
            ],
            "file_dep": sorted([*openapi_parts.values(), *asyncapi_parts.values()])
            + self._producer_files("apigen.producers.merged_specs"),
            "targets": outputs,
            "uptodate": [
                SettingsChanged({"openapi": openapi_parts, "asyncapi": asyncapi_parts}),
                TargetsUnchanged(),
            ],
            "clean": True,
        }

    def _app_spec_paths(self) -> list[Path]:
        return [self.layout.app_openapi_path, self.layout.app_asyncapi_path]

    def _app_spec_outputs(self, asyncapi_parts: dict[str, str]) -> list[str]:
        openapi_path, asyncapi_path = self._app_spec_paths()
        return [openapi_path.as_posix()] + ([asyncapi_path.as_posix()] if asyncapi_parts else [])

    def _clients_index_tasks(self) -> Task:
        entries: list[tuple[str, list[str]]] = []
        for module in self.discovery.modules:
            for version, client in zip(module.versions, self._clients(module), strict=True):
                names = [
                    client_class_name(module.name, version),
                    async_client_class_name(module.name, version),
                ]
                entries.append((client, names))
            ws_versions = self._ws_versions(module)
            for version, client in zip(ws_versions, self._ws_clients(module), strict=True):
                entries.append((client, [ws_client_class_name(module.name, version)]))
        output = self.layout.clients_index_path.as_posix()
        return {
            "actions": [(actions.write_clients_index, [entries, output])],
            "file_dep": self._producer_files("apigen.producers.clients_index"),
            "targets": [output],
            "task_dep": [
                f"{kind}:{m.name}"
                for m in self.discovery.modules
                for kind in ("client", "ws_client")
                if kind == "client" or self._ws_versions(m)
            ],
            "uptodate": [SettingsChanged({"entries": entries}), TargetsUnchanged()],
            "clean": True,
        }

    def _expected_outputs(self) -> list[str]:
        """Every file the graph writes into the output folders."""
        outputs = [self.layout.clients_index_path.as_posix()]
        asyncapi: list[str] = []
        for module in self.discovery.modules:
            outputs += self._specs(module) + self._clients(module) + self._ws_clients(module)
            asyncapi += self._asyncapi_specs(module)
        outputs += asyncapi + self._app_spec_outputs(dict.fromkeys(asyncapi, ""))
        return sorted(outputs)

    def _prune_outputs_tasks(self) -> Task:
        folders = [folder.as_posix() for folder in self.layout.output_dirs]
        expected = self._expected_outputs()
        return {
            "actions": [(actions.prune_outputs, [folders, expected])],
            "uptodate": [(no_stray_files, [folders, expected])],
        }

    def _generate_tasks(self) -> Iterator[Task]:
        # The group's own attributes must come first: later subtasks add themselves to it.
        yield {
            "name": None,
            "doc": "Build every stale artifact of every module (the main job)",
            "task_dep": [
                "check_modules",
                "check_imports",
                "clients_index",
                "app_specs",
                "prune_outputs",
            ],
        }
        for module in self.discovery.modules:
            yield {
                "name": module.name,
                "doc": f"Build {module.name}'s stale artifacts and what they need",
                "actions": None,
                "task_dep": [
                    f"validate:{module.name}",
                    f"ws_routers:{module.name}",
                    f"openapi:{module.name}",
                    f"client:{module.name}",
                    *(
                        f"{kind}:{module.name}"
                        for kind in ("asyncapi", "ws_client")
                        if self._ws_versions(module)
                    ),
                ],
            }

    def _serve_tasks(self) -> Task:
        return {
            "actions": [
                (actions.serve, [self.layout.src_dir.as_posix()], {}),
            ],
            "params": [
                {
                    "name": "host",
                    "long": "host",
                    "default": "127.0.0.1",
                    "help": "interface to bind",
                },
                {
                    "name": "port",
                    "long": "port",
                    "type": int,
                    "default": 8000,
                    "help": "port to bind",
                },
            ],
            "task_dep": ["generate"],
            "uptodate": [False],
            "verbosity": 2,
        }
