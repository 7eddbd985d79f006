"""The store's derived search data follows a place's importance, and the typo index spells
every deletion of a skeleton however long it is.

``name_key.rank`` copies the place's importance and ``letter_typo`` holds rows only for the
plain keys of notable places (migrations 0003, 0004): both must follow when importance
changes, not only when new key rows are refreshed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Store

#: The search layer's threshold of a notable place (``gazetteer.search.NOTABLE_IMPORTANCE``),
#: passed in as the search layer does: db never imports the domain.
NOTABLE = 34.0

#: Bangkok's ceremonial name (GeoNames 1609350) and its canonical skeleton as the key rules
#: spell it: 144 characters, the longest skeleton of the cities500 import.
BANGKOK = (
    "Krung Thep Maha Nakhon Amon Rattanakosin Mahintarayutthaya Maha Dilok Phop Noppharat "
    "Ratchathani Buri Rom Udom Ratchaniwet Maha Sathan Amon Phiman Awatan Sathit Sakka "
    "Thattiya Witsanukam Prasit"
)
BANGKOK_SKELETON = (
    "krunktapmahanahonamonratanakosinmahintarautamahadilokpopnoparatračataniburiromudom"
    "račanivatmahasatanamonpimanavatansatitsakatatiavicanukamprasit"
)


def _letters(plain: str) -> str:
    # A stand-in for gazetteer.search.typo_letters with its shape (the letters of a key of
    # one alphabet, '' when too short).
    return plain.replace(" ", "") if len(plain) >= 5 else ""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Karkijahan (a village of 2 300), the two Martunis (towns in Karabakh and Armenia,
    one plain key between them) and Stepanakert, as the bundled gazetteer has them."""
    store = Store.open(tmp_path / "freshness.sqlite")
    places = [
        ("karkijahan", "village", 33.36, [("Karkijahan", "karkijahan"), ("Krkzhan", "krkzhan")]),
        ("martuni", "town", 53.76, [("Martuni", "martuni")]),
        ("martuni_am", "town", 54.08, [("Martuni", "martuni")]),
        ("stepanakert", "city", 64.72, [("Stepanakert", "stepanakert")]),
    ]
    with store.transaction():
        for pid, role, importance, names in places:
            store.insert_place({"id": pid, "role": role, "importance": importance})
            for text, plain in names:
                store.insert_name(
                    {"place_id": pid, "text": text, "lang": "en", "script": "Latn",
                     "kind": "common"},
                    [("plain", plain), ("skel", plain)],
                )  # fmt: skip
    store.refresh_search_index(0, 3, _letters, min_letter_rank=NOTABLE)
    yield store
    store.close()


def ranks(store: Store, place_id: str) -> set[float]:
    rows = store.conn.execute(
        "SELECT DISTINCT k.rank FROM name_key k JOIN name n ON n.id = k.name_id "
        "WHERE n.place_id = ?",
        [place_id],
    ).fetchall()
    return {r["rank"] for r in rows}


def letter_keys(store: Store) -> set[str]:
    return {r["plain"] for r in store.conn.execute("SELECT DISTINCT plain FROM letter_typo")}


def set_importance(store: Store, place_id: str, value: float) -> None:
    store.set_importance(place_id, value, _letters, NOTABLE)


def test_rank_rows_follow_the_importance_of_their_place(store: Store) -> None:
    assert ranks(store, "karkijahan") == {33.36}
    set_importance(store, "karkijahan", 34.70)
    assert ranks(store, "karkijahan") == {34.70}
    assert ranks(store, "stepanakert") == {64.72}  # other places keep theirs
    assert store.get_place("karkijahan")["importance"] == 34.70  # type: ignore[index]


def test_a_place_that_becomes_notable_gains_letter_rows_and_loses_them_again(
    store: Store,
) -> None:
    assert letter_keys(store) == {"martuni", "stepanakert"}
    set_importance(store, "karkijahan", 34.70)  # 50 000 people
    assert letter_keys(store) == {"martuni", "stepanakert", "karkijahan", "krkzhan"}
    assert store.letters_near(["<karkija"], 10, 10) == ["karkijahan"]
    set_importance(store, "karkijahan", 33.30)  # a newer census: 2 000
    assert letter_keys(store) == {"martuni", "stepanakert"}
    assert store.letters_near(["<karkija"], 10, 10) == []


def test_letter_rows_stay_while_another_notable_place_has_the_plain_key(store: Store) -> None:
    def martuni_rows() -> list[dict[str, object]]:
        sql = "SELECT * FROM letter_typo WHERE plain = 'martuni'"
        return list(store.conn.execute(sql).fetchall())

    rows = martuni_rows()
    assert rows
    set_importance(store, "martuni", 33.76)  # reclassified as a village
    assert martuni_rows() == rows
    set_importance(store, "martuni_am", 24.08)  # and the other one as a hamlet
    assert "martuni" not in letter_keys(store)
    set_importance(store, "martuni", 53.76)
    assert martuni_rows() == rows


def test_a_failed_operation_takes_the_followed_search_data_back_with_it(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        set_importance(store, "karkijahan", 34.70)
        raise RuntimeError("the rest of the edit failed")
    assert ranks(store, "karkijahan") == {33.36}
    assert "karkijahan" not in letter_keys(store)


def test_importance_is_never_written_past_the_search_data(store: Store) -> None:
    with pytest.raises(ValueError, match="set_importance"):
        store.update_place("karkijahan", {"importance": 34.70, "note": "grew"})
    assert store.get_place("karkijahan")["note"] is None  # type: ignore[index]


def test_follow_importance_catches_up_after_a_deferred_write(store: Store) -> None:
    # A bulk load writes importance without following (name_key's indexes are dropped
    # then) and catches up once for all the places it changed.
    store.set_importance("karkijahan", 34.70, _letters, NOTABLE, follow=False)
    assert ranks(store, "karkijahan") == {33.36}
    store.follow_importance(["karkijahan", "martuni"], _letters, NOTABLE)
    assert ranks(store, "karkijahan") == {34.70}
    assert {"karkijahan", "krkzhan", "martuni"} <= letter_keys(store)


def _deletions(skeleton: str) -> set[str]:
    """Every one-character deletion, and its collapsed form where the deletion brings two
    equal characters together (the rule ``Store.refresh_search_index`` documents)."""
    out = set()
    for i in range(len(skeleton)):
        out.add(skeleton[:i] + skeleton[i + 1 :])
        if 0 < i < len(skeleton) - 1 and skeleton[i - 1] == skeleton[i + 1]:
            out.add(skeleton[:i] + skeleton[i + 2 :])
    return out


def test_a_skeleton_longer_than_100_characters_gets_every_deletion(store: Store) -> None:
    assert len(BANGKOK_SKELETON) == 144
    with store.transaction():
        store.insert_place({"id": "geonames:1609350", "role": "capital", "importance": 96.0})
        store.insert_name(
            {"place_id": "geonames:1609350", "text": BANGKOK, "lang": "und", "script": "Latn",
             "kind": "variant"},
            [("skel", BANGKOK_SKELETON)],
        )  # fmt: skip
    store.refresh_search_index(store.max_name_key_rowid() - 1, 3)
    stored = {
        r["del"]
        for r in store.conn.execute(
            "SELECT del FROM skel_delete WHERE skel = ?", [BANGKOK_SKELETON]
        )
    }
    assert stored == _deletions(BANGKOK_SKELETON)
    # The last character deleted: position 144, far past the old cap of 100.
    assert BANGKOK_SKELETON[:-1] in stored
