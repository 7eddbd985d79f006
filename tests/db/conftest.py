"""Helpers for migration tests: database files as an earlier release wrote them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.migrations import migrations


def write_file_before(path: Path, migration: str, *statements: str) -> None:
    """Write ``path`` as the release before ``migration`` left it, plus ``statements``.

    Every earlier migration is applied and ``user_version`` set to their count, as that
    release did; the statements add the data a test expects to survive the upgrade.
    """
    names = [m.name for m in migrations._migrations]
    db = Database(path)
    migrations.apply(db, stop_before=migration)
    db.conn.execute(f"PRAGMA user_version = {names.index(migration)}")
    for statement in statements:
        db.conn.execute(statement)
    db.conn.commit()
    db.conn.close()


@pytest.fixture
def file_before() -> Callable[..., None]:
    """``write_file_before``, for test modules (they cannot import this conftest)."""
    return write_file_before
