"""The window shown at start while a gazetteer file gets its one-time upgrade.

A file written by an earlier version of the program may need its search keys rebuilt or its
search index refreshed before it can be searched (``Gazetteer.pending_upgrade``). On a
million names that takes from twenty seconds to minutes; done on the GUI thread before any
window, it looked as if the app had not started. This dialog says what is happening and
runs ``Gazetteer.prepare`` on a worker thread (``ui.jobs.JobRunner``; the store's connection
is shared under its lock), then closes itself so the main window can open.

It cannot be closed or cancelled while the work runs: neither stage can be interrupted
part-way, and the work is one transaction, so a program stopped anyway leaves the file
usable and the update runs again on the next start. The text says so.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

from gazetteer.facade import Gazetteer, PendingUpgrade
from gazetteer.intake import Progress
from gazetteer.progress_text import duration
from ui.charts import format_count
from ui.jobs import JobRunner

#: What the upgrade does, in a user's words, by ``PendingUpgrade.work``.
WORK_TEXT = {
    "rebuild_keys": "The search keys of {names} names are rebuilt, then the search index.",
    "refresh_index": "The search index of {names} names is rebuilt.",
}


class UpgradeDialog(QDialog):
    """Runs ``gazetteer.prepare()`` off the GUI thread while saying why the wait.

    ``exec()`` returns once the worker thread has ended; ``error`` then holds what failed,
    if anything (the caller shows a storage error as at any other open).
    """

    def __init__(
        self, gazetteer: Gazetteer, pending: PendingUpgrade, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.gazetteer = gazetteer
        self.error: BaseException | None = None
        self.setObjectName("upgradeDialog")
        self.setWindowTitle("Updating the gazetteer")
        # No close button: the work cannot be stopped part-way (see the module's docstring).
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
        )
        name = gazetteer.path.name if gazetteer.path is not None else "the gazetteer"
        layout = QVBoxLayout(self)
        self.heading = QLabel(f"<b>Updating {name} for this version of the program</b>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QLabel(
            WORK_TEXT[pending.work].format(names=format_count(pending.names))
            + " This happens once; on a big gazetteer it takes a while."
            " If the program is stopped anyway, the file stays usable and the update"
            " starts again next time."
        )
        self.explanation.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: neither stage counts its rows
        self.stage = QLabel("Starting…")
        self.stage.setObjectName("upgradeStage")
        for widget in (self.heading, self.explanation, self.bar, self.stage):
            layout.addWidget(widget)
        self.setMinimumWidth(480)

        self._stage_name = ""
        self._started = time.monotonic()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._show_stage)

        self.runner = JobRunner("gazetteer-upgrade", self)
        self.runner.progressed.connect(self._on_progressed)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_finished)
        self.runner.start(self._work)
        self._clock.start()

    def _work(self, progress: Progress) -> None:
        """On the worker thread."""
        self.gazetteer.prepare(progress)

    @Slot(int, int, str)
    def _on_progressed(self, done: int, total: int, stage: str) -> None:
        self._stage_name = stage
        self._show_stage()

    def _show_stage(self) -> None:
        # The clock ticks so a long stage visibly goes on (the bar alone says nothing).
        elapsed = duration(time.monotonic() - self._started)
        self.stage.setText(f"{self._stage_name or 'Starting'}… {elapsed}")

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self.error = error if isinstance(error, BaseException) else RuntimeError(str(error))

    @Slot()
    def _on_finished(self) -> None:
        # After the thread has ended, so nothing still runs on the store when the main
        # window starts using it.
        self._clock.stop()
        if self.error is None:
            self.accept()
        else:
            self.reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refused while the work runs (a window manager's close, Alt+F4)."""
        if self.runner.is_running():
            event.ignore()
        else:
            super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape would reject the dialog and open the window over a half-done file."""
        if event.key() == Qt.Key.Key_Escape and self.runner.is_running():
            event.ignore()
            return
        super().keyPressEvent(event)


__all__ = ["UpgradeDialog"]
