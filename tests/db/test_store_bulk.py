"""Store's bulk-loading and selection statements (issue 6), on a bare database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from db import Store, connection
from db.connection import BUSY_TIMEOUT_MS
from db.errors import DatabaseLockedError

ROOT = Path(__file__).resolve().parents[2]


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


def test_bulk_load_alone_writes_through_a_rollback_journal_then_goes_back_to_wal(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    assert store.journal_mode() == "wal"
    with store.bulk_load():
        assert store.journal_mode() == "delete"
        assert store._scalar("PRAGMA synchronous") == 2  # FULL, as advised for rollback
        place(store, "a")
    assert store.journal_mode() == "wal"
    assert store._scalar("PRAGMA synchronous") == 1  # NORMAL again
    assert store.get_place("a") is not None
    with pytest.raises(RuntimeError), store.bulk_load():
        place(store, "b")
        raise RuntimeError("stop")
    assert store.journal_mode() == "wal"
    assert store.get_place("b") is None
    store.close()


def test_bulk_load_beside_another_connection_stays_in_wal_and_lets_it_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite"
    store, window = Store.open(path), Store.open(path)
    place(store, "a")
    with store.bulk_load():
        assert store.journal_mode() == "wal"
        place(store, "b")
        assert window.get_place("a") is not None  # reads go on during the load
        assert window.get_place("b") is None  # which it sees only once committed
    assert window.get_place("b") is not None
    assert store._scalar("PRAGMA busy_timeout") == BUSY_TIMEOUT_MS  # restored after the try
    store.close()
    window.close()


def test_a_bulk_load_killed_after_writing_to_the_file_leaves_it_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite"
    store = Store.open(path)
    place(store, "kept", note="before the load")
    store.close()
    size_before = path.stat().st_size
    # A load big enough to overflow a 1 MiB page cache, so that pages reach the file
    # itself before the process dies: only the rollback journal can undo them.
    script = f"""
import os, sys
from db import Store
store = Store.open({str(path)!r})
with store.bulk_load(cache_mib=1):
    assert store.journal_mode() == "delete"
    store.bulk_insert(
        "place", ("id", "role", "note"),
        ((f"p{{i}}", "village", "x" * 400) for i in range(20_000)),
    )
    store.update_place("kept", {{"note": "changed by the load"}})
    grew = os.path.getsize({str(path)!r}) > {size_before}
    journal = os.path.exists({str(path)!r} + "-journal")
    print("grew" if grew else "in memory", "journal" if journal else "no journal", flush=True)
    os._exit(9)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 9, done.stderr
    assert done.stdout.split() == ["grew", "journal"]
    store = Store.open(path)  # the hot journal is rolled back here
    assert store.get_place("p0") is None
    assert store.get_place("kept")["note"] == "before the load"
    store.check_integrity()
    assert store.journal_mode() == "wal"
    assert not Path(f"{path}-journal").exists()
    store.close()


def test_a_bulk_load_inside_another_leaves_every_dropped_index_to_be_rebuilt(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    before = index_names(store)
    with store.bulk_load(defer_indexes_on=("name_key", "name")):
        with store.bulk_load():  # as a refresh from scratch runs inside an import
            place(store, "a")
        with store.bulk_load(defer_indexes_on=("name",)):  # nothing more to drop
            assert "name_place" not in index_names(store)
        assert "name_key_name" not in index_names(store)  # still the outer load's to build
    assert index_names(store) == before
    with store.transaction(), store.bulk_load(defer_indexes_on=("name",)):
        assert "name_place" not in index_names(store)
    assert index_names(store) == before  # the inner load rebuilt what it dropped
    store.close()


def test_a_failed_bulk_load_inside_a_transaction_that_goes_on_leaves_its_indexes(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    before = index_names(store)
    with store.transaction():
        with pytest.raises(RuntimeError), store.bulk_load(defer_indexes_on=("name",)):
            raise RuntimeError("stop")
        place(store, "a")  # the caller caught it and goes on: the transaction commits
    assert index_names(store) == before
    assert store.get_place("a") is not None
    store.close()


def test_opening_a_file_during_a_load_that_has_it_to_itself_says_why_it_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.sqlite"
    store = Store.open(path)
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)  # the other program's patience
    with store.bulk_load(cache_mib=1):
        assert store.journal_mode() == "delete"
        store.bulk_insert(  # more than the cache holds: the load now writes the file itself
            "place",
            ("id", "role", "note"),
            ((f"p{i}", "village", "x" * 400) for i in range(20_000)),
        )
        with pytest.raises(DatabaseLockedError) as raised:
            Store.open(path)
        assert connection.WRITER_BUSY in str(raised.value)
    other = Store.open(path)  # once the load has committed
    assert other.get_place("p19999") is not None
    other.close()
    store.close()
