"""doit entry point: configuration and the task creators apigen builds for this project.

`doit list` shows the tasks; `doit generate` builds every stale artifact; `doit generate:broker`
one module's; docs/tasks.md says what each task reads, writes and when it reruns.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# This checkout's sources win over any other installed copy of the packages.
sys.path.insert(0, str(ROOT / "src"))

from apigen.doit_config import doit_config  # noqa: E402
from apigen.task_graph import ProjectTasks  # noqa: E402

DOIT_CONFIG = doit_config()
_project = ProjectTasks(ROOT)

task_check_modules = _project.task_check_modules
task_check_imports = _project.task_check_imports
task_validate = _project.task_validate
task_ws_routers = _project.task_ws_routers
task_openapi = _project.task_openapi
task_asyncapi = _project.task_asyncapi
task_client = _project.task_client
task_ws_client = _project.task_ws_client
task_app_specs = _project.task_app_specs
task_clients_index = _project.task_clients_index
task_prune_outputs = _project.task_prune_outputs
task_generate = _project.task_generate
task_serve = _project.task_serve
