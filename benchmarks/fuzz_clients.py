"""Fuzz the client generators with hostile documents, longer than CI does.

    python benchmarks/fuzz_clients.py [--examples 5000] [--seed 1] [--ws] [--rich]
        [--max-schemas 4] [--max-operations 3] [--static-every 50] [--black-every 10]
        [--save failure.json]

Draws OpenAPI (or, with --ws, AsyncAPI) documents from tests/client/spec_strategies.py, renders
each with the real renderer (`render_client` / `render_ws_client`, black included), checks the
source with tests/client/injection_checks.py (the checks of tests/client/test_injection_fuzz.py)
and imports it with warnings as errors. --rich adds hypothesis' own text strategy (any code
point) to the hostile pools; --static-every N also runs ruff (the project's rules but the
confusable-character and line-length ones, see `_static_checks`) and `mypy --strict` on every Nth
client at the end; --black-every N checks that black on every Nth whole file changes nothing
(the renderer formats chunk by chunk). The same --seed draws the same documents.

Prints what was checked and how long each step took; on a failure, hypothesis shrinks the
document and the script prints the error and the minimal document (JSON, ASCII-escaped), saves
it with --save, and exits 1. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # apigen, and tests.client for the strategies

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from apigen.client import render_client  # noqa: E402
from apigen.client.formatter import format_module  # noqa: E402
from apigen.ws_client import render_ws_client  # noqa: E402
from tests.client.injection_checks import (  # noqa: E402
    ModuleInfo,
    check_http_client,
    check_ws_client,
    exec_client,
)
from tests.client.spec_strategies import (  # noqa: E402
    FAST,
    MODULE,
    RICH,
    VERSION,
    asyncapi_documents,
    openapi_documents,
)
from tests.client.static_checks import PROJECT_RUFF_RULES, run_mypy_strict, run_ruff  # noqa: E402


class Fuzzer:
    """Renders, checks and imports documents; keeps counts, timings and the last failure."""

    def __init__(self, ws: bool, static_every: int, static_dir: Path, black_every: int) -> None:
        self.render: Callable[..., str] = render_ws_client if ws else render_client
        self.check: Callable[..., ModuleInfo] = check_ws_client if ws else check_http_client
        self.static_every = static_every
        self.black_every = black_every
        self.static_dir = static_dir
        self.counts: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.failing: dict[str, Any] | None = None
        self.written: list[Path] = []
        self._last = time.perf_counter()

    def __call__(self, spec: dict[str, Any]) -> None:
        started = time.perf_counter()
        self.seconds["draw"] += started - self._last
        try:
            self._run(spec, started)
        except BaseException:
            self.failing = spec
            self.counts["failures"] += 1
            raise
        finally:
            self._last = time.perf_counter()

    def _run(self, spec: dict[str, Any], started: float) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            source = self.render(spec, module=MODULE, version=VERSION)
            rendered = time.perf_counter()
            info = self.check(spec, source)
            checked = time.perf_counter()
            exec_client(info)
        imported = time.perf_counter()
        self.seconds["render"] += rendered - started
        self.seconds["check"] += checked - rendered
        self.seconds["import"] += imported - checked
        self.counts["documents"] += 1
        self.counts["lines"] += source.count("\n")
        self.counts["enums"] += len(info.enums)
        self.counts["models"] += len(info.models)
        self.counts["fields"] += sum(len(model.fields) for model in info.models)
        self.counts["methods"] += sum(
            sum(1 for node in client.body if hasattr(node, "args")) for client in info.clients
        )
        if self.black_every and self.counts["documents"] % self.black_every == 0:
            # The chunked formatting equals black on the whole file (and so is stable).
            self.counts["black-checked"] += 1
            if format_module(source) != source:
                raise AssertionError("black on the whole file changes the rendered client")
        if self.static_every and self.counts["documents"] % self.static_every == 0:
            path = self.static_dir / f"fuzzed_{self.counts['documents']}.py"
            path.write_text(source, encoding="utf-8")
            self.written.append(path)


def _report(fuzzer: Fuzzer, elapsed: float) -> None:
    counts, seconds = fuzzer.counts, fuzzer.seconds
    documents = max(counts["documents"], 1)
    print(
        f"{counts['documents']} documents rendered, checked and imported in {elapsed:.1f} s "
        f"({elapsed / documents * 1000:.0f} ms each): {counts['enums']} enums, "
        f"{counts['models']} models with {counts['fields']} fields, {counts['methods']} methods, "
        f"{counts['lines']} lines"
    )
    split = ", ".join(f"{step} {seconds[step]:.1f} s" for step in ("draw", "render", "check"))
    print(f"time: {split}, import {seconds['import']:.1f} s")
    if counts["black-checked"]:
        print(f"black on the whole file changed none of {counts['black-checked']} clients")


def _static_checks(paths: list[Path], workdir: Path) -> bool:
    if not paths:
        return True
    # Not RUF001-RUF003: confusable characters (long s, fullwidth letters) in strings, docstrings
    # and comments are the document's data, kept as written; not E501: black cannot split a long
    # string literal (docstrings are wrapped; tests/client/test_names_and_literals.py checks it).
    ignored = "RUF001,RUF002,RUF003,E501"
    linted = run_ruff(
        paths, "--select", PROJECT_RUFF_RULES, "--ignore", ignored, "--line-length", "100"
    )
    typed = run_mypy_strict(paths, workdir)
    print(f"ruff and mypy --strict on {len(paths)} clients:", end=" ")
    if linted.returncode == 0 and typed.returncode == 0:
        print("clean")
        return True
    print("FAILED")
    print(linted.stdout + linted.stderr + typed.stdout + typed.stderr)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5000, help="documents to try")
    parser.add_argument("--seed", type=int, default=0, help="the same seed draws the same run")
    parser.add_argument("--ws", action="store_true", help="AsyncAPI documents, WebSocket client")
    parser.add_argument("--rich", action="store_true", help="also any code point in texts")
    parser.add_argument("--max-schemas", type=int, default=4)
    parser.add_argument("--max-operations", type=int, default=3, help="routes with --ws")
    parser.add_argument("--static-every", type=int, default=0, metavar="N")
    parser.add_argument(
        "--black-every", type=int, default=0, metavar="N", help="black on every Nth whole file"
    )
    parser.add_argument("--save", type=Path, help="write the minimal failing document here")
    args = parser.parse_args()

    alphabet = RICH if args.rich else FAST
    if args.ws:
        documents = asyncapi_documents(
            max_schemas=args.max_schemas, max_routes=args.max_operations, alphabet=alphabet
        )
    else:
        documents = openapi_documents(
            max_schemas=args.max_schemas, max_operations=args.max_operations, alphabet=alphabet
        )
    with tempfile.TemporaryDirectory(prefix="fuzz_clients_") as tmp:
        fuzzer = Fuzzer(args.ws, args.static_every, Path(tmp), args.black_every)

        def fuzz(spec: dict[str, Any]) -> None:
            fuzzer(spec)

        run = seed(args.seed)(
            settings(
                max_examples=args.examples,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
                print_blob=False,
            )(given(documents)(fuzz))
        )
        started = time.perf_counter()
        try:
            run()
        except Exception as error:  # hypothesis re-raises the shrunk failure
            _report(fuzzer, time.perf_counter() - started)
            print(f"\nFAILED: {type(error).__name__}: {error}")
            minimal = json.dumps(fuzzer.failing, indent=1, ensure_ascii=True, default=repr)
            print(f"minimal document:\n{minimal}")
            if args.save is not None:
                args.save.write_text(minimal + "\n", encoding="utf-8")
                print(f"saved to {args.save}")
            return 1
        _report(fuzzer, time.perf_counter() - started)
        return 0 if _static_checks(fuzzer.written, Path(tmp)) else 1


if __name__ == "__main__":
    sys.exit(main())
