"""``Gazetteer.totals``: the cheap counts the app shows, equal to the full statistics'."""

from __future__ import annotations


def test_totals_match_the_full_statistics(gazetteer) -> None:  # type: ignore[no-untyped-def]
    stats = gazetteer.stats()
    assert gazetteer.totals() == {
        "places": stats.places, "names": stats.names, "populations": stats.populations,
        "relations": stats.relations, "sources": stats.sources,
    }  # fmt: skip


def test_totals_of_an_empty_gazetteer(empty_gazetteer) -> None:  # type: ignore[no-untyped-def]
    assert set(gazetteer_totals := empty_gazetteer.totals()) == {
        "places", "names", "populations", "relations", "sources"}  # fmt: skip
    assert all(v == 0 for v in gazetteer_totals.values())
