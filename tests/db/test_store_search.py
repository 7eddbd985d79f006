"""Search statements of the store: one row per key and place for typo lookups."""

from __future__ import annotations

from pathlib import Path

from db import Store


def test_one_per_key_counts_places_not_names(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite")
    with store.transaction():
        # A big place with three names under one skeleton, and a small one with one.
        for pid, importance in (("moscow", 70.0), ("moskva_village", 31.0)):
            store.insert_place({"id": pid, "role": "city", "importance": importance})
        for text, lang, pid in (
            ("Moskva", "en", "moscow"),
            ("Moscova", "ro", "moscow"),
            ("Moskwa", "pl", "moscow"),
            ("Moskva", "en", "moskva_village"),
        ):
            store.insert_name(
                {"place_id": pid, "text": text, "lang": lang, "script": "Latn", "kind": "common"},
                [("skel", "moskva")],
            )
    store.refresh_search_index(0, 3)
    every = store.search_key_rows([("skel", ["moskva"])], [], 2)
    assert [r[3] for r in every] == [70.0, 70.0]  # the big place's names crowd the limit
    grouped = store.search_key_rows([("skel", ["moskva"])], [], 2, one_per_key=True)
    assert [r[3] for r in grouped] == [70.0, 31.0]  # one row each: both places
    moscow_names = [r["id"] for r in store.names_for_place("moscow")]
    assert grouped[0][2] == min(moscow_names)  # the lowest name id stands for its place
    store.close()
