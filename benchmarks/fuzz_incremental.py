"""A longer run of the property test: incremental builds equal clean builds, byte for byte.

    python benchmarks/fuzz_incremental.py [--examples 50] [--max-steps 6] [--seed N]

tests/graph/test_incremental_equals_clean.py runs 4 derandomized examples of up to 3 edits in
CI. This script draws `--examples` sequences of up to `--max-steps` edits from the same
strategy (the same EDITS: routes, models, WebSocket declarations, shared code, templates) with
a random seed (printed, or given with --seed to replay a failure), and checks the same
property: after each edit and `doit generate`, every output equals that of a from-scratch build
of the same sources. Each step costs an incremental and a clean build (a few seconds each).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from tests.graph.test_incremental_equals_clean import (  # noqa: E402
    check_incremental_equals_clean,
    edit_sequences,
)
from tests.support.doit_project import copy_project, run_doit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=50)
    parser.add_argument("--max-steps", type=int, default=6)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    chosen_seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {chosen_seed} (replay with --seed {chosen_seed})", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        template = copy_project(Path(tmp) / "built")
        first = run_doit(template, "generate")
        if first.returncode != 0:
            raise SystemExit(f"the first build failed:\n{first.output}")
        examples = 0
        started = time.perf_counter()

        @seed(chosen_seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(steps=edit_sequences(args.max_steps))
        def property_holds(steps: list[str]) -> None:
            nonlocal examples
            examples += 1
            print(f"example {examples}: {', '.join(steps)}", flush=True)
            check_incremental_equals_clean(template, steps)

        property_holds()
        minutes = (time.perf_counter() - started) / 60
        print(f"{examples} examples passed in {minutes:.1f} min (seed {chosen_seed})")


if __name__ == "__main__":
    main()
