"""Store's bulk-loading and selection statements (issue 6), on a bare database."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import Store


def index_names(store: Store) -> set[str]:
    return {r["name"] for r in store._all("SELECT name FROM sqlite_master WHERE type = 'index'")}


def place(store: Store, pid: str, parent: str | None = None, **fields: object) -> None:
    store.insert_place(
        {"id": pid, "role": fields.pop("role", "village"), "parent_id": parent, **fields}
    )


def test_bulk_load_drops_and_restores_indexes(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    before = index_names(store)
    with store.bulk_load(defer_indexes_on=("name_key",)):
        during = index_names(store)
        assert "name_key_name" not in during and "name_key_ranked" not in during
        assert "name_identity" in during  # unique indexes stay: they refuse duplicates
    assert index_names(store) == before
    with pytest.raises(RuntimeError), store.bulk_load(defer_indexes_on=("name_key",)):
        place(store, "a")
        raise RuntimeError("stop")
    assert index_names(store) == before  # rolled back with the transaction
    assert store.get_place("a") is None
    store.close()


def test_bulk_insert_writes_only_known_tables_and_columns(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    with pytest.raises(ValueError):
        store.bulk_insert("meta", ("key", "value"), [("a", "b")])
    with pytest.raises(ValueError):
        store.bulk_insert("place", ("id", "role; DROP TABLE name"), [("a", "b")])
    with pytest.raises(ValueError):
        store.bulk_load(defer_indexes_on=("sqlite_master",)).__enter__()
    store.bulk_insert(
        "place", ("id", "role", "geonames_id"), [("x", "village", 7), ("y", "town", 8)]
    )
    assert store.place_ids_for_geonames([7, 8, 9]) == {7: "x", 8: "y"}
    store.close()


def test_descendants_and_filters(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    place(store, "region", role="region", lat=40.0, lon=46.0)
    place(store, "town", "region", role="town", lat=40.1, lon=46.1)
    place(store, "village", "town", lat=41.0, lon=47.0)
    place(store, "other", lat=40.05, lon=46.05)
    store.update_place("region", {"parent_id": "village"})  # a cycle must not loop forever
    assert store.descendant_ids("town") == ["region", "town", "village"]
    store.insert_name(
        {
            "place_id": "town",
            "text": "Լաչին",
            "lang": "hy",
            "script": "Armn",
            "kind": "common",
            "preferred": 1,
        }
    )
    store.insert_name(
        {
            "place_id": "village",
            "text": "Lachin",
            "lang": "hy-Latn",
            "script": "Latn",
            "kind": "transliteration",
            "preferred": 0,
        }
    )
    assert store.place_ids_where(langs=["hy"]) == ["town", "village"]
    assert store.place_ids_where(langs=["hy"], roles=["town"]) == ["town"]
    assert store.place_ids_where(box=(39.9, 45.9, 40.2, 46.2)) == ["other", "region", "town"]
    assert store.place_ids_where(langs=["h%"]) == []  # LIKE wildcards in a tag match nothing
    store.close()
