"""The doit tasks of a project, built from what is on disk without importing the backend.

Per module M (all of its API versions at once):

    validate:M ──> openapi:M ──> client:M ──> clients_index
    generate:M = validate:M + openapi:M + client:M
    generate   = every generate:M + clients_index + check_modules

Each task's inputs are exactly what shapes its output (docs/tasks.md): its files, the apigen
code that produces it (the static import closure of its producer), and the versions of the
libraries whose behaviour shapes the output. Building this graph is filesystem work only: it
stats files and reads a cached import graph, and imports nothing heavier than doit.

Every task has one `uptodate` object (apigen.up_to_date.UpToDate) that checks its settings,
input files and outputs; input files are not doit `file_dep`s (see that module for why), so a
task that reads another task's outputs names it in `task_dep`. The paths below are plain
strings: at a few hundred modules, pathlib's per-call overhead is measurable on the no-op path.
"""

from __future__ import annotations

import atexit
import functools
import os
import sys
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
from apigen.library_versions import environment_key, installed_versions
from apigen.module_discovery import Discovery, ModuleSource, discover_modules, version_of
from apigen.project_layout import ProjectLayout
from apigen.task_states import prefetch_task_states
from apigen.up_to_date import UpToDate
from apigen.xxhash_checker import InputFiles

# The libraries whose behaviour shapes each kind of output: upgrading one reruns those tasks.
# jsonschema-rs validates the documents (apigen.spec_validation).
OPENAPI_LIBRARIES = ("fastapi", "pydantic", "pydantic-core", "starlette", "jsonschema-rs")
CLIENT_LIBRARIES = ("black", "jinja2")
WS_ROUTER_LIBRARIES = ("black", "jinja2")
ASYNCAPI_LIBRARIES = ("pydantic", "pydantic-core", "jsonschema-rs")

Task = dict[str, Any]


class ProjectTasks:
    """Task creators for one project; dodo.py exposes its `task_*` methods to doit."""

    def __init__(self, root: Path, layout: ProjectLayout | None = None) -> None:
        self.layout = layout or ProjectLayout(root)
        self._states_prefetched = False

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
        if graph.sources_changed and _builds():
            # Sources changed (or this is a first build): exports will run. A warm worker
            # started now imports fastapi and the renderer while this process is still building
            # the graph and running the static checks, instead of after them.
            from apigen import warm_worker

            warm_worker.start()
        return graph

    @functools.cached_property
    def files(self) -> InputFiles:
        """Input files' states for every task's check, from the import graph's scan."""
        return InputFiles(self.imports.stats)

    @functools.cached_property
    def library_versions(self) -> dict[str, str]:
        """Read from the `*.dist-info` folder names; remembered while no folder on sys.path
        changed (listing site-packages costs ~1 ms of a no-op run)."""
        names = OPENAPI_LIBRARIES + CLIENT_LIBRARIES + ASYNCAPI_LIBRARIES
        key = f"{names}\n{environment_key()}"
        versions = self.imports.derived("library_versions", key, lambda: installed_versions(names))
        return dict(versions)

    def _libraries(self, names: tuple[str, ...]) -> dict[str, str]:
        versions = self.library_versions
        return {"python": versions["python"]} | {name: versions[name] for name in names}

    def _check(
        self,
        settings: dict[str, Any],
        inputs: list[list[str]] | None = None,
        generated_inputs: list[str] | None = None,
    ) -> UpToDate:
        """The task's one `uptodate` check; `inputs` in segments, which tasks may share."""
        if not self._states_prefetched:
            self._states_prefetched = True
            if _builds():  # every task is checked next: read their states in one query
                from doit.globals import Globals

                prefetch_task_states(Globals.dep_manager)
        return UpToDate(settings, inputs, generated_inputs, self.files)

    def _producer_files(self, producer: str) -> list[str]:
        """The apigen files a producer module (by dotted name) runs: its static import closure."""
        path = self.layout.src_dir.joinpath(*producer.split(".")).with_suffix(".py")
        return self._closure([path])

    def _spec_schema(self, name: str) -> list[str]:
        """The specification schema a spec exporter validates its documents against."""
        return [(self.layout.build_package_dir / "spec_schemas" / name).as_posix()]

    def _closure(self, roots: list[Path] | list[str]) -> list[str]:
        return self.imports.closure(roots)

    @functools.cached_property
    def _package_dir(self) -> str:
        return (self.layout.src_dir / self.layout.package).as_posix()

    @functools.cache  # noqa: B019  (one ProjectTasks per doit run: nothing to leak)
    def _outputs(self, module: ModuleSource) -> _ModuleOutputs:
        """What is on disk and what the graph writes for one module, computed once per run."""
        name = module.name
        ws_versions, ws_generated = self._ws_layout(module)
        layout = self.layout
        return _ModuleOutputs(
            package_dir=module.package_dir.as_posix(),
            versions=list(module.versions),
            specs=[layout.spec_path(name, v) for v in module.versions],
            clients=[layout.client_path(name, v) for v in module.versions],
            ws_versions=ws_versions,
            asyncapi_specs=[layout.asyncapi_path(name, v) for v in ws_versions],
            ws_clients=[layout.ws_client_path(name, v) for v in ws_versions],
            ws_generated=ws_generated,
        )

    def _module_files(self, module: ModuleSource) -> list[str]:
        """The module's own sources, without generated folders."""
        return [
            path
            for path in self.imports.files_under(self._outputs(module).package_dir)
            if "_generated/" not in path
        ]

    def _spec_closure(self, module: ModuleSource) -> list[str]:
        """Project files the exporter imports for M: its own package, shared code, models."""
        package, folder = self._package_dir, self._outputs(module).package_dir
        roots = [
            f"{package}/shared/module_loader.py",
            f"{package}/shared/versioned_app.py",
            f"{folder}/__init__.py",
            *(f"{folder}/api/v{version}.py" for version in module.versions),
        ]
        return self._closure(roots)

    @functools.cache  # noqa: B019  (one ProjectTasks per doit run: nothing to leak)
    def _declarations(self, module: ModuleSource) -> dict[int, str]:
        """{N: ws/v<N>.py} for the module's declaration files, from the scan."""
        folder = f"{module.package_dir.as_posix()}/ws/"
        found = {}
        for path in self.imports.files_under(folder):
            name = path[len(folder) :]
            version = None if "/" in name else version_of(name)
            if version is not None:
                found[version] = path
        return dict(sorted(found.items()))

    def _ws_layout(self, module: ModuleSource) -> tuple[list[int], list[str]]:
        """(declared WS versions, generated router files): parsing the declarations is cached
        across runs, keyed by their files' stats."""
        declarations = self._declarations(module)
        stats = self.imports.stats
        key = "\n".join(
            f"{path} {stats[path].st_mtime_ns} {stats[path].st_size}"
            for path in declarations.values()
        )

        def compute() -> list[Any]:
            from apigen.ws_declarations import generated_files, read_declarations

            declared = {
                version: read_declarations(Path(path)).items
                for version, path in declarations.items()
            }
            generated = generated_files(module.package_dir, declared)
            return [list(declarations), [path.as_posix() for path in generated]]

        versions, generated = self.imports.derived(f"ws_layout:{module.name}", key, compute)
        return list(versions), list(generated)

    def _asyncapi_closure(self, module: ModuleSource) -> list[str]:
        """What the AsyncAPI exporter imports for M: the module, its generated routers (whose
        imports are those of the declarations, which exist before the routers do) and the WS
        layer. The generated routers are returned apart: another task writes them."""
        package, folder = self._package_dir, self._outputs(module).package_dir
        roots = [
            f"{package}/shared/module_loader.py",
            f"{package}/shared/ws/__init__.py",
            f"{folder}/__init__.py",
            *self._declarations(module).values(),
        ]
        return self._closure(roots)

    def _templates(self, main: str) -> list[str]:
        """A renderer's main template and every template it imports, includes or extends
        (remembered while no template changed: reading them all costs ~1 ms of a no-op run)."""
        folder = self.layout.templates_dir

        def compute() -> list[str]:
            from apigen.template_graph import template_closure

            return template_closure(folder, main)

        return list(self.imports.derived(f"templates:{main}", self._templates_key, compute))

    @functools.cached_property
    def _templates_key(self) -> str:
        """The path, mtime and size of every file under the templates folder."""
        tokens = []
        pending = [self.layout.templates_dir.as_posix()]
        while pending:
            folder = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    stat = entry.stat()
                    tokens.append(f"{entry.path} {stat.st_mtime_ns} {stat.st_size}")
        return "\n".join(tokens)

    # -- task creators: their docstrings are what `doit list` shows. They stay two lines long
    # and delegate to the builders below (see _answer_line_zero at the end of this module).

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
            "uptodate": [self._check({"problems": problems})],
            "verbosity": 1,
        }

    def _check_imports_tasks(self) -> Task:
        package = self.layout.src_dir / self.layout.package
        modules = self.layout.modules_dir.as_posix() + "/"
        files = [f for f in self.imports.files_under(package) if not f.startswith(modules)]
        producer = self._producer_files("apigen.producers.import_boundaries")
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
            "uptodate": [self._check({"files": len(files)}, [files, producer])],
            "meta": {"inputs": files + producer},
        }

    def _validate_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.route_validation")
        for module in self.discovery.modules:
            out = self._outputs(module)
            files = self._module_files(module)
            yield {
                "name": module.name,
                "doc": f"Check {module.name}'s sources statically (no import)",
                "actions": [
                    (actions.validate_module, [module.name, out.package_dir, out.versions])
                ],
                "uptodate": [self._check({"versions": out.versions}, [files, producer])],
                "meta": {"inputs": files + producer},
            }

    def _ws_routers_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.ws_routers") + [
            (self.layout.templates_dir / name).as_posix()
            for name in ("ws_router.py.jinja", "ws_routers_index.py.jinja")
        ]
        libraries = self._libraries(WS_ROUTER_LIBRARIES)
        for module in self.discovery.modules:
            out = self._outputs(module)
            declarations = list(self._declarations(module).values())
            yield {
                "name": module.name,
                "doc": f"Generate {module.name}'s WebSocket router classes into ws_generated/",
                "actions": [(actions.generate_ws_routers, [module.name, out.package_dir])],
                # A module without declarations still gets the task: it removes stale output.
                "targets": out.ws_generated,
                "uptodate": [
                    self._check(
                        {"libraries": libraries, "ws_versions": out.ws_versions},
                        [declarations, producer],
                    )
                ],
                "meta": {"inputs": declarations + producer},
                "clean": True,
            }

    def _openapi_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.openapi_spec") + self._spec_schema(
            "openapi-3.1.json"
        )
        libraries = self._libraries(OPENAPI_LIBRARIES)
        src_dir = self.layout.src_dir.as_posix()
        for module in self.discovery.modules:
            out = self._outputs(module)
            closure = self._spec_closure(module)
            yield {
                "name": module.name,
                "doc": f"Export {module.name}'s OpenAPI documents",
                "actions": [
                    (actions.export_openapi, [src_dir, module.name, out.versions, out.specs])
                ],
                "targets": out.specs,
                # The version app imports the generated WebSocket routers, so they must exist
                # (task_dep), but they never shape the OpenAPI document (WebSocket routes are
                # not in it): a change to them reruns the WebSocket tasks only.
                "task_dep": [f"validate:{module.name}", f"ws_routers:{module.name}"],
                "uptodate": [
                    self._check(
                        {"libraries": libraries, "versions": out.versions}, [closure, producer]
                    )
                ],
                "meta": {"inputs": closure + producer},
                "clean": True,
            }

    def _client_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.python_client") + self._templates(
            "client.py.jinja"
        )
        libraries = self._libraries(CLIENT_LIBRARIES)
        cache_dir = self.layout.client_cache_dir.as_posix()
        for module in self.discovery.modules:
            out = self._outputs(module)
            yield {
                "name": module.name,
                "doc": f"Render {module.name}'s typed Python clients from its OpenAPI documents",
                "actions": [
                    (
                        actions.render_clients,
                        [module.name, out.versions, out.specs, out.clients, cache_dir],
                    )
                ],
                "targets": out.clients,
                "task_dep": [f"openapi:{module.name}"],  # it reads the specs openapi:M writes
                "uptodate": [
                    self._check(
                        {"libraries": libraries, "versions": out.versions}, [producer], out.specs
                    )
                ],
                "meta": {"inputs": out.specs + producer},
                "clean": True,
            }

    def _asyncapi_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.asyncapi_spec") + self._spec_schema(
            "asyncapi-3.0.0.json"
        )
        libraries = self._libraries(ASYNCAPI_LIBRARIES)
        src_dir = self.layout.src_dir.as_posix()
        for module in self.discovery.modules:
            out = self._outputs(module)
            if not out.ws_versions:
                continue
            closure = self._asyncapi_closure(module)
            yield {
                "name": module.name,
                "doc": f"Export {module.name}'s AsyncAPI 3.0 documents",
                "actions": [
                    (
                        actions.export_asyncapi,
                        [src_dir, module.name, out.ws_versions, out.asyncapi_specs],
                    )
                ],
                "targets": out.asyncapi_specs,
                "task_dep": [f"validate:{module.name}", f"ws_routers:{module.name}"],
                "uptodate": [
                    self._check(
                        {"libraries": libraries, "versions": out.ws_versions},
                        [closure, producer],
                        out.ws_generated,
                    )
                ],
                "meta": {"inputs": closure + out.ws_generated + producer},
                "clean": True,
            }

    def _ws_client_tasks(self) -> Iterator[Task]:
        producer = self._producer_files("apigen.producers.python_ws_client") + self._templates(
            "ws_client.py.jinja"
        )
        libraries = self._libraries(CLIENT_LIBRARIES)
        cache_dir = self.layout.client_cache_dir.as_posix()
        for module in self.discovery.modules:
            out = self._outputs(module)
            if not out.ws_versions:
                continue
            yield {
                "name": module.name,
                "doc": f"Render {module.name}'s typed WebSocket clients from its AsyncAPI",
                "actions": [
                    (
                        actions.render_ws_clients,
                        [
                            module.name,
                            out.ws_versions,
                            out.asyncapi_specs,
                            out.ws_clients,
                            cache_dir,
                        ],
                    )
                ],
                "targets": out.ws_clients,
                "task_dep": [f"asyncapi:{module.name}"],  # it reads the documents asyncapi:M writes
                "uptodate": [
                    self._check(
                        {"libraries": libraries, "versions": out.ws_versions},
                        [producer],
                        out.asyncapi_specs,
                    )
                ],
                "meta": {"inputs": out.asyncapi_specs + producer},
                "clean": True,
            }

    @staticmethod
    def _part_key(name: str, version: int, versions: list[int]) -> str:
        """How the merged documents name one module version: `broker`, or `broker_v2` when the
        module has several versions."""
        return name if len(versions) == 1 else f"{name}_v{version}"

    def _app_specs_tasks(self) -> Task:
        openapi_parts: dict[str, str] = {}
        asyncapi_parts: dict[str, str] = {}
        exporters: list[str] = []
        for module in self.discovery.modules:
            out = self._outputs(module)
            for version, spec in zip(out.versions, out.specs, strict=True):
                openapi_parts[self._part_key(module.name, version, out.versions)] = spec
            for version, spec in zip(out.ws_versions, out.asyncapi_specs, strict=True):
                asyncapi_parts[self._part_key(module.name, version, out.ws_versions)] = spec
            exporters.append(f"openapi:{module.name}")
            if out.ws_versions:
                exporters.append(f"asyncapi:{module.name}")
        outputs = self._app_spec_outputs(asyncapi_parts)
        producer = (
            self._producer_files("apigen.producers.merged_specs")
            + self._spec_schema("openapi-3.1.json")
            + self._spec_schema("asyncapi-3.0.0.json")
        )
        specs = sorted([*openapi_parts.values(), *asyncapi_parts.values()])
        return {
            "actions": [
                (
                    actions.write_app_specs,
                    [openapi_parts, asyncapi_parts, [p.as_posix() for p in self._app_spec_paths()]],
                )
            ],
            "targets": outputs,
            "task_dep": exporters,  # it reads every document they write
            "uptodate": [
                self._check(
                    {"openapi": openapi_parts, "asyncapi": asyncapi_parts}, [producer], specs
                )
            ],
            "meta": {"inputs": specs + producer},
            "clean": True,
        }

    def _app_spec_paths(self) -> list[Path]:
        return [self.layout.app_openapi_path, self.layout.app_asyncapi_path]

    def _app_spec_outputs(self, asyncapi_parts: dict[str, str]) -> list[str]:
        openapi_path, asyncapi_path = self._app_spec_paths()
        return [openapi_path.as_posix()] + ([asyncapi_path.as_posix()] if asyncapi_parts else [])

    def _clients_index_tasks(self) -> Task:
        entries: list[tuple[str, list[str]]] = []
        renderers: list[str] = []
        for module in self.discovery.modules:
            out = self._outputs(module)
            for version, client in zip(out.versions, out.clients, strict=True):
                names = [
                    client_class_name(module.name, version),
                    async_client_class_name(module.name, version),
                ]
                entries.append((client, names))
            for version, client in zip(out.ws_versions, out.ws_clients, strict=True):
                entries.append((client, [ws_client_class_name(module.name, version)]))
            renderers.append(f"client:{module.name}")
            if out.ws_versions:
                renderers.append(f"ws_client:{module.name}")
        output = self.layout.clients_index_path.as_posix()
        producer = self._producer_files("apigen.producers.clients_index")
        return {
            "actions": [(actions.write_clients_index, [entries, output])],
            "targets": [output],
            "task_dep": renderers,
            "uptodate": [self._check({"entries": entries}, [producer])],
            "meta": {"inputs": producer},
            "clean": True,
        }

    def _expected_outputs(self) -> list[str]:
        """Every file the graph writes into the output folders."""
        outputs = [self.layout.clients_index_path.as_posix()]
        asyncapi: list[str] = []
        for module in self.discovery.modules:
            out = self._outputs(module)
            outputs += out.specs + out.clients + out.ws_clients
            asyncapi += out.asyncapi_specs
        outputs += asyncapi + self._app_spec_outputs(dict.fromkeys(asyncapi, ""))
        return sorted(outputs)

    def _prune_outputs_tasks(self) -> Task:
        folders = [folder.as_posix() for folder in self.layout.output_dirs]
        expected = self._expected_outputs()
        return {
            "actions": [(actions.prune_outputs, [folders, expected])],
            "uptodate": [(actions.no_stray_files, [folders, expected])],
        }

    def _generate_tasks(self) -> Iterator[Task]:
        # The group's own attributes must come first: later subtasks add themselves to it.
        # Groups have no actions of their own: `uptodate: [True]` says so to doit, which would
        # otherwise "run" them on every run and record each in .doit.db (a database write and
        # an fsync on every no-op run).
        yield {
            "name": None,
            "doc": "Build every stale artifact of every module (the main job)",
            "uptodate": [True],
            "task_dep": [
                "check_modules",
                "check_imports",
                "clients_index",
                "app_specs",
                "prune_outputs",
            ],
        }
        for module in self.discovery.modules:
            ws = ("asyncapi", "ws_client") if self._outputs(module).ws_versions else ()
            yield {
                "name": module.name,
                "doc": f"Build {module.name}'s stale artifacts and what they need",
                "actions": None,
                "uptodate": [True],
                "task_dep": [
                    f"{kind}:{module.name}"
                    for kind in ("validate", "ws_routers", "openapi", "client", *ws)
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


class _ModuleOutputs:
    """One module's folder, versions and the files the graph writes for it (posix paths).

    A plain class: a NamedTuple costs ~0.3 ms to define, on every run."""

    __slots__ = (
        "asyncapi_specs",
        "clients",
        "package_dir",
        "specs",
        "versions",
        "ws_clients",
        "ws_generated",
        "ws_versions",
    )

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)

    package_dir: str
    versions: list[int]
    specs: list[str]
    clients: list[str]
    ws_versions: list[int]
    asyncapi_specs: list[str]
    ws_clients: list[str]
    ws_generated: list[str]


# doit commands that never run tasks' actions.
_NON_BUILDING_COMMANDS = frozenset(
    {"list", "info", "clean", "forget", "ignore", "dumpdb", "strace", "tabcompletion", "help"}
    | {"reset-dep", "auto"}
)


def _builds() -> bool:
    """Whether this doit process runs tasks (`doit`, `doit run`, `doit generate:broker`...), as
    opposed to `doit list`, `doit info`... (doit does not tell the task creators)."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    return command not in _NON_BUILDING_COMMANDS


def _answer_line_zero() -> None:
    """doit orders task creators by the line they start on: `inspect.getsourcelines` on each,
    which tokenizes the creator's source and, first, compiles the tokenizer's regular
    expressions, ~8 ms of a ~0.25 s no-op run on this project. `inspect` follows `__wrapped__`,
    and for a module answers line 0 from its cached lines without tokenizing anything: every
    creator then starts on "line 0", and doit's stable sort keeps the order dodo.py lists them
    in, which is the order they are defined in here."""
    module = sys.modules[__name__]
    for name, creator in vars(ProjectTasks).items():
        if name.startswith("task_"):
            creator.__wrapped__ = module


_answer_line_zero()
