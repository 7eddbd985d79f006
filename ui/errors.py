"""What the user is told when something goes wrong.

Two kinds of trouble, treated differently (qutebrowser's known-error / bug split):

* **Storage problems** caused by the environment — the file is locked by another program,
  read-only, damaged, or from a newer version — get a friendly dialog that says what happened
  and what to do. The domain raises typed errors with facts only; the prose lives here.
* **Bugs** (any other exception that reaches the event loop) get a crash dialog whose
  details (traceback, versions) can be copied into a bug report.
"""

from __future__ import annotations

import platform
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gazetteer.errors import (
    CancelledError,
    CorruptDatabaseError,
    DatabaseLockedError,
    ReadOnlyDatabaseError,
    StorageError,
    TooNewDatabaseError,
)


@dataclass(frozen=True)
class Explanation:
    """A short title, what happened, and what the user can do about it."""

    title: str
    what: str
    remedy: str

    @property
    def text(self) -> str:
        """The message as one paragraph pair."""
        return f"{self.what}\n\n{self.remedy}"


def explain_storage_error(error: StorageError) -> Explanation:
    """Plain-language explanation of a storage error, naming the file."""
    where = error.path or "the database"
    if isinstance(error, TooNewDatabaseError):
        return Explanation(
            "Database from a newer version",
            f"{where} was written by a newer version of the Gazetteer (schema version "
            f"{error.found}; this version understands up to {error.supported}). "
            "It has not been changed.",
            "Install the newer version of the Gazetteer to open it, or start this version "
            "with another database: gazetteer-app --db OTHER.sqlite",
        )
    if isinstance(error, DatabaseLockedError):
        return Explanation(
            "Database in use",
            f"Another program is writing to {where} and did not let go in time.",
            "Close other Gazetteer windows or command-line imports using this file, "
            "then try again. Nothing was changed.",
        )
    if isinstance(error, ReadOnlyDatabaseError):
        return Explanation(
            "Database cannot be written",
            f"{where} (or its folder) cannot be written: {error.detail}.",
            "Check that the file and its folder are writable and the disk is not full, "
            "or start the Gazetteer with a database in a writable place: "
            "gazetteer-app --db ~/gazetteer.sqlite",
        )
    if isinstance(error, CorruptDatabaseError):
        return Explanation(
            "Database damaged",
            f"{where} is not a readable gazetteer database: {error.detail}.",
            "Restore it from a backup (copies taken before upgrades sit beside it, ending in "
            ".bak), or move it away: the Gazetteer then starts with a fresh copy of the "
            "bundled data.",
        )
    return Explanation(
        "Database problem",
        f"The database {where} reported a problem: {error.detail}.",
        "Try again; if it keeps happening, report it with this message.",
    )


#: Parentless dialogs opened here, kept referenced until closed (else Python deletes them).
_open_dialogs: set[QDialog] = set()


def _keep_until_closed(dialog: QDialog) -> None:
    _open_dialogs.add(dialog)
    dialog.finished.connect(lambda _result: _open_dialogs.discard(dialog))


def show_storage_error(parent: QWidget | None, error: StorageError) -> QMessageBox:
    """Open (non-blocking) a warning box explaining ``error``; returns the box."""
    explanation = explain_storage_error(error)
    box = QMessageBox(QMessageBox.Icon.Warning, explanation.title, explanation.what, parent=parent)
    box.setInformativeText(explanation.remedy)
    # The path in the message is something users paste into a terminal or a bug report.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setObjectName("storageErrorBox")
    if parent is None:
        _keep_until_closed(box)
    box.open()
    return box


def crash_details(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The text a bug report needs: traceback, program and library versions, platform."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        app_version = version("caucasus-gazetteer")
    except PackageNotFoundError:
        app_version = "unknown"
    lines = [
        f"Gazetteer {app_version}",
        f"Python {sys.version.split()[0]}, PySide6 {pyside_version}, Qt {qVersion()}",
        f"Platform {platform.platform()}, Qt platform plugin {QGuiApplication.platformName()}",
        f"Fonts: {len(QFontDatabase.families())} families",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


class CrashDialog(QDialog):
    """Says a bug happened and shows copyable details; the app keeps running if it can."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("The Gazetteer hit a bug")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Something went wrong inside the Gazetteer. Your database has not been damaged: "
            "changes are only saved when an operation completes.\n"
            "Please copy the details below into a bug report."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumSize(560, 240)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        """Put the details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details.toPlainText())


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def make_excepthook(parent_getter: Callable[[], QWidget | None]) -> ExceptHook:
    """A ``sys.excepthook`` that shows storage errors kindly and bugs in a crash dialog.

    Cancellation is not an error and is ignored. A bug's traceback is also printed to
    stderr, so it reaches the terminal and logs.
    """

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, CancelledError):
            return
        parent = parent_getter()
        if isinstance(exc, StorageError):
            show_storage_error(parent, exc)
            return
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        dialog = CrashDialog(crash_details(exc_type, exc, tb), parent)
        if parent is None:
            _keep_until_closed(dialog)
        else:
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    return hook
