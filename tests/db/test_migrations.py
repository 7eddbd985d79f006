"""Schema migrations, refusal of too-new files, backups, corrupt files."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from db import SCHEMA_VERSION, Store
from db.errors import CorruptDatabaseError, TooNewDatabaseError
from db.migrations import migrations


def test_new_file_gets_every_migration_and_the_schema_version(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.sqlite")
    assert store.applied_migrations() == [m.name for m in migrations._migrations]
    assert store.schema_version() == SCHEMA_VERSION
    assert store.backup_path is None  # nothing to back up in a new file
    store.close()


def test_initial_schema_has_the_data_model(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.sqlite")
    tables = {r["name"] for r in store._all("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "place",
        "name",
        "population",
        "source",
        "place_source",
        "relation",
        "change",
        "name_key",
        "meta",
    } <= tables
    assert store._one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert store._one("PRAGMA foreign_keys")["foreign_keys"] == 1
    store.close()


def test_constraints_refuse_impossible_rows(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.sqlite")
    from db.errors import ConstraintError

    with pytest.raises(ConstraintError):
        store.insert_place({"id": "x", "role": "town", "lat": 91.0, "lon": 0.0})
    with pytest.raises(ConstraintError), store.transaction():
        store.insert_place({"id": "y", "role": "town", "parent_id": "missing"})
    assert store.get_place("y") is None  # the failed transaction left nothing behind
    store.close()


@pytest.fixture
def old_file(tmp_path: Path, file_before: Callable[..., None]) -> Path:
    """A database as the first release wrote it (only migration 0001 applied)."""
    path = tmp_path / "old.sqlite"
    file_before(
        path, migrations._migrations[1].name, "INSERT INTO place(id, role) VALUES ('p', 'town')"
    )
    return path


def test_every_later_migration_runs_on_a_first_release_file_after_a_backup(old_file: Path) -> None:
    path = old_file
    store = Store.open(path)
    assert store.applied_migrations() == [m.name for m in migrations._migrations]
    assert store.get_place("p") is not None  # data survived the migrations
    if SCHEMA_VERSION > 1:
        assert store.backup_path is not None and store.backup_path.exists()
        backup = sqlite3.connect(store.backup_path)
        assert backup.execute("SELECT id FROM place").fetchall() == [("p",)]
        backup.close()
    store.close()


@pytest.mark.parametrize(
    ("migration", "after", "table"),
    [
        ("0002_naming_profiles", "0001_initial_schema", "naming_profile"),
        ("0003_search_index", "0002_naming_profiles", "skel_delete"),
        ("0004_letter_typo_index", "0003_search_index", "letter_typo"),
    ],
)
def test_a_file_from_before_a_migration_gains_its_table_keeps_its_data_and_is_backed_up(
    tmp_path: Path, file_before: Callable[..., None], migration: str, after: str, table: str
) -> None:
    names = [m.name for m in migrations._migrations]
    assert names.index(migration) == names.index(after) + 1
    path = tmp_path / "old.sqlite"
    file_before(path, migration, "INSERT INTO place(id, role) VALUES ('shusha', 'city')")
    store = Store.open(path)
    assert migration in store.applied_migrations()
    assert store._one("SELECT 1 FROM sqlite_master WHERE name = ?", [table]) is not None
    assert store.get_place("shusha") is not None
    assert store.backup_path is not None
    backup = sqlite3.connect(store.backup_path)
    tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    backup.close()
    assert table not in tables  # the backup is the file as it was
    store.close()


def test_too_new_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES ('gazetteer', '9999_from_the_future', '2030-01-01')"
    )
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(TooNewDatabaseError) as raised:
        Store.open(path)
    assert raised.value.found == SCHEMA_VERSION + 1
    assert raised.value.unknown_migrations == ["9999_from_the_future"]
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_file_that_is_not_a_database_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(CorruptDatabaseError):
        Store.open(path)
    assert path.read_text().startswith("these are my notes")


def test_damaged_pages_fail_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    store = Store.open(path)
    with store.transaction():
        for i in range(2000):
            store.insert_place({"id": f"place-{i:05d}", "role": "village", "note": "x" * 200})
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, page * 3 + 2048):  # scribble over a b-tree page
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError):
        Store.open(path).check_integrity()
