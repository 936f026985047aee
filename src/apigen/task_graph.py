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

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apigen import actions
from apigen.import_graph import ImportGraph
from apigen.library_versions import installed_versions
from apigen.module_discovery import Discovery, ModuleSource, discover_modules
from apigen.producers.output_pruning import no_stray_files
from apigen.project_layout import ProjectLayout
from apigen.run_reasons import SettingsChanged
from apigen.target_guard import TargetsUnchanged
from apigen.ws_declarations import declared_versions, generated_files, read_declarations

# The libraries whose behaviour shapes each kind of output: upgrading one reruns those tasks.
OPENAPI_LIBRARIES = ("fastapi", "pydantic", "pydantic-core", "starlette")
CLIENT_LIBRARIES = ("black", "jinja2")
WS_ROUTER_LIBRARIES = ("black", "jinja2")

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
        return ImportGraph(self.layout.src_dir, self.layout.import_cache_file)

    @functools.cached_property
    def library_versions(self) -> dict[str, str]:
        return installed_versions(OPENAPI_LIBRARIES + CLIENT_LIBRARIES)

    def _libraries(self, names: tuple[str, ...]) -> dict[str, str]:
        versions = self.library_versions
        return {"python": versions["python"]} | {name: versions[name] for name in names}

    def _producer_files(self, producer: str) -> list[str]:
        """The apigen files a producer module (by dotted name) runs: its static import closure."""
        path = self.layout.src_dir.joinpath(*producer.split(".")).with_suffix(".py")
        return self._closure([path])

    def _closure(self, roots: list[Path]) -> list[str]:
        files = self.imports.closure(roots)
        self.imports.save()
        return files

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
        declared = {
            version: read_declarations(path).items
            for version, path in declared_versions(module.package_dir).items()
        }
        return [path.as_posix() for path in generated_files(module.package_dir, declared)]

    def _specs(self, module: ModuleSource) -> list[str]:
        return [self.layout.spec_path(module.name, v).as_posix() for v in module.versions]

    def _clients(self, module: ModuleSource) -> list[str]:
        return [self.layout.client_path(module.name, v).as_posix() for v in module.versions]

    def _templates(self, main: str) -> list[str]:
        """A renderer's templates: its main template and its macros. Macros of the WebSocket
        client are named `macros/ws_*`; every other macro belongs to the HTTP client."""
        folder = self.layout.templates_dir
        ws = main.startswith("ws_")
        macros = [
            path.as_posix()
            for path in sorted((folder / "macros").glob("*.jinja"))
            if path.name.startswith("ws_") == ws
        ]
        return [(folder / main).as_posix(), *macros]

    # -- task creators: their docstrings are what `doit list` shows. doit reads each creator's
    # source to order them (inspect.getsourcelines tokenizes the whole body), so creators stay
    # two lines long and delegate to the builders below: ~25 ms less on every run.

    def task_check_modules(self) -> Task:
        """Check the modules folder: every folder is a module that follows the contract."""
        return self._check_modules_tasks()

    def task_validate(self) -> Iterator[Task]:
        """Check a module statically: syntax, module class, routes' operation_id/response_model."""
        return self._validate_tasks()

    def task_ws_routers(self) -> Iterator[Task]:
        """Generate a module's typed WebSocket router classes from its ws/v<N>.py declarations."""
        return self._ws_routers_tasks()

    def task_openapi(self) -> Iterator[Task]:
        """Export a module's OpenAPI documents (one per API version) from its FastAPI app."""
        return self._openapi_tasks()

    def task_client(self) -> Iterator[Task]:
        """Render a module's typed Python clients (sync and async) from its OpenAPI documents."""
        return self._client_tasks()

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
                # The version app imports the generated WebSocket routers too.
                "file_dep": self._spec_closure(module) + self._ws_generated(module) + producer,
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

    def _clients_index_tasks(self) -> Task:
        pairs = [(m.name, v) for m in self.discovery.modules for v in m.versions]
        client_files = [self.layout.client_path(m, v).as_posix() for m, v in pairs]
        output = self.layout.clients_index_path.as_posix()
        return {
            "actions": [(actions.write_clients_index, [pairs, client_files, output])],
            "file_dep": self._producer_files("apigen.producers.clients_index"),
            "targets": [output],
            "task_dep": [f"client:{m.name}" for m in self.discovery.modules],
            "uptodate": [
                SettingsChanged({"clients": [list(pair) for pair in pairs]}),
                TargetsUnchanged(),
            ],
            "clean": True,
        }

    def _expected_outputs(self) -> list[str]:
        """Every file the graph writes into the output folders."""
        outputs = [self.layout.clients_index_path.as_posix()]
        for module in self.discovery.modules:
            outputs += self._specs(module) + self._clients(module)
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
            "task_dep": ["check_modules", "clients_index", "prune_outputs"],
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
