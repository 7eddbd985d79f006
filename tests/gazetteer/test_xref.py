"""Cross-reference, name history and hierarchy on the bundled gazetteer."""

from __future__ import annotations

import pytest

from gazetteer.errors import AmbiguousNameError, NotFoundError, ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.hierarchy import CURRENT_PARENT
from gazetteer.model import Name
from gazetteer.profiles import in_use
from gazetteer.xref import name_history

# -- equivalents ------------------------------------------------------------------------------


def test_shusha_in_armenian_is_shushi_preferred_first(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("Shusha", "hy")
    assert xref.place.id == "shusha"
    assert [e.text for e in xref.equivalents] == ["Շուշի", "Շուշե"]
    best = xref.equivalents[0]
    assert (best.kind, best.preferred, best.script) == ("common", True, "Armn")
    assert best.source == "https://en.wikipedia.org/wiki/Shusha"
    assert xref.generated is None and not xref.no_name_in_target


def test_russian_variant_khankendi_gives_azerbaijani_xankendi(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("Ханкенди", "az")
    assert xref.place.id == "stepanakert"
    assert xref.match is not None and (xref.match.text, xref.match.lang) == ("Ханкенди", "ru")
    assert xref.best is not None and xref.best.text == "Xankəndi"
    assert xref.best.used_by == "Government of Azerbaijan"


def test_stepanakert_in_english_in_1920_is_khankendi(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("Stepanakert", "en", year=1920)
    best = xref.equivalents[0]
    assert (best.text, best.kind, best.valid_to) == ("Khankendi", "historic", 1923)
    # The name given in 1923 is not an answer for 1920, but is listed among the others.
    assert "Stepanakert" not in [e.text for e in xref.equivalents]
    assert "Stepanakert" in [e.text for e in xref.other_names]


def test_now_the_current_name_comes_first_and_old_names_follow(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("Khankendi", "en")
    assert xref.place.id == "stepanakert"
    assert xref.equivalents[0].text == "Stepanakert"
    historic = [e for e in xref.other_names if e.text == "Khankendi"]
    assert historic and historic[0].kind == "historic" and not historic[0].in_use


def test_a_name_at_a_year_in_russian(gazetteer: Gazetteer) -> None:
    assert gazetteer.cross_reference("gyumri", "ru", year=1950).equivalents[0].text == "Ленинакан"
    assert gazetteer.cross_reference("gyumri", "ru", year=1900).equivalents[0].text == (
        "Александрополь"
    )
    assert gazetteer.cross_reference("gyumri", "ru").equivalents[0].text == "Гюмри"


def test_target_language_means_its_script(gazetteer: Gazetteer) -> None:
    armenian = gazetteer.cross_reference("stepanakert", "hy")
    assert all(e.script == "Armn" for e in (*armenian.equivalents, *armenian.other_names))
    latin = gazetteer.cross_reference("stepanakert", "hy-Latn")
    assert [e.text for e in latin.equivalents] == ["Stepʻanakert"]


def test_a_place_with_no_name_in_the_target_language_gets_a_generated_romanisation(
    gazetteer: Gazetteer,
) -> None:
    names_before = gazetteer.stats().names
    xref = gazetteer.cross_reference("Goris", "az")
    assert xref.no_name_in_target and xref.equivalents == ()
    generated = xref.generated
    assert generated is not None and generated.generated
    assert (generated.text, generated.method) == ("Goris", "BGN/PCGN")
    assert (generated.from_text, generated.from_lang) == ("Գորիս", "hy")
    assert generated.kind == "transliteration" and generated.source is None
    assert xref.best is generated
    # Offered, never stored as if attested.
    assert gazetteer.stats().names == names_before
    assert all(n.text != "Goris" or n.lang == "en" for n in gazetteer.place("goris").names)


def test_generated_romanisation_follows_the_armenian_spelling(gazetteer: Gazetteer) -> None:
    # Tugh has no Russian name; the offer is the BGN/PCGN reading of Տող, which is not the
    # English spelling recorded for it.
    xref = gazetteer.cross_reference("tugh", "ru")
    assert xref.no_name_in_target
    assert xref.generated is not None and xref.generated.text == "Togh"


def test_a_name_only_in_another_period_is_not_no_name(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("stepanakert", "en", year=1800)
    assert "Stepanakert" in [e.text for e in xref.other_names]
    assert not xref.no_name_in_target


@pytest.mark.parametrize(
    ("query", "tier"),
    [("shushi", "exact"), ("Şuşi", "plain"), ("Շուշի", "exact"), ("Shoushi", "skeleton")],
)  # fmt: skip
def test_queries_in_any_spelling_resolve_through_search(
    gazetteer: Gazetteer, query: str, tier: str
) -> None:
    xref = gazetteer.cross_reference(query, "ru")
    assert xref.place.id == "shusha"
    assert xref.match is not None and xref.match.tier == tier
    assert xref.equivalents[0].text == "Шуша"


def test_a_typo_still_finds_the_place_and_says_how(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("Stepanakret", "az")
    assert xref.place.id == "stepanakert" and xref.best is not None
    assert xref.best.text == "Xankəndi"
    assert xref.match is not None and xref.match.tier == "fuzzy"
    assert xref.match.text == "Stepanakert" and xref.match.score is not None


def test_unknown_and_ambiguous_queries_and_bad_languages(gazetteer: Gazetteer) -> None:
    with pytest.raises(NotFoundError):
        gazetteer.cross_reference("Atlantis-on-Kura", "en")
    with pytest.raises(AmbiguousNameError) as raised:
        gazetteer.cross_reference("Martuni", "hy")
    assert set(raised.value.candidates) == {"martuni", "martuni_am"}
    with pytest.raises(ValidationError) as bad:
        gazetteer.cross_reference("shusha", "xx")
    assert bad.value.field == "lang"


def test_profile_orders_the_answers_and_renders(gazetteer: Gazetteer) -> None:
    xref = gazetteer.cross_reference("Stepanakert", "en", profile="az-official-en")
    assert xref.equivalents[0].text == "Khankendi"
    assert xref.rendered == "Khankendi (Stepanakert)"
    plain = gazetteer.cross_reference("Stepanakert", "en")
    assert plain.equivalents[0].text == "Stepanakert" and plain.rendered is None


# -- name history -----------------------------------------------------------------------------


def test_name_history_is_chronological_with_undated_names_apart(gazetteer: Gazetteer) -> None:
    history = gazetteer.name_history("gyumri", "en")
    assert [(n.text, n.period) for n in history.dated] == [
        ("Alexandropol", "1837–1924"),
        ("Leninakan", "1924–1990"),
    ]
    assert {n.text for n in history.undated} == {"Gyumri", "Kumayri"}
    assert history.undated[0].text == "Gyumri"  # preferred first


def test_name_history_of_stepanakert_runs_from_khankendi_to_stepanakert(
    gazetteer: Gazetteer,
) -> None:
    dated = gazetteer.name_history("stepanakert").dated
    assert (dated[0].text, dated[0].valid_to) == ("Khankendi", 1923)
    assert [n.text for n in dated[1:]] == ["Stepanakert", "Ստեփանակերտ", "Степанакерт"]
    assert all(n.valid_from == 1923 for n in dated[1:])


def test_names_at_a_year_by_language(gazetteer: Gazetteer) -> None:
    at = gazetteer.names_at("vanadzor", 1950)
    assert at["en"][0].text == "Kirovakan"
    assert at["hy"][0].text == "Կիրովական"
    assert "Karakilisa" not in [n.text for n in at["en"]]  # ended 1926
    only_ru = gazetteer.names_at("vanadzor", 1950, "ru")
    assert list(only_ru) == ["ru"]


def test_undated_historic_names_are_never_in_use() -> None:
    old = Name("Vararakn", "en", "Latn", "historic")
    dated = Name("Khankendi", "en", "Latn", "historic", valid_to=1923)
    assert not in_use(old) and not in_use(old, 1800)
    assert in_use(dated, 1920) and not in_use(dated, 1924) and not in_use(dated)


def test_name_history_filters_by_language_and_subtags(gazetteer: Gazetteer) -> None:
    history = name_history(gazetteer.place("stepanakert"), "hy")
    langs = {n.lang for n in (*history.dated, *history.undated)}
    assert langs == {"hy", "hy-Latn"}


# -- hierarchy --------------------------------------------------------------------------------


def _part_of(gazetteer: Gazetteer, place_id: str, year: int | None = None) -> dict[str, str]:
    return {link.other.id: link.period for link in gazetteer.hierarchy(place_id, year).part_of}


def test_shusha_is_in_both_administrations_divisions_with_dates_and_sources(
    gazetteer: Gazetteer,
) -> None:
    tree = gazetteer.hierarchy("shusha")
    links = {link.other.id: link for link in tree.part_of}
    assert links["shusha_district"].period == "1930–"
    assert links["shushi_province"].period == "1992–2020"
    assert links["nkao"].period == "–1991"
    for link in links.values():
        assert link.source and link.source.startswith("https://")
        assert link.kind == "part_of"
    # Each division is shown with its own parents: which state's division it is.
    assert [p.id for p in links["shusha_district"].chain] == ["azerbaijan"]
    assert [p.id for p in links["shushi_province"].chain] == ["artsakh"]
    assert [p.id for p in tree.parent_chain] == ["shusha_district", "azerbaijan"]


def test_shusha_then_and_now(gazetteer: Gazetteer) -> None:
    assert _part_of(gazetteer, "shusha", 1950) == {"nkao": "–1991", "shusha_district": "1930–"}
    assert _part_of(gazetteer, "shusha", 2000) == {
        "shusha_district": "1930–",
        "shushi_province": "1992–2020",
    }
    assert _part_of(gazetteer, "shusha", 2022) == {"shusha_district": "1930–"}


def test_hadrut_then_and_now(gazetteer: Gazetteer) -> None:
    assert _part_of(gazetteer, "hadrut", 2000) == {
        "hadrut_province": "1991–2020",
        "khojavend_district": "1991–",
    }
    assert _part_of(gazetteer, "hadrut", 2024) == {"khojavend_district": "1991–"}


def test_current_parent_is_listed_when_no_relation_names_it(gazetteer: Gazetteer) -> None:
    tree = gazetteer.hierarchy("stepanakert")
    kinds = [(link.other.id, link.kind) for link in tree.part_of]
    assert kinds[-1] == ("azerbaijan", CURRENT_PARENT)  # undated, so listed last
    assert ("nkao", "part_of") in kinds and ("artsakh", "part_of") in kinds
    # A place with a relation to its own parent is not listed twice.
    assert [link.other.id for link in gazetteer.hierarchy("shusha").part_of].count(
        "shusha_district"
    ) == 1


def test_contains_lists_dated_members_and_current_children(gazetteer: Gazetteer) -> None:
    nkao = {link.other.id: link.period for link in gazetteer.hierarchy("nkao").contains}
    assert nkao == {"stepanakert": "1923–1991", "shusha": "–1991"}
    assert {link.other.id for link in gazetteer.hierarchy("nkao", 2000).contains} == set()
    shusha = {link.other.id for link in gazetteer.hierarchy("shusha").contains}
    assert shusha == {"ghazanchetsots", "jidir_duzu"}
