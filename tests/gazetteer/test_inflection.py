"""Grammatical endings: recognising them on a word, and putting a case on another name."""

from __future__ import annotations

import pytest

from gazetteer.inflection import fold_surface, reinflect, ru_name_stem, ru_stems, split_endings


def readings(word: str) -> set[tuple[str, str, str]]:
    return {(e.stem, e.lang, e.case) for e in split_endings(word)}


def test_fold_keeps_the_length() -> None:
    for word in ("İrəvan", "ŞUŞA", "Shusha’s", "ﬁle", "Straße"):
        assert len(fold_surface(word)) == len(word)
    assert fold_surface("Shusha’s") == "shusha's"


@pytest.mark.parametrize(
    ("word", "stem", "case"),
    [
        ("Şuşada", "şuşa", "loc"),
        ("Şuşadan", "şuşa", "abl"),
        ("Şuşaya", "şuşa", "dat"),
        ("Şuşanın", "şuşa", "gen"),
        ("Şuşanı", "şuşa", "acc"),
        ("Xankəndidə", "xankəndi", "loc"),
        ("Gəncəyə", "gəncə", "dat"),
        ("Laçına", "laçın", "dat"),
        ("Ağdamın", "ağdam", "gen"),
        ("Qarabulağa", "qarabulaq", "dat"),  # q softens to ğ before a vowel
        ("dəhlizində", "dəhlizi", "p-loc"),
    ],
)
def test_azerbaijani_case_suffixes(word: str, stem: str, case: str) -> None:
    assert (stem, "az", case) in readings(word)


def test_azerbaijani_suffixes_obey_harmony_and_buffers() -> None:
    # Şuşa ends in a back vowel: no -də; Bakı ends in a vowel: the dative needs its y.
    assert ("şuşa", "az", "loc") not in readings("Şuşadə")
    assert ("bakı", "az", "dat") in readings("Bakıya")
    assert ("bakı", "az", "dat") not in readings("Bakıa")
    # An English word that merely ends like a suffix is not read as one.
    assert readings("Bari") == set()


def test_english_possessive_and_apostrophe_suffixes() -> None:
    assert readings("Shusha's") == {("shusha", "en", "poss")}
    assert readings("Shusha’s") == {("shusha", "en", "poss")}
    assert ("stepanakert", "az", "loc") in readings("Stepanakert'də")


@pytest.mark.parametrize(
    ("word", "stem", "case"),
    [
        ("Շուշիում", "շուշի", "loc"),
        ("Շուշիի", "շուշի", "gen"),
        ("Ստեփանակերտից", "ստեփանակերտ", "abl"),
        ("Արցախով", "արցախ", "ins"),
        ("Ակնայում", "ակնա", "loc"),
        ("Երևանը", "երևան", "def"),
        ("Մարտունու", "մարտունի", "gen-u"),
    ],
)
def test_armenian_case_endings(word: str, stem: str, case: str) -> None:
    assert (stem, "hy", case) in readings(word)


def test_russian_stems_meet_the_names_stem() -> None:
    assert ru_name_stem("шуша") in ru_stems("шуше")
    assert ru_name_stem("карабах") in ru_stems("карабахом")
    assert ru_name_stem("армения") in ru_stems("арменией")
    assert ru_name_stem("нагорный") in ru_stems("нагорном")
    assert ru_name_stem("баку") in ru_stems("баку")
    assert ru_name_stem("шуша") not in ru_stems("шушинский")


def test_reinflect_azerbaijani_follows_the_new_name() -> None:
    assert reinflect("Stepanakert", "də", lang="az", case="loc").text == "Stepanakertdə"
    assert reinflect("Xankəndi", "a", lang="az", case="dat").text == "Xankəndiyə"
    assert reinflect("Şuşa", "nin", lang="az", case="gen").text == "Şuşanın"
    assert reinflect("Lachin corridor", "ndə", lang="az", case="p-loc").text == "Lachin corridorda"
    assert reinflect("Stepanakert", "'DƏ", lang="az", case="loc").text == "Stepanakert'DƏ"


def test_reinflect_armenian_and_english() -> None:
    assert reinflect("Շուշի", "ում", lang="hy", case="loc").text == "Շուշիում"
    assert reinflect("Ակնա", "ում", lang="hy", case="loc").text == "Ակնայում"
    assert reinflect("Երևան", "ն", lang="hy", case="def").text == "Երևանը"
    assert reinflect("Shushi", "’s", lang="en", case="poss").text == "Shushi’s"


def test_reinflect_refuses_another_script() -> None:
    moved = reinflect("Շուշի", "da", lang="az", case="loc")
    assert moved.text is None and "Latin ending" in moved.note


@pytest.mark.parametrize(
    ("new", "ending", "old", "before", "expected"),
    [
        ("Шуши", "е", "Шуша", "в ", "Шуши"),  # indeclinable
        ("Степанакерт", "", "Ханкенди", "из ", "Степанакерта"),
        ("Степанакерт", "", "Ханкенди", "к ", "Степанакерту"),
        ("Степанакерт", "", "Ханкенди", "", "Степанакерт"),
        ("Шуша", "а", "Степанакерт", "из ", "Шуши"),
        ("Гянджа", "ом", "Степанакерт", "над ", "Гянджой"),
        ("Армения", "е", "Шуша", "в ", "Армении"),
        ("Нахичевань", "у", "Степанакерт", "к ", "Нахичевани"),
        ("Степанакерт", "", "Ханкенди", "в ", None),  # в Степанакерт or в Степанакерте?
        ("Нагорный Карабах", "е", "Шуша", "в ", None),
    ],
)
def test_reinflect_russian(
    new: str, ending: str, old: str, before: str, expected: str | None
) -> None:
    assert reinflect(new, ending, lang="ru", case="", old_name=old, before=before).text == expected
