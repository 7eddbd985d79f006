"""Search follows a place's importance: edits and imports that change a population or a
role change how the place is ranked and whether a two-letter typo finds it, at once.

Karkijahan is a village of 2 300 people in the bundled gazetteer (importance 33.4, under
``search.NOTABLE_IMPORTANCE``), so "Kakrijahna" (two letters swapped twice) does not find
it; a town of 50 000 it would be notable, and found.
"""

from __future__ import annotations

from gazetteer import normalize, search
from gazetteer.bulk import BulkWriter, ImportedPlace, run_bulk_import
from gazetteer.facade import Gazetteer
from gazetteer.intake import NameInput, PlaceInput, PopulationInput
from gazetteer.model import importance

TYPO = "Kakrijahna"  # Karkijahan, two transpositions: only the letter typo index reaches it
SOURCE = "https://example.org/census"


def found(g: Gazetteer, query: str, place_id: str) -> bool:
    return place_id in [h.place.id for h in g.search(query, limit=20)]


def ranks(g: Gazetteer, place_id: str) -> set[float]:
    rows = g.store.conn.execute(
        "SELECT DISTINCT k.rank FROM name_key k JOIN name n ON n.id = k.name_id "
        "WHERE n.place_id = ?",
        [place_id],
    ).fetchall()
    return {r["rank"] for r in rows}


def population(g: Gazetteer, place_id: str, value: int, year: int) -> None:
    g.write([PlaceInput(id=place_id, populations=[PopulationInput(value, year, SOURCE)])])


def test_a_village_that_grows_past_the_notable_threshold_is_found_by_a_two_letter_typo(
    gazetteer: Gazetteer,
) -> None:
    g = gazetteer
    assert g.store.get_place("karkijahan")["importance"] < search.NOTABLE_IMPORTANCE  # type: ignore[index]
    assert not found(g, TYPO, "karkijahan")
    population(g, "karkijahan", 50_000, 2024)
    assert found(g, TYPO, "karkijahan")
    # A newer census of 2 000: a village again, and the typo no longer reaches it.
    population(g, "karkijahan", 2_000, 2025)
    assert not found(g, TYPO, "karkijahan")
    assert found(g, "Karkijahan", "karkijahan")  # the name itself, of course, still is


def test_rank_rows_follow_every_change_of_importance(gazetteer: Gazetteer) -> None:
    g = gazetteer
    population(g, "karkijahan", 50_000, 2024)
    grown = g.store.get_place("karkijahan")["importance"]  # type: ignore[index]
    assert grown == importance("village", 50_000)
    assert ranks(g, "karkijahan") == {grown}
    g.write([PlaceInput(id="karkijahan", role="town")])  # reclassified
    assert ranks(g, "karkijahan") == {importance("town", 50_000)}
    # The whole file agrees: no key row ranked other than its place.
    stale = g.store.conn.execute(
        "SELECT count(*) AS n FROM name_key k JOIN name n ON n.id = k.name_id "
        "JOIN place p ON p.id = n.place_id WHERE k.rank IS NOT p.importance"
    ).fetchone()
    assert stale["n"] == 0


def test_a_shared_plain_key_keeps_its_typo_rows_while_one_notable_place_has_it(
    gazetteer: Gazetteer,
) -> None:
    # Martuni in Karabakh (a town of 5 700) and Martuni in Armenia (12 000) share the plain
    # key "martuni". Reclassified as a village, the first is no longer notable; the
    # second still is, so the key's letter rows stay, and a typo finds both.
    g = gazetteer
    typo = "Matruin"  # two transpositions
    assert found(g, typo, "martuni") and found(g, typo, "martuni_am")
    parts = search.letter_parts("martuni")
    g.write([PlaceInput(id="martuni", role="village")])
    assert g.store.get_place("martuni")["importance"] < search.NOTABLE_IMPORTANCE  # type: ignore[index]
    assert g.store.letters_near([p for p, _ in parts], 7, 7) == ["martuni"]
    assert found(g, typo, "martuni_am")
    # Both reclassified (a hamlet of 12 000 is not notable): the rows go.
    g.write([PlaceInput(id="martuni_am", role="hamlet")])
    assert g.store.letters_near([p for p, _ in parts], 7, 7) == []
    assert not found(g, typo, "martuni_am")


def test_an_import_that_merges_a_population_into_a_place_makes_it_notable(
    gazetteer: Gazetteer,
) -> None:
    # GeoNames feature 147736 is Karkijahan: the bulk writer merges by GeoNames id and adds
    # the dump's population (undated, so the largest undated figure counts).
    g = gazetteer
    assert not found(g, TYPO, "karkijahan")

    def load(writer: BulkWriter, tick: object) -> None:
        writer.add_places(
            [ImportedPlace(147736, "village", 39.80271, 46.73642, population=50_000, line=1)]
        )

    report = run_bulk_import(
        g.store, normalize.name_keys, load, citation="geonames test", url=None, expected_names=0
    )
    assert report.places_merged == 1
    grown = importance("village", 50_000)
    assert g.store.get_place("karkijahan")["importance"] == grown  # type: ignore[index]
    assert ranks(g, "karkijahan") == {grown}  # its curated names' rows too
    assert found(g, TYPO, "karkijahan")


def test_a_full_refresh_spells_every_deletion_of_bangkoks_ceremonial_name(
    empty_gazetteer: Gazetteer,
) -> None:
    # Its skeleton has 144 characters (the longest of the cities500 import); deletions
    # used to stop at position 100.
    g = empty_gazetteer
    text = (
        "Krung Thep Maha Nakhon Amon Rattanakosin Mahintarayutthaya Maha Dilok Phop "
        "Noppharat Ratchathani Buri Rom Udom Ratchaniwet Maha Sathan Amon Phiman Awatan "
        "Sathit Sakka Thattiya Witsanukam Prasit"
    )
    name = NameInput(text=text, lang="th-Latn", kind="variant", source=SOURCE)
    g.write([PlaceInput(id="bangkok", role="capital", names=[name])])
    search.refresh_index(g.store, full=True)
    (skeleton,) = {key for kind, key in normalize.name_keys(text, "th-Latn") if kind == "skel"}
    assert len(skeleton) > 100
    stored = {
        r["del"]
        for r in g.store.conn.execute("SELECT del FROM skel_delete WHERE skel = ?", [skeleton])
    }
    assert search._deletions(skeleton) <= stored
    assert skeleton[:-1] in stored



def test_deleting_the_newest_key_rows_then_writing_new_ones_refreshes_just_those(
    gazetteer: Gazetteer,
) -> None:
    # An import drops shadowed names after its refresh; when they held the top key rowids,
    # the stored mark is above the last rowid, and the next rows written take the freed
    # rowids: they must be refreshed, without a refresh from scratch.
    store = gazetteer.store
    top = store.conn.execute("SELECT name_id FROM name_key ORDER BY rowid DESC LIMIT 1")
    assert store.delete_name(top.fetchone()["name_id"])
    assert search.refresh_start(store) == 0  # unsettled, the refresh could not go on safely
    search.settle_deletions(store)  # as an import does after dropping shadowed names
    assert search.refresh_start(store) is None
    gazetteer.write(
        [PlaceInput(id="karkijahan", names=[NameInput("Karkijahanavan", "hy-Latn", "variant",
                                                      source=SOURCE)])]
    )  # fmt: skip
    gazetteer.search("Karkijahan")  # a search refreshes first
    assert None not in ranks(gazetteer, "karkijahan")
    deletions = store.conn.execute(
        "SELECT count(*) AS n FROM skel_delete WHERE skel IN (SELECT k.key FROM name_key k "
        "JOIN name n ON n.id = k.name_id WHERE n.text = 'Karkijahanavan' AND k.kind = 'skel')"
    ).fetchone()["n"]
    assert deletions > 0  # its skeleton's one-letter deletions, for typo search
    assert search.refresh_start(store) is None
