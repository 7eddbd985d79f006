"""The store's naming-profile statements (migration 0002_naming_profiles; its upgrade of an
older file is tested in test_migrations.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db import Store
from db.errors import ConstraintError


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
