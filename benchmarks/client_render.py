"""Time the client generator on a realistic spec, each measurement in a fresh interpreter.

    python benchmarks/client_render.py [--rounds 5] [--dcg-python /tmp/dcg/bin/python]

Measures (medians over the rounds, side by side in the same run):
  import    `import jinja2`, then `import black` (what rendering needs loaded)
  build     OpenAPI dict -> domain objects (apigen.client.spec_model), imports excluded
  format    template rendering + black, imports excluded, no chunk cache
  cold      `from apigen.client import render_client` + render, empty chunk cache
  warm      the same with the chunk cache of the same spec (nothing changed)
  edit      the same after one endpoint was added to the spec (cache of the old spec)
With --dcg-python (a venv with datamodel-code-generator, never the project's environment):
  dcg       its import and `generate()` of pydantic v2 models for the same document, once
            with its default formatters (black + isort) and once without formatting.
Not a test: pytest does not collect it. The spec is tests/client/realistic_app.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.client.realistic_app, the benchmark's spec

_CHILD = r"""
import json, sys, time
spec = json.load(open(sys.argv[1]))
mode, cache = sys.argv[2], (sys.argv[3] or None)
result = {}
if mode == "parts":
    t0 = time.perf_counter(); import jinja2
    t1 = time.perf_counter(); import black
    t2 = time.perf_counter()
    from pathlib import Path
    from apigen.client.formatter import ChunkFormatter
    from apigen.client.renderer import render
    from apigen.client.spec_model import build_client_module
    t3 = time.perf_counter(); module = build_client_module(spec, module="markets", version=1)
    t4 = time.perf_counter(); source = render(module, ChunkFormatter(None))
    t5 = time.perf_counter()
    result = {"import_jinja2": t1 - t0, "import_black": t2 - t1, "build": t4 - t3,
              "format": t5 - t4, "lines": source.count("\n")}
else:
    from pathlib import Path
    t0 = time.perf_counter()
    from apigen.client import render_client
    source = render_client(spec, module="markets", version=1,
                           cache_dir=Path(cache) if cache else None)
    result = {"total": time.perf_counter() - t0, "black_imported": "black" in sys.modules}
print(json.dumps(result))
"""

_DCG_CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import datamodel_code_generator as dcg
t1 = time.perf_counter()
options = dict(input_file_type=dcg.InputFileType.OpenAPI,
               output_model_type=dcg.DataModelType.PydanticV2BaseModel,
               target_python_version=dcg.PythonVersion.PY_311)
if sys.argv[2] == "unformatted":
    options["formatters"] = []
source = dcg.generate(open(sys.argv[1]).read(), **options)
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "generate": t2 - t1, "lines": source.count("\n")}))
"""


def _child(python: str, code: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [python, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _edited(spec: dict[str, Any]) -> dict[str, Any]:
    edited: dict[str, Any] = json.loads(json.dumps(spec))
    edited["paths"]["/bench-ping"] = {
        "get": {
            "operationId": "bench_ping",
            "summary": "Bench Ping",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "additionalProperties": {"type": "string"}}
                        }
                    },
                }
            },
        }
    }
    return edited


def measure(rounds: int, dcg_python: str | None) -> dict[str, list[float]]:
    from tests.client.realistic_app import realistic_spec

    spec = realistic_spec()
    samples: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        samples.setdefault(key, []).append(value)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        spec_file, edit_file = folder / "spec.json", folder / "edit.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        edit_file.write_text(json.dumps(_edited(spec)), encoding="utf-8")
        for number in range(rounds):
            parts = _child(sys.executable, _CHILD, str(spec_file), "parts", "")
            for key in ("import_jinja2", "import_black", "build", "format"):
                add(key, parts[key])
            cache = folder / f"cache{number}"
            add(
                "cold", _child(sys.executable, _CHILD, str(spec_file), "total", str(cache))["total"]
            )
            warm = _child(sys.executable, _CHILD, str(spec_file), "total", str(cache))
            add("warm", warm["total"])
            add("warm_imports_black", float(warm["black_imported"]))
            add(
                "edit", _child(sys.executable, _CHILD, str(edit_file), "total", str(cache))["total"]
            )
            if dcg_python:
                for style in ("formatted", "unformatted"):
                    result = _child(dcg_python, _DCG_CHILD, str(spec_file), style)
                    add(f"dcg_import_{style}", result["import"])
                    add(f"dcg_generate_{style}", result["generate"])
        samples["lines"] = [float(parts["lines"])]
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the client generator.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dcg-python", help="python of a venv with datamodel-code-generator")
    arguments = parser.parse_args()
    samples = measure(arguments.rounds, arguments.dcg_python)
    print(f"{'measurement':<28} {'median s':>9} {'min s':>7} {'max s':>7}")
    for key, values in samples.items():
        print(
            f"{key:<28} {statistics.median(values):>9.3f} {min(values):>7.3f} {max(values):>7.3f}"
        )


if __name__ == "__main__":
    main()
