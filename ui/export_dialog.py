"""Export to CSV: layout, byte-order mark, scope, on a worker thread with progress and Cancel.

The writing is the façade's ``export_csv(path, …)``, which writes a temporary file and
renames it into place only when everything was written; a cancel (the progress callback
returning False) or an error removes the temporary file, so the target is never half-written.
The dialog only chooses options, runs the job off the GUI thread (``ui.jobs``, shared with the
import dialog), and reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gazetteer.errors import StorageError
from gazetteer.facade import Gazetteer
from ui.errors import explain_storage_error
from ui.jobs import JobRunner, Progress, ProgressPanel
from ui.settings import Settings


@dataclass(frozen=True)
class ExportRequest:
    """What to write where: ``place_ids`` None means every place."""

    path: Path
    layout: str
    bom: bool
    place_ids: tuple[str, ...] | None


class ExportDialog(QDialog):
    """Chooses layout, BOM, scope and file; runs the export; shows progress and the outcome.

    ``result_ids`` are the current search results, ``selected_ids`` the selected rows; a scope
    with no places is disabled.
    """

    exported = Signal(int, str)  # rows, path
    export_cancelled = Signal()
    export_failed = Signal(str)  # the message shown

    def __init__(
        self,
        gazetteer: Gazetteer,
        settings: Settings,
        result_ids: Sequence[str] = (),
        selected_ids: Sequence[str] = (),
        total_places: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export to CSV")
        self._gazetteer = gazetteer
        self._settings = settings
        self._result_ids = tuple(result_ids)
        self._selected_ids = tuple(selected_ids)
        self.runner = JobRunner("export-worker", self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_thread_finished)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.long_radio = QRadioButton("Long — one row per name, every name field (lossless)")
        self.wide_radio = QRadioButton("Wide — one row per place, names in en / az / hy / ru")
        self._layout_group = QButtonGroup(self)
        for button in (self.long_radio, self.wide_radio):
            self._layout_group.addButton(button)
        (
            self.wide_radio if settings.get("export/layout") == "wide" else self.long_radio
        ).setChecked(True)
        box = QVBoxLayout()
        box.addWidget(self.long_radio)
        box.addWidget(self.wide_radio)
        form.addRow("Layout:", box)

        everything = "Everything" + (
            f" ({total_places} places)" if total_places is not None else ""
        )
        self.all_radio = QRadioButton(everything)
        self.results_radio = QRadioButton(f"Current results ({len(self._result_ids)} places)")
        self.selection_radio = QRadioButton(f"Selection ({len(self._selected_ids)} places)")
        self.results_radio.setEnabled(bool(self._result_ids))
        self.selection_radio.setEnabled(bool(self._selected_ids))
        self._scope_group = QButtonGroup(self)
        scope = QVBoxLayout()
        for button in (self.all_radio, self.results_radio, self.selection_radio):
            self._scope_group.addButton(button)
            scope.addWidget(button)
        self.all_radio.setChecked(True)
        form.addRow("Places:", scope)

        self.bom_check = QCheckBox("Start with a byte-order mark (Excel needs it to read UTF-8)")
        self.bom_check.setChecked(bool(settings.get("export/bom")))
        form.addRow("", self.bom_check)

        file_row = QHBoxLayout()
        folder = Path(settings.get("export/last_folder"))
        self.path_edit = QLineEdit(str(folder / "gazetteer.csv"))
        self.path_edit.setMinimumWidth(360)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row.addWidget(self.path_edit)
        file_row.addWidget(browse)
        form.addRow("File:", file_row)

        self.progress = ProgressPanel()
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.buttons)

    # -- options ----------------------------------------------------------------------------

    def request(self) -> ExportRequest:
        """The export the dialog's options describe."""
        ids: tuple[str, ...] | None = None
        if self.results_radio.isChecked():
            ids = self._result_ids
        elif self.selection_radio.isChecked():
            ids = self._selected_ids
        return ExportRequest(
            path=Path(self.path_edit.text().strip()).expanduser(),
            layout="wide" if self.wide_radio.isChecked() else "long",
            bom=self.bom_check.isChecked(),
            place_ids=ids,
        )

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to CSV", self.path_edit.text(), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.path_edit.setText(path)

    def is_running(self) -> bool:
        """True while an export is in progress."""
        return self.runner.is_running()

    @property
    def last_thread_ident(self) -> int | None:
        """The thread the last export ran on (tests check it was not the GUI thread)."""
        return self.runner.last_thread_ident

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the export on a worker thread (no-op while one runs)."""
        if self.runner.is_running():
            return
        request = self.request()
        if not request.path.name or request.path.is_dir():
            self._report_failure("Choose a file name to export to.")
            return
        if not request.path.parent.is_dir():
            self._report_failure(f"The folder {request.path.parent} does not exist.")
            return
        self._settings.set("export/last_folder", str(request.path.parent))
        self._settings.set("export/layout", request.layout)
        self._settings.set("export/bom", request.bom)

        gazetteer = self._gazetteer

        def work(progress: Progress) -> int:
            return gazetteer.export_csv(
                request.path,
                layout=request.layout,
                bom=request.bom,
                place_ids=list(request.place_ids) if request.place_ids is not None else None,
                progress=progress,
            )

        self.runner.start(work)
        self.export_button.setEnabled(False)
        self.progress.begin("rows")
        self.status_label.setText(f"Writing {request.path.name}…")

    def cancel(self) -> None:
        """Stop a running export (nothing is written), or close the dialog when idle."""
        if self.runner.is_running():
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling…")
        else:
            self.reject()

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.report(done, total, stage)  # an export counts rows: no stage

    def _on_succeeded(self, rows: object) -> None:
        assert isinstance(rows, int)  # what export_csv returns
        path = self.request().path
        self.status_label.setText(f"Wrote {rows} rows to {path}.")
        self.exported.emit(rows, str(path))

    def _on_cancelled(self) -> None:
        self.status_label.setText("Export cancelled; no file was written.")
        self.export_cancelled.emit()

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, StorageError):
            message = explain_storage_error(error).text
        elif isinstance(error, OSError):
            where = error.filename or self.request().path
            message = f"Could not write {where}: {error.strerror or error}."
        else:
            message = f"The export failed: {error}"
        self._report_failure(message + " No file was written.")

    def _report_failure(self, message: str) -> None:
        self.status_label.setText(message)
        self.export_failed.emit(message)

    def _on_thread_finished(self) -> None:
        self.progress.end()
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def reject(self) -> None:
        """Closing while an export runs cancels it first and waits for the worker."""
        self.runner.stop()
        super().reject()
