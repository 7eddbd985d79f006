"""The place card's models on real places: contract, grouping by language, nearby rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from gazetteer.model import Name
from ui.card_models import (
    LANG_ROLE,
    NAME_ROLE,
    PLACE_ID_ROLE,
    NameColumn,
    NamesModel,
    NearbyColumn,
    NearbyModel,
    group_names,
    language_label,
)

pytestmark = pytest.mark.gui


def test_names_model_passes_qt_model_tester(qtmodeltester, gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = NamesModel()
    model.set_names(gazetteer.place("stepanakert").names)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_nearby_model_passes_qt_model_tester(qtmodeltester, gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = NearbyModel(lambda p: p.label)
    model.set_nearby(gazetteer.nearby("shusha", 15))
    assert model.rowCount() > 3
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_names_are_grouped_by_language_core_languages_first(gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = NamesModel()
    model.set_names(gazetteer.place("stepanakert").names)
    assert model.languages() == ["en", "az", "hy", "hy-Latn", "ru"]
    hy = model.index(2, 0)
    assert model.data(hy, LANG_ROLE) == "hy"
    assert model.data(hy).startswith("Հայերեն · hy")
    children = [model.data(model.index(r, 0, hy)) for r in range(model.rowCount(hy))]
    assert children == ["Ստեփանակերտ", "Վարարակն"]  # preferred first, historic last
    first = model.index(0, 0, hy)
    assert model.data(first, Qt.ItemDataRole.FontRole).bold()
    name = model.data(first, NAME_ROLE)
    assert isinstance(name, Name) and name.kind == "common" and name.preferred


def test_name_rows_carry_kind_period_used_by_and_source(gazetteer) -> None:  # type: ignore[no-untyped-def]
    place = gazetteer.place("stepanakert")
    model = NamesModel()
    model.set_names(place.names)
    shown = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            name = model.data(model.index(r, 0, group), NAME_ROLE)
            cells = [model.data(model.index(r, c, group)) for c in NameColumn]
            assert cells == [name.text, name.kind + (", preferred" if name.preferred else ""),
                             name.period, name.used_by or "", name.source or ""]  # fmt: skip
            shown.append(name)
    assert sorted(shown, key=repr) == sorted(place.names, key=repr)  # every name, once
    khankendi = [n for n in shown if n.text == "Khankendi" and n.kind == "historic"]
    assert khankendi and khankendi[0].period.endswith("1923")
    en = model.index(0, 0)
    assert model.rowCount(model.index(0, NameColumn.KIND)) == 0  # only column 0 has children
    assert model.parent(model.index(0, 0, en)) == en
    assert model.parent(en) == QModelIndex()


def test_group_order_puts_unknown_languages_last() -> None:
    names = [
        Name("Şuşa", "tr", "Latn", "exonym"),
        Name("Shusha", "en", "Latn", "common", preferred=True),
        Name("Шуша", "ru", "Cyrl", "common"),
    ]
    assert [tag for tag, _ in group_names(names)] == ["en", "ru", "tr"]
    assert language_label("tr").endswith("· tr")
    assert language_label("hy-Latn") == "Armenian (Latin) · hy-Latn"


def test_nearby_rows_give_distance_and_direction(gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = NearbyModel(lambda p: p.label)
    model.set_nearby(gazetteer.nearby("shusha", 15))
    rows = {model.data(model.index(r, NearbyColumn.NAME)): r for r in range(model.rowCount())}
    row = rows["Stepanakert"]
    assert model.data(model.index(row, NearbyColumn.DISTANCE)) == "6.3 km"
    assert model.data(model.index(row, NearbyColumn.DIRECTION)).startswith("N (")
    assert model.data(model.index(row, NearbyColumn.NAME), PLACE_ID_ROLE) == "stepanakert"
    assert (
        model.data(model.index(row, NearbyColumn.NAME), Qt.ItemDataRole.ToolTipRole)
        == "Stepanakert, 6.3 km N"
    )
