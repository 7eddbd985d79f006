"""The toponym finder on short texts in English, Azerbaijani, Armenian and Russian, against
the real bundled gazetteer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer.facade import Gazetteer
from gazetteer.toponyms import Mention, tokenize


def found(g: Gazetteer, text: str, region: str | None = None) -> list[tuple[str, str | None]]:
    """(surface, place id) of every mention."""
    return [(m.surface, m.place_id) for m in g.find_toponyms(text, region=region)]


def one(g: Gazetteer, text: str) -> Mention:
    mentions = g.find_toponyms(text)
    assert len(mentions) == 1, [m.surface for m in mentions]
    return mentions[0]


# -- words and spans ------------------------------------------------------------------------


def test_spans_point_into_the_text(gazetteer: Gazetteer) -> None:
    text = "From Baku to Yerevan:\n\tGyumri."
    for m in gazetteer.find_toponyms(text):
        assert text[m.start : m.end] == m.surface
    assert found(gazetteer, text) == [
        ("Baku", "baku"),
        ("Yerevan", "yerevan"),
        ("Gyumri", "gyumri"),
    ]


def test_tokenize_keeps_apostrophes_inside_words() -> None:
    text = "Shusha's Stepʻanakert, Step'anakert"
    assert [text[a:b] for a, b in tokenize(text)] == ["Shusha's", "Stepʻanakert", "Step'anakert"]


def test_a_sentence_without_toponyms_finds_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.find_toponyms("The committee met on Tuesday and adjourned at noon.") == []
    assert gazetteer.find_toponyms("") == []


def test_no_match_inside_other_words(gazetteer: Gazetteer) -> None:
    # Shushanik is a given name, Bakurian and Arasbaran are other words; Шушинский is an
    # adjective (it is found only as part of the district's name).
    text = "Shushanik from Bakurian visited Arasbaran; шушинский ковёр."
    assert gazetteer.find_toponyms(text) == []


# -- multiword names, longest match first ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        ("Peace talks on Nagorno-Karabakh resumed.", "Nagorno-Karabakh", "nagorno_karabakh"),
        ("Peace talks on Nagorno Karabakh resumed.", "Nagorno Karabakh", "nagorno_karabakh"),
        ("Traffic on the Lachin corridor stopped.", "Lachin corridor", "lachin_corridor"),
        ("Ghazanchetsots Cathedral was shelled.", "Ghazanchetsots Cathedral", "ghazanchetsots"),
        ("He was born in Shusha District.", "Shusha District", "shusha_district"),
        ("Laçın dəhlizi bağlandı.", "Laçın dəhlizi", "lachin_corridor"),
        ("Լաչինի միջանցքը փակվեց։", "Լաչինի միջանցքը", "lachin_corridor"),
        ("Лачинский коридор закрыт.", "Лачинский коридор", "lachin_corridor"),
    ],
)
def test_multiword_names_are_one_mention(
    gazetteer: Gazetteer, text: str, surface: str, place: str
) -> None:
    m = one(gazetteer, text)
    assert (m.surface, m.place_id) == (surface, place)


def test_a_name_across_a_line_break(gazetteer: Gazetteer) -> None:
    m = one(gazetteer, "the Lachin\ncorridor")
    assert m.place_id == "lachin_corridor"


def test_a_name_does_not_run_across_punctuation(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Lachin. Corridor talks") == [("Lachin", "lachin")]
    assert found(gazetteer, "Lachin, corridor") == [("Lachin", "lachin")]


# -- inflection and possessives -------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "ending", "place"),
    [
        ("Shusha's", "'s", "shusha"),
        ("Shusha’s", "’s", "shusha"),
        ("Şuşada", "da", "shusha"),
        ("Şuşaya", "ya", "shusha"),
        ("Şuşanın", "nın", "shusha"),
        ("Şuşadan", "dan", "shusha"),
        ("Xankəndidə", "də", "stepanakert"),
        ("Laçına", "a", "lachin"),
        ("Qarabağın", "ın", "karabakh"),
        ("Stepanakert'də", "'də", "stepanakert"),
        ("Շուշիում", "ում", "shusha"),
        ("Շուշիի", "ի", "shusha"),
        ("Ստեփանակերտից", "ից", "stepanakert"),
        ("Արցախով", "ով", "artsakh"),
        ("Երևանը", "ը", "yerevan"),
        ("Шуше", "е", "shusha"),
        ("Шуши", "и", "shusha"),
        ("Шушой", "ой", "shusha"),
        ("Степанакерте", "е", "stepanakert"),
        ("Армении", "и", "armenia"),
        ("Нахичевани", "и", "nakhchivan"),
    ],
)
def test_inflected_forms(gazetteer: Gazetteer, word: str, ending: str, place: str) -> None:
    m = one(gazetteer, f"… {word} …")
    assert m.place_id == place
    assert m.surface == word
    assert m.ending == ending
    assert m.tier == "inflected"
    assert m.surface[: len(word) - len(ending)] + m.ending == word


def test_inflected_multiword_names(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Laçın dəhlizində növbə var.") == [
        ("Laçın dəhlizində", "lachin_corridor")
    ]
    assert found(gazetteer, "в Нагорном Карабахе и из Нагорного Карабаха") == [
        ("Нагорном Карабахе", "nagorno_karabakh"),
        ("Нагорного Карабаха", "nagorno_karabakh"),
    ]
    assert found(gazetteer, "вдоль Лачинского коридора") == [
        ("Лачинского коридора", "lachin_corridor")
    ]


def test_russian_prepositions_do_not_matter(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "в Шуше, из Шуши, над Шушой") == [
        ("Шуше", "shusha"), ("Шуши", "shusha"), ("Шушой", "shusha"),
    ]  # fmt: skip


def test_the_uninflected_form_wins_over_a_reading_with_an_ending(gazetteer: Gazetteer) -> None:
    # Füzuli ends like a case suffix (-i) but is a name as it stands.
    m = one(gazetteer, "Füzuli")
    assert (m.place_id, m.ending, m.tier) == ("fuzuli", "", "exact")


# -- case and diacritics --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "tier"),
    [
        ("SHUSHA", "shusha", "exact"),
        ("ŞUŞA", "shusha", "exact"),
        ("ШУША", "shusha", "exact"),
        ("ՇՈՒՇԻ", "shusha", "exact"),
        ("DAĞLIQ QARABAĞ", "nagorno_karabakh", "exact"),
        ("Xankendi", "stepanakert", "exact"),  # stored as an English variant
        ("Dagliq Qarabag", "nagorno_karabakh", "strip"),
        ("Lacin dehlizi", "lachin_corridor", "strip"),
        ("Stepʻanakert", "stepanakert", "exact"),
        ("Step’anakert", "stepanakert", "exact"),  # apostrophe-likes are one letter
        ("Nagorno–Karabakh", "nagorno_karabakh", "exact"),  # so are hyphen-likes
        ("Gyümri", "gyumri", "plain"),  # a diacritic the name does not have
    ],
)
def test_any_case_and_diacritics(gazetteer: Gazetteer, text: str, place: str, tier: str) -> None:
    m = one(gazetteer, text)
    assert (m.place_id, m.tier) == (place, tier)


def test_nfd_input_is_found_with_its_span(gazetteer: Gazetteer) -> None:
    import unicodedata

    text = "Visit " + unicodedata.normalize("NFD", "Şuşa") + " now"
    m = one(gazetteer, text)
    assert m.place_id == "shusha"
    assert text[m.start : m.end] == unicodedata.normalize("NFD", "Şuşa")


def test_lower_case_is_found_but_less_sure(gazetteer: Gazetteer) -> None:
    m = one(gazetteer, "we drove to shusha")
    assert m.place_id == "shusha"
    assert m.confidence < 0.7
    assert "lower-case" in m.notes


def test_ordinary_words_are_not_taken_for_names(gazetteer: Gazetteer) -> None:
    # Vank is a village, and the Armenian word for a monastery written in Latin letters:
    # here the text uses it as a word, in lower case, and at a sentence start.
    assert gazetteer.find_toponyms("Vank stood on the hill. The vank was old.") == []
    assert gazetteer.find_toponyms("Try the tartar sauce.") == []


def test_lower_case_is_kept_when_the_place_is_named_properly_too(gazetteer: Gazetteer) -> None:
    text = "In Shusha, some write shusha."
    proper, lower = gazetteer.find_toponyms(text)
    assert proper.place_id == lower.place_id == "shusha"
    assert proper.confidence == 1.0 and lower.confidence < 0.7


# -- shared names ---------------------------------------------------------------------------


def test_a_shared_name_without_context_stays_ambiguous(gazetteer: Gazetteer) -> None:
    m = one(gazetteer, "Martuni was mentioned.")
    assert m.status == "ambiguous" and m.place_id is None
    assert {c.place_id for c in m.candidates} == {"martuni", "martuni_am"}


def test_context_resolves_a_shared_name(gazetteer: Gazetteer) -> None:
    karabakh = gazetteer.find_toponyms("Martuni lies between Hadrut and Stepanakert.")[0]
    assert (karabakh.status, karabakh.place_id) == ("resolved", "martuni")
    armenia = gazetteer.find_toponyms("Martuni, Gavar and Yerevan.")[0]
    assert (armenia.status, armenia.place_id) == ("resolved", "martuni_am")
    qualified = gazetteer.find_toponyms("Martuni, Armenia.")[0]
    assert qualified.place_id == "martuni_am"


def test_one_place_per_text_for_a_repeated_shared_name(gazetteer: Gazetteer) -> None:
    text = "Martuni is a town. Near Hadrut and Stepanakert. Martuni again."
    first, *_, last = gazetteer.find_toponyms(text)
    assert first.place_id == last.place_id == "martuni"


def test_a_region_resolves_a_shared_name(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Martuni was mentioned.", region="armenia") == [
        ("Martuni", "martuni_am")
    ]


def test_tartar_city_and_river_share_names(gazetteer: Gazetteer) -> None:
    # Tərtər names the town and the river; nothing in this sentence says which.
    m = one(gazetteer, "Tərtər haqqında.")
    assert m.status == "ambiguous"
    assert {c.place_id for c in m.candidates} == {"tartar", "tartar_river"}
    # Armenian genitive Մարտունու: both Martunis are Մարտունի.
    hy = one(gazetteer, "Մարտունու բնակիչները")
    assert {c.place_id for c in hy.candidates} == {"martuni", "martuni_am"}


# -- the index follows the data -------------------------------------------------------------


def test_a_new_name_is_found_after_it_is_written(gazetteer: Gazetteer) -> None:
    from gazetteer.intake import NameInput, PlaceInput

    assert gazetteer.find_toponyms("Zoravar Andranik Street") == []
    gazetteer.write(
        [
            PlaceInput(
                id="test_street",
                role="other",
                lat=39.8,
                lon=46.7,
                names=[
                    NameInput(
                        "Zoravar Andranik Street", "en", "common", preferred=True, source="test"
                    )
                ],
            )
        ]
    )
    assert found(gazetteer, "Zoravar Andranik Street") == [
        ("Zoravar Andranik Street", "test_street")
    ]


_PIECES = [
    "Shusha", "Shusha's", "Şuşada", "Шуше", "Շուշիում", "Nagorno-Karabakh", "Lachin",
    "corridor", "Martuni", "Gavar", "the", "and", "SHUSHA", "shusha", ",", ".", "\n", "—",
    "(", ")", "/", "'", "Xankəndi", "Stepanakert", "Baku", "в", "из", "Tuesday", "👋",
]  # fmt: skip


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=16),
    joiner=st.sampled_from([" ", "", "\u00a0"]),
)
def test_mentions_are_ordered_disjoint_spans_of_the_text(
    gazetteer: Gazetteer, pieces: list[str], joiner: str
) -> None:
    text = joiner.join(pieces)
    mentions = gazetteer.find_toponyms(text)
    end = 0
    for m in mentions:
        assert end <= m.start < m.name_end <= m.end <= len(text)
        assert text[m.start : m.end] == m.surface
        assert (m.place_id is None) == (m.status == "ambiguous")
        assert m.candidates and 0 < m.confidence <= 1
        end = m.end
