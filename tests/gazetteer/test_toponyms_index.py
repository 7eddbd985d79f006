"""The toponym index reads, by a text's words, exactly the names the finder can match in
it: checked against a trie of every stored name, on the bundled gazetteer with the GeoNames
fixtures imported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer import toponyms
from gazetteer.facade import Gazetteer
from gazetteer.inflection import ru_name_forms, ru_name_stem
from gazetteer.intake import NameInput, PlaceInput
from gazetteer.toponyms import ToponymIndex, facts_lookup, find_mentions, index_for

#: The ``key_rows`` fixture (tests/conftest.py): the reference rows read from the tables.
KeyRows = Callable[[Gazetteer], list[tuple[Any, ...]]]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
GEONAMES = [
    FIXTURES / n for n in ("AZ.txt", "AM.txt", "alternateNamesV2.txt", "admin1CodesASCII.txt")
]


@pytest.fixture
def rich(gazetteer: Gazetteer) -> Gazetteer:
    """The bundled gazetteer and the GeoNames fixtures (alternate names in many scripts)."""
    gazetteer.import_geonames(GEONAMES)
    return gazetteer


def first_keys(rows: list[tuple[Any, ...]]) -> set[str]:
    """The trie key of the first word of every row's key."""
    return {toponyms._name_word_key(r[7].split()[0]) for r in rows}


def whole(rows: list[tuple[Any, ...]]) -> ToponymIndex:
    """An index holding every stored name (``key_rows``) before any text is read."""
    index = ToponymIndex(lambda _words: rows)
    index.prepare(first_keys(rows))
    return index


def shape(trie: Any, node: Any) -> Any:
    """A trie node with names as (name id, strip?) pairs: comparable across tries that
    numbered the same names differently."""
    if type(node) is tuple:
        return sorted((trie.name_ids[e >> 1], e & 1) for e in node)
    return {k: shape(trie, child) for k, child in node.items()}


def test_each_word_reads_exactly_the_names_it_begins(rich: Gazetteer, key_rows: KeyRows) -> None:
    rows = key_rows(rich)
    keys = first_keys(rows)
    assert {"shusha", "susa", "~шуш", "շուշի", "lachin"} <= keys
    reference = whole(rows).prepare(())
    for key in sorted(keys):
        # A fresh index per word: nothing read for another word can hide a missing name.
        lazy = ToponymIndex(rich.store.iter_names_by_first_word).prepare({key})
        assert set(lazy.root) == {key}
        assert shape(lazy, lazy.root[key]) == shape(reference, reference.root[key]), key


def test_words_that_begin_no_name_read_nothing(rich: Gazetteer) -> None:
    # Шуше is a form, not a stem a stored name has (that is ~шуш); tuesday is no name.
    trie = ToponymIndex(rich.store.iter_names_by_first_word).prepare({"tuesday", "~шуше", "шуша"})
    assert trie.root == {} and len(trie) == 0


def test_all_words_at_once_read_the_whole_gazetteer(rich: Gazetteer, key_rows: KeyRows) -> None:
    rows = key_rows(rich)
    lazy = ToponymIndex(rich.store.iter_names_by_first_word).prepare(first_keys(rows))
    reference = whole(rows).prepare(())
    assert shape(lazy, lazy.root) == shape(reference, reference.root)
    assert len(lazy) == len({r[0] for r in rows})


_TEXT = (
    "Shusha's old quarter; Şuşada, в Шуше и в Нагорном Карабахе, Շուշիում and Susa. "
    "From Baku to Yerevan, Xankəndi (Khankendi), Stepanakert — the Lachin corridor. "
    "Laçın dəhlizində Kərkicahan, Qırmızı Bazar, Karmir Shuka, Krasnyy Bazar; Tuğ, Togh. "
    "Martuni, Armenia; Tartar and Tərtər. Шушинский район, Lisagor, Turşsu, Туршсу. "
    "AZERBAIJAN, Azərbaycan, Ադրբեջան; shusha was quiet. Bakıya, Bakıdan, Gəncənin."
)


def test_mentions_are_those_of_a_trie_of_every_name(rich: Gazetteer, key_rows: KeyRows) -> None:
    lookup = facts_lookup(rich.store)
    expected = find_mentions(_TEXT, whole(key_rows(rich)), lookup)
    assert len(expected) > 25
    assert find_mentions(_TEXT, index_for(rich.store), lookup) == expected
    # Each sentence on its own, then the whole text again, on one index that grows.
    index = ToponymIndex(rich.store.iter_names_by_first_word)
    for sentence in _TEXT.split(". "):
        assert find_mentions(sentence, index, lookup) == find_mentions(
            sentence, whole(key_rows(rich)), lookup
        )
    assert find_mentions(_TEXT, index, lookup) == expected


def test_a_full_index_starts_afresh_and_finds_the_same(
    rich: Gazetteer, key_rows: KeyRows, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookup = facts_lookup(rich.store)
    first, second = _TEXT[:150], _TEXT[150:]
    expected = [find_mentions(t, whole(key_rows(rich)), lookup) for t in (first, second, first)]
    monkeypatch.setattr(toponyms, "_MAX_NAMES", 10)
    index = ToponymIndex(rich.store.iter_names_by_first_word)
    assert [find_mentions(t, index, lookup) for t in (first, second, first)] == expected
    just_first = ToponymIndex(rich.store.iter_names_by_first_word)
    find_mentions(first, just_first, lookup)
    assert len(index) == len(just_first)  # the last text's names only


def test_a_name_added_under_a_word_already_read_is_found(gazetteer: Gazetteer) -> None:
    # "Shusha" has been read (with every name it begins) before the new name is written.
    assert [m.surface for m in gazetteer.find_toponyms("Shusha Plateau")] == ["Shusha"]
    gazetteer.write(
        [PlaceInput(id="shusha", names=[NameInput("Shusha Plateau", "en", "variant", source="t")])]
    )
    mentions = gazetteer.find_toponyms("Shusha Plateau")
    assert [(m.surface, m.place_id) for m in mentions] == [("Shusha Plateau", "shusha")]
    assert mentions[0].candidates[0].name.text == "Shusha Plateau"


def test_the_index_does_not_keep_its_store_alive(tmp_path: Path) -> None:
    import gc
    import weakref

    g = Gazetteer.open(tmp_path / "g.sqlite")
    assert g.find_toponyms("Shusha")
    store = weakref.ref(g.store)
    g.close()
    del g
    gc.collect()
    assert store() is None


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=1, max_size=12))
def test_every_russian_word_is_among_the_forms_of_its_stem(word: str) -> None:
    assert word in ru_name_forms(ru_name_stem(word))


def test_a_tie_between_names_of_one_place_goes_to_the_first_stored(gazetteer: Gazetteer) -> None:
    # Both names have the stem тестов, so "в Тестове" matches both equally (inflected, same
    # language and kind). The index reads тестова before тестовы (key order), the reverse
    # of the order they were stored in: the tie must still go to the first stored.
    gazetteer.write(
        [
            PlaceInput(id="test_town", role="town", lat=40.0, lon=46.0, names=[
                NameInput("Тестовы", "ru", "variant", source="t"),
                NameInput("Тестова", "ru", "variant", source="t"),
            ])
        ]
    )  # fmt: skip
    (m,) = gazetteer.find_toponyms("Мы были в Тестове.")
    assert (m.place_id, m.candidates[0].tier, m.candidates[0].name.text) == (
        "test_town", "inflected", "Тестовы"
    )  # fmt: skip
