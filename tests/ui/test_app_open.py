"""Starting the app on a file that needs a one-time upgrade: a small window says so while the
work runs off the GUI thread, then the main window opens and searches; with nothing pending
no such window appears; a failure gets the usual storage-error box."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

import ui.app
from gazetteer.facade import Gazetteer, PendingUpgrade
from gazetteer.search import INDEX_FORMAT
from ui.app import EXIT_STORAGE, main
from ui.main_window import MainWindow
from ui.open_dialog import UpgradeDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def old_db(bundled_db_template: Path, tmp_path: Path) -> Path:
    """A copy of the bundled gazetteer whose search index has the previous format."""
    path = tmp_path / "old.sqlite"
    shutil.copyfile(bundled_db_template, path)
    g = Gazetteer.open(path)
    try:
        state = g.store.get_meta("search_index")
        assert state is not None
        g.store.set_meta(
            "search_index", state.replace(f".{INDEX_FORMAT}:", f".{INDEX_FORMAT - 1}:")
        )
    finally:
        g.close()
    return path


class Seen:
    """What the recording dialog saw: whether it was on screen when the work began, on
    which thread the work ran, and its texts."""

    def __init__(self) -> None:
        self.visible_when_work_began: bool | None = None
        self.work_thread: int | None = None
        self.texts: list[str] = []


def record_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Seen]:
    """Replace the app's UpgradeDialog by one that notes what happened to it."""
    seen: list[Seen] = []

    class RecordingDialog(UpgradeDialog):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.seen = Seen()
            seen.append(self.seen)
            self.runner.began.connect(self._note)

        def _note(self, ident: int) -> None:
            self.seen.visible_when_work_began = self.isVisible()
            self.seen.work_thread = ident
            self.seen.texts = [label.text() for label in self.findChildren(QLabel)]

    monkeypatch.setattr(ui.app, "UpgradeDialog", RecordingDialog)
    return seen


def run_app(argv: list[str], look: Callable[[QTimer], None]) -> int:
    """``main(argv)`` with ``look`` asked every 10 ms (through the upgrade window's event loop
    and the app's) until it stops the timer; gives up after 20 s."""
    app = QApplication.instance()
    assert app is not None
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(lambda: look(poll))
    poll.start()
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(app.quit)
    give_up.start(20_000)
    try:
        return main(argv)
    finally:
        poll.stop()
        give_up.stop()
        # The window closed by ``main`` after its loop leaves a quit event queued, which
        # would end the next test's first event loop at once.
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)


def search_then_quit(found: list[str]) -> Callable[[QTimer], None]:
    """Waits for the main window's first hit, notes it and quits."""

    def look(poll: QTimer) -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible() and w.results_model.rowCount() > 0:
                place = w.results_model.place_at(0)
                found.append(place.id if place is not None else "")
                poll.stop()
                # ``main`` closes the window after its loop.
                app = QApplication.instance()
                assert app is not None
                app.quit()

    return look


def test_upgrade_window_runs_the_work_off_the_gui_thread_then_the_app_searches(
    qapp, old_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    seen = record_dialogs(monkeypatch)
    found: list[str] = []
    argv = ["--db", str(old_db), "--settings", str(tmp_path / "s.ini"), "--search", "Shushi"]
    assert run_app(argv, search_then_quit(found)) == 0
    assert found == ["shusha"]
    [dialog] = seen
    assert dialog.visible_when_work_began is True
    assert dialog.work_thread is not None and dialog.work_thread != threading.get_ident()
    text = "\n".join(dialog.texts)
    assert "Updating old.sqlite for this version of the program" in text
    assert "This happens once" in text
    g = Gazetteer.open(old_db, prepare=False)
    try:
        assert g.pending_upgrade() is None  # done, and saved
    finally:
        g.close()


def test_no_upgrade_window_when_nothing_is_pending(
    qapp, bundled_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "current.sqlite"
    shutil.copyfile(bundled_db_template, db)
    seen = record_dialogs(monkeypatch)
    found: list[str] = []
    argv = ["--db", str(db), "--settings", str(tmp_path / "s.ini"), "--search", "Shushi"]
    assert run_app(argv, search_then_quit(found)) == 0
    assert found == ["shusha"]
    assert seen == []


def test_the_dialog_names_the_work_and_the_names(qtbot, old_db: Path) -> None:  # type: ignore[no-untyped-def]
    g = Gazetteer.open(old_db, prepare=False)
    try:
        pending = g.pending_upgrade()
        assert pending == PendingUpgrade("refresh_index", g.stats().names)
        dialog = UpgradeDialog(g, PendingUpgrade("rebuild_keys", 1_183_651))
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.finished, timeout=20_000):
            dialog.show()
        assert "search keys of 1\u202f183\u202f651 names" in dialog.explanation.text()
        assert dialog.result() == UpgradeDialog.DialogCode.Accepted
        assert dialog.error is None
    finally:
        g.close()


def test_a_failed_upgrade_gets_the_storage_error_box(
    qapp, old_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # Another program holds the write lock for the whole start: the upgrade waits the store's
    # busy timeout (5 s) and fails; the file is left as it was.
    seen = record_dialogs(monkeypatch)
    boxes: list[str] = []

    def read_box(poll: QTimer) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            boxes.append(box.windowTitle())
            poll.stop()
            box.reject()

    holder = Gazetteer.open(old_db, prepare=False)
    try:
        with holder.store.transaction():
            code = run_app(["--db", str(old_db), "--settings", str(tmp_path / "s.ini")], read_box)
    finally:
        holder.close()
    assert code == EXIT_STORAGE
    assert len(seen) == 1
    assert boxes == ["Database in use"]
    g = Gazetteer.open(old_db, prepare=False)
    try:
        assert g.pending_upgrade() is not None  # nothing was half done
    finally:
        g.close()
