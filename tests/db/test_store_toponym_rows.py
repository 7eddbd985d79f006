"""The rows the toponym finder reads from the store, and the signature that tells it when
to start its index afresh."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from gazetteer.facade import Gazetteer
from gazetteer.intake import NameInput, PlaceInput
from gazetteer.normalize import plain_key, strip_key

#: The ``key_rows`` fixture (tests/conftest.py): the reference rows read from the tables.
KeyRows = Callable[[Gazetteer], list[tuple[Any, ...]]]


def test_names_by_the_first_word_of_their_keys(gazetteer: Gazetteer) -> None:
    rows = list(gazetteer.store.iter_names_by_first_word(["shusha"]))
    keys = {r[7] for r in rows}
    assert {"shusha", "shusha district"} <= keys  # the word itself, and keys it begins
    assert all(k == "shusha" or k.startswith("shusha ") for k in keys)  # not shushi …
    shusha = [r for r in rows if r[1] == "shusha" and r[2] == "Şuşa"]
    assert len(shusha) == 1
    _name_id, place_id, text, lang, kind, preferred, key_kind, key = shusha[0]
    assert (place_id, lang, kind, preferred, key_kind, key) == (
        "shusha", "az", "common", 1, "plain", "shusha"
    )  # fmt: skip
    assert key == plain_key(text, lang)


def test_strip_keys_only_where_they_differ(gazetteer: Gazetteer, key_rows: KeyRows) -> None:
    rows = key_rows(gazetteer)
    assert len({r[0] for r in rows if r[6] == "plain"}) == gazetteer.stats().names
    strip = [r for r in rows if r[6] == "strip"]
    assert strip  # Şuşa → susa, Dağlıq Qarabağ → dagliq qarabag …
    for r in strip:
        assert r[7] == strip_key(r[2]) != plain_key(r[2])
    susa = list(gazetteer.store.iter_names_by_first_word(["susa"]))
    assert ("Şuşa", "strip", "susa") in {(r[2], r[6], r[7]) for r in susa}


def test_every_word_reads_exactly_its_keys(gazetteer: Gazetteer, key_rows: KeyRows) -> None:
    rows = key_rows(gazetteer)
    firsts = {r[7].split()[0] for r in rows}
    # More words than one statement takes (500), with some that begin no key and some
    # that are the start of a longer word only (shush: not shusha).
    words = sorted(firsts | {"shush", "tuesday", "шуш", "nagorno-"} | {f"w{i}" for i in range(600)})
    got = Counter(gazetteer.store.iter_names_by_first_word(words))
    assert got == Counter(r for r in rows if r[7].split()[0] in set(words))
    assert not list(gazetteer.store.iter_names_by_first_word(["shush", "шуш"]))


def test_the_signature_changes_when_names_do(gazetteer: Gazetteer) -> None:
    before = gazetteer.store.names_signature()
    assert gazetteer.store.names_signature() == before  # reading changes nothing
    gazetteer.write(
        [PlaceInput(id="shusha", names=[NameInput("Şuşa şəhəri", "az", "variant", source="t")])]
    )
    after = gazetteer.store.names_signature()
    assert after != before and after[0] == before[0] + 1
