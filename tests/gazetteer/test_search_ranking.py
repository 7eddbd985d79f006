"""The reserved slots of the first screen (gazetteer.search._reserve), on the ranking a
search for "Arara" gets among GeoNames' 1.2 million names (bench/search.py): two dozen
small places named Arara or sounding like it, strictly before Araras (Brazil, 130 000
people), Araraquara and Araranguá, which begin with the letters typed."""

from __future__ import annotations

from gazetteer.search import (
    NOTABLE_MARGIN,
    RESERVED,
    SCREEN,
    TIER_SCORES,
    MatchedName,
    RankedPlace,
    _reserve,
)


def hit(place: str, text: str, tier: str, importance: float) -> RankedPlace:
    score = TIER_SCORES.get(tier, 64.0)
    return RankedPlace(place, None, importance, MatchedName(text, "und", "variant", tier, score, 0))


# The strict order: tier first, then importance (GeoNames ids, names and importance).
STRICT = [
    hit("geonames:108512", "arara", "exact", 35.17),
    hit("geonames:3407297", "Arara", "exact", 34.09),
    hit("geonames:295655", "Ar'ara", "plain", 34.40),
    hit("geonames:890299", "Arare", "skeleton", 36.19),
    hit("geonames:1278446", "Arāria", "skeleton", 34.90),
    hit("geonames:174991", "اراراۃ", "skeleton", 34.25),
    hit("geonames:2177756", "آراراٹ", "skeleton", 33.93),
    hit("geonames:3400810", "Ereré", "skeleton", 33.81),
    hit("geonames:2516773", "Erera", "skeleton", 33.79),
    hit("geonames:12687554", "Yéré Yéré", "skeleton", 32.93),
    hit("geonames:1278483", "araraha", "prefix", 35.42),
    hit("geonames:3471766", "Araraquara", "prefix", 35.23),
    hit("geonames:3471758", "Araras", "prefix", 35.13),
    hit("geonames:3471772", "Araranguá", "prefix", 34.86),
    hit("geonames:172955", "ara rakaha", "skeleton-prefix", 35.73),
]


def ids(ranked: list[RankedPlace]) -> list[str]:
    return [r.place_id for r in ranked]


def test_the_first_places_never_move() -> None:
    reserved = _reserve(STRICT)
    head = SCREEN - RESERVED
    assert ids(reserved[:head]) == ids(STRICT[:head])
    assert sorted(ids(reserved)) == sorted(ids(STRICT))  # nothing lost, nothing doubled


def test_notable_places_typed_by_their_first_letters_take_the_reserved_slots() -> None:
    slots = ids(_reserve(STRICT)[SCREEN - RESERVED : SCREEN])
    # Araras and the others are more than NOTABLE_MARGIN more important than the places
    # named Ereré, Erera and Yéré Yéré that held the slots; they keep their strict order.
    assert slots == ["geonames:1278483", "geonames:3471766", "geonames:3471758"]
    assert min(STRICT[i].importance for i in (10, 11, 12)) >= 33.81 + NOTABLE_MARGIN


def test_a_sound_alike_never_takes_a_slot_however_important() -> None:
    # "ara rakaha" matched the skeleton's prefix only: not the letters typed.
    assert "geonames:172955" not in ids(_reserve(STRICT)[:SCREEN])


def test_a_place_needs_the_margin_to_take_a_slot() -> None:
    # The least important place in the slots is Yéré Yéré (32.93): a prefix match just
    # under 32.93 + NOTABLE_MARGIN stays below, one just over takes its slot.
    under = [*STRICT[:SCREEN], hit("geonames:3471772", "Araranguá", "prefix", 33.9)]
    assert _reserve(under) == under
    over = [*STRICT[:SCREEN], hit("geonames:3471772", "Araranguá", "prefix", 34.0)]
    assert ids(_reserve(over)[SCREEN - RESERVED : SCREEN]) == [
        "geonames:3400810",
        "geonames:2516773",
        "geonames:3471772",
    ]


def test_a_short_list_is_left_as_it_is() -> None:
    assert _reserve(STRICT[:SCREEN]) == STRICT[:SCREEN]
