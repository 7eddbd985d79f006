"""The rows the toponym finder reads from the store, and the signature that tells it when
to rebuild its index."""

from __future__ import annotations

from gazetteer.facade import Gazetteer
from gazetteer.intake import NameInput, PlaceInput
from gazetteer.normalize import plain_key, strip_key


def test_names_with_their_plain_keys(gazetteer: Gazetteer) -> None:
    rows = list(gazetteer.store.iter_names_with_key("plain"))
    assert len(rows) == gazetteer.stats().names  # every name has a plain key
    shusha = [r for r in rows if r[1] == "shusha" and r[2] == "Şuşa"]
    assert len(shusha) == 1
    _name_id, place_id, text, lang, kind, preferred, key = shusha[0]
    assert (place_id, lang, kind, preferred, key) == ("shusha", "az", "common", 1, "shusha")
    assert key == plain_key(text, lang)


def test_strip_keys_only_where_they_differ(gazetteer: Gazetteer) -> None:
    pairs = dict(gazetteer.store.iter_keys("strip"))
    names = {r[0]: r[2] for r in gazetteer.store.iter_names_with_key("plain")}
    assert pairs  # Şuşa → susa, Dağlıq Qarabağ → dagliq qarabag …
    for name_id, key in pairs.items():
        assert key == strip_key(names[name_id]) != plain_key(names[name_id])
    assert "susa" in pairs.values()


def test_the_signature_changes_when_names_do(gazetteer: Gazetteer) -> None:
    before = gazetteer.store.names_signature()
    assert gazetteer.store.names_signature() == before  # reading changes nothing
    gazetteer.write(
        [PlaceInput(id="shusha", names=[NameInput("Şuşa şəhəri", "az", "variant", source="t")])]
    )
    after = gazetteer.store.names_signature()
    assert after != before and after[0] == before[0] + 1
