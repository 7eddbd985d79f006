"""The results model: Qt's model contract, lazy loading by window, re-rendering by profile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gazetteer.profiles import BUILTIN_BY_ID, render
from ui.results_model import FETCH_WINDOW, PLACE_ID_ROLE, Column, ResultEntry, ResultsModel

pytestmark = pytest.mark.gui


class CountingLoader:
    """The façade's ``places``, counting how many ids each call asks for."""

    def __init__(self, gazetteer) -> None:  # type: ignore[no-untyped-def]
        self.gazetteer = gazetteer
        self.calls: list[list[str]] = []

    def __call__(self, ids):  # type: ignore[no-untyped-def]
        self.calls.append(list(ids))
        return self.gazetteer.places(ids)


def all_entries(gazetteer) -> list[ResultEntry]:  # type: ignore[no-untyped-def]
    return [ResultEntry(pid) for pid in gazetteer.store.all_place_ids()]


def test_model_passes_qt_model_tester(qtmodeltester, gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = ResultsModel(gazetteer.places)
    model.set_results(
        [ResultEntry("stepanakert", "Ханкенди", "ru", "variant", "exact", 100.0),
         ResultEntry("shusha", "Şuşa", "az", "common", "exact", 100.0),
         *all_entries(gazetteer)[:40]]
    )  # fmt: skip
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_empty_model_passes_qt_model_tester(qtmodeltester, gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = ResultsModel(gazetteer.places)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0


def test_rows_show_names_in_the_four_languages_and_the_match(gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = ResultsModel(gazetteer.places)
    model.set_results([ResultEntry("stepanakert", "Ханкенди", "ru", "variant", "exact", 97.5)])
    row = {c: model.data(model.index(0, c)) for c in Column}
    assert row[Column.NAME] == "Stepanakert"
    assert row[Column.MATCHED] == "Ханкенди"
    assert row[Column.LANG] == "ru"
    assert row[Column.ROLE] == "city"
    assert row[Column.PARENT] == "Azerbaijan"
    assert (row[Column.EN], row[Column.AZ], row[Column.HY], row[Column.RU]) == (
        "Stepanakert", "Xankəndi", "Ստեփանակերտ", "Степанакерт")  # fmt: skip
    tooltip = model.data(model.index(0, Column.MATCHED), Qt.ItemDataRole.ToolTipRole)
    assert "Ханкенди" in tooltip and "exact" in tooltip and "97.5" in tooltip
    assert model.data(model.index(0, Column.NAME), PLACE_ID_ROLE) == "stepanakert"


def test_places_load_lazily_a_window_at_a_time(gazetteer) -> None:  # type: ignore[no-untyped-def]
    loader = CountingLoader(gazetteer)
    model = ResultsModel(loader)
    entries = all_entries(gazetteer)
    model.set_results(entries)
    assert loader.calls == []  # nothing read until a row is painted
    model.data(model.index(0, Column.NAME))
    first = loader.calls[0]
    assert first == [e.place_id for e in entries[:FETCH_WINDOW]]
    calls = len(loader.calls)
    for row in range(0, 60):
        model.data(model.index(row, Column.EN))
    assert len(loader.calls) == calls  # rows of the window come from the cache


def test_primed_places_need_no_read(gazetteer) -> None:  # type: ignore[no-untyped-def]
    loader = CountingLoader(gazetteer)
    model = ResultsModel(loader)
    places = {p.id: p for p in gazetteer.places(["shusha", "shusha_district"])}
    model.set_results([ResultEntry("shusha")], places)
    assert model.data(model.index(0, Column.NAME)) == "Shusha"
    assert model.data(model.index(0, Column.PARENT)) == "Shusha District"
    assert loader.calls == []


def test_changing_the_namer_rerenders_every_row(qtbot, gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = ResultsModel(gazetteer.places)
    model.set_results([ResultEntry("shusha"), ResultEntry("stepanakert")])
    hy = BUILTIN_BY_ID["hy"]
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.set_namer(lambda p: render(p, hy))
    top, bottom = blocker.args[0], blocker.args[1]
    assert (top.row(), bottom.row()) == (0, 1)
    assert model.data(model.index(0, Column.NAME)) == "Շուշի"
    assert model.data(model.index(1, Column.NAME)) == "Ստեփանակերտ"


def test_a_vanished_place_shows_a_placeholder_row(gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = ResultsModel(gazetteer.places)
    model.set_results([ResultEntry("no_such_place"), ResultEntry("shusha")])
    assert "no longer in the gazetteer" in model.data(model.index(0, Column.NAME))
    assert model.data(model.index(0, Column.EN)) == ""
    assert model.data(model.index(1, Column.NAME)) == "Shusha"


def test_appending_rows_keeps_the_model_contract(qtmodeltester, qtbot, gazetteer) -> None:  # type: ignore[no-untyped-def]
    model = ResultsModel(gazetteer.places)
    entries = all_entries(gazetteer)
    model.set_results(entries[:20])
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.extend(entries[20:45])
    assert (blocker.args[1], blocker.args[2]) == (20, 44)
    assert model.rowCount() == 45
    assert model.row_of(entries[30].place_id) == 30
    assert model.data(model.index(44, Column.NAME)) == gazetteer.place(entries[44].place_id).label
