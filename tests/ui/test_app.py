"""The entry point: --db, a fresh database seeded on first use, a damaged file refused kindly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gazetteer.facade import Gazetteer
from ui.app import EXIT_STORAGE, main, parse_args
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_qt_options_are_left_for_qt() -> None:
    args, rest = parse_args(["--db", "x.sqlite", "-style", "fusion"])
    assert args.db == Path("x.sqlite")
    assert rest == ["-style", "fusion"]


def test_first_use_creates_the_database_from_the_bundled_data(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "new" / "gazetteer.sqlite"
    seen: list[str] = []

    def look_and_quit() -> None:
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        seen.extend(w.search_edit.text() for w in windows)
        for w in windows:
            w.close()
        qapp.quit()

    QTimer.singleShot(0, look_and_quit)
    code = main(["--db", str(db), "--settings", str(tmp_path / "s.ini"), "--search", "Şuşa"])
    assert code == 0
    assert seen == ["Şuşa"]
    g = Gazetteer.open(db)
    try:
        assert g.place("shusha").role == "city"
    finally:
        g.close()


def test_a_damaged_database_gets_a_clear_message_and_exit_code(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "broken.sqlite"
    db.write_bytes(b"\x00garbage" * 100)
    shown: list[tuple[str, str]] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.append((box.windowTitle(), box.text() + "\n" + box.informativeText()))
        box.reject()

    QTimer.singleShot(0, read_and_close)
    assert main(["--db", str(db)]) == EXIT_STORAGE
    title, text = shown[0]
    assert title == "Database damaged"
    assert str(db) in text and "bundled data" in text
    assert db.read_bytes() == b"\x00garbage" * 100  # left exactly as it was


def test_without_db_the_gazetteer_db_variable_decides(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("GAZETTEER_DB", str(db))
    opened: list[str] = []

    def note_and_quit() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                opened.append(str(w.gazetteer.path))
                w.close()
        qapp.quit()

    QTimer.singleShot(0, note_and_quit)
    assert main(["--settings", str(tmp_path / "s.ini")]) == 0
    assert opened == [str(db)]
    assert db.exists()
