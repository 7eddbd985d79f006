"""Store.transaction when its ROLLBACK fails: said clearly, and recovered from next time.

The failures are SQLite's own, provoked the ways they happen: ``sqlite3_interrupt`` stays in
force while any statement on the connection is still running (and then stops the ROLLBACK
too), and a progress handler that asks to stop interrupts the ROLLBACK's own steps.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Store
from db.errors import StorageError


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    """The bundled gazetteer's database, opened at the storage layer."""
    opened = Store.open(db)
    yield opened
    opened.close()


def places_seen_by_another_connection(store: Store) -> set[str]:
    assert store.path is not None
    other = sqlite3.connect(store.path)
    try:
        return {row[0] for row in other.execute("SELECT id FROM place")}
    finally:
        other.close()


def test_a_rollback_stopped_by_an_interrupt_is_reported_then_recovered(store: Store) -> None:
    before = places_seen_by_another_connection(store)
    assert "shusha" in before
    with pytest.raises(StorageError, match="rollback failed") as raised, store.transaction():
        store.insert_place({"id": "interrupted-place", "role": "village"})
        reading = store.conn.execute("SELECT id FROM place ORDER BY id")
        reading.fetchone()  # a read still running, as a streamed export's would be
        store.conn.interrupt()
        raise ValueError("the edit failed")
    # Chained to the error that made the rollback necessary, and naming what failed.
    assert isinstance(raised.value.__cause__, ValueError)
    assert "interrupted" in str(raised.value)
    assert store.conn.in_transaction  # the rollback really did not happen
    assert places_seen_by_another_connection(store) == before  # nothing was committed

    # While the read is still running, the leftover cannot be rolled back either: a
    # clear error again, not "cannot start a transaction within a transaction".
    with pytest.raises(StorageError, match="rolling it back failed again"), store.transaction():
        pass
    reading.close()
    with store.transaction():  # the leftover is rolled back first, then this one runs
        store.insert_place({"id": "after-recovery", "role": "village"})
    assert store.get_place("interrupted-place") is None
    assert store.get_place("after-recovery") is not None
    assert not store.conn.in_transaction
    assert places_seen_by_another_connection(store) == before | {"after-recovery"}


def test_a_rollback_stopped_by_a_progress_handler_is_reported(store: Store) -> None:
    failing = pytest.raises(StorageError, match=r"rollback failed.*interrupted")
    with failing as raised, store.transaction():
        store.update_place("shusha", {"note": "changed inside a failing transaction"})
        store.conn.set_progress_handler(lambda: 1, 1)  # stop every statement at once
        raise KeyError("shusha")
    assert isinstance(raised.value.__cause__, KeyError)
    store.conn.set_progress_handler(None, 0)
    with store.transaction():
        pass
    row = store.get_place("shusha")
    assert row is not None and row["note"] != "changed inside a failing transaction"


def test_a_keyboard_interrupt_stays_one_and_carries_the_failed_rollback(store: Store) -> None:
    with pytest.raises(KeyboardInterrupt) as raised, store.transaction():
        store.insert_place({"id": "ctrl-c", "role": "village"})
        store.conn.set_progress_handler(lambda: 1, 1)
        raise KeyboardInterrupt
    store.conn.set_progress_handler(None, 0)
    assert any("rollback failed" in note for note in raised.value.__notes__)
    with store.transaction():
        pass
    assert store.get_place("ctrl-c") is None


def test_an_ordinary_rollback_still_just_reraises(store: Store) -> None:
    with pytest.raises(ValueError, match="plain"), store.transaction():
        store.insert_place({"id": "plain-failure", "role": "village"})
        raise ValueError("plain")
    assert store.get_place("plain-failure") is None
    assert not store.conn.in_transaction


def test_a_transaction_opened_behind_the_store_is_named(store: Store) -> None:
    store.conn.execute("BEGIN")
    with pytest.raises(StorageError, match="did not start"), store.transaction():
        pass
    store.conn.execute("ROLLBACK")
