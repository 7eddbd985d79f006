"""Typed domain errors. They carry facts (which field, which value, where), not prose:
the CLI and the UI each phrase them for their own audience.

Storage errors from ``db`` are re-exported here so the UI can tell a locked, read-only,
corrupt or too-new file apart without importing the storage layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.errors import (
    ConstraintError,
    CorruptDatabaseError,
    DatabaseLockedError,
    ReadOnlyDatabaseError,
    StorageError,
    TooNewDatabaseError,
)


class GazetteerError(Exception):
    """Root of the errors the domain raises on purpose."""


class ValidationError(GazetteerError):
    """A value that cannot go into the gazetteer: ``field`` says which, ``problem`` why."""

    def __init__(self, field: str, problem: str, value: object = None) -> None:
        self.field = field
        self.problem = problem
        self.value = value
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class Problem:
    """One bad spot in an input file: where (file, line, field) and what is wrong."""

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        """``FILE:LINE: field: problem``; ``FILE: field: problem`` for a problem with the
        whole file (line 0), which has no line to name."""
        if self.line <= 0:
            return f"{self.file}: {self.field}: {self.problem}"
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


class InvalidFileError(GazetteerError):
    """An input file with one or more problems; nothing from it was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(shown + more)


class NotFoundError(GazetteerError):
    """No place matches the id or name given."""

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(query)


class AmbiguousNameError(GazetteerError):
    """A name that several places share; ``candidates`` are their ids."""

    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = candidates
        super().__init__(f"{query}: {', '.join(candidates)}")


class CancelledError(GazetteerError):
    """A long operation stopped because the user asked it to; nothing was written."""


__all__ = [
    "AmbiguousNameError",
    "CancelledError",
    "ConstraintError",
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "GazetteerError",
    "InvalidFileError",
    "NotFoundError",
    "Problem",
    "ReadOnlyDatabaseError",
    "StorageError",
    "TooNewDatabaseError",
    "ValidationError",
]
