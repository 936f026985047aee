"""Keep Python's cyclic garbage collector out of the way while doit builds the graph and exits.

A run builds tens of thousands of objects that live until the process exits (at 200 modules
~80,000: doit's `Task` objects, apigen's checks, the import graph). With the default thresholds
the collector walks that growing heap again and again while it is built, and once more during
interpreter finalization; it never finds garbage worth the time, and at 200 modules those walks
were ~0.1 s of a 0.66 s no-op run (docs/benchmarks.md).

- `pause()`, when dodo.py is loaded: raise the first-generation threshold so building the graph
  triggers few collections. Not `gc.disable()`: should the steps below not run (another
  reporter: `doit --reporter console`), the run goes on with rare collections, not none.
- `resume()`, when doit starts running tasks (the reporter's `initialize`): move everything
  alive into the permanent generation (`gc.freeze()`: collections skip it) and restore the
  thresholds, so actions run with the usual collector and do not walk the graph either.
- `freeze_for_exit()`, when the run is complete: freeze again, so finalization does not walk
  the heap. Objects are still freed by reference counting as the interpreter shuts down.
"""

from __future__ import annotations

import gc

# One first-generation collection per this many net allocations while the graph is built
# (the default is 700); the older generations' thresholds are kept.
BUILD_THRESHOLD = 100_000

_saved: tuple[int, int, int] | None = None


def pause() -> None:
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(BUILD_THRESHOLD, *_saved[1:])


def resume() -> None:
    """Restore the thresholds pause() raised (a no-op if it did not), after freezing the heap."""
    global _saved
    gc.freeze()
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None


def freeze_for_exit() -> None:
    gc.freeze()
