"""The real main window on the real bundled gazetteer, driven from the keyboard and mouse.

Non-ASCII text is typed one key event per character (``qtbot.keyClicks`` aborts the process
on non-ASCII), the way a keyboard layout delivers it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from gazetteer.intake import NameInput, PlaceInput
from gazetteer.profiles import BUILTIN_BY_ID, render
from ui.card_models import NAME_ROLE, PLACE_ID_ROLE
from ui.main_window import MainWindow
from ui.results_model import Column

pytestmark = pytest.mark.gui


def type_text(widget: QLineEdit, text: str) -> None:
    """Type ``text`` into ``widget`` as key events, any script."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)  # fmt: skip


def search(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a query into the search field and wait until its results are shown."""
    window.search_edit.setFocus()
    window.search_edit.clear()
    with qtbot.waitSignal(window.results_shown, timeout=10000,
                          check_params_cb=lambda query: query == text):  # fmt: skip
        type_text(window.search_edit, text)


def first_row_id(window: MainWindow) -> str:
    return str(window.results_model.index(0, 0).data(PLACE_ID_ROLE))


@pytest.mark.parametrize(
    ("query", "place_id", "matched", "lang"),
    [
        ("Xankəndi", "stepanakert", "Xankəndi", "az"),
        ("Ханкенди", "stepanakert", "Ханкенди", "ru"),
        ("Շուշի", "shusha", "Շուշի", "hy"),
    ],
)
def test_typing_any_script_puts_the_right_place_first(
    qtbot, window, query, place_id, matched, lang
) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, query)
    assert first_row_id(window) == place_id
    model = window.results_model
    assert model.index(0, Column.MATCHED).data() == matched
    assert model.index(0, Column.LANG).data() == lang
    assert window.results_view.currentIndex().row() == 0
    assert "for “" + query + "”" in window.status_label.text()
    assert " ms" in window.status_label.text()


def test_a_long_result_list_arrives_in_two_stages(qtbot, gazetteer, settings) -> None:  # type: ignore[no-untyped-def]
    """The first screenful is shown at once; the rest is appended, the first rows unmoved."""
    everything = [h.place.id for h in gazetteer.search("Ağ", limit=200)]
    assert len(everything) > 3
    window = MainWindow(gazetteer, settings, first_page=3)
    qtbot.addWidget(window)
    window.show()
    at_first_paint: list[list[str]] = []
    window.results_shown.connect(lambda q: at_first_paint.append(window.results_model.place_ids()))
    window.search_edit.setFocus()
    with qtbot.waitSignal(window.results_completed, timeout=10000,
                          check_params_cb=lambda q: q == "Ağ"):  # fmt: skip
        type_text(window.search_edit, "Ağ")
    assert at_first_paint[-1] == everything[:3]
    assert window.results_model.place_ids() == everything
    assert window.results_view.currentIndex().row() == 0
    assert f"{len(everything)} places" in window.status_label.text()
    window.close()


def test_enter_opens_the_card_with_its_names(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Xankəndi")
    assert window.card.place() is None  # typing alone does not open anything
    with qtbot.waitSignal(window.place_opened, timeout=5000) as blocker:
        QTest.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert blocker.args == ["stepanakert"]
    card = window.card
    assert card.content.isVisible()
    assert card.title.text() == window.display_name(window.gazetteer.place("stepanakert"))
    names = {n.text for n in card.names_model.names()}
    assert {"Stepanakert", "Xankəndi", "Ստեփանակերտ", "Степанакерт", "Ханкенди"} <= names
    assert "39.81528, 46.75194" in card.coords_label.text()
    assert "39°48′55″N 46°45′07″E" in card.coords_label.text()


def test_enter_right_after_typing_opens_the_new_results_not_stale_ones(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Şuşa")
    window.search_edit.clear()
    with qtbot.waitSignal(window.place_opened, timeout=10000) as blocker:
        type_text(window.search_edit, "Ханкенди")
        QTest.keyClick(window.search_edit, Qt.Key.Key_Return)  # before the debounce ran out
    assert blocker.args == ["stepanakert"]


def test_ctrl_c_copies_the_name_in_the_target_language(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Xankəndi")
    window.target_combo.setCurrentIndex(window.target_combo.findData("hy"))
    QApplication.clipboard().clear()
    QTest.keyClick(window.search_edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Ստեփանակերտ"
    window.target_combo.setCurrentIndex(window.target_combo.findData("ru"))
    window.results_view.setFocus()
    QTest.keyClick(window.results_view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Степанакерт"
    assert window.settings.get("naming/target_language") == "ru"


def test_a_missing_target_name_is_said_and_only_english_gets_the_romanisation(
    qtbot, gazetteer, settings
) -> None:  # type: ignore[no-untyped-def]
    # A village recorded only in Armenian (as many in the sources are), written through the
    # façade like an import would.
    gazetteer.write([PlaceInput(
        id="test_village", role="village", lat=39.9, lon=46.8, parent_id="azerbaijan",
        names=[NameInput("Ծաղկաշատ", "hy", "common", preferred=True)],
    )], actor="test")  # fmt: skip
    window = MainWindow(gazetteer, settings)
    qtbot.addWidget(window)
    window.show()
    search(qtbot, window, "Ծաղկաշատ")
    assert first_row_id(window) == "test_village"
    QApplication.clipboard().setText("before")
    window.target_combo.setCurrentIndex(window.target_combo.findData("ru"))
    QTest.keyClick(window.search_edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "before"
    assert "no ru name on record (nothing copied)" in window.status_label.text()
    window.target_combo.setCurrentIndex(window.target_combo.findData("en"))
    QTest.keyClick(window.search_edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text()
    assert copied.startswith("Ts") and copied.isascii()  # BGN/PCGN: Ծ is ts
    assert "generated BGN/PCGN romanisation" in window.status_label.text()
    window.close()


def test_ctrl_shift_c_copies_all_names(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Şuşa")
    QTest.keyClick(
        window.search_edit, Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # fmt: skip
    lines = QApplication.clipboard().text().splitlines()
    assert len(lines) == len(window.gazetteer.place("shusha").names)
    assert any(line.endswith("\tŞuşa") for line in lines)


def test_ctrl_c_with_text_selected_in_the_field_copies_that_text(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Şuşa")
    window.search_edit.selectAll()
    QTest.keyClick(window.search_edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Şuşa"


def test_arrows_move_through_results_and_the_map_follows(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Martuni")
    ids = window.results_model.place_ids()
    assert {"martuni", "martuni_am"} <= set(ids[:2]) | set(ids)
    assert window.map_view.is_highlighted(ids[0])
    QTest.keyClick(window.search_edit, Qt.Key.Key_Down)
    assert window.results_view.currentIndex().row() == 1
    assert window.search_edit.hasFocus()  # the cursor stays in the search field
    assert window.map_view.is_highlighted(ids[1])
    assert not window.map_view.is_highlighted(ids[0])
    with qtbot.waitSignal(window.place_opened) as blocker:
        QTest.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert blocker.args == [ids[1]]
    QTest.keyClick(window.search_edit, Qt.Key.Key_Up)
    assert window.results_view.currentIndex().row() == 0


def test_clicking_a_nearby_place_opens_it_and_the_map_highlights_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.open_place("shusha")
    assert window.map_view.is_highlighted("shusha")
    view = window.card.nearby_view
    model = window.card.nearby_model
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(PLACE_ID_ROLE) == "stepanakert")  # fmt: skip
    window.card.ensureWidgetVisible(view)
    rect = view.visualRect(model.index(row, 0))
    with qtbot.waitSignal(window.place_opened, timeout=5000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["stepanakert"]
    assert window.card.place().id == "stepanakert"
    assert window.map_view.is_highlighted("stepanakert")
    assert not window.map_view.is_highlighted("shusha")


def test_a_parent_crumb_opens_the_parent(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.open_place("shusha")
    crumbs = {b.property("place_id"): b for b in window.card.crumb_buttons}
    parent_id = window.gazetteer.place("shusha").parent_id
    assert parent_id in crumbs
    with qtbot.waitSignal(window.place_opened) as blocker:
        qtbot.mouseClick(crumbs[parent_id], Qt.MouseButton.LeftButton)
    assert blocker.args == [parent_id]


def test_the_card_says_what_a_place_was_part_of_with_periods(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.open_place("shusha")
    hierarchy = window.gazetteer.hierarchy("shusha")
    html = window.card.hierarchy_label.text()
    for link in hierarchy.part_of:
        assert f'href="place:{link.other.id}"' in html
        if link.period:
            assert link.period in html
    assert f"Contains ({len(hierarchy.contains)})" in html
    assert window.card.hierarchy_label.isVisible()
    target = next(k.other.id for k in hierarchy.part_of if k.dated)
    with qtbot.waitSignal(window.place_opened) as blocker:
        window.card.hierarchy_label.linkActivated.emit(f"place:{target}")
    assert blocker.args == [target]


def test_clicking_a_map_marker_selects_the_row_and_opens_the_place(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Martuni")
    second = window.results_model.place_ids()[1]
    pos = window.map_view.place_view_pos(second)
    assert pos is not None
    with qtbot.waitSignal(window.place_opened, timeout=5000) as blocker:
        qtbot.mouseClick(window.map_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [second]
    assert window.results_view.currentIndex().row() == 1
    assert window.map_view.is_highlighted(second)


def test_the_map_starts_with_the_regions_capitals_and_cities(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    capitals = window.gazetteer.select_places(roles=["capital"]) or []
    assert capitals
    shown = set(window.map_view.place_ids())
    assert set(capitals) <= shown
    assert window.map_view.label_text("yerevan") == window.display_name(
        window.gazetteer.place("yerevan")
    )


def test_the_profile_selector_re_renders_results_card_and_map(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Shusha")
    window.open_place("shusha")
    combo = window.profile_combo
    combo.setCurrentIndex(combo.findData("hy"))
    hy = BUILTIN_BY_ID["hy"]
    shusha = window.gazetteer.place("shusha")
    assert render(shusha, hy) == "Շուշի"
    row = window.results_model.row_of("shusha")
    assert window.results_model.index(row, Column.NAME).data() == "Շուշի"
    assert window.card.title.text() == "Շուշի"
    assert window.map_view.label_text("shusha") == "Շուշի"
    combo.setCurrentIndex(combo.findData("az"))
    assert window.card.title.text() == "Şuşa"
    assert window.map_view.label_text("shusha") == "Şuşa"
    assert window.settings.get("naming/profile") == "az"


def test_ctrl_f_and_ctrl_l_focus_the_search(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.results_view.setFocus()
    for key in (Qt.Key.Key_F, Qt.Key.Key_L):
        window.results_view.setFocus()
        assert not window.search_edit.hasFocus()
        QTest.keyClick(window.results_view, key, Qt.KeyboardModifier.ControlModifier)
        assert window.search_edit.hasFocus()


def test_context_menu_copies_any_name_all_names_and_coordinates(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    place = window.gazetteer.place("shusha")
    menu = window.build_place_menu(place)
    actions = {a.text().split("\t")[0]: a for a in menu.actions()}
    actions["Copy coordinates (DMS)"].trigger()
    assert QApplication.clipboard().text() == "39°45′30″N 46°44′54″E"
    actions["Copy coordinates (decimal)"].trigger()
    assert QApplication.clipboard().text() == "39.75833, 46.74833"
    actions["Copy all names"].trigger()
    copied = QApplication.clipboard().text().splitlines()
    assert len(copied) == len(place.names)
    assert any(line.endswith("\tՇուշի") for line in copied)
    submenu = next(a.menu() for a in menu.actions() if a.text() == "Copy name")
    armenian = next(a for a in submenu.actions() if a.text().startswith("Շուշի"))
    armenian.trigger()
    assert QApplication.clipboard().text() == "Շուշի"


def test_a_name_selected_on_the_card_is_what_ctrl_c_copies(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.open_place("stepanakert")
    view = window.card.names_view
    model = window.card.names_model
    ru = model.index(model.languages().index("ru"), 0)
    index = next(model.index(r, 0, ru) for r in range(model.rowCount(ru))
                 if model.index(r, 0, ru).data(NAME_ROLE).text == "Ханкенди")  # fmt: skip
    view.setFocus()
    view.setCurrentIndex(index)
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Ханкенди"


def test_results_model_in_the_window_passes_the_model_tester(qtbot, qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Ağ")
    assert window.results_model.rowCount() > 1
    qtmodeltester.check(window.results_model, force_py=True)


def test_export_from_the_window_offers_results_and_selection(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, window, "Martuni")
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    n = window.results_model.rowCount()
    assert dialog.results_radio.text() == f"Current results ({n} places)"
    assert dialog.selection_radio.text() == "Selection (1 places)"
    assert dialog.request().place_ids is None  # everything by default


def test_geometry_and_choices_survive_a_restart(qtbot, gazetteer, settings) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(gazetteer, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 480)  # within the offscreen screen (800×800): restoring clamps to it
    first.target_combo.setCurrentIndex(first.target_combo.findData("az"))
    first.close()
    second = MainWindow(gazetteer, settings)
    qtbot.addWidget(second)
    assert second.target_language() == "az"
    assert (second.width(), second.height()) == (640, 480)
    second.close()


def test_about_names_the_data_sources_and_licences(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    text = window.about_text()
    places = f"{window.gazetteer.stats().places} places"
    for needle in ("GeoNames", "CC BY 4.0", "Wikipedia", "CC BY-SA 4.0", "Natural Earth",
                   "public domain", "GPL-3.0-or-later", places):  # fmt: skip
        assert needle in text


def test_after_an_import_the_open_card_is_read_again(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.open_place("shusha")
    window.gazetteer.write(
        [PlaceInput(id="shusha", names=[NameInput("Chouchaville", "fr")])], actor="test"
    )
    window.refresh_after_import()
    assert "Chouchaville" in [name.text for name in window.card.details().place.names]
    assert window.card.content.isVisible()
