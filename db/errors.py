"""Typed storage errors.

Every sqlite3 error that can reach a caller is turned into one of these, so the layers above
can tell the user *what kind* of storage problem happened (locked, read-only, corrupt, too new)
without parsing SQLite's English messages. They carry facts, not user-facing prose.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StorageError(Exception):
    """Base class for every problem with the database file."""

    def __init__(self, path: Path | str | None, detail: str) -> None:
        self.path = str(path) if path is not None else None
        self.detail = detail
        super().__init__(f"{self.path}: {detail}" if self.path else detail)


class DatabaseLockedError(StorageError):
    """Another process holds a lock on the database for longer than the busy timeout."""


class ReadOnlyDatabaseError(StorageError):
    """The database file (or its folder) cannot be written."""


class CorruptDatabaseError(StorageError):
    """The file is not a SQLite database, or fails ``PRAGMA integrity_check``."""


class TooNewDatabaseError(StorageError):
    """The database was written by a newer version of the program; it is never altered."""

    def __init__(self, path: Path | str | None, found: int, supported: int, unknown: list[str]):
        self.found = found
        self.supported = supported
        self.unknown_migrations = unknown
        detail = (
            f"schema version {found} is newer than the {supported} this program understands"
            + (f" (unknown migrations: {', '.join(unknown)})" if unknown else "")
        )
        super().__init__(path, detail)


class ConstraintError(StorageError):
    """A write broke a constraint (a missing parent, a duplicate id...)."""


def translate(error: sqlite3.Error, path: Path | str | None) -> StorageError:
    """Map a raw sqlite3 error to the typed storage error that describes it."""
    message = str(error)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseLockedError(path, message)
    if "readonly" in lowered or "read-only" in lowered or "attempt to write" in lowered:
        return ReadOnlyDatabaseError(path, message)
    if (
        "not a database" in lowered
        or "malformed" in lowered
        or "corrupt" in lowered
        or "file is encrypted" in lowered
    ):
        return CorruptDatabaseError(path, message)
    if isinstance(error, sqlite3.IntegrityError):
        return ConstraintError(path, message)
    if "unable to open" in lowered:
        return ReadOnlyDatabaseError(path, message)
    return StorageError(path, message)
