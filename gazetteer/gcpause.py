"""Pausing Python's cyclic garbage collector while many objects are built.

Building hundreds of thousands of containers (an import's records, the finder's subtries)
triggers full collections that walk all of them again and again, though none is part of
a cycle: reference counting frees them. The pause is process-wide — in the app, cycles the
GUI thread makes meanwhile wait for its end, which costs memory, not correctness.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic collection inside; the collector is switched back on after, failed or
    not (unless it was off already)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
