"""Writing output files so that nothing half-written is ever left behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")


def write_atomically(
    path: Path | str,
    write: Callable[[IO[Any]], T],
    *,
    binary: bool = False,
    newline: str | None = "",
) -> T:
    """Run ``write`` on a temporary file beside ``path``, then rename it into place.

    On an error or a cancel (any exception) the temporary file is removed and ``path`` is
    untouched: a reader never sees a partial export. Text files are UTF-8; ``newline`` is
    passed to ``open`` ("" keeps the writer's own line ends, as CSV needs). Returns what
    ``write`` returns.
    """
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        if binary:
            with os.fdopen(handle, "wb") as out:
                result = write(out)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
                result = write(out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return result
