"""Storage layer: SQLite schema, migrations, connection setup and every SQL statement.

Imports neither ``gazetteer`` nor ``ui``; domain functions it needs (such as the search-key
builder) are passed in by the caller.
"""

from db.connection import SCHEMA_VERSION, bundled_data_path, open_database
from db.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    ReadOnlyDatabaseError,
    StorageError,
    TooNewDatabaseError,
)
from db.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "ReadOnlyDatabaseError",
    "StorageError",
    "Store",
    "TooNewDatabaseError",
    "bundled_data_path",
    "open_database",
]
