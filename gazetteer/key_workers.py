"""What the import's key worker processes run: nothing but the search-key rules.

A module of its own so that a worker, which unpickles these functions by their module
name, imports only this and the key builder it is given (``gazetteer.normalize``) — not
the bulk writer, the storage layer and what they pull in (sqlite-utils imports numpy
where it is installed, and numpy starts a BLAS thread pool): each worker then holds about
a hundred megabytes less.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable

#: How much lower the key workers' scheduling priority is than the writer's (``os.nice``).
WORKER_NICENESS = 10

# db.store.KeyBuilder, spelled again: importing db here is what this module avoids.
KeyBuilder = Callable[[str, str], Iterable[tuple[str, str]]]


def lower_priority() -> None:
    """Worker initializer: yield the CPU to the writing process when both want it (the
    writer is the import's critical path; on two cores three busy processes slowed it by
    a third)."""
    with contextlib.suppress(OSError, AttributeError):  # no os.nice on Windows
        os.nice(WORKER_NICENESS)


def keys_of_pairs(key_builder: KeyBuilder, pairs: list[tuple[str, str]]) -> list[str]:
    """The key rows of each (text, lang) pair, as one JSON array each.

    Why JSON text and not tuples: the writing process unpickles one string per name
    instead of seven tuples and fourteen strings, and hands it to SQLite as is
    (``Store.insert_packed_keys`` unpacks it in C). That took ~7 s off the critical path
    of a million-name import.
    """
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return [dumps(list(key_builder(text, lang))) for text, lang in pairs]
