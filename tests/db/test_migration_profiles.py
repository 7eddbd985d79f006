"""Migration 0002_naming_profiles and the store's naming-profile statements."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from db import Store
from db.errors import ConstraintError
from db.migrations import migrations

NAME = "0002_naming_profiles"


@pytest.fixture
def old_file(tmp_path: Path, file_before: Callable[..., None]) -> Path:
    """A database as written by the release before naming profiles existed."""
    path = tmp_path / "old.sqlite"
    file_before(path, NAME, "INSERT INTO place(id, role) VALUES ('shusha', 'city')")
    return path


def test_the_migration_is_registered_after_the_initial_schema() -> None:
    names = [m.name for m in migrations._migrations]
    assert NAME in names and names.index(NAME) > names.index("0001_initial_schema")


def test_an_older_file_gains_the_table_keeps_its_data_and_is_backed_up(old_file: Path) -> None:
    path = old_file
    store = Store.open(path)
    assert NAME in store.applied_migrations()
    assert store.naming_profiles() == []
    assert store.get_place("shusha") is not None
    assert store.backup_path is not None
    backup = sqlite3.connect(store.backup_path)
    tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    backup.close()
    assert "naming_profile" not in tables  # the backup is the file as it was
    store.close()


def test_save_replace_and_delete_with_change_log(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.sqlite")
    assert store.save_naming_profile("mine", json.dumps({"lang": "en"})) is True
    assert store.save_naming_profile("mine", json.dumps({"lang": "ru"})) is False
    row = store.get_naming_profile("mine")
    assert row is not None and json.loads(row["settings"]) == {"lang": "ru"}
    assert row["created_at"] <= row["updated_at"]
    assert store.delete_naming_profile("mine") is True
    assert store.delete_naming_profile("mine") is False
    actions = [c["action"] for c in store.changes_for("naming_profile", "mine")]
    assert actions == ["create", "update", "delete"]
    store.close()


def test_the_schema_refuses_settings_that_are_not_json_and_overlong_ids(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.sqlite")
    with pytest.raises(ConstraintError):
        store.save_naming_profile("mine", "{not json")
    with pytest.raises(ConstraintError):
        store.save_naming_profile("x" * 41, "{}")
    assert store.naming_profiles() == []
    assert store.changes_for("naming_profile", "mine") == []  # rolled back with the insert
    store.close()
