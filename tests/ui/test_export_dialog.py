"""The export dialog writes real CSV on a worker thread; a cancelled export leaves no file."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui.export_dialog import ExportDialog

pytestmark = pytest.mark.gui


def make_dialog(qtbot, gazetteer, settings, path: Path, **kwargs) -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(gazetteer, settings, total_places=gazetteer.stats().places, **kwargs)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.show()
    return dialog


def test_export_everything_long_with_bom_on_a_worker_thread(
    qtbot, gazetteer, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "all.csv"
    dialog = make_dialog(qtbot, gazetteer, settings, target)
    dialog.bom_check.setChecked(True)
    assert dialog.all_radio.isChecked() and dialog.long_radio.isChecked()
    with qtbot.waitSignal(dialog.exported, timeout=10000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.is_running()
    qtbot.waitUntil(lambda: not dialog.is_running())
    rows, path = blocker.args
    assert path == str(target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == len(records) - 1 == gazetteer.stats().names
    assert records[0][0] == "place_id"
    assert any(r[records[0].index("name")] == "Ստեփանակերտ" for r in records[1:])
    assert dialog.last_thread_ident is not None
    assert dialog.last_thread_ident != threading.get_ident()
    assert "Wrote" in dialog.status_label.text()
    assert settings.get("export/last_folder") == str(tmp_path)
    assert settings.get("export/bom") is True


def test_export_current_results_wide(qtbot, gazetteer, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "results.csv"
    dialog = make_dialog(qtbot, gazetteer, settings, target,
                         result_ids=["stepanakert", "shusha"], selected_ids=["shusha"])  # fmt: skip
    dialog.wide_radio.setChecked(True)
    dialog.results_radio.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    text = target.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    records = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in records[1:]] == ["shusha", "stepanakert"]
    assert records[0][:5] == ["id", "name_en", "name_az", "name_hy", "name_ru"]
    assert records[2][1:5] == ["Stepanakert", "Xankəndi", "Ստեփանակերտ", "Степанакерт"]


def test_selection_scope_exports_only_the_selection(qtbot, gazetteer, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "selection.csv"
    dialog = make_dialog(qtbot, gazetteer, settings, target,
                         result_ids=["stepanakert", "shusha"], selected_ids=["shusha"])  # fmt: skip
    dialog.selection_radio.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    records = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r[0] for r in records[1:]} == {"shusha"}
    assert len(records) - 1 == len(gazetteer.place("shusha").names)


def test_scopes_without_places_are_disabled(qtbot, gazetteer, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, gazetteer, settings, tmp_path / "x.csv")
    assert not dialog.results_radio.isEnabled()
    assert not dialog.selection_radio.isEnabled()


def test_cancel_leaves_no_file_and_keeps_an_existing_one(
    qtbot, gazetteer, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    target = out / "kept.csv"
    target.write_text("an older export\n", encoding="utf-8")
    dialog = make_dialog(qtbot, gazetteer, settings, target)
    with qtbot.waitSignal(dialog.export_cancelled, timeout=10000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running())
    assert target.read_text(encoding="utf-8") == "an older export\n"
    assert sorted(p.name for p in out.iterdir()) == ["kept.csv"]  # no temporary file left
    assert "cancelled" in dialog.status_label.text()

    fresh = out / "fresh.csv"
    dialog.path_edit.setText(str(fresh))
    with qtbot.waitSignal(dialog.export_cancelled, timeout=10000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not fresh.exists()
    assert sorted(p.name for p in out.iterdir()) == ["kept.csv"]


def test_a_missing_folder_is_reported_and_nothing_runs(
    qtbot, gazetteer, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, gazetteer, settings, tmp_path / "no" / "such" / "out.csv")
    with qtbot.waitSignal(dialog.export_failed) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in blocker.args[0]
    assert not dialog.is_running()
